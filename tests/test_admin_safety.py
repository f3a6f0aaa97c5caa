"""The plain admin cannot bypass the workflow: forged posts, frozen releases, deletes, stale saves."""

import pytest
from django.urls import reverse
from django.utils import timezone

from releases import services
from releases.models import BoilerplateBlock, Release, Snapshot, WorkflowEvent
from tests import factories
from tests.factories import events, row, user_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]
Status = Release.Status


def changelist():
    return reverse("admin:releases_release_changelist")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def release_form(release, **overrides) -> dict:
    local = release.publication_at.astimezone(release.company.zone)  # the form reads the company's zone
    data = {
        "company": release.company_id,
        "language": release.language,
        "category": release.category,
        "headline": release.headline,
        "subheadline": release.subheadline,
        "slug": release.slug,
        "place": release.place,
        "publication_at_0": local.strftime("%Y-%m-%d"),
        "publication_at_1": local.strftime("%H:%M:%S"),
        "body": release.body,
        "company_about": release.company_about_id or "",
        "correction_note": release.correction_note,
        "expected_version": release.version,
    }
    for prefix in ("references", "topic_links", "disclaimer_links", "contact_links", "images"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(overrides)
    return data


def test_a_forged_approve_action_by_a_writer_changes_nothing(client, writer, release):
    services.release_submit(release=release, user=writer)
    before, trail = row(release), events(release)
    client.force_login(writer)

    response = client.post(
        changelist(), {"action": "approve_releases", "_selected_action": [release.pk], "comment": ""}, follow=True
    )

    assert response.status_code == 200
    assert messages_of(response) == ["No action selected."]
    assert row(release) == before
    assert events(release) == trail
    assert not Snapshot.objects.filter(release=release).exists()


def test_a_forged_publish_action_by_a_reviewer_changes_nothing(client, writer, reviewer, release):
    services.release_submit(release=release, user=writer)
    services.release_approve(release=release, user=reviewer)
    before, trail = row(release), events(release)
    client.force_login(reviewer)

    response = client.post(changelist(), {"action": "publish_releases", "_selected_action": [release.pk]}, follow=True)

    assert messages_of(response) == ["No action selected."]
    assert row(release) == before
    assert events(release) == trail


def test_a_staff_user_without_permissions_cannot_post_a_change(client, release):
    nobody = factories.UserFactory(username="nobody")
    client.force_login(nobody)
    before, trail = row(release), events(release)

    url = reverse("admin:releases_release_change", args=[release.pk])
    response = client.post(url, release_form(release, headline="Forged"))

    assert response.status_code == 403
    assert row(release) == before
    assert events(release) == trail


def test_admin_actions_run_the_workflow_and_report_refusals_plainly(client, writer, reviewer, publisher, release):
    client.force_login(writer)
    response = client.post(changelist(), {"action": "submit_releases", "_selected_action": [release.pk]}, follow=True)
    assert messages_of(response) == ["1 release submitted for review."]

    client.force_login(reviewer)
    response = client.post(
        changelist(), {"action": "return_releases", "_selected_action": [release.pk], "comment": ""}, follow=True
    )
    assert messages_of(response) == [f"“{release}”: Write a comment that tells the writer what to change."]
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW

    response = client.post(
        changelist(), {"action": "approve_releases", "_selected_action": [release.pk], "comment": "Fine."}, follow=True
    )
    assert messages_of(response) == ["1 release approved."]
    assert Snapshot.objects.filter(release=release).count() == 1

    client.force_login(publisher)
    response = client.post(changelist(), {"action": "publish_releases", "_selected_action": [release.pk]}, follow=True)
    assert messages_of(response) == ["1 release published or scheduled."]
    assert list(WorkflowEvent.objects.filter(release=release).values_list("action", "actor__username"))[-3:] == [
        ("submitted", "writer"),
        ("approved", "reviewer"),
        ("published", "publisher"),
    ]


def test_a_writer_edit_in_the_admin_goes_through_the_service(client, writer, release):
    client.force_login(writer)
    url = reverse("admin:releases_release_change", args=[release.pk])

    response = client.post(url, release_form(release, headline="Acme Biotech reports better results"))

    assert response.status_code == 302
    stored = Release.objects.get(pk=release.pk)
    assert stored.headline == "Acme Biotech reports better results"
    assert (stored.version, stored.last_edited_by) == (release.version + 1, writer)
    assert events(release)[-1] == "edited"
    assert stored.history.latest().history_user == writer
    # The parts the form did not post are untouched.
    assert stored.references.count() == stored.contact_links.count() == 1


def test_a_stale_admin_save_is_refused_and_overwrites_nothing(client, writer, release):
    other = user_in("Writer", "other")
    opened = release.version
    services.release_edit(release=release, user=other, expected_version=opened, fields={"headline": "Their headline"})
    before, trail = row(release), events(release)
    client.force_login(writer)

    url = reverse("admin:releases_release_change", args=[release.pk])
    stale = Release.objects.get(pk=release.pk)
    response = client.post(url, release_form(stale, headline="Mine", expected_version=opened))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        f"Someone else saved this release since you opened it (version {opened + 1} is current, you had {opened}). "
        "Reload to see their changes; nothing was overwritten."
    ]
    assert row(release) == before
    assert events(release) == trail


def test_a_writer_creates_a_release_in_the_admin_through_the_service(client, writer):
    company = factories.CompanyFactory()
    client.force_login(writer)
    draft = Release(company=company, headline="New release", slug="new-release", publication_at=timezone.now())

    response = client.post(reverse("admin:releases_release_add"), release_form(draft, expected_version=""))

    assert response.status_code == 302
    created = Release.objects.get(slug="new-release")
    assert (created.created_by, created.last_edited_by, created.version, created.status) == (
        writer,
        writer,
        1,
        Status.DRAFT,
    )
    assert events(created) == ["created"]


@pytest.fixture
def published_release(writer, reviewer, publisher, release):
    services.release_submit(release=release, user=writer)
    services.release_approve(release=release, user=reviewer)
    services.release_publish(release=release, user=publisher)
    return Release.objects.get(pk=release.pk)


def test_a_published_release_is_read_only_in_the_admin(client, writer, published_release):
    client.force_login(writer)
    url = reverse("admin:releases_release_change", args=[published_release.pk])
    before, trail = row(published_release), events(published_release)

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(url, release_form(published_release, headline="Edited after publication"))

    assert response.status_code == 403
    assert row(published_release) == before
    assert events(published_release) == trail


def test_a_published_release_cannot_be_deleted_even_by_a_superuser(client, published_release):
    admin_user = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)
    before = row(published_release)

    response = client.post(reverse("admin:releases_release_delete", args=[published_release.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        changelist(), {"action": "delete_selected", "_selected_action": [published_release.pk], "post": "yes"}
    )
    assert Release.objects.filter(pk=published_release.pk).exists()
    assert row(published_release) == before


def test_deleting_a_block_a_published_release_used_archives_it_instead(client, published_release):
    admin_user = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)
    block = published_release.topic_links.get().block
    snapshot = Snapshot.objects.get(release=published_release).page_html

    url = reverse("admin:releases_boilerplateblock_delete", args=[block.pk])
    page = client.get(url, follow=True)
    assert messages_of(page) == [
        f"“{block}” cannot be deleted: releases used it, and what they say must stay as it was. "
        "Archive it instead (action “Archive selected” in the list)."
    ]
    response = client.post(url, {"post": "yes"}, follow=True)

    stored = BoilerplateBlock.objects.get(pk=block.pk)
    assert (stored.archived, stored.title, stored.body) == (True, block.title, block.body)
    assert messages_of(response) == [
        f"“{block}” was not deleted: 1 release(s) used it (“{published_release.headline}”), and what they say "
        "must stay as it was. It was archived instead, so it is no longer offered for new releases."
    ]
    assert Snapshot.objects.get(release=published_release).page_html == snapshot


def test_the_audit_trail_cannot_be_changed_or_deleted_in_the_admin(client, release):
    admin_user = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)
    event = WorkflowEvent.objects.filter(release=release).first()

    assert client.get(reverse("admin:releases_workflowevent_changelist")).status_code == 200
    assert client.get(reverse("admin:releases_workflowevent_add")).status_code == 403
    response = client.post(
        reverse("admin:releases_workflowevent_change", args=[event.pk]), {"action": "submitted", "comment": "forged"}
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:releases_workflowevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    stored = WorkflowEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.comment) == (event.action, event.comment)


def test_the_release_page_shows_the_checks_and_the_audit_trail(client, writer):
    release = services.release_create(
        user=writer, fields={"company": factories.CompanyFactory(), "language": "en", "headline": "We expect growth"}
    )
    client.force_login(writer)
    page = client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    assert "Add at least one contact (media or investors)." in page
    assert '<span class="ev-what">Created</span> by <strong>writer</strong>' in page
