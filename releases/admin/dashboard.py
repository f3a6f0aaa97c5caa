"""The admin's index: what waits for each role today, for those allowed to read releases."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

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
    }
