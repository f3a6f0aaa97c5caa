"""The newsroom index, its filters and pagination, brief caching, page metadata and the release page's HTTP."""

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from releases.http import hreflang_link_header
from releases.models import Release
from releases.rendering.outputs import composed_from
from releases.selectors import public_translations
from tests import factories
from tests.factories import published_release

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'class="release-item-title" id="r-\d+"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def many():
    company = factories.CompanyFactory()
    for n in range(25):
        published_release(
            company=company,
            headline=f"News {n:02d}",
            slug=f"news-{n}",
            at=dt.datetime(2023 + n % 2, 1 + n % 12, 1, 8, tzinfo=dt.UTC),
            category=Release.Category.REGULATED if n % 5 == 0 else Release.Category.NON_REGULATED,
        )
    published_release(company=company, headline="Nouvelle", slug="nouvelle", language="fr")
    return company


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
    assert first["Cache-Control"] == "public, max-age=30"
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


@pytest.fixture
def composed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    company = factories.CompanyFactory(
        legal_name="Acme Biotech SA",
        short_name="Acme",
        logo=SimpleUploadedFile("acme.png", b"\x89PNG"),
        twitter_url="https://x.com/acme",
    )
    factories.ListingFactory(company=company, ticker="ACME", isin="FR0012127173", exchange="Euronext Paris")
    release = factories.ReleaseFactory(
        company=company,
        headline="Acme </script><b>results",
        subheadline="Phase 2 met its endpoint",
        slug="acme-results",
        publication_at=dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC),
    )
    return release, composed_from(release)


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_release_metadata_has_canonical_opengraph_twitter_and_news_article(composed):
    release, r = composed
    html = render_to_string("newsroom/includes/release_meta.html", {"r": r})
    url = "http://127.0.0.1:8000/releases/acme-results/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Acme &lt;/script&gt;&lt;b&gt;results">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'<meta property="og:image" content="http://127.0.0.1:8000/media/{release.company.logo.name}">' in html
    assert html.count("</script>") == 1, "the headline cannot close the JSON-LD script"
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Acme </script><b>results"
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == data["dateModified"] == "2024-07-01T07:30:00+02:00"
    assert data["mainEntityOfPage"]["@id"] == url
    publisher = data["publisher"]
    assert publisher["name"] == "Acme Biotech SA"
    assert publisher["logo"]["url"] == f"http://127.0.0.1:8000/media/{release.company.logo.name}"
    assert publisher["tickerSymbol"] == ["Euronext Paris ACME"]
    assert {"@type": "PropertyValue", "propertyID": "ISIN", "value": "FR0012127173"} in publisher["identifier"]
    assert publisher["sameAs"] == ["https://x.com/acme"]


def test_a_correction_is_modified_at_its_moment_and_published_at_the_first(composed):
    earlier, _ = composed
    Release.objects.filter(pk=earlier.pk).update(status=Release.Status.CORRECTED)
    correction = factories.ReleaseFactory(
        company=earlier.company,
        corrects=earlier,
        headline="Acme results (corrected)",
        slug="acme-results-corrected",
        translation_group=earlier.translation_group,
        publication_at=dt.datetime(2024, 7, 2, 6, 0, tzinfo=dt.UTC),
    )
    data = json_ld(render_to_string("newsroom/includes/release_meta.html", {"r": composed_from(correction)}))
    assert data["datePublished"] == "2024-07-01T07:30:00+02:00"
    assert data["dateModified"] == "2024-07-02T08:00:00+02:00"
