"""What public reads take from the database: lists never the frozen outputs (the PDF least of all), a release's
page only what it writes, its PDF only the PDF; and the lean reads answer exactly as the gate does."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases import selectors
from releases.models import Release
from releases.rendering import served as served_page
from tests import factories
from tests.factories import published_release

pytestmark = pytest.mark.django_db

# Frozen outputs of a snapshot, and the body of a release: the large columns.
LARGE = {
    '"releases_snapshot"."pdf"',
    '"releases_snapshot"."page_html"',
    '"releases_snapshot"."fragment_html"',
    '"releases_snapshot"."plain_text"',
    '"releases_snapshot"."content_json"',
    '"releases_release"."body"',
}


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def releases():
    company = factories.CompanyFactory()
    english = published_release(company=company, headline="Results", slug="results", body="<p>Colitis.</p>")
    french = published_release(
        company=company,
        headline="Résultats",
        slug="resultats",
        language="fr",
        translation_group=english.translation_group,
    )
    published_release(
        company=company, headline="Older colitis news", slug="older", at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    )
    return {"english": english, "french": french}


def selected_columns(sql: str) -> set[str]:
    """The columns the outermost SELECT lists, those of subqueries in its list included (their aliased tables,
    `"releases_release" "U0"`, named by table); the WHERE clause and what it compares are left out."""
    depth, end = 0, len(sql)
    for index, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(" FROM ", index):
            end = index
            break
    aliases = {alias: table for table, alias in re.findall(r'("releases_\w+") ("U\d+")', sql)}
    columns = re.findall(r'("releases_\w+"|"U\d+")\.("\w+")', sql[:end])
    return {f"{aliases.get(table, table)}.{column}" for table, column in columns}


def columns_read(client, path: str) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return set().union(*(selected_columns(q["sql"]) for q in queries))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?page=2",
        "/?language=all",
        "/feeds/rss.xml",
        "/fr/feeds/atom.xml",
        "/sitemap.xml",
        "/sitemap-releases.xml",
        "/search/?q=colitis",
        "/api/v1/public/releases/",
    ],
)
def test_lists_never_read_the_pdf_nor_the_other_frozen_outputs(client, releases, path):
    read = columns_read(client, path)
    assert '"releases_snapshot"."pdf"' not in read
    allowed = set()
    if path.startswith("/api/"):
        allowed = {'"releases_snapshot"."content_json"'}  # the API's JSON is built from the frozen content
    if "feeds" in path or "search" in path:
        allowed = {'"releases_release"."body"'}  # a feed item's lead; the portable search's excerpt
    assert read & LARGE <= allowed, path


def test_the_page_reads_only_what_it_writes(client, releases):
    read = columns_read(client, "/releases/results/")
    assert read == {
        '"releases_release"."id"',
        '"releases_release"."slug"',
        '"releases_release"."language"',
        '"releases_release"."status"',
        '"releases_release"."publication_at"',
        '"releases_release"."translation_group"',
        '"releases_snapshot"."page_html"',  # the frozen page (the first time this worker serves it)
        '"releases_snapshot"."page_sha256"',  # its ETag
        '"releases_snapshot"."created_at"',  # its Last-Modified
        '"releases_snapshot"."time_zone"',
        # the other versions and corrections it links to, in a subquery of the same query
        '"releases_release"."headline"',
        '"releases_release"."corrects_id"',
    }


def test_the_pdf_reads_the_pdf_and_nothing_else_large(client, releases):
    read = columns_read(client, "/releases/results.pdf")
    assert read & LARGE == {'"releases_snapshot"."pdf"'}
    assert '"releases_release"."headline"' not in read


def test_the_page_and_the_pdf_cost_one_query_each(client, releases):
    for path, expected in [("/releases/results/", 1), ("/releases/results.pdf", 1)]:
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        assert len(queries) == expected, path


def test_a_page_or_pdf_served_again_reads_its_digest_not_its_bytes(client, releases):
    """A worker holds the frozen bytes it served (selectors.FROZEN); the database, asked on every request,
    says whether the release is public and which digest it serves; the bytes are read again only when that
    digest is not the one held."""
    for path, column, digest in [("/releases/results/", "page_html", "page"), ("/releases/results.pdf", "pdf", "pdf")]:
        first = client.get(path)
        read = columns_read(client, path)
        assert f'"releases_snapshot"."{column}"' not in read and f'"releases_snapshot"."{digest}_sha256"' in read
        again = client.get(path)
        assert again.content == first.content and again["ETag"] == first["ETag"], path


def test_held_bytes_never_outlive_what_the_database_says(client, releases, settings):
    english = releases["english"]
    assert client.get("/releases/results/").status_code == 200
    assert client.get("/releases/results.pdf").status_code == 200
    # Other bytes at the same address (as a restored backup could leave): the new digest, the new bytes.
    page = english.snapshot.page_html.replace("Results", "Results restated")
    pdf = bytes(english.snapshot.pdf) + b"%restated"
    type(english.snapshot).objects.filter(pk=english.snapshot.pk).update(
        page_html=page, page_sha256=selectors.Snapshot.sha256(page), pdf=pdf, pdf_sha256=selectors.Snapshot.sha256(pdf)
    )
    assert b"Results restated" in client.get("/releases/results/").content
    assert client.get("/releases/results.pdf").content == pdf
    # Not public any more (back under embargo, withdrawn): held bytes or not, the answer the database gives.
    Release.objects.filter(pk=english.pk).update(publication_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    assert client.get("/releases/results/").status_code == 404
    assert client.get("/releases/results.pdf").status_code == 404
    Release.objects.filter(pk=english.pk).update(
        publication_at=english.publication_at, status=Release.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    assert client.get("/releases/results/").status_code == 410
    assert client.get("/releases/results.pdf").status_code == 404


def test_with_no_memory_for_frozen_bytes_every_answer_reads_them(client, releases, settings):
    settings.FROZEN_BYTES_MEMORY = 0
    client.get("/releases/results/")
    assert '"releases_snapshot"."page_html"' in columns_read(client, "/releases/results/")
    assert len(selectors.FROZEN) == 0


def test_the_page_answer_follows_its_row_on_every_request(client, releases):
    """What the view builds of a page (its language switch, notice, Link header) is kept by the row the query
    gave; a version that goes public changes the row, so the next answer links it."""
    french = releases["french"]
    Release.objects.filter(pk=french.pk).update(status="approved")
    alone = client.get("/releases/results/")
    assert b"/fr/releases/resultats/" not in alone.content and "Link" not in alone
    Release.objects.filter(pk=french.pk).update(status="published")
    linked = client.get("/releases/results/")
    assert b"/fr/releases/resultats/" in linked.content and 'hreflang="fr"' in linked["Link"]
    assert linked["ETag"] != alone["ETag"]


def test_the_lean_read_answers_as_the_gate_does(releases, publisher):
    english, french = releases["english"], releases["french"]
    page = selectors.served("results", "en", output="page_html")
    assert (page.pk, page.status) == (english.pk, "published")
    assert served_page.join(page.output, {}) == served_page.join(served_page.cut(english.snapshot.page_html), {})
    assert [(v.language, v.slug) for v in page.translations] == [("fr", "resultats")]
    assert selectors.public_translations(Release.objects.get(pk=english.pk)) == [french]
    assert page.correction is None and page.bound is None
    pdf = selectors.served("results", "en", output="pdf")
    assert pdf.output == bytes(english.snapshot.pdf) and pdf.sha256 == english.snapshot.pdf_sha256

    # Not public: the same None as an address that never existed.
    for status, moment in [("published", dt.datetime(2999, 1, 1, tzinfo=dt.UTC)), ("approved", None), ("draft", None)]:
        Release.objects.filter(pk=french.pk).update(status=status, publication_at=moment or french.publication_at)
        assert selectors.served("resultats", "fr", output="page_html") is None
        assert selectors.served("results", "en", output="page_html").translations == []
    assert selectors.served("nothing", "en", output="pdf") is None
    assert selectors.served("results", "fr", output="pdf") is None


def test_the_page_knows_when_a_version_or_a_correction_goes_public(releases):
    french = releases["french"]
    moment = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=5)
    Release.objects.filter(pk=french.pk).update(publication_at=moment)
    page = selectors.served("results", "en", output="page_html")
    assert page.translations == [] and page.bound == moment
    later = selectors.served("results", "en", output="page_html", now=moment)
    assert [v.slug for v in later.translations] == ["resultats"] and later.bound is None


def test_a_corrected_page_links_its_public_correction_only(releases):
    english = releases["english"]
    Release.objects.filter(pk=english.pk).update(status=Release.Status.CORRECTED)
    moment = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=5)
    correction = published_release(
        slug="results-corrected", headline="Results (corrected)", corrects=english, company=english.company, at=moment
    )
    page = selectors.served("results", "en", output="page_html")
    assert page.correction is None and page.bound == moment, "scheduled: not linked yet, and the page knows when"
    page = selectors.served("results", "en", output="page_html", now=moment)
    assert (page.correction.pk, page.correction.headline) == (correction.pk, "Results (corrected)")
    assert page.translations[0].slug == "resultats"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
@pytest.mark.django_db(transaction=True)
def test_the_prepared_read_replaces_a_dead_connection_and_answers(settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    published_release(slug="results")
    assert selectors.served("results", "en", output="pdf") is not None
    connection.connection.close()  # what a restarted database leaves behind
    assert selectors.served("results", "en", output="pdf").slug == "results"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1, "the read ran as a prepared statement"
