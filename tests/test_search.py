"""Search: public releases only, matches highlighted and escaped, long queries cut short, PG full text indexed."""

import datetime as dt
import time

import pytest
from django.db import connection

from releases.models import Release
from releases.search import MAX_QUERY_CHARS, StoredDocument, clean_query, search
from tests import factories
from tests.factories import published_release

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL full-text search")


@pytest.fixture
def releases():
    company = factories.CompanyFactory(short_name="Acme Biotech")
    shown = published_release(
        company=company,
        headline="Lusvertikimab trial meets its primary endpoint",
        slug="endpoint",
        body="<p>The <strong>Lusvertikimab</strong> trial in colitis &amp; related diseases succeeded.</p>",
    )
    published_release(
        company=company,
        headline="Lusvertikimab essai clinique",
        slug="essai",
        language="fr",
        body="<p>Les essais cliniques progressent.</p>",
    )
    published_release(
        company=company, headline="Lusvertikimab future", slug="future", at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    )
    factories.ReleaseFactory(company=company, headline="Lusvertikimab draft", slug="draft")
    return {"shown": shown}


def test_search_finds_only_public_releases_and_marks_the_matched_words(client, releases):
    body = client.get("/search/?q=lusvertikimab").content.decode()
    assert "1 release<" in body
    assert '<a href="/releases/endpoint/"><mark>Lusvertikimab</mark> trial meets its primary endpoint</a>' in body
    assert "future" not in body.lower().replace("futures", "")
    assert "draft" not in body.lower()


def test_search_in_all_languages_finds_the_french_release_too(client, releases):
    body = client.get("/search/?q=lusvertikimab&language=all").content.decode()
    assert "2 releases<" in body
    assert "/fr/releases/essai/" in body


def test_highlighting_escapes_everything_but_the_marks(client):
    published_release(headline="<script>alert(1)</script> Vaccine news", slug="xss", body="<p>Vaccine &lt;b&gt;</p>")
    body = client.get("/search/?q=vaccine").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Vaccine</mark> news" in body


def test_a_100_kb_query_without_spaces_answers_quickly_without_error(client, releases):
    started = time.perf_counter()
    response = client.get("/search/", {"q": "x" * 100_000})
    assert response.status_code == 200
    assert time.perf_counter() - started < 2
    assert "shortened to its first 200 characters" in response.content.decode()
    assert clean_query("y" * 100_000) == "y" * MAX_QUERY_CHARS


def test_a_query_of_control_characters_and_symbols_is_harmless(client, releases):
    for q in ["\x00\x01", "' OR 1=1 --", "!!! & | :*", "<mark>", "((("]:
        assert client.get("/search/", {"q": q}).status_code == 200, q


def test_an_empty_query_shows_the_form_without_results(client, releases):
    body = client.get("/search/").content.decode()
    assert 'role="search"' in body and "release-item" not in body


@postgres_only
def test_postgres_search_stems_words_in_the_release_language(releases):
    found = search(Release.objects.listed(), "trials", ["en"])
    assert [r.slug for r in found] == ["endpoint"]
    found = search(Release.objects.listed(), "essai", ["fr"])
    assert [r.slug for r in found] == ["essai"]


@postgres_only
def test_postgres_search_matches_through_the_stored_documents_gin_index(releases):
    from django.contrib.postgres.search import SearchQuery, SearchVectorExact

    company = releases["shown"].company
    Release.objects.bulk_create(
        Release(
            company=company,
            language="en",
            headline=f"Update {n}",
            slug=f"update-{n}",
            body="<p>News of the trial.</p>",
            status="published",
            publication_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE releases_release")
    # The match alone can be answered from the GIN index (a table this small is cheaper to scan: forbid it).
    sq = SearchQuery("lusvertikimab", config="english", search_type="websearch")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    match = Release.objects.filter(SearchVectorExact(StoredDocument(), sq)).order_by()
    assert "release_search_document_gin" in match.explain()
    # The whole search (gate, candidates, ranking) reads the stored vector; the planner picks its indexes.
    plan = search(Release.objects.listed(), "lusvertikimab", ["en"]).explain()
    assert "search_document" in plan
    assert "to_tsvector" not in plan, "nothing is recomputed per row"


@postgres_only
def test_the_stored_document_follows_every_edit_of_the_release(releases):
    shown = releases["shown"]
    assert not search(Release.objects.listed(), "quorvexilant", ["en"]).exists()
    Release.objects.filter(pk=shown.pk).update(subheadline="Quorvexilant data in ulcerative colitis")
    assert [r.slug for r in search(Release.objects.listed(), "quorvexilant", ["en"])] == ["endpoint"]
    Release.objects.filter(pk=shown.pk).update(subheadline="")
    assert not search(Release.objects.listed(), "quorvexilant", ["en"]).exists()


@postgres_only
def test_only_the_newest_matches_are_ranked_and_counted(releases, monkeypatch):
    company = releases["shown"].company
    for n in range(5):
        published_release(
            company=company,
            headline=f"Colitis update {n}" + (" colitis colitis colitis" if n == 0 else ""),
            slug=f"colitis-{n}",
            at=dt.datetime(2020 + n, 1, 1, tzinfo=dt.UTC),
        )
    found = [r.slug for r in search(Release.objects.listed(), "colitis", ["en"])]
    assert found[0] == "colitis-0", "the oldest match ranks first when every match is ranked"
    monkeypatch.setattr("releases.search.MAX_CANDIDATES", 3)
    found = search(Release.objects.listed(), "colitis", ["en"])
    assert found.count() == 3
    assert {r.slug for r in found} == {"colitis-4", "colitis-3", "endpoint"}  # endpoint: 1 July 2024


@postgres_only
def test_the_candidates_start_from_the_gate(releases):
    """A hidden release never takes a candidate's place: the gate applies before the limit."""
    shown = releases["shown"]
    hidden = Release.objects.exclude(pk=shown.pk).filter(headline__startswith="Lusvertikimab", language="en")
    assert hidden.count() == 2  # the future one and the draft
    assert [r.slug for r in search(Release.objects.listed(), "lusvertikimab", ["en"])] == ["endpoint"]
