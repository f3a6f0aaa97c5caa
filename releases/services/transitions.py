"""The workflow's transitions, each declared once: the admin's buttons and list actions, the API's
action routes and their permissions, the command line and the API documentation are generated from
`TRANSITIONS`.

As in Wagtail's `PublishRevisionAction`, each transition separates `check(release, user)` — why this
user cannot do this to this release now, or None; it reads and never writes — from `execute(...)`,
which locks the release, checks again against the locked row, and only then writes: the new state,
one audit event, and what the step produces (the snapshot, a correction). A refusal raises
`WorkflowError` (or `PermissionDenied`) in plain words before anything is written.

The publication moment is part of what a reviewer approves: the dateline prints it, so the frozen
snapshot depends on it. Publishing therefore happens at the approved moment and refuses another one;
to move the moment, edit the release (it goes back to draft) and have it approved again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from releases.checks import blocking, run_checks
from releases.models import Release, Snapshot, WorkflowEvent
from releases.scoping import works_for
from releases.signals import send_on_commit

from .common import Refusal, WorkflowError, lock, moment, permitted, record, refresh, save
from .editing import create, parts_of, unique_slug
from .reviewing import (
    changes_between,
    compose_now,
    editors_since,
    keep_composition,
    read_composition,
    submitted_at,
)

Status = Release.Status
Action = WorkflowEvent.Action


@dataclass(frozen=True)
class Argument:
    """What a transition asks of the person doing it besides the click.

    `kind` is "text" (what a person writes: a comment, a note, a notice), "moment", or what binds an
    approval to what the reviewer read: "version" (the release's version) and "digest" (the SHA-256 of
    the composed release, from `release_review`).
    """

    name: str  # the keyword `execute` takes, the API's field
    kind: str
    label: Any
    help_text: Any
    required: bool = False
    missing: Any = ""  # the refusal when a required one is blank


class Transition:
    """One step of the workflow. Subclasses set the class attributes and `apply`."""

    name: ClassVar[str]
    label: ClassVar[Any]
    permission: ClassVar[str]
    sources: ClassVar[tuple[str, ...]]  # the states it starts from
    arguments: ClassVar[tuple[Argument, ...]] = ()
    in_bulk: ClassVar[bool] = True  # False: each release needs its own arguments, so no list action
    confirm: ClassVar[Any] = ""  # asked before a step that cannot be undone
    style: ClassVar[str] = ""
    creates: ClassVar[bool] = False  # it makes a new release rather than moving this one
    summary: ClassVar[str] = ""  # the API operation's summary
    done_count: ClassVar[Any]  # what a list action says it did, with %(count)s
    forbidden: ClassVar[Any]  # the refusal to someone without the permission
    wrong_state: ClassVar[Any]  # the refusal in another state, with %(status)s

    def check(self, release: Release, user, *, now: dt.datetime | None = None) -> Refusal | None:
        """Why `user` cannot do this to `release` now, or None. Reads, never writes."""
        if not permitted(user, self.permission):
            return Refusal("permission_denied", str(self.forbidden), permission=True)
        if not works_for(user, release.company_id):
            return Refusal(
                "other_company",
                _("You do not work for this company: ask an administrator to assign you to it."),
                permission=True,
            )
        if release.status not in self.sources:
            return Refusal(
                "wrong_state", str(self.wrong_state) % {"status": _status_words(release, now)}, offered=False
            )
        return self.refusal(release, user, now or timezone.now())

    def refusal(self, release: Release, user, now: dt.datetime) -> Refusal | None:
        """The transition's own rule beyond permission and state."""
        return None

    def execute(self, *, release: Release, user, **arguments: Any) -> Release:
        """Do it, or raise the refusal; returns the release it leaves (the new one for a correction)."""
        if not permitted(user, self.permission):
            raise PermissionDenied(str(self.forbidden))
        unknown = set(arguments) - {a.name for a in self.arguments}
        if unknown:
            raise TypeError(f"{self.name} takes no {', '.join(sorted(unknown))}")
        with transaction.atomic():
            locked = lock(release)
            refused = self.check(locked, user)
            if refused is not None:
                raise refused.error()
            result = self.apply(locked, user, **self.clean_arguments(arguments))
        refresh(release, locked)
        return result if self.creates else release

    @property
    def text_argument(self) -> Argument | None:
        """The argument a person writes (the comment box of a screen), if the transition takes one."""
        return next((a for a in self.arguments if a.kind == "text"), None)

    def clean_arguments(self, arguments: dict) -> dict:
        """The arguments as `apply` takes them: texts stripped, a required one missing refused in words."""
        cleaned = {}
        for spec in self.arguments:
            value = arguments.get(spec.name)
            if spec.kind in ("text", "digest"):
                value = str(value or "").strip()
                if "\x00" in value:  # no text has one, and PostgreSQL refuses to store it
                    raise WorkflowError(ProhibitNullCharactersValidator.message, code="null_characters_not_allowed")
            if spec.required and value in (None, ""):
                raise WorkflowError(str(spec.missing), code=f"{spec.name}_required")
            if spec.kind == "version" and not isinstance(value, int):
                text = str(value)
                if not (text.isascii() and text.isdigit() and len(text) < 10):
                    raise WorkflowError(_("“%(value)s” is not a version number.") % {"value": text}, code="version")
                value = int(text)
            cleaned[spec.name] = value
        return cleaned

    def apply(self, locked: Release, user, **arguments: Any) -> Release:
        raise NotImplementedError

    def done_message(self, release: Release, result: Release) -> str:
        raise NotImplementedError

    def move(
        self, locked: Release, user, to: str, action: str, *, comment: str = "", details=None, signal: str = ""
    ) -> Release:
        """The common end of a step: the new state saved, one audit event, and word of it once committed."""
        from_status = locked.status
        locked.status = to
        save(locked, user, edited=False)
        record(locked, user, action, from_status=from_status, to_status=to, comment=comment, details=details)
        send_on_commit(locked, signal or self.name, user)
        return locked


def _status_words(release: Release, now: dt.datetime | None) -> str:
    now = now or timezone.now()
    if release.status == Status.PUBLISHED and release.publication_at and release.publication_at > now:
        return _("scheduled, not public yet")
    return release.get_status_display().lower()


COMMENT = Argument(
    "comment",
    "text",
    gettext_lazy("Comment"),
    gettext_lazy("Kept in the audit trail."),
)


class Submit(Transition):
    name = "submit"
    done_count = ngettext_lazy(
        "%(count)s release submitted for review.", "%(count)s releases submitted for review.", "count"
    )
    label = gettext_lazy("Submit for review")
    permission = "releases.submit_release"
    sources = (Status.DRAFT,)
    arguments = (COMMENT,)
    style = "primary"
    summary = "Submit a draft for review"

    forbidden = gettext_lazy("You cannot submit releases for review: ask for the Writer role.")
    wrong_state = gettext_lazy("You cannot submit this release: it is %(status)s.")

    def apply(self, locked, user, *, comment=""):
        checks = run_checks(locked)
        failures = blocking(checks)
        if failures:
            raise WorkflowError(
                [_("This release cannot go to review yet. Fix these first:")] + [c.message for c in failures],
                code="checks_failed",
            )
        details = {"warnings": [c.as_dict() for c in checks]}
        return self.move(locked, user, Status.IN_REVIEW, Action.SUBMITTED, comment=comment, details=details)

    def done_message(self, release, result):
        return _("“%(h)s” is now in review. Reviewers see it on their dashboard.") % {"h": release.headline}


class Return(Transition):
    name = "return"
    done_count = ngettext_lazy(
        "%(count)s release returned to its writer.", "%(count)s releases returned to their writers.", "count"
    )
    label = gettext_lazy("Return to the writer")
    permission = "releases.review_release"
    sources = (Status.IN_REVIEW,)
    arguments = (
        Argument(
            "comment",
            "text",
            gettext_lazy("Comment for the writer"),
            gettext_lazy("What the writer should change."),
            required=True,
            missing=gettext_lazy("Write a comment that tells the writer what to change."),
        ),
    )
    summary = "Return a release to its writer"

    forbidden = gettext_lazy("You cannot return releases: ask for the Reviewer role.")
    wrong_state = gettext_lazy("You cannot return this release: it is %(status)s.")

    def apply(self, locked, user, *, comment):
        # What was returned is kept, so the review screen can show the reviewer what changed since.
        returned = keep_composition(locked, compose_now(locked), user)
        details = {"digest": returned.sha256, "version": returned.version}
        return self.move(locked, user, Status.DRAFT, Action.RETURNED, comment=comment, details=details)

    def done_message(self, release, result):
        return _("“%(h)s” went back to the writer with your comment.") % {"h": release.headline}


def canonical_json(data: Any) -> str:
    """The JSON text whose SHA-256 a snapshot stores for its structured content."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def render_snapshot(release: Release, composed=None) -> Snapshot:
    """Every output of the release (of `composed`, its composition, when given), with their hashes."""
    from releases import rendering

    composed = composed or rendering.compose(rendering.content_from_release(release))
    rendered = rendering.render_all(composed)
    company = composed.content.company
    pdf = bytes(rendered.pdf)
    return Snapshot(
        release=release,
        page_html=rendered.page_html,
        fragment_html=rendered.fragment_html,
        plain_text=rendered.plain_text,
        content_json=rendered.content_json,
        pdf=pdf,
        page_sha256=Snapshot.sha256(rendered.page_html),
        fragment_sha256=Snapshot.sha256(rendered.fragment_html),
        text_sha256=Snapshot.sha256(rendered.plain_text),
        content_sha256=Snapshot.sha256(canonical_json(rendered.content_json)),
        pdf_sha256=Snapshot.sha256(pdf),
        created_at=timezone.now(),
        company_name=company.short_name,
        time_zone=company.time_zone,
        logo=company.logo,
        label=composed.content.label,
    )


class Approve(Transition):
    """Four eyes over the composed release: the approval names the version and the digest its reviewer read
    (`release_review`); if the release or any part it is composed from changed since, it is refused and
    says what changed. Nobody approves what they edited since it was submitted, release or part."""

    name = "approve"
    done_count = ngettext_lazy("%(count)s release approved.", "%(count)s releases approved.", "count")
    label = gettext_lazy("Approve")
    permission = "releases.review_release"
    sources = (Status.IN_REVIEW,)
    arguments = (
        COMMENT,
        Argument(
            "version",
            "version",
            gettext_lazy("Version you read"),
            gettext_lazy("The release's version when you read it for review."),
            required=True,
            missing=gettext_lazy("Read the release before you approve it: the approval names the version you read."),
        ),
        Argument(
            "digest",
            "digest",
            gettext_lazy("Digest of what you read"),
            gettext_lazy("The SHA-256 of the composed release you read for review."),
            required=True,
            missing=gettext_lazy("Read the release before you approve it: the approval names what you read."),
        ),
    )
    in_bulk = False
    style = "primary"
    confirm = gettext_lazy("Approve this release? What it says, its page and its PDF are frozen as they are now.")
    summary = "Approve a release and freeze its snapshot"

    forbidden = gettext_lazy("You cannot approve releases: ask for the Reviewer role.")
    wrong_state = gettext_lazy("You cannot approve this release: it is %(status)s.")

    def refusal(self, release, user, now):
        if release.last_edited_by_id is not None and release.last_edited_by_id == user.pk:
            return Refusal(
                "four_eyes",
                _("You cannot approve this release: you made its last edit. Another reviewer must approve it."),
            )
        since = submitted_at(release)
        changed = editors_since(release, since).get(user.pk) if since else None
        if changed:
            return Refusal(
                "four_eyes",
                _(
                    "You cannot approve this release: since it was submitted you changed %(parts)s, which it is "
                    "composed from. Another reviewer must approve it."
                )
                % {"parts": ", ".join(changed)},
            )
        return None

    def apply(self, locked, user, *, comment="", version, digest):
        if version != locked.version:
            raise WorkflowError(
                _(
                    "This release changed since you read it (you read version %(read)s; version %(current)s is "
                    "current). Read it again, then approve it."
                )
                % {"read": version, "current": locked.version},
                code="stale",
            )
        composed = compose_now(locked)
        if composed.content_sha256 != digest:
            read = read_composition(locked, digest)
            changed = changes_between(read.content_json, composed.content_json) if read else []
            raise WorkflowError(
                _(
                    "What this release is composed from changed since you read it: %(changes)s. Read it again, "
                    "then approve it."
                )
                % {"changes": ", ".join(changed) or _("its text or one of its parts")},
                code="changed_since_read",
            )
        failures = blocking(run_checks(locked))
        if failures:
            raise WorkflowError(
                [_("This release cannot be approved. Fix these first:")] + [c.message for c in failures],
                code="checks_failed",
            )
        Snapshot.objects.filter(release=locked).delete()
        snapshot = render_snapshot(locked, composed)
        snapshot.save()
        locked.approved_by = user
        locked.approved_at = timezone.now()
        details = {
            "publication_at": locked.publication_at.isoformat(),
            "version_read": version,
            **{f"{name}_sha256": getattr(snapshot, f"{name}_sha256") for name in SNAPSHOT_OUTPUTS},
        }
        return self.move(locked, user, Status.APPROVED, Action.APPROVED, comment=comment, details=details)

    def done_message(self, release, result):
        return _(
            "“%(h)s” is approved. Its page and PDF are frozen as they will go out; a publisher can now schedule it."
        ) % {"h": release.headline}


SNAPSHOT_OUTPUTS = ("page", "pdf", "text", "fragment", "content")


class Publish(Transition):
    name = "publish"
    done_count = ngettext_lazy(
        "%(count)s release published or scheduled.", "%(count)s releases published or scheduled.", "count"
    )
    label = gettext_lazy("Schedule")
    permission = "releases.publish_release"
    sources = (Status.APPROVED,)
    arguments = (
        Argument(
            "publication_at",
            "moment",
            gettext_lazy("Publication moment"),
            gettext_lazy("Optional; if given it must be the approved moment (the frozen dateline prints it)."),
        ),
    )
    style = "primary"
    confirm = gettext_lazy("Schedule this release? It goes public on its own at the approved moment.")
    summary = "Schedule or publish an approved release"

    forbidden = gettext_lazy("You cannot publish releases: ask for the Publisher role.")
    wrong_state = gettext_lazy("You cannot publish this release: it is %(status)s.")

    def check(self, release, user, *, now=None):
        if permitted(user, self.permission) and release.status in (Status.DRAFT, Status.IN_REVIEW):
            return Refusal(
                "not_approved",
                _("You cannot publish this release: it has not been approved. A reviewer must approve it first."),
            )
        return super().check(release, user, now=now)

    def refusal(self, release, user, now):
        if not Snapshot.objects.filter(release=release).exists():
            return Refusal(
                "no_snapshot",
                _("You cannot publish this release: its approved version is missing. Have it approved again."),
            )
        return None

    def apply(self, locked, user, *, publication_at=None):
        if publication_at is not None and publication_at != locked.publication_at:
            raise WorkflowError(
                _(
                    "This release was approved for %(approved)s, and its dateline shows that moment. To publish it "
                    "at %(asked)s, change its publication moment (it goes back to draft) and have it approved again."
                )
                % {"approved": moment(locked.publication_at, locked), "asked": moment(publication_at, locked)},
                code="moment_changed",
            )
        snapshot = Snapshot.objects.only("page_sha256", "pdf_sha256").get(release=locked)
        locked.published_by = user
        self.move(
            locked,
            user,
            Status.PUBLISHED,
            Action.PUBLISHED,
            details={
                "publication_at": locked.publication_at.isoformat(),
                "page_sha256": snapshot.page_sha256,
                "pdf_sha256": snapshot.pdf_sha256,
            },
        )
        # A correction, once published, marks the release it corrects as corrected.
        earlier = Release.objects.select_for_update().filter(pk=locked.corrects_id).first()
        if earlier is not None and earlier.status == Status.PUBLISHED:
            self.move(
                earlier,
                user,
                Status.CORRECTED,
                Action.CORRECTED,
                comment=locked.correction_note,
                details={"correction": locked.pk, "correction_publication_at": locked.publication_at.isoformat()},
                signal="corrected",
            )
        return locked

    def done_message(self, release, result):
        from django.utils.timesince import timeuntil

        if result.publication_at > timezone.now():
            return _("“%(h)s” is scheduled: it goes public on %(moment)s (in %(left)s).") % {
                "h": release.headline,
                "moment": moment(result.publication_at, result),
                "left": timeuntil(result.publication_at),
            }
        return _("“%(h)s” is published: it is public now.") % {"h": release.headline}


class Unschedule(Transition):
    name = "unschedule"
    done_count = ngettext_lazy(
        "%(count)s release taken off the schedule.", "%(count)s releases taken off the schedule.", "count"
    )
    label = gettext_lazy("Take off the schedule")
    permission = "releases.publish_release"
    sources = (Status.PUBLISHED,)
    summary = "Take a scheduled release off the schedule"

    forbidden = gettext_lazy("You cannot change the schedule: ask for the Publisher role.")
    wrong_state = gettext_lazy("You cannot take this release off the schedule: it is %(status)s.")

    def refusal(self, release, user, now):
        if release.publication_at <= now:
            return Refusal(
                "already_public",
                _(
                    "This release has been public since %(moment)s, so it cannot be taken off the schedule. "
                    "Correct it or withdraw it instead."
                )
                % {"moment": moment(release.publication_at, release)},
                offered=False,
            )
        return None

    def apply(self, locked, user):
        locked.published_by = None
        return self.move(locked, user, Status.APPROVED, Action.UNSCHEDULED)

    def done_message(self, release, result):
        return _("“%(h)s” is off the schedule. Nothing went out; it stays approved.") % {"h": release.headline}


class _AfterPublication(Transition):
    """A step that only a release the public can read may take: nothing is corrected or withdrawn unseen."""

    permission = "releases.publish_release"
    sources = (Status.PUBLISHED,)

    def refusal(self, release, user, now):
        if release.publication_at > now:
            return Refusal(
                "not_public_yet",
                _(
                    "This release is scheduled for %(moment)s and nobody has read it yet. Take it off the "
                    "schedule and edit it instead."
                )
                % {"moment": moment(release.publication_at, release)},
                offered=False,
            )
        return None


class Correct(_AfterPublication):
    name = "correct"
    done_count = ngettext_lazy(
        "%(count)s correction created as a draft.", "%(count)s corrections created as drafts.", "count"
    )
    label = gettext_lazy("Correct")
    arguments = (
        Argument(
            "note",
            "text",
            gettext_lazy("Correction note"),
            gettext_lazy("What the correction changes; readers see it."),
            required=True,
            missing=gettext_lazy("Write the correction note: it tells readers what the correction changes."),
        ),
    )
    confirm = gettext_lazy("Create a correction? It starts as a draft that says it corrects this release.")
    creates = True
    summary = "Start a correction"

    forbidden = gettext_lazy("You cannot correct releases: ask for the Publisher role.")
    wrong_state = gettext_lazy("You cannot correct this release: it is %(status)s.")

    def refusal(self, release, user, now):
        refused = super().refusal(release, user, now)
        if refused is not None:
            return refused
        existing = Release.objects.filter(corrects=release).first()
        if existing is not None:
            return Refusal(
                "correction_exists",
                _("A correction of this release already exists (“%(headline)s”, %(status)s). Work on that one.")
                % {"headline": existing.headline, "status": existing.get_status_display().lower()},
            )
        return None

    def apply(self, original, user, *, note):
        copied = ("company", "language", "translation_group", "category", "headline", "subheadline", "place")
        return create(
            user=user,
            fields={
                **{name: getattr(original, name) for name in (*copied, "body", "company_about")},
                "slug": unique_slug(f"{original.slug}-correction", language=original.language),
                "corrects": original,
                "correction_note": note,
            },
            parts=parts_of(original),
            comment=note,
            details={"corrects": original.pk},
            archived_allowed=True,
        )

    def done_message(self, release, result):
        return _("A correction of “%(h)s” was created as a draft. Edit it, then submit it for review.") % {
            "h": release.headline
        }


class Withdraw(_AfterPublication):
    name = "withdraw"
    done_count = ngettext_lazy("%(count)s release withdrawn.", "%(count)s releases withdrawn.", "count")
    label = gettext_lazy("Withdraw")
    arguments = (
        Argument(
            "notice",
            "text",
            gettext_lazy("Withdrawal notice"),
            gettext_lazy("What readers see at the release's address."),
            required=True,
            missing=gettext_lazy(
                "Write the withdrawal notice: readers see it at the release's address instead of the release."
            ),
        ),
    )
    style = "danger"
    confirm = gettext_lazy("Withdraw this release? This cannot be undone: its address will show only your notice.")
    summary = "Withdraw a published release"

    forbidden = gettext_lazy("You cannot withdraw releases: ask for the Publisher role.")
    wrong_state = gettext_lazy("You cannot withdraw this release: it is %(status)s.")

    def apply(self, locked, user, *, notice):
        locked.withdrawal_notice = notice
        locked.withdrawn_at = timezone.now()
        return self.move(locked, user, Status.WITHDRAWN, Action.WITHDRAWN, comment=notice)

    def done_message(self, release, result):
        return _("“%(h)s” is withdrawn. Its address now shows only your notice.") % {"h": release.headline}


TRANSITIONS: dict[str, Transition] = {
    t.name: t for t in (Submit(), Return(), Approve(), Publish(), Unschedule(), Correct(), Withdraw())
}


def available(release: Release, user, *, now: dt.datetime | None = None) -> list[tuple[Transition, Refusal | None]]:
    """The transitions that start from the release's state and that `user` holds, each with its refusal or None."""
    now = now or timezone.now()
    return [
        (t, t.check(release, user, now=now))
        for t in TRANSITIONS.values()
        if release.status in t.sources and permitted(user, t.permission)
    ]
