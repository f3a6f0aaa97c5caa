"""RSS 2.0 and Atom feeds per language, sitemap.xml with lastmod, robots.txt naming the sitemap."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from releases.models import Release
from tests import factories
from tests.factories import published_release

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the site's own output


@pytest.fixture
def releases():
    company = factories.CompanyFactory(short_name="Acme Biotech")
    first = published_release(
        company=company, headline="First results", slug="first", at=dt.datetime(2024, 3, 1, 8, tzinfo=dt.UTC)
    )
    second = published_release(
        company=company,
        headline="Second results",
        subheadline="Better than the first",
        slug="second",
        at=dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC),
    )
    french = published_release(company=company, headline="Résultats", slug="resultats", language="fr")
    published_release(company=company, headline="Not yet", slug="not-yet", at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    published_release(company=company, headline="Withdrawn", slug="withdrawn", status=Release.Status.WITHDRAWN)
    factories.ReleaseFactory(company=company, headline="Draft", slug="draft")
    return {"first": first, "second": second, "french": french}


def test_rss_lists_public_releases_of_its_language_latest_first(client, releases):
    response = client.get("/feeds/rss.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response.content).find("channel")
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Second results", "First results"]
    assert items[0].findtext("link") == "http://127.0.0.1:8000/releases/second/"
    assert items[0].findtext("description") == "Better than the first"
    assert items[0].findtext("pubDate") == "Sat, 01 Jun 2024 08:00:00 +0000"
    # The PDF at the address naming its bytes (kept a year by readers and CDNs).
    digest = releases["second"].snapshot.pdf_sha256[:16]
    assert items[0].find("enclosure").get("url") == f"http://127.0.0.1:8000/releases/second/{digest}.pdf"


def test_atom_feed_in_french_lists_only_french_releases(client, releases):
    response = client.get("/fr/feeds/atom.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Résultats"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://127.0.0.1:8000/fr/releases/resultats/"
    assert entries[0].findtext(f"{ATOM}updated") == "2024-07-01T05:30:00+00:00"


def test_feeds_are_cached_for_thirty_seconds_at_most(client, releases):
    for path in ["/feeds/rss.xml", "/fr/feeds/atom.xml", "/sitemap.xml", "/"]:
        assert client.get(path)["Cache-Control"] == "public, max-age=30, s-maxage=30", path


def test_sitemap_lists_the_indexes_and_every_listed_release_of_both_languages_with_lastmod(client, releases):
    from tests.test_sitemaps import sitemap_urls

    assert sitemap_urls(client) == {
        "http://127.0.0.1:8000/": "2024-06-01",
        "http://127.0.0.1:8000/fr/": "2024-07-01",
        "http://127.0.0.1:8000/releases/second/": "2024-06-01",
        "http://127.0.0.1:8000/releases/first/": "2024-03-01",
        "http://127.0.0.1:8000/fr/releases/resultats/": "2024-07-01",
    }


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_every_newsroom_page_links_the_feeds_of_both_languages(client, releases):
    body = client.get("/search/?q=results").content.decode()
    for href in ["/feeds/rss.xml", "/feeds/atom.xml", "/fr/feeds/rss.xml", "/fr/feeds/atom.xml"]:
        assert f'href="{href}"' in body
    assert '<link rel="alternate" type="application/rss+xml" title="Press releases (RSS, en)"' in body
