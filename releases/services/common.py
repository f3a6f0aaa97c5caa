"""What every service shares: the refusal it raises, the row lock, the audit event, the save."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from releases.models import Release, WorkflowEvent


class WorkflowError(ValidationError):
    """A refused change, in words a writer understands; nothing was written."""


@dataclass(frozen=True)
class Refusal:
    """Why a change cannot happen now: `code` for machines, `message` for people."""

    code: str
    message: str
    permission: bool = False  # the user lacks the right, rather than the release being in the wrong state
    offered: bool = True  # False: the step makes no sense now, so screens leave it out rather than grey it

    def __str__(self) -> str:
        return self.message

    def error(self) -> Exception:
        if self.permission:
            return PermissionDenied(self.message)
        return WorkflowError(self.message, code=self.code)


def require(user, perm: str, message: str) -> None:
    if not permitted(user, perm):
        raise PermissionDenied(message)


def permitted(user, perm: str) -> bool:
    return user is not None and user.is_active and user.has_perm(perm)


def lock(release: Release) -> Release:
    """The release's row, locked until the transaction ends, as the database has it now."""
    return Release.objects.select_for_update().get(pk=release.pk)


def moment(value: dt.datetime | None, release: Release | None = None) -> str:
    """A moment as people of the release's company read it: date, time and zone abbreviation."""
    if value is None:
        return _("no moment")
    zone = release.company.zone if release is not None else timezone.get_current_timezone()
    local = value.astimezone(zone)
    return formats.date_format(local, "DATETIME_FORMAT") + f" ({local:%Z})"


def record(
    release: Release,
    user,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    details: dict | None = None,
) -> WorkflowEvent:
    """One line of the audit trail."""
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


def save(release: Release, user, *, edited: bool) -> None:
    """Validate and save: every save raises the version; an edit also names its editor."""
    release.version += 1
    if edited:
        release.last_edited_by = user
    release._history_user = user
    release.full_clean()
    release.save()


def refresh(instance: Release | None, saved: Release) -> None:
    """Let the caller's instance of the same release see what was saved."""
    if instance is not None and instance is not saved and instance.pk == saved.pk:
        instance.refresh_from_db()


def require_company(user, company_id: int | None) -> None:
    """Refuse work on another issuer's release or part to someone assigned to other companies."""
    from releases.scoping import works_for

    if company_id is not None and not works_for(user, company_id):
        raise PermissionDenied(_("You do not work for this company: ask an administrator to assign you to it."))
