"""Search: public releases only, matches highlighted and escaped, long queries cut short, PG full text indexed."""

import datetime as dt
import time

import pytest
from django.db import connection

from releases.models import Release
from releases.search import MAX_QUERY_CHARS, clean_query, search, search_vector
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
def test_postgres_search_uses_the_gin_index_of_its_language(releases):
    from django.contrib.postgres.search import SearchQuery

    query = (
        Release.objects.filter(language="en")
        .annotate(v=search_vector("en"))
        .filter(v=SearchQuery("trial", config="english", search_type="websearch"))
    )
    company = releases["shown"].company
    Release.objects.bulk_create(
        Release(company=company, language="en", headline=f"Update {n}", slug=f"update-{n}", body="<p>News.</p>")
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE releases_release")
        plan = query.explain()
    assert "release_search_en_gin" in plan
