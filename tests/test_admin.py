"""The editorial admin: workflow buttons, previews of unsaved data, ordered parts, choices in scope, safety, tokens."""

import datetime as dt
import hashlib
import html as htmllib
import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone

from releases import services
from releases.models import ApiToken, BoilerplateBlock, Release, ReleaseImage, Snapshot, WorkflowEvent
from tests import factories
from tests.factories import events, ready_release, row, user_in

from .factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]


Status = Release.Status


def workflow(release, action: str) -> str:
    return reverse("admin:releases_release_workflow", args=[release.pk, action])


def change(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def approve_as_shown(client, release, **extra):
    """Approve from the release's page with what the page showed: its version and digest."""
    page = client.get(change(release)).content.decode()
    shown = dict(re.findall(r'name="review_(version|digest)" value="([^"]+)"', page))
    data = {"review_version": shown.get("version", ""), "review_digest": shown.get("digest", ""), **extra}
    return client.post(workflow(release, "approve"), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_writer_forging_an_approve_request_is_refused_and_nothing_changes(client, writer, release):
    services.release_submit(release=release, user=writer)
    before, trail = row(release), events(release)
    client.force_login(writer)

    response = client.post(workflow(release, "approve"), {"workflow_comment": "Looks fine to me"}, follow=True)

    assert response.redirect_chain == [(change(release), 302)]
    assert messages_of(response) == ["You cannot approve releases: ask for the Reviewer role."]
    assert row(release) == before
    assert events(release) == trail
    assert not Snapshot.objects.filter(release=release).exists()


def test_a_reviewer_cannot_approve_their_own_edit(client, release):
    both = user_in("Writer", "editor-in-chief")
    both.groups.add(*user_in("Reviewer", "tmp-reviewer").groups.all())
    both = type(both).objects.get(pk=both.pk)
    services.release_edit(release=release, user=both, expected_version=release.version, fields={"subheadline": "Mine"})
    services.release_submit(release=release, user=both)
    client.force_login(both)

    page = client.get(change(release)).content.decode()
    assert "You cannot approve this release: you made its last edit. Another reviewer must approve it." in page
    response = approve_as_shown(client, release)

    assert messages_of(response) == [
        "You cannot approve this release: you made its last edit. Another reviewer must approve it."
    ]
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_a_release_image_named_png_with_html_inside_is_refused_before_it_is_kept(
    client, writer, release, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(writer)
    data = release_form(release)
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-0-image": SimpleUploadedFile("chart.png", b"<html><script>alert(1)</script></html>", "image/png"),
            "images-0-alt_text": "A chart",
            "images-0-position": 0,
        }
    )

    response = client.post(change(release), data)

    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "images")
    assert formset.formset.errors == [
        {
            "image": [
                "“chart.png” is not a PNG, JPEG or WebP image, whatever its name says. "
                "Open it in an image editor and export it as PNG or JPEG."
            ]
        }
    ]
    assert not ReleaseImage.objects.exists()
    assert list(tmp_path.rglob("*")) == []


def test_a_real_png_is_kept_under_a_clean_name_and_the_edit_is_recorded(client, writer, release, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    client.force_login(writer)
    data = release_form(release)
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-0-image": SimpleUploadedFile("Trial Results (final).PNG", buffer.getvalue(), "image/png"),
            "images-0-alt_text": "Trial results",
            "images-0-position": 0,
        }
    )

    response = client.post(change(release), data)

    assert response.status_code == 302
    image = ReleaseImage.objects.get(release=release)
    assert image.image.name.endswith("/trial-results-final.png")
    assert events(release)[-1] == "edited"


def test_the_buttons_follow_the_role_and_the_state(client, writer, reviewer, publisher, release):
    def buttons(user):
        client.force_login(user)
        return [b["name"] for b in client.get(change(release)).context["workflow_buttons"]]

    assert (buttons(writer), buttons(reviewer), buttons(publisher)) == (["submit"], [], [])
    services.release_submit(release=release, user=writer)
    assert (buttons(writer), buttons(reviewer), buttons(publisher)) == ([], ["return", "approve"], [])
    factories.approve(release, reviewer)
    assert (buttons(writer), buttons(reviewer), buttons(publisher)) == ([], [], ["publish"])
    services.release_publish(release=release, user=publisher)
    assert buttons(publisher) == ["unschedule"]


def test_each_button_says_what_happened(client, writer, reviewer, publisher, release):
    client.force_login(writer)
    response = client.post(workflow(release, "submit"), follow=True)
    assert messages_of(response) == [f"“{release.headline}” is now in review. Reviewers see it on their dashboard."]

    client.force_login(reviewer)
    response = client.post(workflow(release, "return"), {"workflow_comment": ""}, follow=True)
    assert messages_of(response) == ["Write a comment that tells the writer what to change."]
    response = client.post(workflow(release, "return"), {"workflow_comment": "Cite the trial."}, follow=True)
    assert messages_of(response) == [f"“{release.headline}” went back to the writer with your comment."]
    page = client.get(change(release)).content.decode()
    assert "“Cite the trial.”" in page

    client.force_login(writer)
    client.post(workflow(release, "submit"), follow=True)
    client.force_login(reviewer)
    response = approve_as_shown(client, release)
    assert messages_of(response) == [
        f"“{release.headline}” is approved. Its page and PDF are frozen as they will go out; "
        "a publisher can now schedule it."
    ]

    client.force_login(publisher)
    response = client.post(workflow(release, "publish"), follow=True)
    (message,) = messages_of(response)
    assert message.startswith(f"“{release.headline}” is scheduled: it goes public on ")
    response = client.post(workflow(release, "unschedule"), follow=True)
    assert messages_of(response) == [f"“{release.headline}” is off the schedule. Nothing went out; it stays approved."]


def test_a_workflow_button_only_answers_post(client, writer, release):
    client.force_login(writer)
    assert client.get(workflow(release, "submit")).status_code == 405
    assert client.post(workflow(release, "explode")).status_code == 404
    assert Release.objects.get(pk=release.pk).status == Status.DRAFT


def test_a_frozen_release_shows_its_hashes_and_serves_its_snapshot(client, writer, reviewer, release):
    services.release_submit(release=release, user=writer)
    factories.approve(release, reviewer)
    snapshot = Snapshot.objects.get(release=release)
    client.force_login(writer)

    page = client.get(change(release))
    html = page.content.decode()
    assert page.context["has_change_permission"] is False
    assert snapshot.page_sha256 in html and snapshot.pdf_sha256 in html
    frozen_page = client.get(reverse("admin:releases_release_snapshot", args=[release.pk, "page"]))
    frozen_pdf = client.get(reverse("admin:releases_release_snapshot", args=[release.pk, "pdf"]))
    assert frozen_page.content.decode() == snapshot.page_html
    assert (frozen_pdf["Content-Type"], frozen_pdf.content) == ("application/pdf", bytes(snapshot.pdf))
    assert frozen_page["X-Robots-Tag"] == "noindex, nofollow"


def test_the_public_cannot_reach_a_snapshot_through_the_admin(client, writer, reviewer, release):
    services.release_submit(release=release, user=writer)
    factories.approve(release, reviewer)
    response = client.get(reverse("admin:releases_release_snapshot", args=[release.pk, "page"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_page_preview_shows_unsaved_changes_and_saves_nothing(client, writer, release):
    client.force_login(writer)
    before, trail = row(release), events(release)
    data = release_form(release, headline="A headline nobody saved", body="<p>Unsaved words (1).</p>")
    url = reverse("admin:releases_release_preview", args=[release.pk, "page"])

    response = client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "A headline nobody saved" in html and "Unsaved words" in html
    assert "Preview — not published." in html
    assert "no-store" in response["Cache-Control"]
    assert row(release) == before
    assert events(release) == trail


def test_the_preview_uses_the_parts_on_the_form_in_their_order(client, writer, release):
    company = release.company
    first = factories.BoilerplateBlockFactory(company=company, title="About First Topic")
    second = factories.BoilerplateBlockFactory(company=company, title="About Second Topic")
    client.force_login(writer)
    data = release_form(release)
    data.update(
        {
            "topic_links-TOTAL_FORMS": 2,
            "topic_links-0-block": first.pk,
            "topic_links-0-position": 5,
            "topic_links-1-block": second.pk,
            "topic_links-1-position": 2,
        }
    )
    html = client.post(reverse("admin:releases_release_preview", args=[release.pk, "page"]), data).content.decode()
    assert html.index("About Second Topic") < html.index("About First Topic")


def test_the_pdf_preview_of_a_new_release_is_a_pdf(client, writer, monkeypatch):
    monkeypatch.setattr("releases.rendering.render_pdf", lambda content, **kw: b"%PDF-1.7 " + content.headline.encode())
    company = factories.CompanyFactory()
    client.force_login(writer)
    draft = Release(company=company, headline="Never saved", slug="never-saved", publication_at=timezone.now())

    response = client.post(reverse("admin:releases_preview", args=["pdf"]), release_form(draft, expected_version=""))

    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 Never saved"
    assert not Release.objects.filter(slug="never-saved").exists()


def test_a_preview_without_company_or_headline_says_what_is_missing(client, writer):
    client.force_login(writer)
    response = client.post(reverse("admin:releases_preview", args=["page"]), {"headline": ""})
    assert response.status_code == 400
    assert "Choose the company and write a headline, then preview again." in response.content.decode()


def test_reordered_references_are_renumbered_by_the_service(client, writer, release):
    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        references=[{"citation": "First."}, {"citation": "Second."}],
    )
    release.refresh_from_db()
    refs = list(release.references.order_by("position"))
    client.force_login(writer)
    data = release_form(release, body="<p>Cites (1) and (2).</p>")
    data.update(
        {
            "references-TOTAL_FORMS": 2,
            "references-INITIAL_FORMS": 2,
            "references-0-id": refs[0].pk,
            "references-0-position": 2,
            "references-0-citation": "First.",
            "references-1-id": refs[1].pk,
            "references-1-position": 1,
            "references-1-citation": "Second.",
        }
    )

    response = client.post(change(release), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(release.references.order_by("position").values_list("position", "citation")) == [
        (1, "Second."),
        (2, "First."),
    ]
    assert events(release)[-2:] == ["edited", "edited"]


def test_a_part_listed_twice_is_refused_on_the_form(client, writer, release):
    block = release.topic_links.get().block
    client.force_login(writer)
    data = release_form(release)
    data.update(
        {
            "topic_links-TOTAL_FORMS": 2,
            "topic_links-0-block": block.pk,
            "topic_links-1-block": block.pk,
        }
    )
    response = client.post(change(release), data)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "topic_links")
    assert formset.formset.errors == [{}, {}]
    assert formset.formset.non_form_errors() == [f"“{block}” is listed twice. List each one once."]


def test_topic_choices_are_the_companys_unarchived_blocks_in_the_release_language(client, writer, release):
    company = release.company
    wanted = factories.BoilerplateBlockFactory(company=company, title="About Wanted")
    factories.BoilerplateBlockFactory(company=company, title="About Archived", archived=True)
    factories.BoilerplateBlockFactory(company=company, title="À propos", language="fr")
    factories.BoilerplateBlockFactory(title="About Another Company")
    factories.CompanyAboutFactory(company=company)
    client.force_login(writer)

    page = client.get(change(release))

    formset = next(f for f in page.context["inline_admin_formsets"] if f.formset.prefix == "topic_links")
    offered = set(formset.formset.empty_form.fields["block"].queryset.values_list("title", flat=True))
    assert offered == {wanted.title, release.topic_links.get().block.title}


def test_a_new_release_starts_with_the_company_about_and_the_next_morning(client, writer):
    company = factories.CompanyFactory()
    about = factories.CompanyAboutFactory(company=company)
    client.force_login(writer)

    form = client.get(reverse("admin:releases_release_add"), {"company": company.pk}).context["adminform"].form

    assert form.initial["company_about"] == about.pk
    moment = form.initial["publication_at"].astimezone(company.zone)
    assert (moment.hour, moment.minute, moment.weekday() < 5) == (7, 30, True)


def test_the_publication_moment_is_typed_in_the_companys_time_zone(client, writer, release):
    client.force_login(writer)
    data = release_form(release, publication_at_0="2030-07-01", publication_at_1="07:30:00")
    assert client.post(change(release), data).status_code == 302
    assert Release.objects.get(pk=release.pk).publication_at == dt.datetime(2030, 7, 1, 5, 30, tzinfo=dt.UTC)


def test_the_contacts_autocomplete_offers_the_releases_company_only(client, writer, release):
    mine = factories.ContactFactory(company=release.company, name="Zoé Mine")
    factories.ContactFactory(name="Zoé Theirs")
    factories.ContactFactory(company=release.company, name="Zoé Gone", active=False)
    client.force_login(writer)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Zoé",
            "app_label": "releases",
            "model_name": "releasecontact",
            "field_name": "contact",
            "company": release.company_id,
        },
    )
    assert [r["id"] for r in response.json()["results"]] == [str(mine.pk)]


def test_the_release_list_shows_badges_local_times_and_filters_by_year(client, writer, release):
    release.publication_at = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)
    release.save()
    factories.ReleaseFactory(company=release.company, publication_at=dt.datetime(2023, 3, 1, 9, tzinfo=dt.UTC))
    client.force_login(writer)
    url = reverse("admin:releases_release_changelist")

    html = client.get(url, {"year": "2024"}).content.decode()

    assert '<span class="badge badge-draft">Draft</span>' in html
    assert '1 Jul 2024, 07:30 <span class="muted">CEST</span>' in html
    assert client.get(url, {"year": "2024"}).context["cl"].result_count == 1
    assert client.get(url, {"q": "Phase 3"}).context["cl"].result_count == 1


def test_blocks_show_which_releases_use_them(client, release):
    admin_user = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)
    block = release.topic_links.get().block
    listing = client.get(reverse("admin:releases_boilerplateblock_changelist"))
    assert listing.context["cl"].result_list.get(pk=block.pk).n_releases == 1
    page = client.get(reverse("admin:releases_boilerplateblock_change", args=[block.pk])).content.decode()
    assert release.headline in page


def test_history_pages_show_who_changed_what(client, writer, release):
    services.release_edit(
        release=release, user=writer, expected_version=release.version, fields={"headline": "New words"}
    )
    block = release.topic_links.get().block
    block.title = "About A Renamed Topic"
    block._history_user = writer
    block.save()
    admin_user = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)

    release_history = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    block_history = client.get(reverse("admin:releases_boilerplateblock_history", args=[block.pk]))

    assert release_history.status_code == block_history.status_code == 200
    assert "New words" in release_history.content.decode()
    assert "About A Renamed Topic" in block_history.content.decode()


def test_the_dashboard_lists_review_scheduled_and_published(client, writer, reviewer, publisher, release):
    services.release_submit(release=release, user=writer)
    other = ready_release(writer, publication_at=timezone.now() + dt.timedelta(hours=2))
    services.release_submit(release=other, user=writer)
    factories.approve(other, reviewer)
    services.release_publish(release=other, user=publisher)
    client.force_login(writer)

    context = client.get(reverse("admin:index")).context

    assert [r.pk for r in context["dash_in_review"]] == [release.pk]
    assert [r.pk for r in context["dash_scheduled"]] == [other.pk]
    assert context["dash_published"] == []
    assert f'data-countdown="{other.publication_at.isoformat()}"' in client.get(reverse("admin:index")).content.decode()


def test_the_header_carries_the_company_name(client, writer):
    factories.CompanyFactory(short_name="Acme Biotech")
    client.force_login(writer)
    html = client.get(reverse("admin:index")).content.decode()
    assert '<span class="brand-name">Acme Biotech</span>' in html


def test_used_blocks_stay_offered_in_order_even_when_archived_for_the_release_that_has_them(client, writer, release):
    block = release.topic_links.get().block
    BoilerplateBlock.objects.filter(pk=block.pk).update(archived=True)
    client.force_login(writer)
    page = client.get(change(release))
    formset = next(f for f in page.context["inline_admin_formsets"] if f.formset.prefix == "topic_links")
    assert block.pk in set(formset.formset.forms[0].fields["block"].queryset.values_list("pk", flat=True))


def changelist():
    return reverse("admin:releases_release_changelist")


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
    factories.approve(release, reviewer)
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

    # An approval names what its reviewer read, so it is made on the release's page, never in bulk.
    assert "approve_releases" not in dict(client.get(changelist()).context["action_form"].fields["action"].choices)
    response = client.post(
        changelist(), {"action": "approve_releases", "_selected_action": [release.pk], "comment": "Fine."}, follow=True
    )
    assert messages_of(response) == ["No action selected."]
    approve_as_shown(client, release)
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
def went_out(writer, reviewer, publisher, release):
    """The release fixture, approved and published through the workflow."""
    return factories.published(writer, reviewer, publisher, release)


def test_a_published_release_is_read_only_in_the_admin(client, writer, went_out):
    client.force_login(writer)
    url = reverse("admin:releases_release_change", args=[went_out.pk])
    before, trail = row(went_out), events(went_out)

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(url, release_form(went_out, headline="Edited after publication"))

    assert response.status_code == 403
    assert row(went_out) == before
    assert events(went_out) == trail


def test_a_published_release_cannot_be_deleted_even_by_a_superuser(client, went_out):
    admin_user = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)
    before = row(went_out)

    response = client.post(reverse("admin:releases_release_delete", args=[went_out.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        changelist(), {"action": "delete_selected", "_selected_action": [went_out.pk], "post": "yes"}
    )
    assert Release.objects.filter(pk=went_out.pk).exists()
    assert row(went_out) == before


def test_deleting_a_block_a_published_release_used_archives_it_instead(client, went_out):
    admin_user = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)
    block = went_out.topic_links.get().block
    snapshot = Snapshot.objects.get(release=went_out).page_html

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
        f"“{block}” was not deleted: 1 release(s) used it (“{went_out.headline}”), and what they say "
        "must stay as it was. It was archived instead, so it is no longer offered for new releases."
    ]
    assert Snapshot.objects.get(release=went_out).page_html == snapshot


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


def test_an_administrator_creates_a_token_whose_key_is_shown_once_and_revokes_it(client):
    admin_user = UserFactory(username="root", is_superuser=True)
    integrator = UserFactory(username="ir-site")
    client.force_login(admin_user)

    response = client.post("/admin/releases/apitoken/add/", {"user": integrator.pk, "name": "IR website"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(name="IR website")
    shown = re.search(r"is (\S+) — copy it now", response.content.decode()).group(1)
    assert token.key_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert shown not in str(ApiToken.objects.values_list())

    assert client.get("/api/v1/releases/", HTTP_AUTHORIZATION=f"Token {shown}").status_code in (200, 403)
    client.post(
        "/admin/releases/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/releases/", HTTP_AUTHORIZATION=f"Token {shown}").status_code == 401


# -- password guessing ------------------------------------------------------------------------------------


def test_guessing_a_password_is_paused_after_ten_failures_and_a_forged_address_does_not_help(client):
    UserFactory(username="admin", is_superuser=True, password="the-right-password-42")
    guesses = [
        client.post("/admin/login/", {"username": "admin", "password": "a-guess"}).status_code for _ in range(10)
    ]
    assert guesses == [200] * 9 + [429]  # the form again, then paused at the tenth failure

    right = client.post("/admin/login/", {"username": "admin", "password": "the-right-password-42"})
    assert right.status_code == 429
    assert "signing in is paused. Try again in 15 minutes" in right.content.decode()
    # No proxy is trusted by default: a client's own X-Forwarded-For does not make it someone else.
    forged = client.post(
        "/admin/login/",
        {"username": "admin", "password": "the-right-password-42"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert forged.status_code == 429


def test_behind_a_trusted_proxy_the_address_it_forwards_is_the_clients(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="admin", is_superuser=True, password="the-right-password-42")
    for _attempt in range(10):
        client.post("/admin/login/", {"username": "someone", "password": "a-guess"}, HTTP_X_FORWARDED_FOR="203.0.113.9")

    elsewhere = client.post(
        "/admin/login/",
        {"username": "admin", "password": "the-right-password-42"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert elsewhere.status_code == 302  # another client, not paused


# -- the lead, live ----------------------------------------------------------------------------------------


def test_the_lead_endpoint_composes_the_first_paragraph_of_what_is_on_the_form(client, writer, release):
    factories.ListingFactory(company=release.company, ticker="ACME", isin="FR0012127173")
    client.force_login(writer)
    before, trail = row(release), events(release)
    name = release.company.short_name
    data = release_form(release, body=f"<p>{name} today reported results.</p><p>More words.</p>")

    answer = client.post(reverse("admin:releases_release_lead", args=[release.pk]), data).json()

    local = release.publication_at.astimezone(release.company.zone)
    assert answer["how"] == "name"
    assert answer["html"] == (
        f'<p><span class="dateline">Lyon, France – {local:%B} {local.day}, {local.year} – '
        f"{local:%-I:%M} {'am' if local.hour < 12 else 'pm'} {local:%Z} –</span> "
        f'<span class="issuer">{release.company.legal_name}</span> '
        '<span class="identifiers">(ISIN: FR0012127173; Mnemo: ACME)</span> today reported results.</p>'
    )
    assert answer["explanation"] == (
        "Your text opens with the company's name: it is printed once, as the issuer with its identifiers."
    )
    assert row(release) == before and events(release) == trail


def test_the_lead_endpoint_says_when_the_lead_stands_alone(client, writer):
    company = factories.CompanyFactory()
    client.force_login(writer)
    draft = Release(company=company, headline="Not saved", slug="not-saved", publication_at=timezone.now())
    data = release_form(draft, expected_version="", body="<p>The company reports.</p>")

    answer = client.post(reverse("admin:releases_lead"), data).json()

    assert answer["how"] == "separate"
    assert answer["html"].startswith('<p class="lead-line"><span class="dateline">Lyon, France – ')
    assert answer["html"].endswith("</p><p>The company reports.</p>")
    assert answer["explanation"].startswith("Your first paragraph cannot carry the dateline")


def test_the_lead_endpoint_is_for_writers_only(client, db):
    reader = factories.UserFactory(username="reader")
    client.force_login(reader)
    assert client.post(reverse("admin:releases_lead"), {"headline": "x"}).status_code == 403


def test_the_release_form_passes_its_language_and_lead_address_to_its_scripts(client, writer, release):
    client.force_login(writer)
    html = client.get(change(release)).content.decode()
    config = json.loads(html.split('<script id="release-config" type="application/json">', 1)[1].split("</script>")[0])
    assert config == {
        "partsUrl": reverse("admin:releases_release_parts"),
        "leadUrl": reverse("admin:releases_release_lead", args=[release.pk]),
        "frozen": False,
        "editable": True,
        "language": "en",
    }
    assert 'src="/static/admin_ext/editor-language.js"' in html


def test_the_editor_checks_spelling_and_pastes_through_the_desk_cleaner(client, writer, release):
    client.force_login(writer)
    html = client.get(change(release)).content.decode()
    attribute = html.split('data-django-prose-editor-configurable="', 1)[1].split('"', 1)[0]
    config = json.loads(htmllib.unescape(attribute))
    assert "NoSpellCheck" not in config["extensions"]
    assert config["extensions"]["DeskPaste"] is True
    assert config["extensions"]["Link"] == {
        "enableTarget": False,
        "protocols": ["http", "https", "mailto"],
        "autolink": False,
        "linkOnPaste": False,
    }
    assert config["js_modules"] == ["/static/admin_ext/desk-paste.js"]


def test_a_preview_of_a_release_not_public_takes_its_images_through_the_admin(
    client, writer, release, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    png = (Path(__file__).parent / "data" / "shapes-640x360.png").read_bytes()
    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        images=[{"file": SimpleUploadedFile("shapes.png", png), "alt_text": "Shapes", "caption": ""}],
    )
    release.refresh_from_db()
    image = release.images.get()
    client.force_login(writer)
    data = release_form(release)
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-INITIAL_FORMS": 1,
            "images-0-id": image.pk,
            "images-0-release": release.pk,
            "images-0-position": 0,
            "images-0-alt_text": "Shapes, as retyped",
            "images-0-caption": "",
        }
    )
    html = client.post(reverse("admin:releases_release_preview", args=[release.pk, "page"]), data).content.decode()
    src = html.split('class="release-figure">', 1)[1].split('src="', 1)[1].split('"', 1)[0]
    assert src.startswith(f"/admin/releases/release/{release.pk}/media/release-images/r{release.pk}/")
    assert 'alt="Shapes, as retyped"' in html
    served = client.get(src)
    assert served.status_code == 200 and b"".join(served.streaming_content) == png
    client.logout()
    assert client.get(src).status_code == 302  # to the login page


# -- one save, one line; actions named; history in words --------------------------------------------------


def test_three_saves_are_three_versions_and_three_lines_each_naming_what_changed(client, writer, release):
    client.force_login(writer)
    first_version = release.version
    saves = [
        {"headline": "A first new headline"},
        {"body": "<p>today reported different results (1).</p>"},
        {"subheadline": "A subheadline", "references-TOTAL_FORMS": 1, "references-INITIAL_FORMS": 1},
    ]
    reference = release.references.get()
    for changes in saves:
        release.refresh_from_db()
        data = release_form(release, **changes)
        if "references-TOTAL_FORMS" in changes:
            data.update(
                {
                    "references-0-id": reference.pk,
                    "references-0-release": release.pk,
                    "references-0-position": 1,
                    "references-0-citation": "Doe J. A study, revised. 2024.",
                    "references-0-url": "https://doi.org/10.1000/x",
                }
            )
        assert client.post(change(release), data).status_code == 302
    release.refresh_from_db()
    assert release.version == first_version + 3
    assert events(release)[-3:] == ["edited", "edited", "edited"]
    page = client.get(change(release)).content.decode()
    lines = re.findall(r'<span class="ev-what">([^<]*)</span>(?: <span class="ev-detail">([^<]*)</span>)?', page)
    assert lines[:4] == [
        ("Edited", "References, Subheadline"),
        ("Edited", "Text"),
        ("Edited", "Headline"),
        ("Created", ""),
    ]
    assert "×" not in page


def test_recent_actions_name_each_action_including_approvals_and_schedules(
    client, writer, reviewer, publisher, release
):
    headline = "Acme Biotech names its Phase 3 trial"
    services.release_edit(release=release, user=writer, expected_version=release.version, fields={"headline": headline})
    services.release_submit(release=release, user=writer)
    factories.approve(release, reviewer)
    services.release_publish(release=release, user=publisher)
    block = factories.BoilerplateBlockFactory(company=release.company)
    client.force_login(writer)
    client.post(
        reverse("admin:releases_boilerplateblock_change", args=[block.pk]),
        {
            "company": block.company_id,
            "kind": block.kind,
            "language": "en",
            "title": "About A Renamed Topic",
            "body": block.body,
        },
    )
    html = client.get(reverse("admin:index")).content.decode()
    section = html.split('id="dash-recent"', 1)[1].split("</section>", 1)[0]
    actions = re.findall(r'<span class="dash-action">([^<]*)</span> · (\w+) ·', section)
    moment = release.publication_at.astimezone(release.company.zone)
    assert actions[:5] == [
        ("Changed Title.", "writer"),
        (f"Scheduled for {formats.date_format(moment, 'DATETIME_FORMAT')} ({moment:%Z})", "publisher"),
        ("Approved", "reviewer"),
        ("Submitted for review", "writer"),
        ("Edited: Headline", "writer"),
    ]
    assert section.count(headline) == 5  # the edit, submission, approval, schedule and creation: one line each


def test_used_by_shows_a_scheduled_release_as_scheduled_and_a_public_one_as_published(
    client, writer, reviewer, publisher
):
    scheduled = factories.published(writer, reviewer, publisher, ready_release(writer))
    public = factories.published(writer, reviewer, publisher, ready_release(writer, publication_at=factories.PAST))
    disclaimer = scheduled.disclaimer_links.get().disclaimer
    public.disclaimer_links.all().delete()
    public.disclaimer_links.create(disclaimer=disclaimer, position=0)
    client.force_login(writer)
    html = client.get(reverse("admin:releases_disclaimer_change", args=[disclaimer.pk])).content.decode()
    used = html.split('<ul class="used-by">', 1)[1].split("</ul>", 1)[0]
    badges = re.findall(r'<span class="badge badge-(\w+)">([^<]*)</span>', used)
    assert badges == [("scheduled", "Scheduled"), ("published", "Published")]


def test_the_history_reads_in_words_at_the_company_time_without_empty_lines(client, writer, reviewer, release):
    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        fields={"body": "<p>Acme Biotech expects to start Phase 3 in 2026, not 2025 (1).</p>"},
    )
    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        references=[{"citation": "Doe J. Another study. 2025.", "url": "https://doi.org/10.1000/y"}],
    )
    services.release_submit(release=release, user=writer)
    client.force_login(reviewer)

    html = client.get(reverse("admin:releases_release_history", args=[release.pk])).content.decode()

    body = html.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    assert "<strong>Status:</strong>\n              <del>Draft</del> → <ins>In review</ins>" in body
    assert (
        '<strong>Body:</strong>\n              <span class="history-diff">Acme Biotech expects to start Phase 3 in '
        "<ins>2026, not</ins> 2025 (1).</span>"
    ) in body
    assert "<strong>Parts:</strong>" in body and "References" in body
    assert "[" not in re.sub(r"<[^>]+>", "", body)  # nothing cut to "[158 chars]"
    rows = re.findall(r"<tr>", body)
    assert len(rows) == 1 + 4  # the head, then created, two edits, submitted: no empty "Changed" line
    local = release.history.latest().history_date.astimezone(release.company.zone)
    assert f"{local:%H:%M} {local:%Z}" in body and "UTC" not in body
    assert "Times are in Europe/Paris, the company's time zone." in html


def test_the_plus_beside_a_topic_about_opens_a_topic_about_of_the_release_company_and_language(client, writer, release):
    client.force_login(writer)
    html = client.get(change(release)).content.decode()
    link = re.search(r'<a class="related-widget-wrapper-link add-related" id="add_id_topic_links-0-block"[^>]*>', html)
    assert link is not None
    href = htmllib.unescape(re.search(r'href="([^"]*)"', link.group(0)).group(1))
    assert href == (
        "/admin/releases/boilerplateblock/add/?_to_field=id&_popup=1&_source_model=releases.releasetopic"
        f"&company={release.company_id}&language=en&kind=topic_about"
    )
    assert 'title="Add another topic About"' in link.group(0)

    popup = client.get(href)
    page = popup.content.decode()
    assert "<title>Add Topic About | " in page
    form = popup.context["adminform"].form
    assert (str(form.initial["company"]), form.initial["language"], form.initial["kind"]) == (
        str(release.company_id),
        "en",
        "topic_about",
    )
