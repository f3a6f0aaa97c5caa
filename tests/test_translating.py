"""A release's version in another language: text copied, parts replaced by their versions in that language."""

import pytest
from django.core.exceptions import PermissionDenied

from releases import services
from releases.models import Release, ReleaseContact, ReleaseDisclaimer, ReleaseTopic, WorkflowEvent
from releases.services import WorkflowError
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    return factories.CompanyFactory(city="Nantes", translations={"fr": {"city": "Nantes"}})


def test_release_translate_makes_a_french_draft_in_the_same_group(company):
    user = factories.user_in("Writer", "writer-fr")
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
    user = factories.user_in("Writer", "writer-fr")
    source = factories.ReleaseFactory(company=company, language="en")
    topic = factories.BoilerplateBlockFactory(company=company, language="en", title="About ALL")
    ReleaseTopic.objects.create(release=source, block=topic, position=0)
    ReleaseDisclaimer.objects.create(
        release=source, disclaimer=factories.DisclaimerFactory(company=company, language="en"), position=0
    )

    translation = services.release_translate(release=source, user=user, language="fr")

    assert not translation.topic_abouts.exists() and not translation.disclaimers.exists()
    assert translation.events.get().details["parts_to_choose"] == [str(topic), "Forward-looking statements [en]"]
