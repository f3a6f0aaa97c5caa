"""The public newsroom: a release's page and PDF, the index, search pages, robots and media, through the gate."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from releases.http import hreflang_link_header
from releases.models import Release
from releases.selectors import public_translations
from tests import factories
from tests import factories as f
from tests.factories import PAST, published_release, snapshot_for


@pytest.mark.django_db
def test_published_release_page_is_served(client):
    release = f.published_release(body="<p>today announced results.</p>")
    response = client.get(f"/releases/{release.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{release.headline}</h1>" in page
    assert "Download PDF" in page and release.get_pdf_url() in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, moment",
    [
        (Release.Status.DRAFT, PAST),
        (Release.Status.IN_REVIEW, PAST),
        (Release.Status.APPROVED, PAST),
        (Release.Status.PUBLISHED, None),
    ],
)
def test_release_not_public_is_the_same_404_as_a_missing_one(client, status, moment):
    moment = moment or timezone.now() + dt.timedelta(hours=1)
    release = f.ReleaseFactory(status=status, publication_at=moment)
    missing_page = client.get("/releases/no-such-release/")
    missing_pdf = client.get("/releases/no-such-release.pdf")
    for url, missing in ((f"/releases/{release.slug}/", missing_page), (f"/releases/{release.slug}.pdf", missing_pdf)):
        response = client.get(url)
        assert response.status_code == 404
        assert response.content == missing.content


@pytest.mark.django_db
def test_snapshot_is_served_byte_for_byte(client):
    release = f.ReleaseFactory(status=Release.Status.PUBLISHED, publication_at=PAST)
    f.snapshot_for(release, page_html="<p>FROZEN PAGE</p>", pdf=b"%PDF-frozen")
    assert client.get(f"/releases/{release.slug}/").content == b"<p>FROZEN PAGE</p>"
    response = client.get(f"/releases/{release.slug}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-frozen"


@pytest.mark.django_db
def test_published_release_without_a_snapshot_is_the_same_404_as_a_missing_one(client):
    release = f.ReleaseFactory(status=Release.Status.PUBLISHED, publication_at=PAST)
    missing = client.get("/releases/no-such-release/")
    for url in (f"/releases/{release.slug}/", f"/releases/{release.slug}.pdf"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.content == missing.content


@pytest.mark.django_db
def test_french_release_lives_under_fr(client):
    release = f.published_release(language="fr", body="<p>annonce aujourd’hui des résultats.</p>")
    assert client.get(f"/releases/{release.slug}/").status_code == 404
    response = client.get(f"/fr/releases/{release.slug}/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.django_db
def test_demo_release_is_readable_from_the_home_page(client, demo):
    assert demo.slug in client.get("/").content.decode()
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Nantes, France – July 1, 2024 – 7:30 am CEST –" in page


pytestmark = pytest.mark.django_db


def test_release_page_has_an_etag_from_the_snapshot_hash_and_answers_304_when_unchanged(client):
    release = published_release(slug="results")
    snapshot = release.snapshot
    response = client.get("/releases/results/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{snapshot.page_sha256[:32]}"'
    assert response["Last-Modified"] == http_date(max(snapshot.created_at, PAST).timestamp())
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=30"
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


def titles(response) -> list[str]:
    return re.findall(r'class="release-item-title" id="r-\d+"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def many():
    return factories.published_archive(25, first_year=2023, regulated_every=5)


def test_index_lists_twenty_latest_first_then_the_rest_on_page_two(client, many):
    first = client.get("/")
    assert first.status_code == 200
    expected = [
        r.headline
        for r in Release.objects.filter(language="en").order_by("-publication_at", "-id")
        if r.publication_at.year in (2023, 2024)
    ]
    assert titles(first) == expected[:20]
    body = first.content.decode()
    assert "25 releases" in body and "Page 1 of 2" in body and 'rel="next" href="?&amp;page=2"' in body
    assert titles(client.get("/?page=2")) == expected[20:]
    assert titles(client.get("/?page=999")) == titles(client.get("/?page=2"))


def test_index_filters_by_year_category_and_language(client, many):
    assert len(titles(client.get("/?year=2024"))) == 12
    assert titles(client.get("/?year=2024&category=regulated")) == ["News 05", "News 15"]
    assert titles(client.get("/?language=fr")) == ["Nouvelle"]
    assert titles(client.get("/fr/")) == ["Nouvelle"]
    assert len(titles(client.get("/?language=all&page=2"))) == 6
    assert len(titles(client.get("/?year=abc&category=<script>&language=xx"))) == 20


def test_index_caches_briefly_and_shows_a_release_at_its_moment_to_the_second(client, many):
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=10)
    published_release(company=many, headline="Due soon", slug="due-soon", at=moment)
    first = client.get("/")
    ages = re.fullmatch(r"public, max-age=(\d+), s-maxage=(\d+)", first["Cache-Control"]).groups()
    assert all(int(age) <= 10 for age in ages), "browsers and CDNs keep the index no longer than the moment"
    assert "Due soon" not in titles(first)
    with mock.patch("django.utils.timezone.now", return_value=moment - dt.timedelta(seconds=1)):
        assert "Due soon" not in titles(client.get("/"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert titles(client.get("/"))[0] == "Due soon"


def test_index_runs_a_fixed_number_of_queries_whatever_the_page_size(client, many):
    with CaptureQueriesContext(connection) as queries:
        client.get("/?language=all")
    assert len(queries) <= 5


def test_hreflang_names_only_public_versions(client):
    english = published_release(slug="results")
    french = published_release(
        slug="resultats",
        language="fr",
        translation_group=english.translation_group,
        at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC),
    )
    assert public_translations(english) == []
    assert hreflang_link_header(english, []) == ""
    Release.objects.filter(pk=french.pk).update(publication_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert public_translations(english) == [french]
    assert hreflang_link_header(english, [french]) == (
        '<http://127.0.0.1:8000/releases/results/>; rel="alternate"; hreflang="en", '
        '<http://127.0.0.1:8000/fr/releases/resultats/>; rel="alternate"; hreflang="fr"'
    )


def test_the_site_has_an_icon_on_every_page_and_at_favicon_ico(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("newsroom/favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find("newsroom/favicon.svg"), "the icon is a static file"
    for path in ("/", "/admin/login/"):
        assert 'rel="icon" href="/static/newsroom/favicon.svg"' in client.get(path).text, path
