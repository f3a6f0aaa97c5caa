"""Every change of a release's state, in one place: the admin, the API and the command line call these.

Each service is keyword-only, runs in one transaction, locks the release row, checks the user's
permission and the release's state, validates with `full_clean()`, records a `WorkflowEvent`, and
raises `WorkflowError` (or `PermissionDenied`) with a plain message before writing anything.

The publication moment is part of what a reviewer approves: the dateline prints it, so the frozen
snapshot depends on it. `release_publish` therefore publishes at the approved moment and refuses
another one; to move the moment, edit the release (it goes back to draft) and have it approved again.
A publisher can take a scheduled release off the schedule (`release_unschedule`) before its moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .checks import blocking, run_checks
from .models import (
    BoilerplateBlock,
    Company,
    Contact,
    Disclaimer,
    PipelineAsset,
    Reference,
    Release,
    ReleaseContact,
    ReleaseDisclaimer,
    ReleaseImage,
    ReleaseTopic,
    Snapshot,
    WorkflowEvent,
)
from .signals import send_on_commit

Status = Release.Status
Action = WorkflowEvent.Action

# Fields of a release a writer edits; the rest belongs to the workflow.
EDITABLE_FIELDS = frozenset(
    {
        "company",
        "language",
        "translation_group",
        "category",
        "headline",
        "subheadline",
        "slug",
        "place",
        "publication_at",
        "body",
        "company_about",
        "correction_note",
    }
)


class WorkflowError(ValidationError):
    """A refused change, in words a writer understands; nothing was written."""


# -- small helpers -------------------------------------------------------------------------------


def _require(user, perm: str, message: str) -> None:
    if user is None or not user.is_active or not user.has_perm(perm):
        raise PermissionDenied(message)


def _lock(release: Release) -> Release:
    """The release's row, locked until the transaction ends, as the database has it now."""
    return Release.objects.select_for_update().get(pk=release.pk)


def _moment(value: dt.datetime | None, release: Release | None = None) -> str:
    if value is None:
        return _("no moment")
    zone = release.company.zone if release is not None else timezone.get_current_timezone()
    return formats.date_format(value.astimezone(zone), "DATETIME_FORMAT") + f" ({value.astimezone(zone):%Z})"


def _event(
    release: Release,
    user,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    details: dict | None = None,
) -> WorkflowEvent:
    return WorkflowEvent.objects.create(
        release=release,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        details=details or {},
        at=timezone.now(),
    )


def _save(release: Release, user, *, edited: bool) -> None:
    """Validate and save: every save raises the version; an edit also names its editor."""
    release.version += 1
    if edited:
        release.last_edited_by = user
    release._history_user = user
    release.full_clean()
    release.save()


def copy_saved(target: Release, source: Release) -> None:
    """Let a caller's instance (e.g. the admin's) see what the service saved."""
    for field in Release._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db
    for cache in ("snapshot",):
        target._state.fields_cache.pop(cache, None)


def _wrong_state(release: Release, doing: str) -> WorkflowError:
    return WorkflowError(
        _("You cannot %(doing)s this release: it is %(status)s.")
        % {"doing": doing, "status": release.get_status_display().lower()},
        code="wrong_state",
    )


def unique_slug(base: str, *, language: str, exclude_pk: int | None = None) -> str:
    """`base` slugified, with -2, -3 … appended when another release in `language` has it."""
    root = (slugify(base) or "release")[:190].strip("-")
    slug, n = root, 1
    taken = Release.objects.filter(language=language)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


# -- writing -------------------------------------------------------------------------------------


def release_create(
    *,
    user,
    company: Company,
    language: str,
    headline: str,
    slug: str = "",
    **fields: Any,
) -> Release:
    """A new draft, written by `user`."""
    _require(user, "releases.add_release", _("You cannot create releases: ask for the Writer role."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"release_create() got unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        release = Release(
            company=company,
            language=language,
            headline=headline,
            slug=slug or unique_slug(headline, language=language),
            created_by=user,
            last_edited_by=user,
            status=Status.DRAFT,
            version=1,
            **fields,
        )
        release._history_user = user
        release.full_clean()
        release.save()
        _event(release, user, Action.CREATED, to_status=Status.DRAFT)
    return release


def _begin_edit(release: Release, user, expected_version: int) -> tuple[Release, list[str]]:
    """Lock the release for an edit; refuse a published or stale one; an approved one goes back to draft."""
    _require(user, "releases.change_release", _("You cannot edit releases: ask for the Writer role."))
    locked = _lock(release)
    if locked.status in Release.RELEASED_STATUSES:
        raise WorkflowError(
            _(
                "This release is %(status)s, so it can no longer be changed: what went out stays as it was. "
                "To fix it, a publisher creates a correction."
            )
            % {"status": locked.get_status_display().lower()},
            code="published",
        )
    if expected_version != locked.version:
        raise WorkflowError(
            _(
                "Someone else saved this release since you opened it (version %(current)s is current, you had "
                "%(yours)s). Reload to see their changes; nothing was overwritten."
            )
            % {"current": locked.version, "yours": expected_version},
            code="stale",
        )
    notes = []
    if locked.status == Status.APPROVED:
        Snapshot.objects.filter(release=locked).delete()
        _event(
            locked,
            user,
            Action.APPROVAL_DISCARDED,
            from_status=Status.APPROVED,
            to_status=Status.DRAFT,
            details={"approved_by": locked.approved_by_id},
        )
        locked.status = Status.DRAFT
        locked.approved_by = None
        locked.approved_at = None
        notes.append(_("The release was approved; this edit sent it back to draft and discarded the approval."))
    return locked, notes


def _finish_edit(release: Release, locked: Release, user, changed: list[str]) -> Release:
    _save(locked, user, edited=True)
    _event(
        locked, user, Action.EDITED, from_status=locked.status, to_status=locked.status, details={"changed": changed}
    )
    copy_saved(release, locked)
    return release


def release_update(*, release: Release, user, expected_version: int, **changes: Any) -> Release:
    """Save `changes` to the release's own fields if nobody saved it since `expected_version`."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"release_update() got unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked, _notes = _begin_edit(release, user, expected_version)
        for name, value in changes.items():
            setattr(locked, name, value)
        return _finish_edit(release, locked, user, sorted(changes))


def _set_links(release: Release, user, model: type[Model], fk: str, items: list) -> None:
    """Make the release's ordered links of `model` exactly `items`, recording each change."""
    existing = {getattr(link, f"{fk}_id"): link for link in model.objects.filter(release=release)}
    wanted = [item.pk for item in items]
    if len(set(wanted)) != len(wanted):
        raise WorkflowError(_("The same item is listed twice. List each one once."), code="duplicate")
    for link_id in set(existing) - set(wanted):
        link = existing[link_id]
        link._history_user = user
        link.delete()
    for position, item in enumerate(items):
        link = existing.get(item.pk)
        if link is None:
            link = model(release=release, position=position, **{fk: item})
        elif link.position == position:
            continue
        link.position = position
        link._history_user = user
        link.full_clean()
        link.save()


def _refuse_foreign(release: Release, items, what: str) -> None:
    for item in items:
        company_id = getattr(item, "company_id", None)
        if company_id is not None and company_id != release.company_id:
            raise WorkflowError(
                _("“%(item)s” belongs to another company; choose a %(what)s of %(company)s.")
                % {"item": item, "what": what, "company": release.company},
                code="other_company",
            )


def _refuse_archived(release: Release, model: type[Model], fk: str, items, flag: str, keep_if: bool) -> None:
    current = set(model.objects.filter(release=release).values_list(f"{fk}_id", flat=True))
    for item in items:
        if getattr(item, flag) == keep_if and item.pk not in current:
            raise WorkflowError(
                _("“%(item)s” is archived and cannot be chosen for a release any more.") % {"item": item},
                code="archived",
            )


def release_set_topics(*, release: Release, user, expected_version: int, blocks: list[BoilerplateBlock]) -> Release:
    """The release's topic Abouts, in this order."""
    with transaction.atomic():
        locked, _notes = _begin_edit(release, user, expected_version)
        _refuse_foreign(locked, blocks, _("block"))
        _refuse_archived(locked, ReleaseTopic, "block", blocks, "archived", True)
        _set_links(locked, user, ReleaseTopic, "block", list(blocks))
        return _finish_edit(release, locked, user, ["topic_abouts"])


def release_set_disclaimers(*, release: Release, user, expected_version: int, disclaimers: list[Disclaimer]) -> Release:
    """The release's disclaimers, in this order."""
    with transaction.atomic():
        locked, _notes = _begin_edit(release, user, expected_version)
        _refuse_foreign(locked, disclaimers, _("disclaimer"))
        _refuse_archived(locked, ReleaseDisclaimer, "disclaimer", disclaimers, "archived", True)
        _set_links(locked, user, ReleaseDisclaimer, "disclaimer", list(disclaimers))
        return _finish_edit(release, locked, user, ["disclaimers"])


def release_set_contacts(*, release: Release, user, expected_version: int, contacts: list[Contact]) -> Release:
    """The release's contacts, in this order."""
    with transaction.atomic():
        locked, _notes = _begin_edit(release, user, expected_version)
        _refuse_foreign(locked, contacts, _("contact"))
        _refuse_archived(locked, ReleaseContact, "contact", contacts, "active", False)
        _set_links(locked, user, ReleaseContact, "contact", list(contacts))
        return _finish_edit(release, locked, user, ["contacts"])


def release_set_references(
    *, release: Release, user, expected_version: int, references: list[dict[str, Any]]
) -> Release:
    """The release's references, numbered (1), (2) … in this order; each a dict of citation, url, accessed_…"""
    allowed = {"citation", "url", "accessed_on", "accessed_label"}
    with transaction.atomic():
        locked, _notes = _begin_edit(release, user, expected_version)
        existing = {ref.position: ref for ref in Reference.objects.filter(release=locked)}
        for number, data in enumerate(references, start=1):
            unknown = set(data) - allowed
            if unknown:
                raise TypeError(f"unexpected reference fields: {', '.join(sorted(unknown))}")
            ref = existing.pop(number, None) or Reference(release=locked, position=number)
            values = {"url": "", "accessed_on": None, "accessed_label": "", **data}
            if ref.pk and all(getattr(ref, k) == v for k, v in values.items()):
                continue
            for key, value in values.items():
                setattr(ref, key, value)
            ref._history_user = user
            ref.full_clean()
            ref.save()
        for ref in existing.values():
            ref._history_user = user
            ref.delete()
        return _finish_edit(release, locked, user, ["references"])


def release_touch(*, release: Release, user, expected_version: int, changed: list[str]) -> Release:
    """Record an edit made to the release's parts elsewhere (e.g. admin inlines): version, editor, event."""
    with transaction.atomic():
        locked, _notes = _begin_edit(release, user, expected_version)
        return _finish_edit(release, locked, user, changed)


# -- the workflow --------------------------------------------------------------------------------


def release_submit(*, release: Release, user, comment: str = "") -> Release:
    """Draft → in review, when no blocking check fails."""
    _require(user, "releases.submit_release", _("You cannot submit releases for review: ask for the Writer role."))
    with transaction.atomic():
        locked = _lock(release)
        if locked.status != Status.DRAFT:
            raise _wrong_state(locked, _("submit"))
        checks = run_checks(locked)
        failures = blocking(checks)
        if failures:
            raise WorkflowError(
                [_("This release cannot go to review yet. Fix these first:")] + [c.message for c in failures],
                code="checks_failed",
            )
        locked.status = Status.IN_REVIEW
        _save(locked, user, edited=False)
        _event(
            locked,
            user,
            Action.SUBMITTED,
            from_status=Status.DRAFT,
            to_status=Status.IN_REVIEW,
            comment=comment,
            details={"warnings": [c.as_dict() for c in checks]},
        )
    copy_saved(release, locked)
    return release


def release_return(*, release: Release, user, comment: str) -> Release:
    """In review → draft, with the reviewer's comment saying what to fix."""
    _require(user, "releases.review_release", _("You cannot return releases: ask for the Reviewer role."))
    if not (comment or "").strip():
        raise WorkflowError(_("Write a comment that tells the writer what to change."), code="comment_required")
    with transaction.atomic():
        locked = _lock(release)
        if locked.status != Status.IN_REVIEW:
            raise _wrong_state(locked, _("return"))
        locked.status = Status.DRAFT
        _save(locked, user, edited=False)
        _event(
            locked, user, Action.RETURNED, from_status=Status.IN_REVIEW, to_status=Status.DRAFT, comment=comment.strip()
        )
    copy_saved(release, locked)
    return release


def _render_snapshot(release: Release) -> Snapshot:
    from . import rendering

    rendered = rendering.render_all(release)
    return Snapshot(
        release=release,
        page_html=rendered.page_html,
        fragment_html=rendered.fragment_html,
        plain_text=rendered.plain_text,
        content_json=rendered.content_json,
        pdf=bytes(rendered.pdf),
        page_sha256=Snapshot.sha256(rendered.page_html),
        fragment_sha256=Snapshot.sha256(rendered.fragment_html),
        text_sha256=Snapshot.sha256(rendered.plain_text),
        content_sha256=Snapshot.sha256(canonical_json(rendered.content_json)),
        pdf_sha256=Snapshot.sha256(bytes(rendered.pdf)),
        created_at=timezone.now(),
    )


def canonical_json(data: Any) -> str:
    """The JSON text whose SHA-256 a snapshot stores for its structured content."""
    import json

    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def release_approve(*, release: Release, user, comment: str = "") -> Release:
    """In review → approved by someone other than the last editor; freezes the snapshot that will go out."""
    _require(user, "releases.review_release", _("You cannot approve releases: ask for the Reviewer role."))
    with transaction.atomic():
        locked = _lock(release)
        if locked.status != Status.IN_REVIEW:
            raise _wrong_state(locked, _("approve"))
        if locked.last_edited_by_id is not None and locked.last_edited_by_id == user.pk:
            raise WorkflowError(
                _("You cannot approve this release: you made its last edit. Another reviewer must approve it."),
                code="four_eyes",
            )
        failures = blocking(run_checks(locked))
        if failures:
            raise WorkflowError(
                [_("This release cannot be approved. Fix these first:")] + [c.message for c in failures],
                code="checks_failed",
            )
        Snapshot.objects.filter(release=locked).delete()
        snapshot = _render_snapshot(locked)
        snapshot.save()
        locked.status = Status.APPROVED
        locked.approved_by = user
        locked.approved_at = timezone.now()
        _save(locked, user, edited=False)
        _event(
            locked,
            user,
            Action.APPROVED,
            from_status=Status.IN_REVIEW,
            to_status=Status.APPROVED,
            comment=comment,
            details={
                "publication_at": locked.publication_at.isoformat(),
                "page_sha256": snapshot.page_sha256,
                "pdf_sha256": snapshot.pdf_sha256,
                "text_sha256": snapshot.text_sha256,
                "fragment_sha256": snapshot.fragment_sha256,
                "content_sha256": snapshot.content_sha256,
            },
        )
    copy_saved(release, locked)
    return release


def release_publish(*, release: Release, user, at: dt.datetime | None = None) -> Release:
    """Approved → published: public from its publication moment (at once when that moment has passed).

    `at`, when given, must be the approved moment: the frozen dateline shows it.
    """
    _require(user, "releases.publish_release", _("You cannot publish releases: ask for the Publisher role."))
    with transaction.atomic():
        locked = _lock(release)
        if locked.status in (Status.DRAFT, Status.IN_REVIEW):
            raise WorkflowError(
                _("You cannot publish this release: it has not been approved. A reviewer must approve it first."),
                code="not_approved",
            )
        if locked.status != Status.APPROVED:
            raise _wrong_state(locked, _("publish"))
        snapshot = Snapshot.objects.filter(release=locked).only("pk", "pdf_sha256", "page_sha256").first()
        if snapshot is None:
            raise WorkflowError(
                _("You cannot publish this release: its approved version is missing. Have it approved again."),
                code="no_snapshot",
            )
        if at is not None and at != locked.publication_at:
            raise WorkflowError(
                _(
                    "This release was approved for %(approved)s, and its dateline shows that moment. To publish it "
                    "at %(asked)s, change its publication moment (it goes back to draft) and have it approved again."
                )
                % {"approved": _moment(locked.publication_at, locked), "asked": _moment(at, locked)},
                code="moment_changed",
            )
        locked.status = Status.PUBLISHED
        locked.published_by = user
        _save(locked, user, edited=False)
        _event(
            locked,
            user,
            Action.PUBLISHED,
            from_status=Status.APPROVED,
            to_status=Status.PUBLISHED,
            details={
                "publication_at": locked.publication_at.isoformat(),
                "page_sha256": snapshot.page_sha256,
                "pdf_sha256": snapshot.pdf_sha256,
            },
        )
        earlier = Release.objects.select_for_update().filter(pk=locked.corrects_id).first()
        if earlier is not None and earlier.status == Status.PUBLISHED:
            earlier.status = Status.CORRECTED
            _save(earlier, user, edited=False)
            _event(
                earlier,
                user,
                Action.CORRECTED,
                from_status=Status.PUBLISHED,
                to_status=Status.CORRECTED,
                comment=locked.correction_note,
                details={"correction": locked.pk, "correction_publication_at": locked.publication_at.isoformat()},
            )
            send_on_commit(earlier, "corrected", user)
        send_on_commit(locked, "publish", user)
    copy_saved(release, locked)
    return release


def release_unschedule(*, release: Release, user) -> Release:
    """Published but not yet public → approved again, its snapshot kept: the schedule is cancelled."""
    _require(user, "releases.publish_release", _("You cannot change the schedule: ask for the Publisher role."))
    with transaction.atomic():
        locked = _lock(release)
        if locked.status != Status.PUBLISHED:
            raise _wrong_state(locked, _("take off the schedule"))
        if locked.publication_at <= timezone.now():
            raise WorkflowError(
                _(
                    "This release has been public since %(moment)s, so it cannot be taken off the schedule. "
                    "Correct it or withdraw it instead."
                )
                % {"moment": _moment(locked.publication_at, locked)},
                code="already_public",
            )
        locked.status = Status.APPROVED
        locked.published_by = None
        _save(locked, user, edited=False)
        _event(locked, user, Action.UNSCHEDULED, from_status=Status.PUBLISHED, to_status=Status.APPROVED)
        send_on_commit(locked, "unschedule", user)
    copy_saved(release, locked)
    return release


def release_correct(*, release: Release, user, note: str) -> Release:
    """A new draft revision of a published release, saying what it corrects; the earlier one stays readable."""
    _require(user, "releases.publish_release", _("You cannot correct releases: ask for the Publisher role."))
    if not (note or "").strip():
        raise WorkflowError(
            _("Write the correction note: it tells readers what the correction changes."), code="note_required"
        )
    with transaction.atomic():
        original = _lock(release)
        if original.status != Status.PUBLISHED:
            raise _wrong_state(original, _("correct"))
        existing = Release.objects.filter(corrects=original).first()
        if existing is not None:
            raise WorkflowError(
                _("A correction of this release already exists (“%(headline)s”, %(status)s). Work on that one.")
                % {"headline": existing.headline, "status": existing.get_status_display().lower()},
                code="correction_exists",
            )
        correction = Release(
            company_id=original.company_id,
            language=original.language,
            translation_group=original.translation_group,
            category=original.category,
            headline=original.headline,
            subheadline=original.subheadline,
            slug=unique_slug(f"{original.slug}-correction", language=original.language),
            place=original.place,
            publication_at=None,
            body=original.body,
            company_about_id=original.company_about_id,
            corrects=original,
            correction_note=note.strip(),
            created_by=user,
            last_edited_by=user,
            status=Status.DRAFT,
            version=1,
        )
        correction._history_user = user
        correction.full_clean()
        correction.save()
        for model in (ReleaseTopic, ReleaseDisclaimer, ReleaseContact, Reference, ReleaseImage):
            for part in model.objects.filter(release=original):
                part.pk = None
                part.id = None
                part._state.adding = True
                part.release = correction
                part._history_user = user
                part.save()
        _event(
            correction,
            user,
            Action.CREATED,
            to_status=Status.DRAFT,
            comment=note.strip(),
            details={"corrects": original.pk},
        )
    return correction


def release_withdraw(*, release: Release, user, notice: str) -> Release:
    """Published → withdrawn: its address keeps only the notice."""
    _require(user, "releases.publish_release", _("You cannot withdraw releases: ask for the Publisher role."))
    if not (notice or "").strip():
        raise WorkflowError(
            _("Write the withdrawal notice: readers see it at the release's address instead of the release."),
            code="notice_required",
        )
    with transaction.atomic():
        locked = _lock(release)
        if locked.status != Status.PUBLISHED:
            raise _wrong_state(locked, _("withdraw"))
        locked.status = Status.WITHDRAWN
        locked.withdrawal_notice = notice.strip()
        locked.withdrawn_at = timezone.now()
        _save(locked, user, edited=False)
        _event(locked, user, Action.WITHDRAWN, from_status=Status.PUBLISHED, to_status=Status.WITHDRAWN, comment=notice)
        send_on_commit(locked, "withdraw", user)
    copy_saved(release, locked)
    return release


# -- translations --------------------------------------------------------------------------------


def _only(queryset) -> Any:
    """The one row of `queryset`, or None when it has none or several."""
    rows = list(queryset[:2])
    return rows[0] if len(rows) == 1 else None


def release_translate(*, release: Release, user, language: str) -> Release:
    """A draft version of `release` in `language`, in the same translation group, for a writer to translate.

    The text is copied as it is (headline, body: the writer translates them); the moment, the
    category, the contacts and the references are copied; the company About, the topic Abouts and
    the disclaimers are replaced by their versions in `language`. A part whose version cannot be
    told is left out and named in the event's details, and the missing-part check blocks the draft
    until the writer chooses it: an English block is never carried into a French release.
    """
    from django.conf import settings

    _require(user, "releases.add_release", _("You cannot create releases: ask for the Writer role."))
    languages = dict(settings.LANGUAGES)
    if language not in languages:
        raise WorkflowError(
            _("“%(language)s” is not a language of this site.") % {"language": language}, code="language"
        )
    with transaction.atomic():
        source = Release.objects.select_related("company", "company_about").get(pk=release.pk)
        if language == source.language:
            raise WorkflowError(
                _("This release is already in %(language)s.") % {"language": languages[language]},
                code="same_language",
            )
        existing = Release.objects.filter(
            translation_group=source.translation_group, language=language, corrects__isnull=True
        ).first()
        if existing is not None:
            raise WorkflowError(
                _("This release already has a version in %(language)s (“%(headline)s”, %(status)s). Work on that one.")
                % {
                    "language": languages[language],
                    "headline": existing.headline,
                    "status": existing.get_status_display().lower(),
                },
                code="translation_exists",
            )
        pairs = list(
            Release.objects.filter(company=source.company, language=language)
            .exclude(translation_group=source.translation_group)
            .values_list("translation_group", "pk", "company_about_id")
        )
        pair_of = {group: (pk, about) for group, pk, about in pairs}
        same_language_versions = dict(
            Release.objects.filter(
                company=source.company, language=source.language, translation_group__in=pair_of
            ).values_list("pk", "translation_group")
        )

        def paired_link(model, fk: str, obj, position: int):
            for link in model.objects.filter(release_id__in=same_language_versions, **{fk: obj}).order_by("-id"):
                group = same_language_versions[link.release_id]
                other = model.objects.filter(release_id=pair_of[group][0], position=link.position).first()
                if other is not None:
                    return getattr(other, fk)
            return None

        def paired_about(obj):
            for pk, group in same_language_versions.items():
                if Release.objects.filter(pk=pk, company_about=obj).exists() and pair_of[group][1]:
                    return BoilerplateBlock.objects.filter(pk=pair_of[group][1], archived=False).first()
            return None

        # A part's version in `language`: the one an earlier translation paired with it at the same
        # place, else the company's only part of that kind in `language`; never a guess between several.
        missing: list[str] = []
        about = None
        if source.company_about_id:
            about = paired_about(source.company_about) or _only(
                BoilerplateBlock.objects.filter(
                    company=source.company, kind=BoilerplateBlock.Kind.COMPANY_ABOUT, language=language, archived=False
                )
            )
            if about is None:
                missing.append(str(source.company_about))
        topics = []
        for link in ReleaseTopic.objects.filter(release=source).select_related("block"):
            block = paired_link(ReleaseTopic, "block", link.block, link.position)
            if block is None or block.archived:
                missing.append(str(link.block))
            else:
                topics.append(block)
        disclaimers = []
        for link in ReleaseDisclaimer.objects.filter(release=source).select_related("disclaimer"):
            kind = link.disclaimer.kind
            chosen = paired_link(ReleaseDisclaimer, "disclaimer", link.disclaimer, link.position)
            if chosen is None and kind != Disclaimer.Kind.OTHER:
                same_kind = Disclaimer.objects.filter(kind=kind, language=language, archived=False)
                chosen = _only(same_kind.filter(company=source.company)) or _only(
                    same_kind.filter(company__isnull=True)
                )
            if chosen is None or chosen.archived:
                missing.append(str(link.disclaimer))
            else:
                disclaimers.append(chosen)

        translation = Release(
            company_id=source.company_id,
            language=language,
            translation_group=source.translation_group,
            category=source.category,
            headline=source.headline,
            subheadline=source.subheadline,
            slug=unique_slug(source.slug, language=language),
            place="",
            publication_at=source.publication_at,
            body=source.body,
            company_about=about,
            created_by=user,
            last_edited_by=user,
            status=Status.DRAFT,
            version=1,
        )
        translation._history_user = user
        translation.full_clean()
        translation.save()
        for model, fk, items in (
            (ReleaseTopic, "block", topics),
            (ReleaseDisclaimer, "disclaimer", list(dict.fromkeys(disclaimers))),
            (ReleaseContact, "contact", [link.contact for link in ReleaseContact.objects.filter(release=source)]),
        ):
            _set_links(translation, user, model, fk, items)
        for ref in Reference.objects.filter(release=source).order_by("position"):
            ref.pk = None
            ref.id = None
            ref._state.adding = True
            ref.release = translation
            ref._history_user = user
            ref.save()
        _event(
            translation,
            user,
            Action.CREATED,
            to_status=Status.DRAFT,
            comment=_("Translation of “%(headline)s” (%(language)s).")
            % {"headline": source.headline, "language": languages[source.language]},
            details={"translation_of": source.pk, "language": language, "parts_to_choose": missing},
        )
    return translation


# -- reusable parts: archive instead of delete once a release used them -----------------------------


@dataclass(frozen=True)
class Removal:
    """What a delete request did: `deleted` False means the item was archived instead."""

    deleted: bool
    message: str


def _frozen_users(obj: Model) -> Any:
    frozen = Release.objects.filter(status__in=Release.FROZEN_STATUSES)
    if isinstance(obj, BoilerplateBlock):
        return frozen.filter(Q(topic_links__block=obj) | Q(company_about=obj)).distinct()
    if isinstance(obj, Disclaimer):
        return frozen.filter(disclaimer_links__disclaimer=obj).distinct()
    if isinstance(obj, Contact):
        return frozen.filter(contact_links__contact=obj).distinct()
    if isinstance(obj, PipelineAsset):
        # The company About of every release of the company prints the pipeline.
        return frozen.filter(company_id=obj.company_id, company_about__isnull=False)
    raise TypeError(f"{type(obj).__name__} is not a reusable part")


def _any_users(obj: Model) -> Any:
    releases = Release.objects.all()
    if isinstance(obj, BoilerplateBlock):
        return releases.filter(Q(topic_links__block=obj) | Q(company_about=obj)).distinct()
    if isinstance(obj, Disclaimer):
        return releases.filter(disclaimer_links__disclaimer=obj).distinct()
    if isinstance(obj, Contact):
        return releases.filter(contact_links__contact=obj).distinct()
    return _frozen_users(obj)


def part_in_use(part: Model) -> bool:
    """True when a release (of any state) uses the block, disclaimer, contact, or the asset's About."""
    return _any_users(part).exists()


def _archive_flag(obj: Model) -> tuple[str, bool]:
    return ("active", False) if isinstance(obj, Contact) else ("archived", True)


def _model_perm(obj: Model, action: str) -> str:
    return f"releases.{action}_{obj._meta.model_name}"


def part_archive(*, part: BoilerplateBlock | Disclaimer | PipelineAsset | Contact, user) -> Any:
    """Archive a block, disclaimer, pipeline asset or contact: no longer offered, kept for the releases that used it."""
    _require(
        user,
        _model_perm(part, "change"),
        _("You cannot archive %(what)s.") % {"what": part._meta.verbose_name_plural},
    )
    flag, value = _archive_flag(part)
    with transaction.atomic():
        locked = type(part).objects.select_for_update().get(pk=part.pk)
        if getattr(locked, flag) != value:
            setattr(locked, flag, value)
            locked._history_user = user
            locked.save(update_fields=[flag, "updated_at"])
        setattr(part, flag, value)
    return part


def part_delete(*, part: BoilerplateBlock | Disclaimer | PipelineAsset | Contact, user) -> Removal:
    """Delete a reusable part nobody used; one a release used is archived instead, and stays as it was."""
    _require(
        user,
        _model_perm(part, "delete"),
        _("You cannot delete %(what)s.") % {"what": part._meta.verbose_name_plural},
    )
    with transaction.atomic():
        users = list(_any_users(part).values_list("headline", flat=True)[:4])
        if users:
            count = _any_users(part).count()
            part_archive(part=part, user=user)
            named = "; ".join(f"“{h}”" for h in users[:3]) + ("…" if count > 3 else "")
            return Removal(
                deleted=False,
                message=_(
                    "“%(part)s” was not deleted: %(count)s release(s) used it (%(named)s), and what they say must "
                    "stay as it was. It was archived instead, so it is no longer offered for new releases."
                )
                % {"part": part, "count": count, "named": named},
            )
        label = str(part)
        part._history_user = user
        part.delete()
        return Removal(deleted=True, message=_("“%(part)s” was deleted.") % {"part": label})


block_archive = part_archive
disclaimer_archive = part_archive
asset_archive = part_archive
contact_archive = part_archive
block_delete = part_delete
disclaimer_delete = part_delete
asset_delete = part_delete
contact_delete = part_delete
