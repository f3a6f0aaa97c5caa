"""What a reviewer reads, and whether the release is still that when they approve it.

`release_review` composes the release as it is now, keeps that composition (content-addressed, so
reading twice writes nothing new) with who read it, and returns its version and digest; an approval
must name both. `release_review_screen` adds what a reviewer needs beside it: what changed since the
composition they last read or returned (shared parts included, since the composition prints them),
paragraph by paragraph, and the thread of returns and answers. `changes_between` says in words what
differs between two compositions; `editors_since` names who changed the release or any part it is
composed from since a moment, for the four-eyes rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from releases.diffing import Paragraph, paragraph_diff
from releases.models import (
    AssetSentence,
    BoilerplateBlock,
    Company,
    Composition,
    Contact,
    Disclaimer,
    Listing,
    PipelineAsset,
    Program,
    Reading,
    Reference,
    Release,
    ReleaseContact,
    ReleaseDisclaimer,
    ReleaseTopic,
    WorkflowEvent,
)

from .common import require, require_company


@dataclass(frozen=True)
class Review:
    """The release as a reviewer reads it now: its version, the digest an approval names, the composition."""

    version: int
    digest: str
    composed: object  # releases.rendering.ComposedRelease


def compose_now(release: Release):
    from releases import rendering

    return rendering.compose(rendering.content_from_release(release))


def keep_composition(release: Release, composed, reader=None) -> Composition:
    """The composition stored under its digest (once), and `reader` noted as having read it now."""
    composition, _created = Composition.objects.get_or_create(
        release=release,
        sha256=composed.content_sha256,
        defaults={"version": release.version, "content_json": composed.content_json},
    )
    if reader is not None and reader.pk is not None:
        Reading.objects.update_or_create(composition=composition, reader=reader, defaults={"at": timezone.now()})
    return composition


def release_review(*, release: Release, user) -> Review:
    """The release composed as it is now, kept as what `user` read; its version and digest bind an approval."""
    require(user, "releases.view_release", _("You cannot read releases."))
    require_company(user, release.company_id)
    composed = compose_now(release)
    keep_composition(release, composed, user)
    return Review(version=release.version, digest=composed.content_sha256, composed=composed)


@dataclass(frozen=True)
class ReviewScreen:
    """What the review screen shows: the release read now, what changed since `baseline`, and the thread."""

    review: Review
    baseline: Composition | None  # what the changes are counted from; None: nothing earlier to compare
    baseline_reason: str  # "chosen", "read", "returned" or ""
    changed_parts: list[str]
    paragraphs: list[Paragraph]
    thread: list[WorkflowEvent]
    earlier: list[Composition]  # the other compositions of this release, newest first, to compare with
    unreadable: bool = False  # the baseline's content could not be composed again


# How many earlier compositions the screen offers to compare with (the newest).
EARLIER_SHOWN = 50

# The steps of the thread between writer and reviewer, and the words a comment is introduced with.
THREAD_ACTIONS = {
    WorkflowEvent.Action.SUBMITTED: gettext_lazy("submitted it for review"),
    WorkflowEvent.Action.RETURNED: gettext_lazy("returned it"),
    WorkflowEvent.Action.APPROVED: gettext_lazy("approved it"),
    WorkflowEvent.Action.APPROVAL_DISCARDED: gettext_lazy("edited it after approval"),
}


def review_thread(release: Release) -> list[WorkflowEvent]:
    """The returns and the answers to them, oldest first: each submission, return and approval with its comment."""
    events = release.events.filter(action__in=list(THREAD_ACTIONS)).select_related("actor").order_by("at", "id")
    thread = list(events)
    for event in thread:
        event.thread_words = THREAD_ACTIONS[event.action]
    return thread


def baseline_of(release: Release, user, digest: str) -> tuple[Composition | None, str]:
    """What `user` last read or returned of this release other than `digest`, and which of the two it was.

    Failing both (a first reading), the composition of the release's last return, by whoever returned it.
    """
    reading = (
        Reading.objects.filter(composition__release=release, reader=user)
        .exclude(composition__sha256=digest)
        .select_related("composition")
        .order_by("-at", "-id")
        .first()
    )
    if reading is not None:
        returned = release.events.filter(
            action=WorkflowEvent.Action.RETURNED, actor=user, details__digest=reading.composition.sha256
        ).exists()
        return reading.composition, "returned" if returned else "read"
    for details in (
        release.events.filter(action=WorkflowEvent.Action.RETURNED)
        .order_by("-at", "-id")
        .values_list("details", flat=True)
    ):
        earlier = (details or {}).get("digest")
        if earlier and earlier != digest:
            composition = read_composition(release, earlier)
            if composition is not None:
                return composition, "returned"
    return None, ""


def release_review_screen(*, release: Release, user, since: int | None = None) -> ReviewScreen:
    """The review screen of `release` for `user`: read now (and noted), compared with what they saw before.

    `since` names another composition of this release (its id) to compare with instead.
    """
    from releases import rendering

    review = release_review(release=release, user=user)
    earlier = list(
        Composition.objects.filter(release=release)
        .exclude(sha256=review.digest)
        .defer("content_json")
        .order_by("-created_at", "-id")[:EARLIER_SHOWN]
    )
    baseline, reason = None, ""
    if since is not None:
        baseline = next((c for c in earlier if c.pk == since), None)
        reason = "chosen" if baseline is not None else ""
    if baseline is None:
        baseline, reason = baseline_of(release, user, review.digest)
    changed, paragraphs, unreadable = [], [], False
    now_text = rendering.render_text(review.composed)
    if baseline is not None:
        baseline = Composition.objects.get(pk=baseline.pk)  # with its content
        changed = changes_between(baseline.content_json, review.composed.content_json)
        try:
            then = rendering.compose(rendering.ReleaseContent.from_json(baseline.content_json))
            paragraphs = paragraph_diff(rendering.render_text(then), now_text)
        except ValueError:
            unreadable = True
    if not paragraphs:
        paragraphs = paragraph_diff(now_text, now_text)
    return ReviewScreen(
        review=review,
        baseline=baseline,
        baseline_reason=reason,
        changed_parts=changed,
        paragraphs=paragraphs,
        thread=review_thread(release),
        earlier=earlier,
        unreadable=unreadable,
    )


# -- what changed -------------------------------------------------------------------------------------

# The parts of a composed release, as the content names them, and how a reviewer calls them.
PARTS = (
    ("headline", gettext_lazy("the headline")),
    ("subheadline", gettext_lazy("the subheadline")),
    ("category", gettext_lazy("the category")),
    ("place", gettext_lazy("the dateline's place")),
    ("publication_at", gettext_lazy("the publication moment")),
    ("body", gettext_lazy("the text")),
    ("references", gettext_lazy("the references")),
    ("topics", gettext_lazy("a topic About")),
    ("company_about", gettext_lazy("the company About")),
    ("assets", gettext_lazy("the pipeline")),
    ("disclaimers", gettext_lazy("a disclaimer")),
    ("mar_legend", gettext_lazy("the inside-information legend")),
    ("contacts", gettext_lazy("the contacts")),
    ("images", gettext_lazy("the images")),
    ("label", gettext_lazy("the label above the headline")),
    ("style", gettext_lazy("the house style")),
    ("listings", gettext_lazy("the security identifiers")),
    ("company", gettext_lazy("the company's details")),
    ("corrects", gettext_lazy("what it corrects")),
)


def changes_between(before: dict, after: dict) -> list[str]:
    """The parts of a composed release that differ between two contents, named as a reviewer reads them."""
    return [str(label) for key, label in PARTS if before.get(key) != after.get(key)]


def read_composition(release: Release, digest: str) -> Composition | None:
    return Composition.objects.filter(release=release, sha256=digest).first()


# -- who changed what since submission ----------------------------------------------------------------


def submitted_at(release: Release) -> dt.datetime | None:
    """When the release last went to review."""
    return (
        WorkflowEvent.objects.filter(release=release, action=WorkflowEvent.Action.SUBMITTED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def editors_since(release: Release, since: dt.datetime) -> dict[int, list[str]]:
    """Who changed the release or a part it is composed from since `since`: user id → what they changed.

    The parts are those the composition reads: the company and its listings, the company About and
    the pipeline it prints, the topic Abouts, the disclaimers (and the inside-information legends of
    the company's language), the contacts, the references and the release's own rows.
    """
    uses_about = release.company_about_id is not None
    sources = [
        (Release, Q(id=release.pk), _("the release")),
        (Reference, Q(release_id=release.pk), _("the references")),
        (ReleaseTopic, Q(release_id=release.pk), _("the topic Abouts")),
        (ReleaseDisclaimer, Q(release_id=release.pk), _("the disclaimers")),
        (ReleaseContact, Q(release_id=release.pk), _("the contacts")),
        (Company, Q(id=release.company_id), _("the company")),
        (Listing, Q(company_id=release.company_id), _("the company's listings")),
        (
            BoilerplateBlock,
            Q(id__in=release.topic_links.values("block_id")) | Q(id=release.company_about_id),
            _("a topic or company About"),
        ),
        (
            Disclaimer,
            Q(id__in=release.disclaimer_links.values("disclaimer_id"))
            | Q(kind=Disclaimer.Kind.INSIDE_INFORMATION, language=release.language),
            _("a disclaimer"),
        ),
        (Contact, Q(id__in=release.contact_links.values("contact_id")), _("a contact")),
    ]
    if uses_about:
        assets = PipelineAsset.objects.filter(company_id=release.company_id).values("id")
        sources += [
            (PipelineAsset, Q(company_id=release.company_id), _("the pipeline")),
            (Program, Q(asset_id__in=assets), _("the pipeline")),
            (AssetSentence, Q(asset_id__in=assets), _("the pipeline")),
        ]
    editors: dict[int, list[str]] = {}
    for model, rows, label in sources:
        history = model.history.filter(rows, history_date__gte=since).exclude(history_user_id=None)
        for user_id in history.values_list("history_user_id", flat=True).distinct():
            named = editors.setdefault(user_id, [])
            if str(label) not in named:
                named.append(str(label))
    return editors
