"""The edit service: one change of a release and its parts is one version and one event, or a refusal."""

import pytest

from releases import services
from releases.models import Release, ReleaseContact, Snapshot, WorkflowEvent
from releases.services import WorkflowError
from tests import factories
from tests.factories import approved, events, published, refused, row, user_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]


Status = Release.Status


def test_every_save_raises_the_version_and_names_the_editor(writer, release):
    before = release.version
    services.release_edit(release=release, user=writer, expected_version=before, fields={"subheadline": "A first."})
    stored = Release.objects.get(pk=release.pk)
    assert stored.version == before + 1
    assert stored.last_edited_by == writer


def test_a_stale_save_is_refused_and_overwrites_nothing(writer, release):
    other = user_in("Writer", "other-writer")
    opened = release.version
    services.release_edit(release=release, user=other, expected_version=opened, fields={"headline": "Their headline"})
    before, trail = row(release), events(release)

    with pytest.raises(WorkflowError) as exc:
        services.release_edit(
            release=Release.objects.get(pk=release.pk),
            user=writer,
            expected_version=opened,
            fields={"headline": "Mine"},
        )

    assert refused(exc) == (
        f"Someone else saved this release since you opened it (version {opened + 1} is current, you had {opened}). "
        "Reload to see their changes; nothing was overwritten."
    )
    assert row(release) == before
    assert events(release) == trail


def test_editing_an_approved_release_sends_it_back_to_draft_and_discards_the_snapshot(writer, reviewer, release):
    release = approved(writer, reviewer, release)
    trail = events(release)

    services.release_edit(
        release=release, user=writer, expected_version=release.version, fields={"subheadline": "Edited"}
    )

    stored = Release.objects.get(pk=release.pk)
    assert (stored.status, stored.approved_by, stored.approved_at) == (Status.DRAFT, None, None)
    assert not Snapshot.objects.filter(release=release).exists()
    # One save, one line: the edit that undid the approval.
    assert events(release) == [*trail, "approval_discarded"]
    event = WorkflowEvent.objects.filter(release=release).latest("id")
    assert (event.from_status, event.to_status, event.details) == ("approved", "draft", {"changed": ["subheadline"]})


@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_editing_a_published_release_is_refused(writer, reviewer, publisher, public_release, status):
    release = published(writer, reviewer, publisher, public_release)
    if status == "withdrawn":
        services.release_withdraw(release=release, user=publisher, notice="Issued in error.")
        release = Release.objects.get(pk=release.pk)
    before, trail = row(release), events(release)

    with pytest.raises(WorkflowError) as exc:
        services.release_edit(
            release=release, user=writer, expected_version=release.version, fields={"headline": "Oops"}
        )

    assert refused(exc) == (
        f"This release is {status}, so it can no longer be changed: what went out stays as it was. "
        "To fix it, a publisher creates a correction."
    )
    assert row(release) == before
    assert events(release) == trail
    with pytest.raises(WorkflowError):
        services.release_edit(release=release, user=writer, expected_version=release.version, references=[])
    assert release.references.count() == 1


def test_history_rows_name_the_user_for_the_release_and_its_parts(writer, release):
    assert release.history.latest().history_user == writer
    assert release.references.get().history.latest().history_user == writer
    assert release.topic_links.get().history.latest().history_user == writer
    assert release.contact_links.get().history.latest().history_user == writer
    services.release_edit(release=release, user=writer, expected_version=release.version, contacts=[])
    removal = ReleaseContact.history.filter(release_id=release.pk, history_type="-").get()
    assert removal.history_user == writer


def test_parts_of_another_company_are_refused(writer, release):
    foreign = factories.ContactFactory()
    before = row(release)
    with pytest.raises(WorkflowError, match="belongs to another company"):
        services.release_edit(release=release, user=writer, expected_version=release.version, contacts=[foreign])
    assert row(release) == before


def test_one_change_of_fields_and_every_part_is_one_version_and_one_event(writer, release):
    company = release.company
    before, trail = release.version, events(release)
    history = release.history.count()

    services.release_edit(
        release=release,
        user=writer,
        expected_version=before,
        fields={"headline": "Acme Biotech reports Phase 2 results", "subheadline": "A second look."},
        references=[{"citation": "Roe R. Another study. 2025."}, {"citation": "Doe J. A study. 2024."}],
        topics=[factories.BoilerplateBlockFactory(company=company, body="<p>Cited (1) and (2).</p>")],
        disclaimers=[],
        contacts=[factories.ContactFactory(company=company, name="Camille"), *release.contacts.all()],
    )

    assert release.version == before + 1
    assert events(release) == [*trail, "edited"]
    event = WorkflowEvent.objects.filter(release=release).latest("id")
    assert event.details == {
        "changed": ["contacts", "disclaimers", "headline", "references", "subheadline", "topic_abouts"]
    }
    assert release.history.count() == history + 1
    assert list(release.references.values_list("position", "citation")) == [
        (1, "Roe R. Another study. 2025."),
        (2, "Doe J. A study. 2024."),
    ]
    assert next(c.name for c in release.contacts.order_by("release_links__position")) == "Camille"


def test_a_change_that_changes_nothing_writes_nothing(writer, release):
    before, trail, history = row(release), events(release), release.history.count()

    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        fields={"headline": release.headline, "body": release.body},
        references=[{"citation": "Doe J. A study. 2024.", "url": "https://doi.org/10.1000/x"}],
        topics=[link.block for link in release.topic_links.all()],
        contacts=list(release.contacts.all()),
    )

    assert row(release) == before
    assert events(release) == trail
    assert release.history.count() == history
