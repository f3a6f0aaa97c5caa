"""The review screen: the release as it will be read, what changed since the reviewer last read or returned it
(shared parts included), the thread of returns and answers, and approve or return from there."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from releases import services
from releases.diffing import paragraph_diff
from releases.models import CompanyAssignment, Release, WorkflowEvent
from tests import factories


def review_url(release) -> str:
    return reverse("admin:releases_release_review", args=[release.pk])


def screen_of(client, user, release, **params) -> str:
    client.force_login(user)
    response = client.get(review_url(release), params)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return response.content.decode()


def document(html: str) -> str:
    return html.split('class="review-doc"', 1)[1].split("</article>", 1)[0]


def change(obj, user, **values):
    """Edit a part the way the admin saves it: the history names who did it."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


@pytest.fixture
def in_review(writer, release):
    services.release_submit(release=release, user=writer, comment="Ready for a first look.")
    return Release.objects.get(pk=release.pk)


def test_a_first_reading_marks_nothing_and_shows_the_whole_release(client, reviewer, in_review):
    html = screen_of(client, reviewer, in_review)
    assert "First reading" in html
    text = document(html)
    assert "Acme Biotech reports positive Phase 2 results".upper() in text  # the headline, as the text sets it
    assert '<h3 class="review-p same">References</h3>' in text
    assert "expects to start Phase 3 in 2025" in text
    assert "A disease that matters" in text  # the topic About, a shared part, is part of what is read
    assert "<ins>" not in text and "<del>" not in text
    # The thread starts with the submission and its note.
    thread = html.split('id="review-thread"', 1)[1]
    assert "submitted it for review" in thread and "Ready for a first look." in thread


def test_after_a_return_the_reviewer_sees_what_the_writer_changed_including_a_shared_part(
    client, writer, reviewer, in_review
):
    screen_of(client, reviewer, in_review)
    read_version = in_review.version
    response = client.post(
        reverse("admin:releases_release_workflow", args=[in_review.pk, "return"]),
        {"_from": "review", "workflow_comment": "Say when Phase 3 starts, and fix the disease sentence."},
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Release.Status.DRAFT
    returned = WorkflowEvent.objects.filter(release=in_review, action="returned").get()
    assert returned.details["version"] == read_version and len(returned.details["digest"]) == 64

    services.release_edit(
        release=in_review,
        user=writer,
        expected_version=in_review.version,
        fields={"body": "<p>Acme Biotech expects to start Phase 3 in the first half of 2026 (1).</p>"},
    )
    change(in_review.topic_links.get().block, writer, body="<p>A rare disease that matters (1).</p>")
    services.release_submit(release=in_review, user=writer, comment="Done: the date and the disease sentence.")

    html = screen_of(client, reviewer, in_review)
    returned_version = returned.details["version"]
    assert f"Changes since version {returned_version}, which was returned" in html
    parts = re.search(r'<p class="review-parts">(.*?)</p>', html, re.S).group(1)
    assert "the text" in parts and "a topic About" in parts and "the headline" not in parts
    text = document(html)
    assert "<del>2025</del>" in text
    assert "<ins>the first half of 2026</ins>" in text
    assert "<ins>rare</ins>" in text  # the change to the shared topic About is marked too
    assert text.count('class="review-p changed"') == 2
    # The thread: the first note, the return with its comment, the answer.
    thread = html.split('id="review-thread"', 1)[1]
    order = [thread.index(s) for s in ("Ready for a first look.", "Say when Phase 3 starts", "Done: the date")]
    assert order == sorted(order)
    assert "returned it" in thread

    # Approving from the screen approves exactly what it showed.
    version = re.search(r'name="review_version" value="(\d+)"', html).group(1)
    digest = re.search(r'name="review_digest" value="([0-9a-f]{64})"', html).group(1)
    response = client.post(
        reverse("admin:releases_release_workflow", args=[in_review.pk, "approve"]),
        {"_from": "review", "review_version": version, "review_digest": digest},
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Release.Status.APPROVED
    assert in_review.snapshot.content_sha256  # frozen


def test_a_reload_keeps_showing_the_changes_since_the_earlier_reading(client, writer, reviewer, in_review):
    screen_of(client, reviewer, in_review)
    disclaimer = in_review.disclaimer_links.get().disclaimer
    change(disclaimer, writer, body="<p>Past results do not predict future results.</p>")
    for _reading in range(2):  # reading the new version does not hide what changed since the one before
        html = screen_of(client, reviewer, in_review)
        assert "which you read" in html
        assert "a disclaimer" in re.search(r'<p class="review-parts">(.*?)</p>', html, re.S).group(1)
        assert "<ins>" in document(html)


def test_an_approval_of_what_the_screen_showed_is_refused_once_a_part_changed_and_says_so_there(
    client, writer, reviewer, in_review
):
    html = screen_of(client, reviewer, in_review)
    version = re.search(r'name="review_version" value="(\d+)"', html).group(1)
    digest = re.search(r'name="review_digest" value="([0-9a-f]{64})"', html).group(1)
    change(in_review.contact_links.get().contact, writer, name="Someone Else")
    response = client.post(
        reverse("admin:releases_release_workflow", args=[in_review.pk, "approve"]),
        {"_from": "review", "review_version": version, "review_digest": digest},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == review_url(in_review)  # back on the screen, with the reason
    page = response.content.decode()
    assert "the contacts" in page and "changed" in page
    in_review.refresh_from_db()
    assert in_review.status == Release.Status.IN_REVIEW
    assert "<ins>Someone Else</ins>" in document(page) or "<ins>Someone" in document(page)


def test_a_reviewer_can_compare_with_any_earlier_version(client, writer, reviewer, in_review):
    screen_of(client, reviewer, in_review)
    first = in_review.compositions.get()
    change(in_review.topic_links.get().block, writer, body="<p>A second wording (1).</p>")
    screen_of(client, reviewer, in_review)
    change(in_review.topic_links.get().block, writer, body="<p>A third wording (1).</p>")
    html = screen_of(client, reviewer, in_review, since=first.pk)
    assert f"Changes since version {first.version}</h2>" in " ".join(html.split()).replace(" </h2>", "</h2>")
    assert "A <del>disease that matters</del> <ins>third wording</ins> (1)." in document(html)
    for bad in ("abc", "²", "99999999999999999999", "-1", str(first.pk + 1000)):
        client.get(review_url(in_review), {"since": bad})  # ignored, never an error
        assert client.get(review_url(in_review), {"since": bad}).status_code == 200


def test_only_those_who_may_read_the_release_see_its_review_screen(client, writer, reviewer, in_review):
    assert client.get(review_url(in_review)).status_code == 302  # to the login page
    nobody = factories.UserFactory(is_staff=True)
    client.force_login(nobody)
    assert client.get(review_url(in_review)).status_code in (403, 404)
    elsewhere = factories.user_in("Reviewer", "reviewer-elsewhere")
    CompanyAssignment.objects.create(user=elsewhere, company=factories.CompanyFactory())
    client.force_login(elsewhere)
    assert client.get(review_url(in_review)).status_code == 404
    # A writer reads it but has no decision to take there.
    html = screen_of(client, writer, in_review)
    assert 'id="review_form"' not in html
    assert "A reviewer approves it or returns it." in html


def test_a_frozen_release_sends_the_screen_back_to_its_form(client, writer, reviewer, publisher, in_review):
    factories.approve(in_review, reviewer)
    client.force_login(reviewer)
    response = client.get(review_url(in_review))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:releases_release_change", args=[in_review.pk])


def test_the_change_form_and_the_dashboard_lead_reviewers_to_the_screen(client, reviewer, in_review):
    client.force_login(reviewer)
    form = client.get(reverse("admin:releases_release_change", args=[in_review.pk])).content.decode()
    assert review_url(in_review) in form
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert review_url(in_review) in dashboard


def test_paragraph_diff_keeps_unchanged_paragraphs_and_marks_the_rest_word_by_word():
    old = "Title\n\nFirst paragraph stays.\n\nThe trial starts in\n2025 as planned.\n\nA paragraph that goes."
    new = "Title\n\nFirst paragraph stays.\n\nThe trial starts in 2026 as planned.\n\nAn entirely new one here."
    result = paragraph_diff(old, new)
    assert [p.state for p in result] == ["same", "same", "changed", "removed", "added"]
    assert str(result[2].html) == "The trial starts in <del>2025</del> <ins>2026</ins> as planned."
    assert str(result[3].html) == "<del>A paragraph that goes.</del>"
    assert paragraph_diff("<b>x</b>", "<b>y</b>")[0].html == "<del>&lt;b&gt;x&lt;/b&gt;</del>"
