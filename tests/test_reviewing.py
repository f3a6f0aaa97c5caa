"""Four eyes over the composed release: an approval names what its reviewer read, and nothing else goes out."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from releases import services
from releases.models import Release, Snapshot
from releases.services import WorkflowError
from tests import factories
from tests.factories import events, refused, row, user_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]
Status = Release.Status


@pytest.fixture
def in_review(writer):
    """A release in review that uses one of every kind of part: About with the pipeline, topic, disclaimer,
    contact, listing."""
    release = factories.ready_release(writer)
    company = release.company
    factories.ListingFactory(company=company, ticker="ACME")
    about = factories.CompanyAboutFactory(company=company)
    asset = factories.PipelineAssetFactory(company=company, name="Acmezumab")
    factories.ProgramFactory(asset=asset)
    factories.AssetSentenceFactory(asset=asset)
    services.release_edit(
        release=release, user=writer, expected_version=release.version, fields={"company_about": about}
    )
    services.release_submit(release=release, user=writer)
    return Release.objects.get(pk=release.pk)


def change(obj, user, **values):
    """Edit a part the way the admin saves it: the history names who did it."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


# Each kind of part a release is composed from, how to change it, and how the refusal names it.
PARTS = {
    "topic About": (lambda r: r.topic_links.get().block, {"body": "<p>A new claim.</p>"}, "a topic About"),
    "company About": (lambda r: r.company_about, {"body": "<p>{company} rewrote this.</p>"}, "the company About"),
    "disclaimer": (lambda r: r.disclaimer_links.get().disclaimer, {"body": "<p>New legal text.</p>"}, "a disclaimer"),
    "pipeline asset": (lambda r: r.company.assets.get(), {"name": "Acmezumab®"}, "the pipeline"),
    "program": (lambda r: r.company.assets.get().programs.get(), {"phase": 30}, "the pipeline"),
    "pipeline sentence": (lambda r: r.company.assets.get().sentences.get(), {"text": "<p>{name}.</p>"}, "the pipeline"),
    "company": (lambda r: r.company, {"city": "Lille"}, "the company's details"),
    "listing": (lambda r: r.company.listings.get(), {"ticker": "ACMX"}, "the security identifiers"),
    "contact": (lambda r: r.contact_links.get().contact, {"name": "Someone Else"}, "the contacts"),
}


@pytest.mark.parametrize("part", PARTS)
def test_a_part_changed_after_the_reviewer_read_it_refuses_the_approval_and_says_what(part, in_review, reviewer):
    target, values, named = PARTS[part]
    read = services.release_review(release=in_review, user=reviewer)
    editor = factories.UserFactory(username="chief", is_superuser=True)
    change(target(in_review), editor, **values)
    before, trail = row(in_review), events(in_review)

    with pytest.raises(WorkflowError) as exc:
        services.release_approve(release=in_review, user=reviewer, version=read.version, digest=read.digest)

    assert refused(exc) == (
        f"What this release is composed from changed since you read it: {named}. Read it again, then approve it."
    )
    assert (row(in_review), events(in_review)) == (before, trail)
    assert not Snapshot.objects.filter(release=in_review).exists()
    # Read again, the reviewer approves what they now read, and that is what is frozen.
    again = services.release_review(release=in_review, user=reviewer)
    services.release_approve(release=in_review, user=reviewer, version=again.version, digest=again.digest)
    assert Snapshot.objects.get(release=in_review).content_sha256 == Snapshot.sha256(
        services.canonical_json(again.composed.content_json)
    )


def test_the_approver_who_changed_a_part_since_submission_may_not_approve(in_review):
    chief = user_in("Writer", "chief")
    chief.groups.add(*user_in("Reviewer", "tmp").groups.all())
    chief = type(chief).objects.get(pk=chief.pk)
    change(in_review.topic_links.get().block, chief, body="<p>My own wording.</p>")
    read = services.release_review(release=in_review, user=chief)

    with pytest.raises(WorkflowError) as exc:
        services.release_approve(release=in_review, user=chief, version=read.version, digest=read.digest)

    assert refused(exc) == (
        "You cannot approve this release: since it was submitted you changed a topic or company About, which it "
        "is composed from. Another reviewer must approve it."
    )
    assert services.TRANSITIONS["approve"].check(in_review, chief).code == "four_eyes"


def test_an_edit_during_review_sends_the_release_back_to_draft(in_review, writer, reviewer):
    read = services.release_review(release=in_review, user=reviewer)
    services.release_edit(
        release=in_review, user=writer, expected_version=in_review.version, fields={"subheadline": "x"}
    )

    assert in_review.status == Status.DRAFT
    assert events(in_review)[-1] == "edited"
    with pytest.raises(WorkflowError, match=r"You cannot approve this release: it is draft\."):
        services.release_approve(release=in_review, user=reviewer, version=read.version, digest=read.digest)


def test_an_approval_naming_an_older_version_is_refused(in_review, reviewer):
    read = services.release_review(release=in_review, user=reviewer)
    with pytest.raises(WorkflowError, match=r"you read version \d+; version \d+ is current"):
        services.release_approve(release=in_review, user=reviewer, version=read.version - 1, digest=read.digest)


def test_an_approval_without_what_was_read_is_refused_in_plain_words(in_review, reviewer):
    with pytest.raises(WorkflowError, match="Read the release before you approve it"):
        services.release_approve(release=in_review, user=reviewer)


def test_reading_twice_keeps_one_composition(in_review, reviewer):
    first = services.release_review(release=in_review, user=reviewer)
    second = services.release_review(release=in_review, user=reviewer)
    assert first.digest == second.digest
    assert in_review.compositions.count() == 1


def test_through_the_api_a_part_changed_since_reading_refuses_the_approval(in_review, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    read = client.get(f"/api/v1/releases/{in_review.pk}/review/").json()
    change(in_review.disclaimer_links.get().disclaimer, factories.UserFactory(is_superuser=True), title="Legal")

    response = client.post(
        f"/api/v1/releases/{in_review.pk}/approve/", {"version": read["version"], "digest": read["digest"]}, "json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "What this release is composed from changed since you read it: a disclaimer. Read it again, then "
            "approve it."
        ]
    }


def test_through_the_command_line_a_part_changed_since_reading_refuses_the_approval(in_review, reviewer):
    out = io.StringIO()
    call_command("review", in_review.pk, "--user", "reviewer", stdout=out)
    version, digest = re.search(r"--version-read (\d+) --digest ([0-9a-f]{64})", out.getvalue()).groups()
    change(in_review.contact_links.get().contact, factories.UserFactory(is_superuser=True), name="Other")

    with pytest.raises(CommandError, match="changed since you read it: the contacts"):
        call_command(
            "release", "approve", in_review.pk, "--user", "reviewer", "--version-read", version, "--digest", digest
        )


def test_in_the_admin_the_approval_names_what_the_page_showed(client, in_review, reviewer):
    client.force_login(reviewer)
    url = f"/admin/releases/release/{in_review.pk}/change/"
    page = client.get(url).content.decode()
    shown = dict(re.findall(r'name="review_(version|digest)" value="([^"]+)"', page))
    change(in_review.company, factories.UserFactory(is_superuser=True), city="Lille")

    response = client.post(
        f"/admin/releases/release/{in_review.pk}/workflow/approve/",
        {"review_version": shown["version"], "review_digest": shown["digest"]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "What this release is composed from changed since you read it: the company's details. Read it again, "
        "then approve it."
    ]
    assert Release.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
