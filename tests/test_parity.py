"""Parity between the language versions of a release: the same facts in both, each read in its language."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from releases.checks import BLOCKING, WARNING, run_checks
from releases.models import Release, ReleaseTopic
from releases.parity import (
    compare_contents,
    facts,
    parity_report,
    quoted_people,
)
from releases.rendering.content import BlockData, CompanyData, ListingData, ReleaseContent, company_data
from tests import factories

MOMENT = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)


def keys(text: str, language: str) -> set[tuple[str, str]]:
    return {(f.kind, f.key) for f in facts(text, language)}


@pytest.mark.parametrize(
    ("english", "french", "expected"),
    [
        ("26,482 cases", "26 482 cas", {("number", "26482")}),
        ("26,482 cases", "26\u202f482 cas", {("number", "26482")}),
        ("7,000 cases", "7\u00a0000 cas", {("number", "7000")}),
        ("in 85% of patients", "chez 85 % des patients", {("percentage", "85%")}),
        ("a 2.5-fold rise of 2.5 points", "une hausse de 2,5 points", {("number", "2.5")}),
        ("on July 1, 2024", "le 1er juillet 2024", {("date", "2024-07-01")}),
        ("on July 1st, 2024", "le 1er juillet 2024", {("date", "2024-07-01")}),
        ("filed on April 30, 2024", "déposé le 30 avril 2024", {("date", "2024-04-30")}),
        ("accessed October 2022", "consulté en octobre 2022", {("date", "2022-10")}),
        ("at 7:30 am CEST", "à 7h30 CEST", {("time", "07:30")}),
        ("at 6:00 pm", "à 18h00", {("time", "18:00")}),
        ("(ISIN: FR0012127173; Mnemo: OSE)", "(ISIN : FR0012127173 ; Mnemo : OSE)", {("isin", "FR0012127173")}),
    ],
)
def test_each_language_is_read_in_its_own_conventions(english, french, expected):
    assert expected <= keys(english, "en")
    assert keys(english, "en") == keys(french, "fr")


@pytest.mark.parametrize(
    ("english", "other", "language", "expected"),
    [
        # House styles write dates in figures and times with a dot: the same moment as the long forms.
        ("Espoo, Finland, 3 March 2025 at 9.00 AM (EET)", "Espoo 3.3.2025 klo 9.00", "fi", {"2025-03-03", "09:00"}),
        ("on March 3, 2025 at 9:00 am", "am 03.03.2025 um 09:00", "de", {"2025-03-03", "09:00"}),
        ("on 3/10/2025", "den 10.03.2025 kl. 09.00", "da", {"2025-03-10"}),
        ("on 2025-03-03", "den 2025-03-03", "sv", {"2025-03-03"}),
        ("on 3/10/2025", "le 10/03/2025", "fr", {"2025-03-10"}),
        ("accessed February 2025", "luettu helmikuu 2025", "fi", {"2025-02"}),
        # A citation left in English inside another version still has its dates read.
        ("data cut-off 14 February 2025", "data cut-off 14 February 2025", "fi", {"2025-02-14"}),
    ],
)
def test_dates_in_figures_and_times_with_a_dot_are_read_as_such(english, other, language, expected):
    english_keys, other_keys = keys(english, "en"), keys(other, language)
    assert {key for _kind, key in english_keys} >= expected
    assert {key for _kind, key in other_keys} >= expected
    assert not [k for k in english_keys | other_keys if k[0] == "number"]


def test_digits_inside_names_codes_and_ordinals_are_not_figures():
    text = "IL-7R, OSE-127, CD127 and anti-PD1, the 10th edition, Interleukin-7, Phase 1/2"
    assert keys(text, "en") == {("number", "1")}
    assert keys("IL-7R, OSE-127, le 1er patient, l’interleukine-7, Phase 1/2", "fr") == {("number", "1")}


def test_quoted_people_are_the_titled_names_and_the_name_opening_a_quote():
    english = (
        "<p>Pr. Denis Schewe (University Hospital Dresden) and Dr. Lennart Lenk (Kiel), comment:</p>"
        "<blockquote><p>“Treatment options remain very limited.”</p></blockquote>"
        "<p>Nicolas Poirier, Chief Executive Officer of OSE Immunotherapeutics, concludes:</p>"
        "<blockquote><p>“We are very pleased.”</p></blockquote>"
        "<p>The abstract, titled: “The IL-7R antagonist …” reported results.</p>"
    )
    french = (
        "<p>Le Pr Denis Schewe (hôpital universitaire de Dresde) et le Dr Lennart Lenk (Kiel) déclarent :</p>"
        "<blockquote><p>« Les options restent très limitées. »</p></blockquote>"
        "<p>Nicolas Poirier, Directeur Général d’OSE Immunotherapeutics, conclut : « Nous sommes ravis. »</p>"
    )
    assert quoted_people(english) == ["Denis Schewe", "Lennart Lenk", "Nicolas Poirier"]
    assert quoted_people(french) == ["Denis Schewe", "Lennart Lenk", "Nicolas Poirier"]


def content(language: str, body: str, topic: str = "", **overrides) -> ReleaseContent:
    company = overrides.pop("company", None) or factories.CompanyFactory.build(
        short_name="Acme Biotech", legal_name="Acme Biotech SA", city="Lyon", translations={"fr": {"city": "Lyon"}}
    )
    values = {
        "company": company_data(company, language) if not isinstance(company, CompanyData) else company,
        "language": language,
        "headline": "Acme" if language == "en" else "Acme annonce",
        "publication_at": MOMENT,
        "body": body,
        "listings": [ListingData("Euronext Paris", "ACME", "Mnemo", "FR0012127173")],
        "topics": [BlockData("About ALL" if language == "en" else "À propos de la LAL", topic)] if topic else [],
    }
    values.update(overrides)
    return ReleaseContent(**values)


EN_BODY = (
    "<p>today announced results in 85% of patients.</p>"
    "<p>Jane Doe, Chief Executive Officer, concludes:</p><blockquote><p>“We are pleased.”</p></blockquote>"
)
FR_BODY = (
    "<p>annonce aujourd’hui des résultats chez 85 % des patients.</p>"
    "<p>Jane Doe, Directrice Générale, conclut :</p><blockquote><p>« Nous sommes ravis. »</p></blockquote>"
)
EN_TOPIC = "<p>In Europe, 7,000 cases are diagnosed each year; 26,482 cases in 2029.</p>"
FR_TOPIC = "<p>En Europe, 7 000 cas sont diagnostiqués chaque année ; 26 482 cas en 2029.</p>"


def test_a_faithful_translation_has_no_difference():
    report = compare_contents(content("en", EN_BODY, EN_TOPIC), content("fr", FR_BODY, FR_TOPIC))
    assert report.ok and report.has_translation
    assert report.differences == ()


def test_a_pair_that_differs_in_one_number_is_listed_side_by_side():
    mistyped = FR_TOPIC.replace("7 000", "7 500")
    report = compare_contents(content("en", EN_BODY, EN_TOPIC), content("fr", FR_BODY, mistyped))

    assert not report.ok
    assert [(d.kind, d.item, d.present_in, d.written, d.where, d.missing_from) for d in report.differences] == [
        ("number", "7000", "en", "7,000", ("topic_abouts",), "fr"),
        ("number", "7500", "fr", "7 500", ("topic_abouts",), "en"),
    ]
    assert [(d.kind_label, d.where_label()) for d in report.differences] == [("number", "topic About")] * 2
    assert report.differences[0].message() == (
        "Number “7,000” (topic About) is in the English version but not in the French version."
    )
    data = report.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["ok"] is False and len(data["differences"]) == 2


def test_a_missing_percentage_date_url_or_quoted_person_is_a_difference():
    french = FR_BODY.replace("85 %", "80 %").replace("Jane Doe", "John Roe")
    english = EN_BODY + '<p>Read the <a href="https://example.org/paper">paper</a> of July 2, 2024.</p>'
    report = compare_contents(content("en", english), content("fr", french))
    found = {(d.kind, d.item, d.missing_from) for d in report.differences}
    assert {
        ("percentage", "85%", "fr"),
        ("percentage", "80%", "en"),
        ("url", "https://example.org/paper", "fr"),
        ("date", "2024-07-02", "fr"),
        ("person", "jane doe", "fr"),
    } <= found


def test_a_different_publication_date_shows_in_the_datelines():
    later = MOMENT + dt.timedelta(days=1)
    report = compare_contents(content("en", EN_BODY), content("fr", FR_BODY, publication_at=later))
    assert {(d.kind, d.item, d.present_in) for d in report.differences} == {
        ("date", "2024-07-01", "en"),
        ("date", "2024-07-02", "fr"),
    }


# -- on saved releases: the demo pair, the check and the report ------------------------------------


@pytest.fixture
def demo_pair(db):
    call_command("load_demo", verbosity=0)
    return (
        Release.objects.get(language="en", slug="ose-immunotherapeutics-lusvertikimab-blood-publication"),
        Release.objects.get(language="fr", slug="ose-immunotherapeutics-publication-lusvertikimab-blood"),
    )


def test_the_demo_pair_states_the_same_facts(demo_pair):
    english, french = demo_pair
    for release, other in ((english, french), (french, english)):
        report = parity_report(release)
        assert (report.release_id, report.other_id) == (release.pk, other.pk)
        assert report.ok, [d.message() for d in report.differences]


def test_the_second_demo_pair_in_its_house_styles_states_the_same_facts(demo_pair):
    """Kide writes "3 March 2025 at 9.00 AM (EET)" in English and "3.3.2025 klo 9.00" in Finnish."""
    english = Release.objects.get(language="en", company__slug="kide-biotherapeutics")
    finnish = Release.objects.get(language="fi", company__slug="kide-biotherapeutics")
    for release, other in ((english, finnish), (finnish, english)):
        report = parity_report(release)
        assert report.other_id == other.pk
        assert report.ok, [d.message() for d in report.differences]


def test_a_release_without_translation_has_an_empty_report(db):
    release = factories.ReleaseFactory()
    report = parity_report(release)
    assert not report.has_translation and report.ok and report.other_id is None


def test_a_differing_number_in_a_translation_is_a_warning_not_a_block(db):
    english = factories.ReleaseFactory(headline="Acme reports results", body="<p>today announced 7,000 cases.</p>")
    french = factories.ReleaseFactory(
        company=english.company,
        language="fr",
        translation_group=english.translation_group,
        publication_at=english.publication_at,
        headline="Acme annonce des résultats",
        body="<p>annonce 7 500 cas.</p>",
    )

    checks = [c for c in run_checks(french) if c.code == "translation_differs"]
    assert [(c.level, c.field) for c in checks] == [(WARNING, "translation")]
    assert "“7 500”" in checks[0].message and "“7,000”" in checks[0].message
    assert [c.code for c in run_checks(english) if c.level == BLOCKING] == [
        c.code for c in run_checks(factories.ReleaseFactory(company=english.company)) if c.level == BLOCKING
    ]


def test_the_demo_release_passes_its_checks_in_both_languages(demo_pair):
    for release in demo_pair:
        assert [c for c in run_checks(release) if c.level == BLOCKING] == []
        assert "translation_differs" not in {c.code for c in run_checks(release)}


def test_changing_a_topic_of_the_french_demo_shows_in_the_report(demo_pair):
    _english, french = demo_pair
    block = ReleaseTopic.objects.get(release=french).block
    block.body = block.body.replace("7\u00a0000", "7\u00a0500").replace("7&nbsp;000", "7&nbsp;500")
    block.save()
    report = parity_report(french)
    assert [(d.item, d.present_in, d.where) for d in report.differences] == [
        ("7500", "fr", ("topic_abouts",)),
        ("7000", "en", ("topic_abouts",)),
    ]


@pytest.mark.django_db
def test_parity_compares_any_pair_of_a_translation_group(writer):
    from releases.checks import run_checks
    from tests.test_api import client_for

    english = factories.ready_release(writer, body="<p>Acme reports 85% of patients responded (1).</p>")
    versions = {}
    for language, text in (
        ("fr", "<p>Acme annonce 85\u00a0% de répondeurs (1).</p>"),
        ("de", "<p>Acme meldet 80 % (1).</p>"),
    ):
        versions[language] = factories.ReleaseFactory(
            company=english.company,
            language=language,
            translation_group=english.translation_group,
            publication_at=english.publication_at,
            body=text,
        )
    german = parity_report(english, "de")
    assert (german.other_language, german.other_id) == ("de", versions["de"].pk)
    assert {(d.kind, d.item, d.present_in) for d in german.differences} >= {
        ("percentage", "85%", "en"),
        ("percentage", "80%", "de"),
    }
    assert parity_report(english, "fr").other_language == "fr"
    assert parity_report(versions["de"], "fr").release_id == versions["de"].pk
    warnings = [c.message for c in run_checks(english) if c.code == "translation_differs"]
    assert [w.split(" version")[0] for w in warnings] == ["The German", "The French"]
    response = client_for(writer).get(f"/api/v1/releases/{english.pk}/parity/", {"other": "de"})
    assert response.json()["other_language"] == "de"
    assert client_for(writer).get(f"/api/v1/releases/{english.pk}/parity/", {"other": "xx"}).status_code == 400
