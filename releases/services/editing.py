"""Writing a release: creating it and editing it, its own fields and its ordered parts, as one change.

`release_edit` takes the whole change in one lock: one save is one new version and one audit event,
whether it changed the headline, the references, the contacts or all of them. A change that changes
nothing writes nothing. The admin form, the API and `load_demo` all call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from releases.fields import RichTextField
from releases.models import (
    BoilerplateBlock,
    Company,
    Reference,
    Release,
    ReleaseContact,
    ReleaseDisclaimer,
    ReleaseImage,
    ReleaseTopic,
    Snapshot,
    WorkflowEvent,
)
from releases.sanitize import sanitize_html

from .common import WorkflowError, lock, record, refresh, require, require_company, save

Status = Release.Status
Action = WorkflowEvent.Action

# Fields of a release a writer edits; the rest belongs to the workflow.
EDITABLE_FIELDS = frozenset(
    {
        "company",
        "language",
        "translation_group",
        "category",
        "label",
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
REFERENCE_FIELDS = ("citation", "url", "accessed_on", "accessed_label")

# The ordered parts chosen from the company's reusable ones: (argument, link model, its field, flag, archived when).
CHOSEN_PARTS = (
    ("topics", ReleaseTopic, "block", "archived", True),
    ("disclaimers", ReleaseDisclaimer, "disclaimer", "archived", True),
    ("contacts", ReleaseContact, "contact", "active", False),
)
PART_NAMES = {"topics": "topic_abouts", "disclaimers": "disclaimers", "contacts": "contacts"}
# A new release has none of a part it is not given.
PART_DEFAULTS = {"references": (), "topics": (), "disclaimers": (), "contacts": (), "images": ()}


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


def default_company_about(company: Company | int | None, language: str) -> BoilerplateBlock | None:
    """The company About a new release in `language` starts with: the company's latest one in that language."""
    if not company:
        return None
    return (
        BoilerplateBlock.objects.filter(
            company=company, language=language, kind=BoilerplateBlock.Kind.COMPANY_ABOUT, archived=False
        )
        .order_by("-updated_at", "pk")
        .first()
    )


# -- creating ------------------------------------------------------------------------------------


def release_create(
    *,
    user,
    fields: dict[str, Any],
    references: Sequence[dict] = (),
    topics: Sequence[BoilerplateBlock] = (),
    disclaimers: Sequence = (),
    contacts: Sequence = (),
    images: Sequence[dict] = (),
) -> Release:
    """A new draft written by `user`, with its parts: version 1 and one "created" event.

    `fields` needs the company, the language and the headline; the slug is made from the headline
    when it is not given, and the company's About in the release's language is chosen when
    `company_about` is not given at all (send None to have none).
    """
    require(user, "releases.add_release", _("You cannot create releases: ask for the Writer role."))
    _refuse_unknown(fields)
    fields = dict(fields)
    company = fields.get("company")
    require_company(user, getattr(company, "pk", company))
    if "company_about" not in fields:
        fields["company_about"] = default_company_about(fields.get("company"), fields.get("language") or "")
    parts = {"references": references, "topics": topics, "disclaimers": disclaimers, "contacts": contacts}
    return create(user=user, fields=fields, parts={**parts, "images": images})


def create(
    *,
    user,
    fields: dict[str, Any],
    parts: dict[str, Sequence],
    comment: str = "",
    details: dict | None = None,
    archived_allowed: bool = False,
) -> Release:
    """The one way a release row comes to be (a draft, a translation, a correction); callers check the right.

    `parts` are named as `release_edit` names them; `archived_allowed`: a correction keeps the parts of
    the release it corrects, archived or not.
    """
    fields = dict(fields)
    with transaction.atomic():
        if not fields.get("slug"):
            fields["slug"] = unique_slug(fields.get("headline") or "", language=fields.get("language") or "")
        release = Release(**fields, created_by=user, last_edited_by=user, status=Status.DRAFT, version=1)
        release._history_user = user
        release.full_clean()
        release.save()
        written = _write_parts(release, user, **{**PART_DEFAULTS, **parts}, archived_allowed=archived_allowed)
        details = {**(details or {}), **({"parts": written} if written else {})}
        record(release, user, Action.CREATED, to_status=Status.DRAFT, comment=comment, details=details)
    return release


# -- editing -------------------------------------------------------------------------------------


def release_edit(
    *,
    release: Release,
    user,
    expected_version: int,
    fields: dict[str, Any] | None = None,
    references: Sequence[dict] | None = None,
    topics: Sequence[BoilerplateBlock] | None = None,
    disclaimers: Sequence | None = None,
    contacts: Sequence | None = None,
    images: Sequence[dict] | None = None,
) -> Release:
    """Save one change of a release if nobody saved it since `expected_version`; None leaves a part as it is.

    One change is one new version and one "edited" event naming what changed. An approved release goes
    back to draft and its snapshot is discarded; a released one (published, corrected, withdrawn) is
    refused: what went out stays as it was, and a publisher corrects it instead.
    """
    require(user, "releases.change_release", _("You cannot edit releases: ask for the Writer role."))
    _refuse_unknown(fields or {})
    with transaction.atomic():
        locked = lock(release)
        require_company(user, locked.company_id)
        if fields and "company" in fields:
            require_company(user, getattr(fields["company"], "pk", fields["company"]))
        _refuse_frozen_or_stale(locked, expected_version)
        wanted = {name: _normalised(name, value) for name, value in (fields or {}).items()}
        changed = [name for name, value in wanted.items() if _differs(locked, name, value)]
        for name in changed:
            setattr(locked, name, wanted[name])
        parts = {"references": references, "topics": topics, "disclaimers": disclaimers, "contacts": contacts}
        changed = sorted(changed + _write_parts(locked, user, **parts, images=images))
        if not changed:
            return release
        from_status = locked.status
        if locked.status == Status.IN_REVIEW:
            # A reviewer approves what they read: a change during review ends the review.
            locked.status = Status.DRAFT
        elif locked.status == Status.APPROVED:
            # The snapshot froze what the reviewer approved; this edit changes it, so the approval goes.
            Snapshot.objects.filter(release=locked).delete()
            locked.status = Status.DRAFT
            locked.approved_by = None
            locked.approved_at = None
        save(locked, user, edited=True)
        # An edit that undoes an approval says so in its one line of the trail.
        action = Action.APPROVAL_DISCARDED if from_status == Status.APPROVED else Action.EDITED
        record(locked, user, action, from_status=from_status, to_status=locked.status, details={"changed": changed})
    refresh(release, locked)
    return release


def _refuse_unknown(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not fields a writer edits: {', '.join(sorted(unknown))}")


def _refuse_frozen_or_stale(locked: Release, expected_version: int) -> None:
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


def _normalised(name: str, value: Any) -> Any:
    """The value as it will be stored: rich text goes through the one allow-list first."""
    if isinstance(Release._meta.get_field(name), RichTextField):
        return sanitize_html(value)
    return value


def _differs(release: Release, name: str, value: Any) -> bool:
    field = Release._meta.get_field(name)
    current = getattr(release, field.attname)
    wanted = value.pk if field.is_relation and isinstance(value, Model) else value
    return current != wanted


# -- the parts -----------------------------------------------------------------------------------


def parts_of(release: Release) -> dict[str, list]:
    """A saved release's parts, named and shaped as `release_edit` takes them."""
    return {
        "references": [{name: getattr(ref, name) for name in REFERENCE_FIELDS} for ref in release.references.all()],
        "topics": [link.block for link in release.topic_links.select_related("block")],
        "disclaimers": [link.disclaimer for link in release.disclaimer_links.select_related("disclaimer")],
        "contacts": [link.contact for link in release.contact_links.select_related("contact")],
        "images": [
            {"file": image.image, "alt_text": image.alt_text, "caption": image.caption}
            for image in release.images.all()
        ],
    }


def _write_parts(
    release: Release, user, *, references, topics, disclaimers, contacts, images, archived_allowed=False
) -> list[str]:
    """Make the release's parts what is asked (None: leave as it is); the names of those that changed."""
    changed = []
    for argument, model, field, flag, archived_when in CHOSEN_PARTS:
        items = {"topics": topics, "disclaimers": disclaimers, "contacts": contacts}[argument]
        if items is None:
            continue
        items = list(items)
        _refuse_foreign(release, items)
        if not archived_allowed:
            _refuse_archived(release, model, field, items, flag, archived_when)
        if _set_links(release, user, model, field, items):
            changed.append(PART_NAMES[argument])
    if references is not None and _set_references(release, user, list(references)):
        changed.append("references")
    if images is not None and _set_images(release, user, list(images)):
        changed.append("images")
    return changed


def _refuse_foreign(release: Release, items: Iterable[Model]) -> None:
    for item in items:
        company_id = getattr(item, "company_id", None)
        if company_id is not None and company_id != release.company_id:
            raise WorkflowError(
                _("“%(item)s” belongs to another company; choose one of %(company)s.")
                % {"item": item, "company": release.company},
                code="other_company",
            )


def _refuse_archived(release: Release, model, field: str, items, flag: str, archived_when: bool) -> None:
    current = set(model.objects.filter(release=release).values_list(f"{field}_id", flat=True))
    for item in items:
        if getattr(item, flag) == archived_when and item.pk not in current:
            raise WorkflowError(
                _("“%(item)s” is archived and cannot be chosen for a release any more.") % {"item": item},
                code="archived",
            )


def _set_links(release: Release, user, model, field: str, items: list[Model]) -> bool:
    """Make the release's ordered links of `model` exactly `items`; True when anything changed."""
    wanted = [item.pk for item in items]
    if len(set(wanted)) != len(wanted):
        raise WorkflowError(_("The same item is listed twice. List each one once."), code="duplicate")
    existing = {getattr(link, f"{field}_id"): link for link in model.objects.filter(release=release)}
    changed = False
    for link_id in set(existing) - set(wanted):
        link = existing[link_id]
        link._history_user = user
        link.delete()
        changed = True
    for position, item in enumerate(items):
        link = existing.get(item.pk)
        if link is not None and link.position == position:
            continue
        if link is None:
            link = model(release=release, **{field: item})
        link.position = position
        link._history_user = user
        link.full_clean()
        link.save()
        changed = True
    return changed


def _set_references(release: Release, user, references: list[dict]) -> bool:
    """The release's references, numbered (1), (2) … in this order; True when anything changed."""
    existing = {ref.position: ref for ref in Reference.objects.filter(release=release)}
    changed = False
    for number, data in enumerate(references, start=1):
        unknown = set(data) - set(REFERENCE_FIELDS)
        if unknown:
            raise TypeError(f"unexpected reference fields: {', '.join(sorted(unknown))}")
        values = {"url": "", "accessed_on": None, "accessed_label": "", **data}
        ref = existing.pop(number, None)
        if ref is not None and all(getattr(ref, k) == v for k, v in values.items()):
            continue
        ref = ref or Reference(release=release, position=number)
        for key, value in values.items():
            setattr(ref, key, value)
        ref._history_user = user
        ref.full_clean()
        ref.save()
        changed = True
    for ref in existing.values():
        ref._history_user = user
        ref.delete()
        changed = True
    return changed


def _set_images(release: Release, user, images: list[dict]) -> bool:
    """The release's images in this order: each an existing one (`id`) or a new upload (`file`)."""
    existing = {image.pk: image for image in ReleaseImage.objects.filter(release=release)}
    kept = {data["id"] for data in images if data.get("id")}
    if kept - set(existing):
        raise WorkflowError(_("An image of another release was named."), code="other_release")
    changed = False
    for pk in set(existing) - kept:
        existing[pk].delete()
        changed = True
    for position, data in enumerate(images):
        image = existing.get(data.get("id")) or ReleaseImage(release=release)
        if data.get("file") is not None:
            image.image = data["file"]
        values = {"alt_text": data.get("alt_text", ""), "caption": data.get("caption", ""), "position": position}
        if image.pk and data.get("file") is None and all(getattr(image, k) == v for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(image, key, value)
        image.full_clean()
        image.save()
        changed = True
    return changed
