"""The rules a release must pass before review: blocking checks stop a submission, warnings inform."""

import datetime as dt

import pytest

from releases import services
from releases.checks import BLOCKING, cited_numbers, forward_looking_words, run_checks, weekday_mismatches
from releases.models import Disclaimer, Release, ReleaseContact, ReleaseDisclaimer, ReleaseTopic
from releases.rendering.content import (
    BlockData,
    ContactData,
    DisclaimerData,
    ReferenceData,
    ReleaseContent,
    company_data,
)
from releases.services import WorkflowError
from tests import factories


def codes(checks) -> list[tuple[str, str, str]]:
    return [(c.code, c.level, c.field) for c in checks]


def content(**overrides) -> ReleaseContent:
    values = {
        "company": company_data(
            factories.CompanyFactory.build(short_name="Acme Biotech", legal_name="Acme Biotech SA"),
            overrides.get("language", "en"),
        ),
        "language": "en",
        "headline": "Acme Biotech reports results",
        "publication_at": dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC),
        "body": "<p>Acme Biotech today reported results.</p>",
        "contacts": [ContactData(kind="media", kind_label="Media", name="Camille")],
    }
    values.update(overrides)
    return ReleaseContent(**values)


FLS = DisclaimerData(kind="forward_looking", title="Forward-looking statements", body="<p>…</p>")


def test_a_complete_release_passes():
    assert run_checks(content()) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The company expects results.", ["expects"]),
        ("We ANTICIPATE and believe it could work.", ["ANTICIPATE", "believe", "could"]),
        ("Data will follow; we intend to file.", ["will", "intend"]),
        ("La société prévoit de déposer et devrait obtenir", ["prévoit", "devrait"]),
        ("Elle s’attend à des résultats et vise 2025.", ["s’attend", "vise"]),
        ("Results were reported in May 2024 and on 15 May.", []),
        ("The planet and the willow were estimated", ["estimated"]),
    ],
)
def test_forward_looking_words_are_found_on_word_boundaries(text, words):
    assert forward_looking_words(text) == words


# One sentence per content language that looks ahead, and one that reports what happened.
AHEAD_AND_DONE = {
    "de": ("Das Unternehmen erwartet die Zulassung 2026.", "Die Studie erreichte ihren primären Endpunkt."),
    "it": ("La società prevede di presentare la domanda nel 2026.", "Lo studio ha raggiunto l’endpoint primario."),
    "es": ("La compañía espera obtener la aprobación en 2026.", "El ensayo alcanzó su criterio principal."),
    "nl": ("Het bedrijf verwacht de goedkeuring in 2026.", "De studie bereikte het primaire eindpunt."),
    "sv": ("Bolaget förväntar sig ett godkännande 2026.", "Studien nådde sitt primära effektmått."),
    "fi": ("Odotamme aloittavamme vaiheen 2b tutkimuksen.", "Tutkimus saavutti ensisijaisen päätetapahtumansa."),
    "da": ("Selskabet forventer godkendelse i 2026.", "Studiet nåede sit primære endepunkt."),
}


@pytest.mark.parametrize("language", sorted(AHEAD_AND_DONE))
def test_forward_looking_wording_is_read_in_every_content_language(language):
    ahead, done = AHEAD_AND_DONE[language]
    assert forward_looking_words(ahead, language), ahead
    assert forward_looking_words(done, language) == [], done
    assert forward_looking_words(ahead) == []  # another language's words are not read in English or French
    release = content(language=language, body=f"<p>{ahead}</p>")
    assert ("forward_looking_without_disclaimer", "blocking", "disclaimers") in codes(run_checks(release))


def test_forward_looking_wording_in_the_body_or_a_topic_block_needs_the_disclaimer():
    in_body = run_checks(content(body="<p>Acme Biotech said: we <em>expect</em> approval.</p>"))
    in_block = run_checks(content(topics=[BlockData(title="About X", body="<p>Il devrait guérir.</p>")]))
    with_fls = run_checks(content(body="<p>Acme Biotech said: we expect approval.</p>", disclaimers=[FLS]))

    expected = [("forward_looking_without_disclaimer", "blocking", "disclaimers")]
    assert codes(in_body) == codes(in_block) == expected
    assert in_body[0].message == (
        "The release uses forward-looking wording (“expect”), so it needs a forward-looking statements disclaimer. "
        "Add one under Disclaimers."
    )
    assert with_fls == []


def test_a_forward_looking_disclaimer_without_such_wording_is_a_warning():
    assert codes(run_checks(content(disclaimers=[FLS]))) == [
        ("disclaimer_without_forward_looking", "warning", "disclaimers")
    ]


def test_every_citation_needs_a_reference_and_an_uncited_reference_is_a_warning():
    checks = run_checks(
        content(
            body="<p>Acme Biotech showed it before (1) and again (3, 4).</p>",
            references=[ReferenceData(1, "A"), ReferenceData(2, "B"), ReferenceData(3, "C")],
        )
    )
    assert codes(checks) == [
        ("citation_without_reference", "blocking", "references"),
        ("reference_not_cited", "warning", "references"),
    ]
    assert checks[0].message == (
        "The text cites (4) but the release has no reference with that number. Add it under References."
    )
    assert checks[1].message == "Reference (2) is not cited in the text. Cite it as (number) or remove it."


def test_citation_markers_read_lists_and_ranges_but_not_years():
    assert cited_numbers("as shown (1), (2–4) and (6, 7) in (2022)") == [1, 2, 3, 4, 6, 7]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("on Monday, July 1, 2024 at", []),
        ("on Monday 1 July 2024", []),
        ("le lundi 1er juillet 2024", []),
        ("on Tuesday, July 1st, 2024", [("Tuesday, July 1st, 2024", "that date is a Monday")]),
        ("le mardi 1er juillet 2024", [("mardi 1er juillet 2024", "that date is a lundi")]),
        ("on Friday 30 February 2024", [("Friday 30 February 2024", "that day does not exist")]),
    ],
)
def test_a_weekday_next_to_a_date_must_match_it(text, problems):
    assert weekday_mismatches(text) == problems


def test_a_wrong_weekday_blocks_with_the_part_to_fix():
    checks = run_checks(content(body="<p>Acme Biotech holds the call on Tuesday, July 1, 2024.</p>"))
    assert codes(checks) == [("weekday_mismatch", "blocking", "body")]
    assert checks[0].message == "“Tuesday, July 1, 2024”: that date is a Monday. Correct the weekday or the date."


def test_missing_essentials_block():
    checks = run_checks(content(headline="", company=None, language="", publication_at=None, contacts=[]))
    assert codes(checks) == [
        ("headline_missing", "blocking", "headline"),
        ("company_missing", "blocking", "company"),
        ("language_missing", "blocking", "language"),
        ("publication_at_missing", "blocking", "publication_at"),
        ("contacts_missing", "blocking", "contacts"),
    ]


def test_links_must_be_absolute_http_or_mailto():
    body = (
        '<p><a href="https://a.example/x">ok</a> <a href="mailto:ir@a.example">ok</a> '
        '<a href="www.a.example">bad</a> <a href="/news">bad</a></p>'
    )
    checks = run_checks(content(body=body))
    assert [(c.code, c.field) for c in checks] == [("link_not_absolute", "body"), ("link_not_absolute", "body")]
    assert checks[0].message == (
        "The link “www.a.example” is not a full web address. Write it in full, starting with https:// "
        "(or mailto: for an email address)."
    )


@pytest.mark.django_db
def test_a_saved_release_is_checked_from_its_parts():
    release = factories.ReleaseFactory(body="<p>today said it plans a trial (1).</p>")
    factories.ReferenceFactory(release=release, position=2)
    assert codes(run_checks(release)) == [
        ("contacts_missing", "blocking", "contacts"),
        ("forward_looking_without_disclaimer", "blocking", "disclaimers"),
        ("citation_without_reference", "blocking", "references"),
        ("reference_not_cited", "warning", "references"),
        ("company_about_missing", "warning", "company_about"),
    ]


def test_citation_markers_are_read_as_the_page_links_them():
    from releases.checks import cited_numbers

    assert cited_numbers("in 2022(5). Article 7(1) of Regulation (EU) No 596/2014 (3, 4) and (6–7)") == [5, 3, 4, 6, 7]


def blocking_codes(release) -> list[tuple[str, str]]:
    return [(c.code, c.field) for c in run_checks(release) if c.level == BLOCKING]


@pytest.fixture
def company(db):
    return factories.CompanyFactory(city="Nantes", translations={"fr": {"city": "Nantes"}})


@pytest.fixture
def french(company):
    release = factories.ReleaseFactory(
        company=company, language="fr", headline="Acme annonce des résultats", body="<p>annonce des résultats.</p>"
    )
    ReleaseContact.objects.create(release=release, contact=factories.ContactFactory(company=company), position=0)
    return release


def test_a_french_release_of_french_parts_passes(company, french):
    french.company_about = factories.CompanyAboutFactory(company=company, language="fr", title="À propos d’Acme")
    french.save()
    topic = factories.BoilerplateBlockFactory(company=company, language="fr", title="À propos de la LAL")
    ReleaseTopic.objects.create(release=french, block=topic, position=0)
    assert blocking_codes(french) == []


def test_an_english_topic_about_in_a_french_release_is_blocking(company, french):
    topic = factories.BoilerplateBlockFactory(company=company, language="en", title="About ALL")
    ReleaseTopic.objects.create(release=french, block=topic, position=0)

    checks = [c for c in run_checks(french) if c.code == "part_in_other_language"]
    assert [(c.level, c.field) for c in checks] == [(BLOCKING, "topic_abouts")]
    assert checks[0].message == (
        "The topic About “About ALL” is in English, but this release is in French. Choose its version in French, "
        "or write one under Boilerplate blocks."
    )
    with pytest.raises(WorkflowError) as refused:
        services.release_submit(release=french, user=factories.user_in("Writer", "writer-fr"))
    assert "About ALL" in " ".join(refused.value.messages)


def test_an_english_company_about_or_disclaimer_in_a_french_release_is_blocking(company, french):
    french.company_about = factories.CompanyAboutFactory(company=company, language="en")
    french.save()
    disclaimer = factories.DisclaimerFactory(company=company, language="en")
    ReleaseDisclaimer.objects.create(release=french, disclaimer=disclaimer, position=0)

    assert ("part_in_other_language", "company_about") in blocking_codes(french)
    assert ("part_in_other_language", "disclaimers") in blocking_codes(french)


def test_an_asset_without_a_french_sentence_blocks_the_french_about(company, french):
    french.company_about = factories.CompanyAboutFactory(company=company, language="fr")
    french.save()
    with_both = factories.PipelineAssetFactory(company=company, name="Tedopi®", code="OSE2101")
    factories.AssetSentenceFactory(asset=with_both, language="en")
    factories.AssetSentenceFactory(asset=with_both, language="fr", text="<p>{name} : essai de {phase:1}.</p>")
    english_only = factories.PipelineAssetFactory(company=company, name="Lusvertikimab", code="OSE-127")
    factories.AssetSentenceFactory(asset=english_only, language="en")
    factories.PipelineAssetFactory(company=company, name="Retired", code="OLD-1", archived=True)

    checks = [c for c in run_checks(french) if c.code == "asset_sentence_missing"]
    assert [(c.level, c.field) for c in checks] == [(BLOCKING, "company_about")]
    assert "“OSE-127 – Lusvertikimab”" in checks[0].message
    assert "Tedopi" not in checks[0].message and "Retired" not in checks[0].message


def test_the_same_rules_hold_for_an_english_release(company):
    english = factories.ReleaseFactory(company=company, language="en")
    english.company_about = factories.CompanyAboutFactory(company=company, language="fr")
    english.save()
    assert ("part_in_other_language", "company_about") in blocking_codes(english)


def test_an_inside_information_release_needs_the_legend_in_its_language(company, french):
    french.category = Release.Category.INSIDE_INFORMATION
    french.save()
    factories.DisclaimerFactory(kind=Disclaimer.Kind.INSIDE_INFORMATION, language="en", title="Inside information")
    assert ("mar_legend_missing", "category") in blocking_codes(french)
    factories.DisclaimerFactory(kind=Disclaimer.Kind.INSIDE_INFORMATION, language="fr", title="Information privilégiée")
    assert ("mar_legend_missing", "category") not in blocking_codes(french)


def test_unsaved_content_with_an_asset_missing_its_sentence_is_blocking(company):
    from releases.rendering.content import content_from_data

    about = factories.CompanyAboutFactory(company=company, language="fr")
    factories.AssetSentenceFactory(asset=factories.PipelineAssetFactory(company=company, code="X-1"), language="en")
    content = content_from_data(company=company, language="fr", headline="Acme annonce", company_about=about)
    assert ("asset_sentence_missing", "company_about") in [(c.code, c.field) for c in run_checks(content)]


@pytest.mark.parametrize(
    "sentence",
    [
        "La société prévoit de déposer un dossier.",
        "L’essai devrait débuter en 2025.",
        "Nous anticipons une hausse ; la direction anticipe une hausse.",
        "La société estime que le marché croîtra.",
        "Notre objectif est une autorisation en 2026.",
        "Le produit pourrait devenir un traitement de référence.",
        "La société vise une autorisation en 2026.",
        "Nous prévoyons un lancement et envisageons un partenariat.",
        "Les perspectives restent favorables.",
    ],
)
def test_french_forward_looking_words_are_detected(sentence):
    assert forward_looking_words(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Le produit visé par l’essai a été estimé sûr.", "La cohorte a été constituée le 1er mai 2024."],
)
def test_french_words_that_only_look_forward_looking_are_not(sentence):
    assert forward_looking_words(sentence) == []


def test_french_forward_looking_wording_needs_the_disclaimer(company, french):
    french.body = "<p>annonce que l’essai devrait débuter en 2025.</p>"
    french.save()
    assert ("forward_looking_without_disclaimer", "disclaimers") in blocking_codes(french)
    ReleaseDisclaimer.objects.create(
        release=french,
        disclaimer=factories.DisclaimerFactory(company=company, language="fr", title="Déclarations prospectives"),
        position=0,
    )
    assert blocking_codes(french) == []


# -- the lead ------------------------------------------------------------------------------------------


def test_a_first_paragraph_that_cannot_carry_the_lead_is_a_warning_that_says_how_to_start():
    checks = run_checks(content(body="<p>The company reports strong results this quarter.</p>"))
    assert codes(checks) == [("lead_separate", "warning", "body")]
    assert checks[0].message == (
        "The dateline and the name of Acme Biotech cannot open the first paragraph, which starts “The company "
        "reports strong results this…”, so they stand as a line of their own above it. Start the text with the verb "
        "(“today announced …”) or with the company's name (“Acme Biotech today announced …”)."
    )


def test_a_dateline_typed_in_the_text_is_replaced_and_the_writer_told():
    checks = run_checks(content(body="<p>Lyon, France – July 1st, 2024 – Acme Biotech today reported results.</p>"))
    assert codes(checks) == [("lead_dateline_typed", "warning", "body")]
    assert "“Lyon, France – July 1st, 2024 –”" in checks[0].message


# -- freshness ---------------------------------------------------------------------------------------------


@pytest.fixture
def december_2026(db, writer):
    """A release of December 2026 using a company About whose pipeline sentence and filing date are from 2024."""
    company = factories.CompanyFactory(short_name="Acme Biotech", registration_document_filed_on=dt.date(2024, 4, 30))
    about = factories.CompanyAboutFactory(company=company)
    asset = factories.PipelineAssetFactory(company=company, name="Anti-SIRPα")
    factories.ProgramFactory(asset=asset)
    factories.AssetSentenceFactory(
        asset=asset, text="<p>{name}: {phase:1} in CRM diseases planned to be initiated end of 2024.</p>"
    )
    return services.release_create(
        user=writer,
        fields={
            "company": company,
            "language": "en",
            "headline": "Acme Biotech reports",
            "publication_at": dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC),
            "body": "<p>today reported results.</p>",
            "company_about": about,
        },
        topics=[factories.BoilerplateBlockFactory(company=company, body="<p>Results are expected in Q1 2025.</p>")],
        disclaimers=[factories.DisclaimerFactory()],
        contacts=[factories.ContactFactory(company=company)],
    )


def test_aged_parts_are_warnings_that_never_block(december_2026):
    checks = [c for c in run_checks(december_2026) if c.code not in ("disclaimer_without_forward_looking",)]
    assert codes(checks) == [
        ("filing_out_of_date", "warning", "disclaimers"),
        ("stale_future", "warning", "topic_abouts"),
        ("stale_future", "warning", "company_about"),
    ]
    assert checks[0].message == (
        "The disclaimer “Forward-looking statements” cites the registration document filed on April 30, 2024, more "
        "than 13 months before this release. If a newer one was filed, enter its date on the company."
    )
    assert checks[2].message == (
        "“planned to be initiated end of 2024” (the pipeline sentence of Anti-SIRPα) announces as future what was due "
        "before this release's date (December 3, 2026). Update the text: it is reused by every release that prints it."
    )
    assert "“expected in Q1 2025”" in checks[1].message


def test_the_same_parts_are_fresh_for_a_release_of_their_time(december_2026):
    Release.objects.filter(pk=december_2026.pk).update(publication_at=dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC))
    december_2026.refresh_from_db()
    assert [c.code for c in run_checks(december_2026) if c.code in ("filing_out_of_date", "stale_future")] == []


def test_a_disclaimer_with_a_typed_filing_date_older_than_the_latest_is_a_warning(db, writer):
    company = factories.CompanyFactory(registration_document_filed_on=dt.date(2026, 4, 28))
    old = factories.DisclaimerFactory(
        body="<p>Read the Universal Registration Document filed with the AMF on April 30, 2024.</p>"
    )
    release = services.release_create(
        user=writer,
        fields={
            "company": company,
            "language": "en",
            "headline": "Acme",
            "publication_at": dt.datetime(2026, 7, 1, 5, 30, tzinfo=dt.UTC),
            "body": "<p>today expects results.</p>",
        },
        disclaimers=[old],
        contacts=[factories.ContactFactory(company=company)],
    )
    checks = [c for c in run_checks(release) if c.code == "disclaimer_older_filing"]
    assert [c.message for c in checks] == [
        "The disclaimer “Forward-looking statements” cites a filing of April 30, 2024, but the company's latest "
        "registration document was filed on April 28, 2026. Write {registration_document_date} instead of the date, "
        "so that it always names the latest one."
    ]


def test_a_part_nobody_edited_for_the_configured_months_is_a_warning(december_2026, settings):
    from releases.models import AssetSentence, BoilerplateBlock

    topic = december_2026.topic_links.get().block
    BoilerplateBlock.objects.filter(pk=topic.pk).update(updated_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC))
    sentence = AssetSentence.objects.get(asset__company=december_2026.company)
    sentence.history.update(history_date=dt.datetime(2026, 1, 15, tzinfo=dt.UTC))
    settings.FRESHNESS_MONTHS = 12
    found = [c for c in run_checks(december_2026) if c.code == "part_not_reviewed"]
    assert [(c.field, c.message) for c in found] == [
        (
            "topic_abouts",
            f"The topic About “{topic.title}” was last edited on October 1, 2025, 12 months or more before this "
            "release. Check that it still holds, and save it once checked.",
        ),
    ]
    settings.FRESHNESS_MONTHS = 6
    assert [c.field for c in run_checks(december_2026) if c.code == "part_not_reviewed"] == [
        "topic_abouts",
        "company_about",
    ]


@pytest.mark.parametrize(
    ("text", "language", "stale"),
    [
        ("Phase 2 planned to be initiated end of 2024.", "en", ["planned to be initiated end of 2024"]),
        ("Data are expected in the first half of 2026.", "en", ["expected in the first half of 2026"]),
        ("The trial will start in March 2026.", "en", ["will start in March 2026"]),
        ("Results were reported in 2024.", "en", []),
        ("Data expected by end of 2027.", "en", []),
        ("La phase 2 devrait être initiée fin 2024.", "fr", ["devrait être initiée fin 2024"]),
        ("Les résultats sont attendus au premier semestre 2025.", "fr", ["attendus au premier semestre 2025"]),
        ("Le lancement est prévu en mars 2025.", "fr", ["prévu en mars 2025"]),
        ("Les résultats ont été publiés en 2024.", "fr", []),
    ],
)
def test_a_past_period_written_in_the_future_is_found_in_english_and_french(text, language, stale):
    from releases.checks import stale_future

    assert stale_future(text, language, dt.date(2026, 12, 3)) == stale
