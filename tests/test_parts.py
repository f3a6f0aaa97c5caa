"""The reusable parts: archived instead of deleted once a release used them; an archived one is no longer offered."""

import pytest
from django.core.exceptions import PermissionDenied

from releases import services
from releases.models import BoilerplateBlock, Contact, Disclaimer, PipelineAsset, Release, Snapshot
from tests import factories
from tests.factories import ready_release, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_release(fast_rendering):
    writer, reviewer = user_in("Writer", "writer"), user_in("Reviewer", "reviewer")
    release = ready_release(writer)
    release.company_about = factories.CompanyAboutFactory(company=release.company)
    services.release_edit(
        release=release, user=writer, expected_version=release.version, fields={"company_about": release.company_about}
    )
    services.release_submit(release=release, user=writer)
    factories.approve(release, reviewer)
    return release


@pytest.mark.parametrize("part_of", ["topic", "about", "disclaimer", "contact", "asset"])
def test_deleting_a_part_a_frozen_release_used_archives_it_instead(frozen_release, part_of):
    root = factories.UserFactory(username="root", is_superuser=True)
    part = {
        "topic": lambda: frozen_release.topic_links.get().block,
        "about": lambda: frozen_release.company_about,
        "disclaimer": lambda: frozen_release.disclaimer_links.get().disclaimer,
        "contact": lambda: frozen_release.contact_links.get().contact,
        "asset": lambda: factories.PipelineAssetFactory(company=frozen_release.company),
    }[part_of]()
    snapshot = Snapshot.objects.get(release=frozen_release).page_html

    removal = services.part_delete(part=part, user=root)

    assert removal.deleted is False
    assert removal.message.startswith(f"“{part}” was not deleted: 1 release(s) used it")
    stored = type(part).objects.get(pk=part.pk)
    if isinstance(part, Contact):
        assert stored.active is False
    else:
        assert stored.archived is True
    assert stored.history.latest().history_user == root
    assert Snapshot.objects.get(release=frozen_release).page_html == snapshot
    assert Release.objects.get(pk=frozen_release.pk).status == Release.Status.APPROVED


def test_an_unused_part_is_deleted():
    root = factories.UserFactory(username="root", is_superuser=True)
    block = factories.BoilerplateBlockFactory()
    assert services.part_delete(part=block, user=root).deleted is True
    assert not BoilerplateBlock.objects.filter(pk=block.pk).exists()


def test_a_writer_cannot_delete_a_disclaimer():
    writer = user_in("Writer", "writer")
    disclaimer = factories.DisclaimerFactory()
    with pytest.raises(PermissionDenied, match="You cannot delete disclaimers"):
        services.part_delete(part=disclaimer, user=writer)
    assert Disclaimer.objects.filter(pk=disclaimer.pk, archived=False).exists()


def test_an_archived_part_cannot_be_chosen_for_a_release():
    writer = user_in("Writer", "writer")
    release = ready_release(writer)
    old = factories.BoilerplateBlockFactory(company=release.company, archived=True)
    with pytest.raises(services.WorkflowError, match="is archived and cannot be chosen"):
        services.release_edit(release=release, user=writer, expected_version=release.version, topics=[old])
    assert PipelineAsset.objects.count() == 0
