"""The history pages made readable: what changed, in words, at the company's time.

django-simple-history lists each saved version with the raw difference of its fields: HTML cut at
"[158 chars]", "draft → in_review", UTC times. Here each difference reads as a reviewer reads it:

- rich and long text as words, with what was taken out struck through and what came in marked;
- a choice by its label ("Draft → In review"), a yes/no as such, a related item by its name;
- moments in the company's time zone with the zone's abbreviation;
- nothing cut short, and a version that changed nothing shown does not get a line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import models as db_models
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

from releases.diffing import word_diff
from releases.fields import RichTextField
from releases.models import WorkflowEvent
from releases.templatetags.admin_moments import in_words
from releases.text import html_to_text

from .display import PART_NAMES, changed_words, house_company

# Plain text longer than this is compared word by word too.
LONG_TEXT = 80


def readable_value(field, value, zone: str) -> str:
    """One side of a change, as the form would show it."""
    if value is None or value == "":
        return "–"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, db_models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return in_words(value, zone)
    if isinstance(value, dt.date):
        return in_words(dt.datetime.combine(value, dt.time(12), tzinfo=dt.UTC), zone, "yMMMd", "", with_zone=False)
    if isinstance(field, RichTextField):
        return html_to_text(str(value)).strip()
    return str(value)


@dataclasses.dataclass(frozen=True)
class ReadableChange:
    field: str
    old: str
    new: str
    diff: SafeString | str = ""


class ReadableChanges(HistoricalRecordContextHelper):
    """The changes of one version in words (see the module's docstring); `zone` is the company's time zone."""

    def __init__(self, model, historical_record, *, zone: str):
        super().__init__(model, historical_record)
        self.zone = zone

    def context_for_delta_changes(self, delta) -> list[dict]:
        changes = [self.readable(change) for change in delta.changes]
        return [dataclasses.asdict(change) for change in changes if change.old != change.new]

    def readable(self, change) -> ReadableChange:
        field = self.model._meta.get_field(change.field)
        label = str(field.verbose_name)
        label = label[:1].upper() + label[1:]
        old = readable_value(field, change.old, self.zone)
        new = readable_value(field, change.new, self.zone)
        textual = isinstance(field, RichTextField | db_models.TextField) or max(len(old), len(new)) > LONG_TEXT
        if textual and old != "–" and new != "–":
            return ReadableChange(label, old, new, word_diff(old, new))
        return ReadableChange(label, old, new)


def company_zone_of(obj) -> str:
    """The time zone the history of `obj` is read in: its company's (a release's, a part's), else the house's."""
    company = getattr(obj, "company", None)
    if company is None and hasattr(obj, "asset"):
        company = obj.asset.company
    if company is None and hasattr(obj, "release"):
        company = obj.release.company
    if company is None and obj.__class__.__name__ == "Company":
        company = obj
    company = company or house_company()
    return company.time_zone if company else "UTC"


class ReleaseChanges(ReadableChanges):
    """A release's version also says which of its parts the save changed (references, topic Abouts …): those
    live in their own tables, and the audit trail's event for that save names them."""

    def context_for_delta_changes(self, delta) -> list[dict]:
        changes = super().context_for_delta_changes(delta)
        named = {change["field"] for change in changes}
        parts = [name for name in self.parts_changed() if name not in named]
        if parts:
            changes.append(dataclasses.asdict(ReadableChange(_("Parts"), "", "", ", ".join(parts))))
        return changes

    def parts_changed(self) -> list[str]:
        record = self.record
        # The service records the event right after saving the release, in the same transaction: the first
        # event of that person at or after this version's moment is the one of this save.
        event = (
            WorkflowEvent.objects.filter(
                release_id=record.id,
                actor_id=record.history_user_id,
                at__gte=record.history_date,
                at__lte=record.history_date + dt.timedelta(seconds=5),
            )
            .order_by("at", "id")
            .values_list("details", flat=True)
            .first()
        )
        names = (event or {}).get("changed", [])
        parts = [name for name in dict.fromkeys(names) if name in PART_NAMES]
        fields = {f.name for f in record.instance._meta.fields}
        return [changed_words([name]) for name in parts if name not in fields]
