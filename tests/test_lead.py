"""The lead: dateline, issuer and identifiers join the first paragraph however the writer began it."""

import datetime as dt

import pytest

from releases.rendering import compose, content_from_release
from releases.rendering.lead import INSIDE, NAME, SEPARATE, join_lead
from tests import factories as f

SUMMER = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)  # 7:30 in Paris, CEST
LEAD = (
    '<span class="dateline">Nantes, France – July 1, 2024 – 7:30 am CEST –</span> '
    '<span class="issuer">OSE Immunotherapeutics SA</span> '
    '<span class="identifiers">(ISIN: FR0012127173; Mnemo: OSE)</span>'
)
FR_LEAD = (
    '<span class="dateline">Nantes, le 1er juillet 2024 – 7h30 CEST –</span> '
    '<span class="issuer">OSE Immunotherapeutics SA</span> '
    '<span class="identifiers">(ISIN\u00a0: FR0012127173\u00a0; Mnemo\u00a0: OSE)</span>'
)


@pytest.fixture
def company(db):
    company = f.CompanyFactory(
        legal_name="OSE Immunotherapeutics SA",
        short_name="OSE Immunotherapeutics",
        city="Nantes",
        country="France",
        translations={"fr": {"city": "Nantes"}},
    )
    f.ListingFactory(company=company, exchange="Euronext Paris", ticker="OSE", isin="FR0012127173")
    return company


def body_of(company, body: str, language: str = "en") -> str:
    release = f.ReleaseFactory(company=company, language=language, publication_at=SUMMER, body=body)
    return str(compose(content_from_release(release)).body_html)


@pytest.mark.parametrize(
    "written",
    [
        "<p>OSE Immunotherapeutics today announced results.</p>",
        "<p>OSE Immunotherapeutics SA today announced results.</p>",
        "<p><strong>OSE Immunotherapeutics</strong> today announced results.</p>",
        # A dateline the writer typed, with the slips wire editors catch (1st, CET in July): the composed one wins.
        "<p>Nantes, France – July 1st, 2024 – 7:30 am CET – OSE Immunotherapeutics today announced results.</p>",
        "<p>Nantes, France - July 1, 2024 - OSE Immunotherapeutics today announced results.</p>",
        # The verb first, as before.
        "<p>today announced results.</p>",
    ],
)
def test_a_body_that_opens_on_the_name_a_dateline_or_the_verb_prints_the_name_once(company, written):
    assert body_of(company, written) == f"<p>{LEAD} today announced results.</p>"


def test_the_writers_own_identifiers_after_the_name_are_not_printed_twice(company):
    body = body_of(company, "<p>OSE Immunotherapeutics (Euronext Paris: OSE), a biotech company, today announced.</p>")
    assert body == (
        '<p><span class="dateline">Nantes, France – July 1, 2024 – 7:30 am CEST –</span> '
        '<span class="issuer">OSE Immunotherapeutics SA</span> (Euronext Paris: OSE), a biotech company, today '
        "announced.</p>"
    )


def test_a_comma_after_the_name_follows_the_identifiers(company):
    body = body_of(company, "<p>OSE Immunotherapeutics, a biotech company, today announced.</p>")
    assert body == f"<p>{LEAD}, a biotech company, today announced.</p>"


def test_a_french_body_that_opens_on_its_own_dateline_and_the_name(company):
    written = (
        "<p>Nantes, le 1er juillet 2024 – 7h30 CEST – OSE Immunotherapeutics annonce aujourd’hui des résultats.</p>"
    )
    assert body_of(company, written, "fr") == f"<p>{FR_LEAD} annonce aujourd’hui des résultats.</p>"


def test_a_first_paragraph_that_cannot_carry_the_lead_gets_it_as_a_line_of_its_own(company):
    assert (
        body_of(company, "<p>The company reports.</p>") == f'<p class="lead-line">{LEAD}</p><p>The company reports.</p>'
    )
    assert body_of(company, "<ul><li>A list first</li></ul>") == (
        f'<p class="lead-line">{LEAD}</p><ul><li>A list first</li></ul>'
    )


def test_a_name_that_merely_starts_like_the_company_is_not_the_company():
    lead = join_lead(
        "<p>Acme Biotechnologies reports.</p>", dateline_html="D", issuer_html="I", names=("Acme Biotech",)
    )
    assert (lead.how, lead.opening) == (SEPARATE, "Acme Biotechnologies reports.")


def test_how_the_lead_was_joined_is_told():
    kwargs = {"dateline_html": "D", "issuer_html": "I", "names": ("Acme",), "places": ("Lyon",)}
    assert join_lead("<p>today said.</p>", **kwargs).how == INSIDE
    assert join_lead("<p>Acme said.</p>", **kwargs).how == NAME
    typed = join_lead("<p>Lyon, France – 3 March 2025 – Acme said.</p>", **kwargs)
    assert (typed.how, typed.typed_dateline, typed.body) == (NAME, "Lyon, France – 3 March 2025 –", "<p>D I said.</p>")
    # A place that is not the company's city is not taken for a dateline.
    assert join_lead("<p>Paris, France – 3 March 2025 – Acme said.</p>", **kwargs).how == SEPARATE
