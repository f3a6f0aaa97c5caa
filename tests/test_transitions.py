"""The workflow's transitions: every step and refusal, nothing half-written, every surface made from the registry."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases import rendering, services
from releases.models import (
    Release,
    Snapshot,
    WorkflowEvent,
)
from releases.services import WorkflowError
from tests import factories
from tests.factories import approved, events, published, ready_release, refused, row, user_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]


Status = Release.Status


def test_the_whole_lifecycle_records_each_step_with_its_actor(writer, reviewer, publisher, release):
    services.release_submit(release=release, user=writer)
    assert release.status == Status.IN_REVIEW
    services.release_return(release=release, user=reviewer, comment="Name the trial.")
    assert release.status == Status.DRAFT
    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        fields={"headline": "Acme Biotech reports ACME-2 results"},
    )
    services.release_submit(release=release, user=writer)
    factories.approve(release, reviewer)
    assert release.status == Status.APPROVED
    assert release.approved_by == reviewer
    services.release_publish(release=release, user=publisher)
    assert release.status == Status.PUBLISHED
    assert release.published_by == publisher

    trail = list(WorkflowEvent.objects.filter(release=release).values_list("action", "actor__username"))
    assert trail[-6:] == [
        ("submitted", "writer"),
        ("returned", "reviewer"),
        ("edited", "writer"),
        ("submitted", "writer"),
        ("approved", "reviewer"),
        ("published", "publisher"),
    ]
    assert WorkflowEvent.objects.get(release=release, action="returned").comment == "Name the trial."


def test_approving_your_own_last_edit_is_refused(writer, release):
    both = user_in("Reviewer", "both")
    both.groups.add(*writer.groups.all())
    both = type(both).objects.get(pk=both.pk)
    services.release_edit(release=release, user=both, expected_version=release.version, fields={"subheadline": "Tweak"})
    services.release_submit(release=release, user=both)
    before, trail = row(release), events(release)

    with pytest.raises(WorkflowError) as exc:
        factories.approve(release, both)

    assert refused(exc) == "You cannot approve this release: you made its last edit. Another reviewer must approve it."
    assert row(release) == before
    assert events(release) == trail
    assert not Snapshot.objects.filter(release=release).exists()


def test_the_publisher_may_approve_when_they_also_review(writer, release):
    chief = user_in("Publisher", "chief")
    chief.groups.add(Group.objects.get(name="Reviewer"))
    chief = type(chief).objects.get(pk=chief.pk)
    services.release_submit(release=release, user=writer)
    factories.approve(release, chief)
    services.release_publish(release=release, user=chief)
    assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED


def test_a_publisher_without_the_review_permission_cannot_approve(writer, publisher, release):
    services.release_submit(release=release, user=writer)
    before, trail = row(release), events(release)
    with pytest.raises(PermissionDenied) as exc:
        factories.approve(release, publisher)
    assert str(exc.value) == "You cannot approve releases: ask for the Reviewer role."
    assert row(release) == before
    assert events(release) == trail


@pytest.mark.parametrize("stage", ["draft", "in_review"])
def test_publishing_without_approval_is_refused(writer, publisher, release, stage):
    if stage == "in_review":
        services.release_submit(release=release, user=writer)
    before, trail = row(release), events(release)

    with pytest.raises(WorkflowError) as exc:
        services.release_publish(release=release, user=publisher)

    assert refused(exc) == (
        "You cannot publish this release: it has not been approved. A reviewer must approve it first."
    )
    assert row(release) == before
    assert events(release) == trail


def test_submitting_a_release_that_fails_a_blocking_check_is_refused_with_the_failures(writer):
    company = factories.CompanyFactory()
    release = services.release_create(
        user=writer,
        fields={
            "company": company,
            "language": "en",
            "headline": "Acme Biotech plans a trial",
            "body": '<p>We could see results (2). <a href="/relative">Read</a></p>',
        },
    )
    before, trail = row(release), events(release)

    with pytest.raises(WorkflowError) as exc:
        services.release_submit(release=release, user=writer)

    assert exc.value.messages == [
        "This release cannot go to review yet. Fix these first:",
        "Set the publication moment: the date and time the release goes public, shown in its dateline.",
        "Add at least one contact (media or investors).",
        "The release uses forward-looking wording (“plans”, “could”), so it needs a forward-looking statements "
        "disclaimer. Add one under Disclaimers.",
        "The text cites (2) but the release has no reference with that number. Add it under References.",
        "The link “/relative” is not a full web address. Write it in full, starting with https:// (or mailto: for "
        "an email address).",
    ]
    assert row(release) == before
    assert events(release) == trail


def test_returning_needs_a_comment(writer, reviewer, release):
    services.release_submit(release=release, user=writer)
    before, trail = row(release), events(release)
    with pytest.raises(WorkflowError) as exc:
        services.release_return(release=release, user=reviewer, comment="  ")
    assert refused(exc) == "Write a comment that tells the writer what to change."
    assert row(release) == before
    assert events(release) == trail


def test_an_invalid_transition_says_what_state_the_release_is_in(writer, reviewer, release):
    before, trail = row(release), events(release)
    with pytest.raises(WorkflowError) as exc:
        factories.approve(release, reviewer)
    assert refused(exc) == "You cannot approve this release: it is draft."
    assert row(release) == before
    assert events(release) == trail


def test_a_writer_cannot_publish(writer, release):
    with pytest.raises(PermissionDenied, match="You cannot publish releases: ask for the Publisher role"):
        services.release_publish(release=release, user=writer)


def test_approval_writes_exactly_one_snapshot_with_the_hashes_of_its_bytes(writer, reviewer, release):
    approved(writer, reviewer, release)
    assert Snapshot.objects.filter(release=release).count() == 1
    snap = Snapshot.objects.get(release=release)
    expected = rendering.render_all(release)
    assert snap.page_html == expected.page_html
    assert bytes(snap.pdf) == expected.pdf
    assert snap.page_sha256 == Snapshot.sha256(expected.page_html)
    assert snap.fragment_sha256 == Snapshot.sha256(expected.fragment_html)
    assert snap.text_sha256 == Snapshot.sha256(expected.plain_text)
    assert snap.pdf_sha256 == Snapshot.sha256(expected.pdf)
    assert snap.content_sha256 == Snapshot.sha256(services.canonical_json(expected.content_json))
    event = WorkflowEvent.objects.get(release=release, action="approved")
    assert event.details["pdf_sha256"] == snap.pdf_sha256


def test_editing_the_parts_after_approval_leaves_the_snapshot_byte_identical(writer, reviewer, publisher, release):
    published(writer, reviewer, publisher, release)
    snap = Snapshot.objects.get(release=release)
    frozen = (snap.page_html, bytes(snap.pdf), snap.plain_text, snap.fragment_html, snap.content_json)

    block = release.topic_links.get().block
    block.body = "<p>Rewritten.</p>"
    block.save()
    disclaimer = release.disclaimer_links.get().disclaimer
    disclaimer.body = "<p>New legal text.</p>"
    disclaimer.save()
    contact = release.contact_links.get().contact
    contact.name = "Someone Else"
    contact.save()
    release.company.city = "Nantes"
    release.company.save()
    factories.PipelineAssetFactory(company=release.company, name="NewAsset®")

    assert rendering.render_all(release).page_html != frozen[0]  # the parts did change
    snap = Snapshot.objects.get(release=release)
    assert (snap.page_html, bytes(snap.pdf), snap.plain_text, snap.fragment_html, snap.content_json) == frozen


def test_publishing_at_another_moment_than_the_approved_one_is_refused(writer, reviewer, publisher, release):
    release = approved(writer, reviewer, release)
    before, trail = row(release), events(release)
    with pytest.raises(WorkflowError) as exc:
        later = release.publication_at + dt.timedelta(minutes=1)
        services.release_publish(release=release, user=publisher, publication_at=later)
    assert "have it approved again" in refused(exc)
    assert row(release) == before
    assert events(release) == trail
    services.release_publish(release=release, user=publisher, publication_at=release.publication_at)
    assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED


def test_publication_happens_at_the_second_without_any_job(writer, reviewer, publisher, monkeypatch):
    moment = dt.datetime(2030, 7, 1, 5, 30, tzinfo=dt.UTC)
    release = ready_release(writer, publication_at=moment)
    published(writer, reviewer, publisher, release)

    monkeypatch.setattr(timezone, "now", lambda: moment - dt.timedelta(seconds=1))
    assert not Release.objects.published().filter(pk=release.pk).exists()
    assert not Release.objects.get(pk=release.pk).is_public
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert Release.objects.published().filter(pk=release.pk).exists()
    assert Release.objects.get(pk=release.pk).is_public


def test_a_release_approved_for_a_past_moment_is_public_at_once(writer, reviewer, publisher):
    release = ready_release(writer, publication_at=timezone.now() - dt.timedelta(hours=1))
    published(writer, reviewer, publisher, release)
    assert Release.objects.published().filter(pk=release.pk).exists()


def test_a_scheduled_release_can_be_taken_off_the_schedule_before_its_moment(writer, reviewer, publisher, release):
    published(writer, reviewer, publisher, release)
    services.release_unschedule(release=release, user=publisher)
    stored = Release.objects.get(pk=release.pk)
    assert stored.status == Status.APPROVED
    assert Snapshot.objects.filter(release=release).count() == 1
    assert events(release)[-1] == "unscheduled"


def test_a_correction_is_a_new_revision_and_the_earlier_one_stays_readable(writer, reviewer, publisher):
    original = ready_release(writer, publication_at=timezone.now() - dt.timedelta(days=1))
    published(writer, reviewer, publisher, original)

    correction = services.release_correct(release=original, user=publisher, note="The dose was 10 mg, not 100 mg.")

    assert correction.status == Status.DRAFT
    assert correction.corrects == original
    assert correction.slug == f"{original.slug}-correction"
    assert (correction.translation_group, correction.language) == (original.translation_group, original.language)
    assert correction.body == original.body
    assert list(correction.references.values_list("position", "citation")) == list(
        original.references.values_list("position", "citation")
    )
    assert [link.block_id for link in correction.topic_links.all()] == [
        link.block_id for link in original.topic_links.all()
    ]
    assert correction.contact_links.count() == correction.disclaimer_links.count() == 1
    assert Release.objects.get(pk=original.pk).status == Status.PUBLISHED

    services.release_edit(
        release=correction,
        user=writer,
        expected_version=correction.version,
        fields={
            "body": "<p>Acme Biotech expects to start Phase 3 in 2025 at 10 mg (1).</p>",
            "publication_at": timezone.now() - dt.timedelta(minutes=1),
        },
    )
    published(writer, reviewer, publisher, correction)

    earlier = Release.objects.get(pk=original.pk)
    assert earlier.status == Status.CORRECTED
    assert Release.objects.published().filter(pk=original.pk).exists()
    assert Release.objects.published().filter(pk=correction.pk).exists()
    event = WorkflowEvent.objects.get(release=original, action="corrected")
    assert (event.actor, event.comment) == (publisher, "The dose was 10 mg, not 100 mg.")


def test_a_correction_needs_a_note_and_a_published_release(writer, reviewer, publisher, public_release):
    release = public_release
    with pytest.raises(WorkflowError, match="it is draft"):
        services.release_correct(release=release, user=publisher, note="Fix")
    published(writer, reviewer, publisher, release)
    with pytest.raises(WorkflowError, match="Write the correction note"):
        services.release_correct(release=release, user=publisher, note="")
    assert not Release.objects.filter(corrects=release).exists()


def test_withdrawal_leaves_a_notice_and_the_moment_it_happened(
    writer, reviewer, publisher, public_release, monkeypatch
):
    release = published(writer, reviewer, publisher, public_release)
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    services.release_withdraw(release=release, user=publisher, notice="Issued in error.")
    stored = Release.objects.get(pk=release.pk)
    assert (stored.status, stored.withdrawal_notice, stored.withdrawn_at) == (
        Status.WITHDRAWN,
        "Issued in error.",
        now,
    )
    event = WorkflowEvent.objects.get(release=release, action="withdrawn")
    assert (event.actor, event.comment, event.at) == (publisher, "Issued in error.", now)


@pytest.mark.parametrize(("step", "text"), [("correct", "note"), ("withdraw", "notice")])
def test_a_scheduled_release_cannot_be_corrected_or_withdrawn_before_anyone_read_it(
    writer, reviewer, publisher, release, step, text
):
    release = published(writer, reviewer, publisher, release)
    before, trail = row(release), events(release)

    with pytest.raises(WorkflowError) as exc:
        services.TRANSITIONS[step].execute(release=release, user=publisher, **{text: "Too early."})

    assert refused(exc).endswith("and nobody has read it yet. Take it off the schedule and edit it instead.")
    assert services.TRANSITIONS[step].check(release, publisher).code == "not_public_yet"
    assert row(release) == before
    assert events(release) == trail
    assert not Release.objects.filter(corrects=release).exists()


def test_withdrawal_needs_a_notice(writer, reviewer, publisher, public_release):
    release = published(writer, reviewer, publisher, public_release)
    before, trail = row(release), events(release)
    with pytest.raises(WorkflowError) as exc:
        services.release_withdraw(release=release, user=publisher, notice="")
    assert refused(exc) == (
        "Write the withdrawal notice: readers see it at the release's address instead of the release."
    )
    assert row(release) == before
    assert events(release) == trail


def test_the_api_the_admin_and_the_command_line_offer_exactly_the_registrys_transitions(client, rf):
    from django.contrib.admin import site
    from django.core.management import load_command_class

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    routes = {
        path.split("/")[-2]: operation["post"]["summary"]
        for path, operation in schema["paths"].items()
        if path.startswith("/api/v1/releases/{id}/") and "post" in operation
    }
    assert routes == {name: t.summary for name, t in services.TRANSITIONS.items()}

    admin_request = rf.get("/admin/releases/release/")
    admin_request.user = factories.UserFactory(username="root", is_superuser=True)
    actions = site._registry[Release].get_actions(admin_request)
    in_bulk = [f"{name}_releases" for name, t in services.TRANSITIONS.items() if t.in_bulk]
    assert [name for name in actions if name != "delete_selected"] == in_bulk
    assert "approve_releases" not in in_bulk  # an approval names what its reviewer read

    parser = load_command_class("releases", "release").create_parser("manage.py", "release")
    action = next(a for a in parser._actions if a.dest == "action")
    assert list(action.choices) == list(services.TRANSITIONS)


def test_check_reads_and_never_writes(writer, reviewer, release):
    before, trail = row(release), events(release)
    for transition in services.TRANSITIONS.values():
        for user in (writer, reviewer):
            transition.check(release, user)
    assert row(release) == before and events(release) == trail
    assert services.TRANSITIONS["submit"].check(release, writer) is None
    refusal = services.TRANSITIONS["approve"].check(release, writer)
    assert (refusal.code, refusal.permission) == ("permission_denied", True)
    assert str(refusal) == "You cannot approve releases: ask for the Reviewer role."


VIEW = {
    f"view_{m}"
    for m in (
        "release", "reference", "releasetopic", "releasedisclaimer", "releasecontact", "releaseimage",
        "snapshot", "workflowevent", "company", "listing", "contact", "pipelineasset", "program",
        "assetsentence", "boilerplateblock", "disclaimer",
    )
}  # fmt: skip


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


def serve_pdf_queries(client, release) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(release.get_pdf_url())
    assert response.status_code == 200
    assert bytes(response.content) == bytes(Snapshot.objects.get(release=release).pdf)
    return len(queries)


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
