"""House styles, labels above the headline, listings by market and filings: each company's conventions, frozen."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from releases.checks import run_checks
from releases.models import Disclaimer, Filing, HouseStyle, Release
from releases.rendering import ReleaseContent, compose, content_from_release, render_page, render_text
from releases.rendering.outputs import pdf_html
from tests import factories as f

pytestmark = pytest.mark.django_db

HELSINKI_MORNING = dt.datetime(2020, 3, 2, 7, 0, tzinfo=dt.UTC)  # 9.00 in Helsinki, EET
NEW_YORK_MORNING = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)  # 8:00 in New York, EDT
PARIS_SUMMER = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)


def release_of(company, **fields):
    fields.setdefault("body", "<p>today announced results.</p>")
    return f.ReleaseFactory(company=company, **fields)


def dateline_of(release) -> str:
    return compose(content_from_release(release)).dateline


def test_uk_style_with_the_zone_in_parentheses():
    company = f.CompanyFactory(city="Espoo", country="Finland", time_zone="Europe/Helsinki")
    HouseStyle.objects.create(
        company=company, language="en", pattern="at", date_style="dmy", time_style="h.mm A", zone_in_parentheses=True
    )
    assert dateline_of(release_of(company, publication_at=HELSINKI_MORNING)) == (
        "Espoo, Finland, 2 March 2020 at 9.00 AM (EET) –"
    )


def test_us_wire_style_with_a_state_and_the_generic_zone():
    company = f.CompanyFactory(city="Cambridge", country="USA", time_zone="America/New_York")
    HouseStyle.objects.create(
        company=company,
        language="en",
        place="Cambridge, Mass.",
        pattern="wire",
        date_style="mdy",
        time_style="h:mm A",
        zone_style="generic",
    )
    assert dateline_of(release_of(company, publication_at=NEW_YORK_MORNING)) == (
        "Cambridge, Mass., March 10, 2025 -- 8:00 AM ET --"
    )


def test_french_with_and_without_le():
    company = f.CompanyFactory(city="Nantes", country="France")
    french = release_of(company, language="fr", publication_at=PARIS_SUMMER)
    assert dateline_of(french) == "Nantes, le 1er juillet 2024 – 7h30 CEST –"
    HouseStyle.objects.create(company=company, language="fr", pattern="dashes")
    assert dateline_of(french) == "Nantes – 1er juillet 2024 – 7h30 CEST –"


def test_two_cities_and_a_named_city_time():
    company = f.CompanyFactory(city="Paris", country="France")
    HouseStyle.objects.create(company=company, language="en", place="Paris and Boston", zone_style="city")
    release = release_of(company, publication_at=PARIS_SUMMER)
    assert dateline_of(release) == "Paris and Boston – July 1, 2024 – 7:30 am Paris time –"
    release.place = "Boston, Mass."
    release.save()
    assert dateline_of(release).startswith("Boston, Mass. – July 1, 2024")


def test_house_style_dates_reach_references_and_placeholders():
    company = f.CompanyFactory(time_zone="Europe/London", city="London", country="UK")
    HouseStyle.objects.create(company=company, language="en", date_style="dmy")
    release = release_of(company, publication_at=PARIS_SUMMER)
    f.ReferenceFactory(release=release, position=1, accessed_on=dt.date(2022, 10, 3))
    release.disclaimer_links.create(disclaimer=f.DisclaimerFactory(), position=0)
    composed = compose(content_from_release(release))
    assert composed.references[0].accessed == "accessed 3 October 2022"
    assert "filed with the AMF on 30 April 2024" in str(composed.disclaimers[0].html)
    assert composed.publication_date == "1 July 2024"


def test_a_later_style_change_leaves_a_frozen_release_as_it_was(writer, reviewer, fast_rendering):
    release = f.ready_release(writer, publication_at=PARIS_SUMMER)
    release = f.approved(writer, reviewer, release)
    page, content = release.snapshot.page_html, release.snapshot.content_json
    HouseStyle.objects.create(company=release.company, language="en", pattern="wire", date_style="iso")
    release.refresh_from_db()
    assert release.snapshot.page_html == page
    frozen = compose(ReleaseContent.from_json(content))
    assert frozen.dateline == "Lyon, France – July 1, 2024 – 7:30 am CEST –"
    assert dateline_of(release) == "Lyon, France, 2024-07-01 -- 7:30 am CEST --"


def test_content_frozen_before_house_styles_composes_as_it_did():
    """A snapshot without the keys issue 13 added: the language's defaults, "Press release", identifiers as then."""
    company = f.CompanyFactory(city="Nantes", country="France")
    f.ListingFactory(company=company, exchange="Euronext Paris", ticker="OSE", ticker_label="Mnemo")
    f.ListingFactory(company=company, exchange="Nasdaq", ticker="OSEI", ticker_label="Ticker", isin="US0378331005")
    data = content_from_release(release_of(company, publication_at=PARIS_SUMMER, language="fr")).to_json()
    for key in ("style", "label"):
        data.pop(key)
    for listing in data["listings"]:
        listing.pop("market"), listing.pop("identifier_format")
    old = compose(ReleaseContent.from_json(json.loads(json.dumps(data))))
    assert old.dateline == "Nantes, le 1er juillet 2024 – 7h30 CEST –"
    assert old.label == "Communiqué de presse"
    assert old.identifiers == (
        "(Euronext Paris\u00a0: ISIN FR0012127173, Mnemo OSE\u00a0; Nasdaq\u00a0: ISIN US0378331005, Ticker OSEI)"
    )


# -- the label above the headline ---------------------------------------------------------------------


def test_the_label_goes_on_the_page_the_pdf_the_text_the_feed_and_json_ld(client):
    company = f.CompanyFactory(labels=["press_release", "regulated_information"])
    release = f.published_release(company=company, category=Release.Category.REGULATED, slug="regulated", language="fr")
    composed = compose(content_from_release(release))
    assert composed.label == "Information réglementée"
    kicker = '<p class="release-kicker"><span class="kicker-label">Information réglementée</span>'
    assert kicker in render_page(composed)
    assert kicker in pdf_html(composed)
    assert render_text(composed).startswith("INFORMATION RÉGLEMENTÉE\n\n")
    assert composed.json_ld["articleSection"] == "Information réglementée"
    feed = client.get("/fr/feeds/rss.xml").content.decode()
    assert "<category>Information réglementée</category>" in feed


def test_the_label_follows_the_category_unless_one_is_chosen():
    company = f.CompanyFactory(labels=["company_announcement", "inside_information"])
    assert release_of(company).printed_label == "company_announcement"
    assert release_of(company, category="inside_information").printed_label == "inside_information"
    chosen = release_of(company, category="inside_information", label="company_announcement")
    assert chosen.printed_label == "company_announcement"
    with pytest.raises(ValidationError) as refused:
        release_of(company, label="regulated_information").full_clean()
    assert "does not use this label" in str(refused.value)


# -- listings by market --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listings", "expected"),
    [
        ([("Euronext Paris", "OSE", "FR0012127173")], "(ISIN: FR0012127173; Mnemo: OSE)"),
        ([("Nasdaq", "ACME", "")], "(Nasdaq: ACME)"),
        ([("AIM", "ACME", "GB00B03MLX29")], "(ISIN: GB00B03MLX29; AIM: ACME)"),
        (
            [("Euronext Growth Paris", "ALACM", "FR0012127173"), ("Nasdaq", "ACMX", "US0378331005")],
            "(Euronext Growth Paris: ISIN FR0012127173, Mnemo ALACM; Nasdaq: ACMX, ISIN US0378331005)",
        ),
        (
            [("SIX Swiss Exchange", "ACME", "CH0012032048"), ("Xetra", "ACM", "CH0012032048")],
            "(ISIN: CH0012032048; SIX: ACME; XETRA: ACM)",
        ),
    ],
)
def test_identifiers_per_market_with_a_shared_isin_printed_once(listings, expected):
    company = f.CompanyFactory()
    for position, (exchange, ticker, isin) in enumerate(listings):
        listing = f.ListingFactory.build(
            company=company, exchange=exchange, ticker=ticker, isin=isin, position=position
        )
        listing.full_clean()
        listing.save()
    assert compose(content_from_release(release_of(company))).identifiers == expected


def test_a_listing_may_have_its_own_format():
    company = f.CompanyFactory()
    f.ListingFactory(
        company=company, exchange="Nasdaq", ticker="ACME", isin="", identifier_format="Nasdaq CM: {ticker}"
    )
    assert compose(content_from_release(release_of(company))).identifiers == "(Nasdaq CM: ACME)"


# -- filings -------------------------------------------------------------------------------------------


def test_a_disclaimer_names_filings_by_kind():
    company = f.CompanyFactory(regulator="AMF")
    Filing.objects.create(
        company=company, kind="20-F", regulator="SEC", filed_on=dt.date(2024, 3, 20), fiscal_year=2023
    )
    disclaimer = f.DisclaimerFactory(
        body="<p>See our {filing:20-F} filed with the {filing_regulator:20-F} on {filing_date:20-F} "
        "for {filing_year:20-F}; we file with the {regulators}.</p>"
    )
    disclaimer.full_clean()
    release = release_of(company)
    release.disclaimer_links.create(disclaimer=disclaimer, position=0)
    assert str(compose(content_from_release(release)).disclaimers[0].html) == (
        "<p>See our Form 20-F filed with the SEC on March 20, 2024 for 2023; we file with the AMF and SEC.</p>"
    )


def test_an_unknown_filing_kind_is_refused_and_a_missing_filing_blocks():
    with pytest.raises(ValidationError) as refused:
        f.DisclaimerFactory.build(body="<p>{filing_date:10-KK}</p>").full_clean()
    assert "Kinds: registration_document, annual_report" in str(refused.value)
    release = release_of(f.CompanyFactory())
    release.disclaimer_links.create(disclaimer=f.DisclaimerFactory(body="<p>{filing_date:10-K}</p>"), position=0)
    assert ("filing_missing", "blocking") in [(c.code, c.level) for c in run_checks(release)]
    assert Disclaimer.objects.count() == 1
