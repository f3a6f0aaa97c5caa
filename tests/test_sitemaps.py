"""The sitemap index: /sitemap.xml names paged sitemaps, and every listed release is on one of its pages."""

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from releases.models import Release
from releases.sitemaps import ReleaseSitemap
from tests import factories
from tests.factories import published_release

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the site's own output


def local(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "http://127.0.0.1:8000", url  # SITE_URL, never the request's host
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_pages(client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"] == "application/xml"
    root = parse(index.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [local(loc.text) for loc in root.findall("s:sitemap/s:loc", NS)]


def sitemap_urls(client) -> dict[str, str]:
    """Every address of every page the index names, with its lastmod."""
    urls = {}
    for page in sitemap_pages(client):
        response = client.get(page)
        assert response.status_code == 200, page
        for url in parse(response.content).findall("s:url", NS):
            loc = url.findtext("s:loc", namespaces=NS)
            assert loc not in urls, f"{loc} twice"
            urls[loc] = url.findtext("s:lastmod", namespaces=NS)
    return urls


def test_the_index_pages_the_releases_and_every_listed_one_is_reachable(client, monkeypatch):
    monkeypatch.setattr(ReleaseSitemap, "limit", 3)
    company = factories.CompanyFactory()
    start = dt.datetime(2024, 1, 1, 8, tzinfo=dt.UTC)
    for n in range(8):
        published_release(company=company, slug=f"release-{n}", at=start + dt.timedelta(days=n))
    published_release(company=company, slug="not-yet", at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    published_release(company=company, slug="withdrawn", status=Release.Status.WITHDRAWN)

    pages = sitemap_pages(client)
    assert pages == [
        "/sitemap-newsroom.xml",
        "/sitemap-releases.xml",
        "/sitemap-releases.xml?p=2",
        "/sitemap-releases.xml?p=3",
    ]
    urls = sitemap_urls(client)
    releases = {u for u in urls if "/releases/" in u}
    assert releases == {f"http://127.0.0.1:8000/releases/release-{n}/" for n in range(8)}
    # Oldest first: a page keeps its addresses as new releases arrive.
    first = parse(client.get("/sitemap-releases.xml").content)
    assert [u.findtext("s:loc", namespaces=NS)[-11:] for u in first.findall("s:url", NS)] == [
        "/release-0/",
        "/release-1/",
        "/release-2/",
    ]


def test_the_index_gives_each_sitemap_its_latest_lastmod(client):
    published_release(slug="one", at=dt.datetime(2024, 3, 1, 8, tzinfo=dt.UTC))
    published_release(slug="two", at=dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC))
    root = parse(client.get("/sitemap.xml").content)
    lastmods = {
        local(s.findtext("s:loc", namespaces=NS)): s.findtext("s:lastmod", namespaces=NS)
        for s in root.findall("s:sitemap", NS)
    }
    assert lastmods["/sitemap-releases.xml"].startswith("2024-06-01")


def test_the_index_costs_a_few_queries_whatever_the_number_of_releases(client, django_assert_max_num_queries):
    company = factories.CompanyFactory()
    for n in range(30):
        published_release(company=company, slug=f"r-{n}")
    with django_assert_max_num_queries(6):
        assert client.get("/sitemap.xml").status_code == 200


def test_a_page_past_the_end_and_an_unknown_sitemap_are_404(client):
    published_release(slug="only")
    assert client.get("/sitemap-releases.xml?p=2").status_code == 404
    assert client.get("/sitemap-releases.xml?p=x").status_code == 404
    assert client.get("/sitemap-drafts.xml").status_code == 404
