"""The reusable parts (blocks, disclaimers, pipeline assets, contacts): archived instead of deleted once
a release used them, so what a release said can always be read again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from releases.models import BoilerplateBlock, Contact, Disclaimer, PipelineAsset, Release

from .common import require, require_company

Part = BoilerplateBlock | Disclaimer | PipelineAsset | Contact


@dataclass(frozen=True)
class Removal:
    """What a delete request did: `deleted` False means the item was archived instead."""

    deleted: bool
    message: str


def part_users(part: Model):
    """The releases (of any state) that use the block, disclaimer or contact, or print the asset in their About."""
    releases = Release.objects.all()
    if isinstance(part, BoilerplateBlock):
        return releases.filter(Q(topic_links__block=part) | Q(company_about=part)).distinct()
    if isinstance(part, Disclaimer):
        return releases.filter(disclaimer_links__disclaimer=part).distinct()
    if isinstance(part, Contact):
        return releases.filter(contact_links__contact=part).distinct()
    if isinstance(part, PipelineAsset):
        # The company About of every frozen release of the company printed the pipeline.
        return releases.filter(
            status__in=Release.FROZEN_STATUSES, company_id=part.company_id, company_about__isnull=False
        )
    raise TypeError(f"{type(part).__name__} is not a reusable part")


def _archive_flag(part: Model) -> tuple[str, bool]:
    return ("active", False) if isinstance(part, Contact) else ("archived", True)


def _perm(part: Model, action: str) -> str:
    return f"releases.{action}_{part._meta.model_name}"


def part_archive(*, part: Part, user) -> Any:
    """No longer offered for new releases; kept, as it was, for the releases that used it."""
    require(user, _perm(part, "change"), _("You cannot archive %(what)s.") % {"what": part._meta.verbose_name_plural})
    require_company(user, part.company_id)
    flag, value = _archive_flag(part)
    with transaction.atomic():
        locked = type(part).objects.select_for_update().get(pk=part.pk)
        if getattr(locked, flag) != value:
            setattr(locked, flag, value)
            locked._history_user = user
            locked.save(update_fields=[flag, "updated_at"])
        setattr(part, flag, value)
    return part


def part_delete(*, part: Part, user) -> Removal:
    """Delete a reusable part nobody used; one a release used is archived instead, and stays as it was."""
    require(user, _perm(part, "delete"), _("You cannot delete %(what)s.") % {"what": part._meta.verbose_name_plural})
    require_company(user, part.company_id)
    with transaction.atomic():
        users = part_users(part)
        named = list(users.values_list("headline", flat=True)[:4])
        if named:
            count = users.count()
            part_archive(part=part, user=user)
            listed = "; ".join(f"“{h}”" for h in named[:3]) + ("…" if count > 3 else "")
            return Removal(
                deleted=False,
                message=_(
                    "“%(part)s” was not deleted: %(count)s release(s) used it (%(named)s), and what they say must "
                    "stay as it was. It was archived instead, so it is no longer offered for new releases."
                )
                % {"part": part, "count": count, "named": listed},
            )
        label = str(part)
        part._history_user = user
        part.delete()
        return Removal(deleted=True, message=_("“%(part)s” was deleted.") % {"part": label})
