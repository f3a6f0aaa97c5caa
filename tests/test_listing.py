"""Lists without counting: the index, search and the public API page through releases without a COUNT over the
archive, the year facet comes from the kept aggregate, and a search stops counting at its bound ("1,000+")."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases import listing, services
from releases.models import Release
from tests import factories
from tests.factories import published_release

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/releases/"


@pytest.fixture
def uncached(settings):
    """Kept answers off: every request reaches the view and the database."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def archive():
    """21 English releases over two years, one French one."""
    return factories.published_archive(21, first_year=2022, regulated_every=7)


def counts_of_releases(queries) -> list[str]:
    """The queries that count releases or list their years: none may run once the aggregate is kept."""
    return [
        q["sql"]
        for q in queries
        if "releases_release" in q["sql"] and re.search(r"COUNT\(|DISTINCT|django_date_trunc|DATE_TRUNC", q["sql"])
    ]


def result_count(response) -> str:
    return re.search(r'<p class="result-count" role="status">([^<]*)</p>', response.content.decode()).group(1)


def test_the_index_neither_counts_releases_nor_scans_them_for_its_years(client, archive, uncached):
    client.get("/")  # computes the aggregate once
    for path in ["/", "/?page=2", "/?year=2023", "/?category=regulated", "/?language=all"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert counts_of_releases(queries) == [], path
    body = client.get("/").content.decode()
    assert "21 releases" in body and "Page 1 of 2" in body
    assert re.findall(r'<option value="(\d{4})"', body) == ["2023", "2022"]


def test_a_page_is_read_as_one_more_row_than_it_shows(client, archive, uncached):
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    listing_query = next(q["sql"] for q in queries if '"releases_release"."headline"' in q["sql"])
    assert "LIMIT 21" in listing_query
    assert 'rel="next"' in client.get("/").content.decode()
    assert 'rel="next"' not in client.get("/?page=2").content.decode()
    Release.objects.filter(slug="news-0").delete()  # 20 left: one page, no next
    body = client.get("/").content.decode()
    assert "20 releases" in body and 'rel="next"' not in body and "Page 1 of" not in body


def test_the_counts_follow_a_publication_and_a_withdrawal_at_once(client, archive, uncached, publisher):
    assert result_count(client.get("/")) == "21 releases"
    release = published_release(company=archive, headline="Fresh", slug="fresh")
    assert result_count(client.get("/")) == "22 releases"
    services.release_withdraw(release=release, user=publisher, notice="Withdrawn.")
    assert result_count(client.get("/")) == "21 releases"


def test_a_draft_saved_leaves_the_kept_counts_alone(client, archive, uncached):
    client.get("/")
    draft = factories.ReleaseFactory(company=archive, headline="Draft", slug="draft")
    draft.headline = "Draft, edited"
    draft.save()
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not any("GROUP BY" in q["sql"] for q in queries), "the aggregate was not computed again"


def test_a_scheduled_release_joins_the_counts_at_its_moment(client, archive, uncached):
    moment = timezone.now().replace(microsecond=0) + dt.timedelta(seconds=30)
    published_release(company=archive, headline="Due", slug="due", at=moment)
    assert result_count(client.get("/")) == "21 releases"
    with mock.patch("django.utils.timezone.now", return_value=moment - dt.timedelta(seconds=1)):
        assert result_count(client.get("/")) == "21 releases"
    with mock.patch("django.utils.timezone.now", return_value=moment):
        response = client.get("/")
    assert result_count(response) == "22 releases"
    assert "Due" in response.content.decode()


def test_the_aggregate_counts_what_the_lists_list():
    company = factories.CompanyFactory()
    published_release(company=company, slug="a", at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC))
    published_release(company=company, slug="b", at=dt.datetime(2021, 12, 31, 23, 59, tzinfo=dt.UTC), language="fr")
    published_release(company=company, slug="gone", status=Release.Status.WITHDRAWN)
    published_release(company=company, slug="later", at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    factories.ReleaseFactory(company=company, slug="draft")
    counts = listing.compute()
    assert listing.count(values=counts) == Release.objects.listed().count() == 2
    assert listing.count(["en"], year=2021, values=counts) == 1
    assert listing.years(["en", "fr"], values=counts) == [2021]
    assert listing.count(["en", "fr"], company=company.pk, values=counts) == 2
    assert listing.count(["en", "fr"], status="corrected", values=counts) == 0


def test_search_stops_counting_at_its_bound_and_says_so(client, monkeypatch, uncached):
    company = factories.CompanyFactory()
    for n in range(5):
        published_release(company=company, headline=f"Colitis update {n}", slug=f"colitis-{n}")
    assert result_count(client.get("/search/?q=colitis")) == "5 releases"
    monkeypatch.setattr("releases.search.MAX_CANDIDATES", 3)
    assert result_count(client.get("/search/?q=colitis")) == "3+ releases"
    assert result_count(client.get("/fr/search/?q=colitis&language=en")) == "Plus de 3 communiqués"


def test_counts_are_written_the_interface_languages_way(client, monkeypatch, uncached):
    company = factories.CompanyFactory()
    published_release(company=company, headline="Colitis update", slug="colitis", language="fr")
    monkeypatch.setattr("releases.listing.count", lambda *args, **kwargs: 12345)
    assert result_count(client.get("/?language=fr")) == "12,345 releases"
    assert result_count(client.get("/fr/")) == "12\u00a0345 communiqués"


# -- the public API --------------------------------------------------------------------------------------


def test_the_public_api_pages_without_counting_and_keeps_its_links(client, archive, uncached):
    client.get(PUBLIC)  # computes the aggregate once
    for query in [
        {},
        {"language": "fr"},
        {"category": "regulated", "page": 2, "page_size": 1},
        {"status": "corrected"},
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PUBLIC, query)
        assert response.status_code == 200, query
        assert counts_of_releases(queries) == [], query
    first = client.get(PUBLIC, {"page_size": 10}).json()
    assert (first["count"], first["count_exact"], first["previous"]) == (22, True, None)
    assert first["next"] == "http://testserver/api/v1/public/releases/?page=2&page_size=10"
    last = client.get(PUBLIC, {"page_size": 10, "page": 3}).json()
    assert last["next"] is None and len(last["results"]) == 2
    assert last["previous"] == "http://testserver/api/v1/public/releases/?page=2&page_size=10"
    assert client.get(PUBLIC, {"page_size": 10, "page": "last"}).json()["results"] == last["results"]
    assert client.get(PUBLIC, {"page_size": 10, "page": 4}).status_code == 404


def test_other_filters_count_up_to_a_bound(client, archive, uncached, monkeypatch):
    data = client.get(PUBLIC, {"published_from": "2023-06-01"}).json()
    assert (data["count"], data["count_exact"]) == (len(data["results"]), True)
    monkeypatch.setattr("releases.api.pagination.PublicPagination.COUNT_BOUND", 5)
    with CaptureQueriesContext(connection) as queries:
        data = client.get(PUBLIC, {"search": "News", "page_size": 4}).json()
    assert (data["count"], data["count_exact"]) == (5, False)
    assert data["next"] is not None, "paging goes on past the bound"
    count = next(q["sql"] for q in queries if "COUNT(" in q["sql"])
    assert "LIMIT 6" in count, "the matches are counted up to the bound, not all of them"


def test_the_schema_documents_the_count(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    page = schema["components"]["schemas"]["PaginatedPublicReleaseList"]
    assert page["required"] == ["count", "count_exact", "next", "previous", "results"]
    assert page["properties"]["count_exact"]["type"] == "boolean"
    assert "lower bound" in page["properties"]["count_exact"]["description"]


def test_a_deep_page_finds_its_rows_ids_first_and_shows_the_same_rows(client, archive, uncached, monkeypatch):
    shallow_index = client.get("/?page=2").content
    shallow_api = client.get(PUBLIC, {"page": 3, "page_size": 5}).json()
    monkeypatch.setattr("releases.listing.DEEP_OFFSET", 5)
    with CaptureQueriesContext(connection) as queries:
        deep_index = client.get("/?page=2").content
    ids = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "releases_release"."id"'))
    assert "LIMIT 21 OFFSET 20" in ids
    assert deep_index == shallow_index
    assert client.get(PUBLIC, {"page": 3, "page_size": 5}).json() == shallow_api
