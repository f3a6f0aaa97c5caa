"""The editorial admin: workflow buttons, previews of unsaved data, ordered parts, choices in scope, lists."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from releases import services
from releases.models import BoilerplateBlock, Release, ReleaseImage, Snapshot
from tests import factories
from tests.factories import events, ready_release, row, user_in
from tests.test_admin_safety import release_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]
Status = Release.Status


def workflow(release, action: str) -> str:
    return reverse("admin:releases_release_workflow", args=[release.pk, action])


def change(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# -- bad input: each refused with a plain message, nothing written -----------------------------------------


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
    response = client.post(workflow(release, "approve"), follow=True)

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


# -- workflow buttons -----------------------------------------------------------------------------------------


def test_the_buttons_follow_the_role_and_the_state(client, writer, reviewer, publisher, release):
    def buttons(user):
        client.force_login(user)
        return [b["name"] for b in client.get(change(release)).context["workflow_buttons"]]

    assert (buttons(writer), buttons(reviewer), buttons(publisher)) == (["submit"], [], [])
    services.release_submit(release=release, user=writer)
    assert (buttons(writer), buttons(reviewer), buttons(publisher)) == ([], ["return", "approve"], [])
    services.release_approve(release=release, user=reviewer)
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
    response = client.post(workflow(release, "approve"), follow=True)
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
    services.release_approve(release=release, user=reviewer)
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
    services.release_approve(release=release, user=reviewer)
    response = client.get(reverse("admin:releases_release_snapshot", args=[release.pk, "page"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# -- preview of unsaved changes ---------------------------------------------------------------------------------


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


# -- ordered parts, saved through the services --------------------------------------------------------------------


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


# -- lists and history ---------------------------------------------------------------------------------------------


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
    services.release_approve(release=other, user=reviewer)
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
