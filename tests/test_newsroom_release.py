"""The release page and PDF over HTTP: exact caching validators, 304s, the PDF's name, hreflang, notices, queries."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from releases.models import Release
from tests import factories
from tests.factories import PAST, published_release, snapshot_for

pytestmark = pytest.mark.django_db


def test_release_page_has_an_etag_from_the_snapshot_hash_and_answers_304_when_unchanged(client):
    release = published_release(slug="results")
    snapshot = release.snapshot
    response = client.get("/releases/results/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{snapshot.page_sha256[:32]}"'
    assert response["Last-Modified"] == http_date(max(snapshot.created_at, PAST).timestamp())
    assert response["Cache-Control"] == "public, no-cache"
    again = client.get("/releases/results/", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get("/releases/results/", headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304
    assert client.get("/releases/results/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_pdf_is_named_by_date_and_slug_with_its_own_etag_and_304(client):
    release = published_release(slug="results", at=dt.datetime(2024, 6, 30, 22, 30, tzinfo=dt.UTC))
    response = client.get("/releases/results.pdf")
    assert response["Content-Type"] == "application/pdf"
    # 22:30 UTC on 30 June is 1 July in Paris, the company's zone.
    assert response["Content-Disposition"] == 'inline; filename="2024-07-01-results.pdf"'
    assert response.content == bytes(release.snapshot.pdf)
    assert response["ETag"] == f'"{release.snapshot.pdf_sha256[:32]}"'
    assert client.get("/releases/results.pdf", headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_the_page_links_its_public_translations_by_hreflang_and_never_a_hidden_one(client):
    english = published_release(slug="results")
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    published_release(slug="resultats", language="fr", translation_group=english.translation_group, at=moment)
    assert "Link" not in client.get("/releases/results/")
    # The French version's moment comes: the English page names it from then on (a kept answer ends then).
    with mock.patch("django.utils.timezone.now", return_value=moment + dt.timedelta(seconds=1)):
        link = client.get("/releases/results/")["Link"]
    assert link == (
        '<http://127.0.0.1:8000/releases/results/>; rel="alternate"; hreflang="en", '
        '<http://127.0.0.1:8000/fr/releases/resultats/>; rel="alternate"; hreflang="fr"'
    )


def test_a_withdrawn_release_leaves_a_notice_at_its_address_and_no_pdf(client):
    release = published_release(
        slug="results",
        headline="Acme results",
        status=Release.Status.WITHDRAWN,
        withdrawn_at=dt.datetime(2024, 7, 2, 9, tzinfo=dt.UTC),
        withdrawal_notice="Published in error.",
    )
    response = client.get("/releases/results/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "<h1>Acme results</h1>" in page
    assert f"{release.company.short_name} withdrew this release on July 2, 2024." in page
    assert "<p>Published in error.</p>" in page
    assert release.body not in page
    assert client.get("/releases/results.pdf").status_code == 404


def test_a_corrected_release_links_to_its_public_correction(client):
    earlier = published_release(slug="results", status=Release.Status.CORRECTED)
    earlier.snapshot.page_html = '<html><body><main id="main" class="site-main"><h1>Old</h1></main></body></html>'
    earlier.snapshot.save()
    correction = published_release(
        slug="results-corrected", headline="Results (corrected)", corrects=earlier, company=earlier.company
    )
    page = client.get("/releases/results/")
    assert page.status_code == 200
    assert (
        '<a href="/releases/results-corrected/">Results (corrected)</a></p></div><h1>Old</h1>' in page.content.decode()
    )
    assert page["Link"].startswith('</releases/results-corrected/>; rel="successor-version"')
    assert page["ETag"].endswith(f'-c{correction.pk}"')


def _release_with_parts(n: int) -> Release:
    company = factories.CompanyFactory()
    release = published_release(company=company, snapshot=False)
    for i in range(n):
        factories.ReferenceFactory(release=release, position=i + 1)
        block = factories.BoilerplateBlockFactory(company=company)
        release.topic_links.create(block=block, position=i)
        factories.PipelineAssetFactory(company=company)
        factories.ListingFactory(company=company, ticker=f"T{i}")
    snapshot_for(release)
    return release


@pytest.mark.parametrize("path", ["/releases/{slug}/", "/releases/{slug}.pdf"])
def test_the_release_page_runs_the_same_few_queries_with_1_or_30_references_blocks_and_assets(client, path, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # count what the gate asks, not a kept answer (which asks nothing)
    counts = []
    for n in (1, 30):
        release = _release_with_parts(n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path.format(slug=release.slug)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2


def test_composing_a_release_runs_the_same_queries_with_1_or_30_parts():
    from releases.rendering.outputs import render_page

    counts = []
    for n in (1, 30):
        release = _release_with_parts(n)
        with CaptureQueriesContext(connection) as queries:
            render_page(release)
        counts.append(len(queries))
    assert counts[0] == counts[1]
