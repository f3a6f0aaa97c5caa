"""The admin's index: what waits for each role today, for those allowed to read releases."""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from releases.models import Release, WorkflowEvent
from releases.scoping import scoped


def dashboard_context(request) -> dict:
    user = request.user
    if not user.has_perm("releases.view_release"):
        # A staff account without the right to read releases learns nothing about them here.
        return {"dash_hidden": True}
    releases = scoped(Release.objects.select_related("company", "last_edited_by"), user)
    now = timezone.now()
    mine = releases.drafts().filter(Q(created_by=user) | Q(last_edited_by=user)).order_by("-updated_at")[:6]
    returned = {
        e.release_id: e
        for e in WorkflowEvent.objects.filter(
            release__in=[r.pk for r in mine], action=WorkflowEvent.Action.RETURNED
        ).select_related("actor")
    }
    return {
        "dash_now": now,
        "dash_in_review": list(releases.in_review().order_by("publication_at")[:10]),
        "dash_approved": list(releases.filter(status=Release.Status.APPROVED).order_by("publication_at")[:10]),
        "dash_scheduled": list(releases.scheduled(now).order_by("publication_at")[:10]),
        "dash_published": list(releases.published(now).order_by("-publication_at")[:6]),
        "dash_drafts": [(r, returned.get(r.pk)) for r in mine],
        "dash_can_add": user.has_perm("releases.add_release"),
        "dash_recent": recent_actions(user),
    }


def recent_actions(user, limit: int = 8) -> list[dict]:
    """What the team did to releases lately, each named (edited what, approved, scheduled, corrected …), and
    the user's own changes to the parts.

    Built from the audit trail (WorkflowEvent) rather than from the admin's LogEntry: the services write one
    event for every save and every step, whether it came from the admin, the API or the command line, so
    nothing is missing (approvals, schedules) and nothing is doubled (one save is one line). LogEntry still
    says what happened to the parts (blocks, disclaimers, contacts), which have no workflow.
    """
    from .display import changed_words

    rows = []
    # The team's work on the companies this user works for only (releases.scoping): a headline is news.
    events = scoped(WorkflowEvent.objects.all(), user, "release__company")
    events = events.select_related("release__company", "actor").order_by("-at", "-id")[:limit]
    for event in events:
        rows.append(
            {
                "at": event.at,
                "what": event_words(event, changed_words),
                "who": event.actor,
                "target": event.release.headline,
                "url": reverse("admin:releases_release_change", args=[event.release_id]),
            }
        )
    release_type = ContentType.objects.get_for_model(Release)
    for entry in (LogEntry.objects.filter(user=user).exclude(content_type=release_type).select_related("content_type"))[
        :limit
    ]:
        rows.append(
            {
                "at": entry.action_time,
                "what": entry.get_change_message() or _("Changed"),
                "who": user,
                "target": f"{str(entry.content_type.name).capitalize()} “{entry.object_repr}”",
                "url": "" if entry.is_deletion() else entry.get_admin_url(),
            }
        )
    rows.sort(key=lambda row: row["at"], reverse=True)
    return rows[:limit]


def event_words(event: WorkflowEvent, changed_words) -> str:
    """One event in words: 'Edited: Headline, References', 'Approved', 'Scheduled for …'."""
    from releases.services.common import moment

    Action = WorkflowEvent.Action
    action = str(event.get_action_display())
    action = action[:1].upper() + action[1:]
    if event.action in (Action.EDITED, Action.APPROVAL_DISCARDED) and event.details.get("changed"):
        return _("%(action)s: %(parts)s") % {"action": action, "parts": changed_words(event.details["changed"])}
    if event.action == Action.PUBLISHED and event.details.get("publication_at"):
        when = dt.datetime.fromisoformat(event.details["publication_at"])
        if when > event.at:
            return _("Scheduled for %(moment)s") % {"moment": moment(when, event.release)}
        return _("Published")
    return action
