"""A French release is composed from French parts: a part in another language, or missing, blocks it."""

import pytest
from django.core.exceptions import PermissionDenied

from releases import services
from releases.checks import BLOCKING, forward_looking_words, run_checks
from releases.models import Disclaimer, Release, ReleaseContact, ReleaseDisclaimer, ReleaseTopic, WorkflowEvent
from releases.services import WorkflowError
from tests import factories


def blocking_codes(release) -> list[tuple[str, str]]:
    return [(c.code, c.field) for c in run_checks(release) if c.level == BLOCKING]


@pytest.fixture
def company(db):
    return factories.CompanyFactory(city="Nantes", city_fr="Nantes")


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
        services.release_submit(release=french, user=writer())
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


# -- French forward-looking wording -------------------------------------------------------------------


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


# -- creating a translation ----------------------------------------------------------------------------


def writer():
    from django.contrib.auth.models import Group

    user = factories.UserFactory(username="writer-fr")
    user.groups.add(Group.objects.get(name="Writer"))
    return user


def test_release_translate_makes_a_french_draft_in_the_same_group(company):
    user = writer()
    en_about = factories.CompanyAboutFactory(company=company, language="en")
    fr_about = factories.CompanyAboutFactory(company=company, language="fr", title="À propos d’Acme")
    en_fls = factories.DisclaimerFactory(company=company, language="en")
    fr_fls = factories.DisclaimerFactory(company=company, language="fr", title="Déclarations prospectives")
    en_topic = factories.BoilerplateBlockFactory(company=company, language="en", title="About ALL")
    fr_topic = factories.BoilerplateBlockFactory(company=company, language="fr", title="À propos de la LAL")
    contact = factories.ContactFactory(company=company)

    def english_release(**extra):
        release = factories.ReleaseFactory(company=company, language="en", company_about=en_about, **extra)
        ReleaseTopic.objects.create(release=release, block=en_topic, position=0)
        ReleaseDisclaimer.objects.create(release=release, disclaimer=en_fls, position=0)
        ReleaseContact.objects.create(release=release, contact=contact, position=0)
        factories.ReferenceFactory(release=release, position=1)
        return release

    # An earlier pair tells which French topic goes with the English one.
    earlier = english_release()
    earlier_fr = factories.ReleaseFactory(
        company=company, language="fr", translation_group=earlier.translation_group, company_about=fr_about
    )
    ReleaseTopic.objects.create(release=earlier_fr, block=fr_topic, position=0)

    source = english_release()
    translation = services.release_translate(release=source, user=user, language="fr")

    assert translation.status == Release.Status.DRAFT and translation.language == "fr"
    assert translation.translation_group == source.translation_group
    assert translation.publication_at == source.publication_at
    assert translation.company_about == fr_about
    assert list(translation.topic_abouts.all()) == [fr_topic]
    assert list(translation.disclaimers.all()) == [fr_fls]
    assert list(translation.contacts.all()) == [contact]
    assert list(translation.references.values_list("position", "citation")) == list(
        source.references.values_list("position", "citation")
    )
    event = translation.events.get()
    assert (event.action, event.actor, event.to_status) == (WorkflowEvent.Action.CREATED, user, "draft")
    assert event.details == {
        "translation_of": source.pk,
        "language": "fr",
        "parts_to_choose": [],
        "parts": ["topic_abouts", "disclaimers", "contacts", "references"],
    }

    with pytest.raises(WorkflowError):
        services.release_translate(release=source, user=user, language="fr")
    with pytest.raises(WorkflowError):
        services.release_translate(release=source, user=user, language="en")
    with pytest.raises(PermissionDenied):
        services.release_translate(release=source, user=factories.UserFactory(), language="de")


def test_a_part_without_a_known_french_version_is_left_for_the_writer(company):
    user = writer()
    source = factories.ReleaseFactory(company=company, language="en")
    topic = factories.BoilerplateBlockFactory(company=company, language="en", title="About ALL")
    ReleaseTopic.objects.create(release=source, block=topic, position=0)
    ReleaseDisclaimer.objects.create(
        release=source, disclaimer=factories.DisclaimerFactory(company=company, language="en"), position=0
    )

    translation = services.release_translate(release=source, user=user, language="fr")

    assert not translation.topic_abouts.exists() and not translation.disclaimers.exists()
    assert translation.events.get().details["parts_to_choose"] == [str(topic), "Forward-looking statements [en]"]
