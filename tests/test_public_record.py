"""The snapshot is the whole public record: editing the company afterwards changes no public byte.

Page, PDF, lists, feeds, sitemap, search, the public API and its renders, file names and logo all read
what approval froze; the crawl fetches every same-site address they name, the logo included.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from releases.models import Release
from tests import factories
from tests.crawling import body_and_headers, crawl

pytestmark = pytest.mark.django_db


def start_urls(english: Release, french: Release) -> list[str]:
    return [
        "/",
        "/fr/",
        "/?language=all",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/fr/feeds/rss.xml",
        "/sitemap.xml",
        "/search/?q=lusvertikimab",
        "/fr/search/?q=lusvertikimab",
        english.get_absolute_url(),
        english.get_pdf_url(),
        french.get_absolute_url(),
        french.get_pdf_url(),
        "/api/v1/public/releases/",
        *(f"/api/v1/public/releases/{english.pk}/{render}/" for render in ("", "page", "fragment", "text", "pdf")),
    ]


def public_bytes(client, urls) -> dict[str, str]:
    return {path: body_and_headers(response) for path, response in crawl(client, urls).items()}


def test_editing_every_company_field_afterwards_changes_no_public_byte(client, demo, settings, tmp_path):
    settings.PUBLIC_CACHE_SECONDS = 0
    french = Release.objects.get(translation_group=demo.translation_group, language="fr")
    urls = start_urls(demo, french)
    before = public_bytes(client, urls)
    assert len(before) >= 20
    assert any(path.startswith("/media/logos/") for path in before), "the crawl reaches the logo"

    company = demo.company
    buffer = io.BytesIO()
    Image.new("RGB", (40, 10), "red").save(buffer, "PNG")
    company.logo.save("new-logo.png", SimpleUploadedFile("new-logo.png", buffer.getvalue()), save=False)
    values = {
        "legal_name": "Renamed Therapeutics SE",
        "short_name": "Renamed",
        "slug": "renamed",
        "lei": "529900T8BM49AURSDO55",
        "website": "https://renamed.example",
        "city": "Lyon",
        "country": "Italy",
        "translations": {"fr": {"city": "Lyon", "country": "Italie"}},
        "labels": ["company_announcement", "regulated_information"],
        "time_zone": "America/New_York",
        "twitter_url": "https://twitter.com/renamed",
        "linkedin_url": "https://www.linkedin.com/company/renamed/",
        "regulator": "SEC",
        "registration_document_filed_on": dt.date(2026, 3, 1),
        "registration_document_fiscal_year": 2025,
    }
    # Every field a person can change is changed (the logo above; ids and timestamps are not theirs to change).
    editable = {f.name for f in company._meta.concrete_fields} - {"id", "created_at", "updated_at", "logo"}
    assert editable == set(values), editable ^ set(values)
    for name, value in values.items():
        setattr(company, name, value)
    company.save()
    listing = company.listings.get()
    listing.ticker, listing.isin, listing.exchange = "RNMD", "US0378331005", "Nasdaq"
    listing.save()
    factories.ListingFactory(company=company, exchange="Euronext Growth", ticker="ALRNM")
    for filing in company.filings.all():
        filing.title, filing.filed_on, filing.regulator = "Annual report 2025", dt.date(2026, 3, 1), "SEC"
        filing.save()

    after = public_bytes(client, urls)

    assert after.keys() == before.keys()
    changed = [path for path in before if before[path] != after[path]]
    assert changed == []
