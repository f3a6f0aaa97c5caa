"""Models: their constraints, validation and small properties."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from releases.models import Disclaimer, Listing, Phase, Release
from releases.placeholders import fill

from .factories import (
    AssetSentenceFactory,
    BoilerplateBlockFactory,
    CompanyAboutFactory,
    CompanyFactory,
    DisclaimerFactory,
    ListingFactory,
    ProgramFactory,
    ReferenceFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def test_slug_is_unique_per_language_but_may_repeat_across_languages():
    release = ReleaseFactory(slug="results", language="en")
    ReleaseFactory(slug="results", language="fr", company=release.company)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseFactory(slug="results", language="en", company=release.company)


def test_a_release_needs_a_headline_and_a_slug_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseFactory(headline="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseFactory(slug="")


def test_a_frozen_release_must_have_a_publication_moment():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseFactory(status=Release.Status.APPROVED, publication_at=None)


def test_reference_numbers_start_at_one_and_are_unique_per_release():
    reference = ReferenceFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(release=reference.release, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(release=reference.release, position=0)


def test_isin_check_digit_is_verified():
    listing = ListingFactory.build(company=CompanyFactory(), isin="FR0012127173")
    listing.full_clean()
    listing.isin = "FR0012127174"
    with pytest.raises(ValidationError) as error:
        listing.full_clean()
    assert "check digit" in str(error.value)


def test_an_unknown_time_zone_is_refused():
    company = CompanyFactory.build(time_zone="Europe/Nantes")
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "time zone" in str(error.value.message_dict["time_zone"])


def test_a_disclaimer_naming_an_unknown_placeholder_is_refused_when_saved():
    disclaimer = DisclaimerFactory.build(body="<p>Filed on {filing_date}.</p>")
    with pytest.raises(ValidationError) as error:
        disclaimer.full_clean()
    assert "Unknown placeholder {filing_date}" in error.value.message_dict["body"][0]


def test_a_stray_brace_in_a_disclaimer_is_refused():
    disclaimer = DisclaimerFactory.build(body="<p>Filed on {registration_document_date.</p>")
    with pytest.raises(ValidationError) as error:
        disclaimer.full_clean()
    assert "brace" in error.value.message_dict["body"][0]


def test_company_about_may_name_the_generated_lists_but_a_topic_block_may_not():
    about = CompanyAboutFactory.build(company=CompanyFactory())
    about.full_clean()
    topic = BoilerplateBlockFactory.build(company=about.company, body="<p>{pipeline}</p>")
    with pytest.raises(ValidationError):
        topic.full_clean()


def test_disclaimer_placeholders_fill_with_the_company_values_per_language():
    company = CompanyFactory(short_name="Acme", regulator="AMF")
    disclaimer = DisclaimerFactory(body="<p>{company} filed with the {regulator} on {registration_document_date}.</p>")
    assert (
        fill(disclaimer.body, company.placeholder_values("en")) == "<p>Acme filed with the AMF on April 30, 2024.</p>"
    )
    assert fill(disclaimer.body, company.placeholder_values("fr")) == "<p>Acme filed with the AMF on 30 avril 2024.</p>"


def test_placeholder_values_are_escaped_in_html():
    company = CompanyFactory(short_name="R&D <Pharma>")
    assert fill("<p>{company}</p>", company.placeholder_values("en")) == "<p>R&amp;D &lt;Pharma&gt;</p>"


def test_asset_sentence_reads_the_phase_of_the_named_program():
    program = ProgramFactory(phase=Phase.PHASE_2, indication="Ulcerative colitis")
    sentence = AssetSentenceFactory(asset=program.asset, text="<p>{name}: ongoing {phase:1} in {indication:1}.</p>")
    sentence.full_clean()
    labels = [str(Phase(p.phase).label) for p in program.asset.programs.all()]
    assert fill(
        sentence.text, {"name": program.asset.name}, {"phase": labels, "indication": ["Ulcerative colitis"]}
    ) == (f"<p>{program.asset.name}: ongoing Phase 2 in Ulcerative colitis.</p>")


def test_rich_text_is_sanitised_on_save_even_without_full_clean():
    release = ReleaseFactory(
        body='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>'
        '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
    )
    release.refresh_from_db()
    assert release.body == '<p>Hi <a rel="noopener">x</a></p>'


def test_phases_are_ordered_from_preclinical_to_approved():
    assert sorted(Phase, key=int) == [
        Phase.PRECLINICAL, Phase.PHASE_1, Phase.PHASE_1A, Phase.PHASE_1B, Phase.PHASE_1_2, Phase.PHASE_2,
        Phase.PHASE_2A, Phase.PHASE_2B, Phase.PHASE_2_3, Phase.PHASE_3, Phase.FILED, Phase.APPROVED,
    ]  # fmt: skip


def test_release_addresses_carry_the_language_prefix():
    en = ReleaseFactory(slug="results", language="en")
    fr = ReleaseFactory(slug="resultats", language="fr", company=en.company)
    assert en.get_absolute_url() == "/releases/results/"
    assert fr.get_absolute_url() == "/fr/releases/resultats/"
    assert en.get_pdf_url() == "/releases/results.pdf"


def test_listing_is_unique_per_exchange_and_ticker():
    listing = ListingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Listing.objects.create(
            company=listing.company, exchange=listing.exchange, ticker=listing.ticker, isin=listing.isin
        )


def test_string_forms_are_readable():
    disclaimer = DisclaimerFactory(title="Forward-looking statements", language="en")
    assert str(disclaimer) == "Forward-looking statements [en]"
    assert Disclaimer.Kind.FORWARD_LOOKING.label == "Forward-looking statements"
