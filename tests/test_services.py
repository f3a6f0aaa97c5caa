"""Roles, reusable parts that outlive their use, and the real snapshot of the demo release."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases import services
from releases.models import BoilerplateBlock, Contact, Disclaimer, PipelineAsset, Release, Snapshot, WorkflowEvent
from tests import factories
from tests.test_workflow_support import fake_render_all, ready_release, user_in

pytestmark = pytest.mark.django_db

VIEW = {
    f"view_{m}"
    for m in (
        "release", "reference", "releasetopic", "releasedisclaimer", "releasecontact", "releaseimage",
        "snapshot", "workflowevent", "company", "listing", "contact", "pipelineasset", "program",
        "assetsentence", "boilerplateblock", "disclaimer",
    )
}  # fmt: skip


def codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_the_roles_hold_exactly_the_permissions_their_work_needs():
    assert codenames("Writer") == VIEW | {
        "add_release", "change_release", "submit_release",
        "add_reference", "change_reference", "delete_reference",
        "add_releasetopic", "change_releasetopic", "delete_releasetopic",
        "add_releasedisclaimer", "change_releasedisclaimer", "delete_releasedisclaimer",
        "add_releasecontact", "change_releasecontact", "delete_releasecontact",
        "add_releaseimage", "change_releaseimage", "delete_releaseimage",
        "add_boilerplateblock", "change_boilerplateblock",
        "add_contact", "change_contact",
        "add_pipelineasset", "change_pipelineasset",
        "add_program", "change_program",
        "add_assetsentence", "change_assetsentence",
    }  # fmt: skip
    # Email alerts and webhooks (migration 0005): publishers manage endpoints and follow what was sent.
    distribution_publisher = {
        "view_subscriber", "view_dispatch", "view_delivery", "view_webhookdelivery", "view_webhookattempt",
        "add_webhookendpoint", "change_webhookendpoint", "delete_webhookendpoint", "view_webhookendpoint",
    }  # fmt: skip
    assert codenames("Reviewer") == VIEW | {"review_release", "view_dispatch", "view_delivery", "view_webhookdelivery"}
    assert codenames("Publisher") == VIEW | {"publish_release"} | distribution_publisher
    nobody = {"export_subscriber", "erase_subscriber", "delete_subscriber", "change_subscriber", "change_delivery"}
    assert not nobody & (codenames("Writer") | codenames("Reviewer") | codenames("Publisher"))
    no_role_deletes = {"delete_release", "delete_workflowevent", "delete_snapshot", "change_workflowevent"}
    assert not no_role_deletes & (codenames("Writer") | codenames("Reviewer") | codenames("Publisher"))


@pytest.fixture
def frozen_release(monkeypatch):
    monkeypatch.setattr("releases.rendering.render_all", fake_render_all)
    writer, reviewer = user_in("Writer", "writer"), user_in("Reviewer", "reviewer")
    release = ready_release(writer)
    release.company_about = factories.CompanyAboutFactory(company=release.company)
    services.release_update(
        release=release, user=writer, expected_version=release.version, company_about=release.company_about
    )
    services.release_submit(release=release, user=writer)
    services.release_approve(release=release, user=reviewer)
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
        services.release_set_topics(release=release, user=writer, expected_version=release.version, blocks=[old])
    assert PipelineAsset.objects.count() == 0


def serve_pdf_queries(client, release) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(release.get_pdf_url())
    assert response.status_code == 200
    assert bytes(response.content) == bytes(Snapshot.objects.get(release=release).pdf)
    return len(queries)


def test_approving_the_demo_release_writes_one_snapshot_and_serving_it_runs_few_queries(demo, client, settings):
    """`load_demo` walks the demo release through submit, approve (real rendering) and publish."""
    settings.PUBLIC_CACHE_SECONDS = 0  # serve through the gate each time, not from a kept answer
    demo.refresh_from_db()
    assert demo.status == Release.Status.PUBLISHED
    assert Snapshot.objects.filter(release=demo).count() == 1
    assert WorkflowEvent.objects.filter(release=demo, action="approved").count() == 1
    snap = Snapshot.objects.get(release=demo)
    assert bytes(snap.pdf).startswith(b"%PDF")
    assert snap.pdf_sha256 == Snapshot.sha256(bytes(snap.pdf))
    assert snap.page_sha256 == Snapshot.sha256(snap.page_html)
    assert snap.text_sha256 == Snapshot.sha256(snap.plain_text)
    assert snap.content_sha256 == Snapshot.sha256(services.canonical_json(snap.content_json))
    assert WorkflowEvent.objects.get(release=demo, action="approved").details["pdf_sha256"] == snap.pdf_sha256

    first = serve_pdf_queries(client, demo)
    assert first <= 3
    # Editing what the release was composed from changes neither the bytes served nor the query count.
    block = demo.topic_links.first().block
    block.body = "<p>Rewritten after publication.</p>"
    block.save()
    demo.company.city = "Paris"
    demo.company.save()
    assert serve_pdf_queries(client, demo) == first
