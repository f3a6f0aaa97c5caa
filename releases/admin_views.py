"""The views behind the release form's buttons: preview, workflow, snapshot; and the dashboard's content.

Nothing here changes a release except through `releases.services`; the preview builds the content
of what is on the form (saved or not) with `rendering.content_from_data` and saves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import models, rendering, services
from .checks import run_checks

Status = models.Release.Status
Kind = models.BoilerplateBlock.Kind


def comment_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Comment, note or notice"),
        required=False,
        help_text=gettext_lazy("Needed to return, correct or withdraw."),
    )


def status_badge(release: models.Release) -> str:
    """The status as a coloured badge; a published release not yet public says “scheduled”."""
    status, label = release.status, release.get_status_display()
    if status == Status.PUBLISHED and release.publication_at and release.publication_at > timezone.now():
        status, label = "scheduled", _("Scheduled")
    return format_html('<span class="badge badge-{}">{}</span>', status, label)


def local_moment(release: models.Release) -> str:
    if release.publication_at is None:
        return _("no publication moment yet")
    local = release.local_publication_at
    return f"{formats.date_format(local, 'l j F Y, H:i')} {local:%Z}"


def company_zone(company_id: int | None):
    """The company's time zone, in which its people read and type moments."""
    company = models.Company.objects.filter(pk=company_id).only("time_zone").first() if company_id else None
    return company.zone if company else timezone.get_current_timezone()


def next_morning(company_id: int | None) -> dt.datetime:
    """The next working day at 07:30 in the company's time zone: when most releases go out."""
    company = models.Company.objects.filter(pk=company_id).first() if company_id else None
    zone = company.zone if company else timezone.get_current_timezone()
    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=zone)


def default_company_about(company_id: int | None, language: str) -> models.BoilerplateBlock | None:
    if not company_id:
        return None
    return (
        models.BoilerplateBlock.objects.filter(
            company_id=company_id, language=language, kind=Kind.COMPANY_ABOUT, archived=False
        )
        .order_by("-updated_at", "pk")
        .first()
    )


# -- the dashboard ------------------------------------------------------------------------------------------


def dashboard_context(request) -> dict:
    releases = models.Release.objects.select_related("company", "last_edited_by")
    now = timezone.now()
    user = request.user
    mine = releases.drafts().filter(Q_user(user)).order_by("-updated_at")[:6]
    returned = {
        e.release_id: e
        for e in models.WorkflowEvent.objects.filter(
            release__in=[r.pk for r in mine], action=models.WorkflowEvent.Action.RETURNED
        ).select_related("actor")
    }
    return {
        "dash_now": now,
        "dash_in_review": list(releases.in_review().order_by("publication_at")[:10]),
        "dash_approved": list(releases.filter(status=Status.APPROVED).order_by("publication_at")[:10]),
        "dash_scheduled": list(releases.scheduled(now).order_by("publication_at")[:10]),
        "dash_published": list(releases.published(now).order_by("-publication_at")[:6]),
        "dash_drafts": [(r, returned.get(r.pk)) for r in mine],
        "dash_can_add": user.has_perm("releases.add_release"),
    }


def Q_user(user) -> Q:
    return Q(created_by=user) | Q(last_edited_by=user)


# -- the workflow buttons ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkflowAction:
    name: str
    label: str
    perm: str
    states: tuple[str, ...]
    service: object
    comment: str = ""  # the service's keyword for the comment box, if it takes one
    comment_required: bool = False
    confirm: str = ""  # asked before an action that cannot be undone
    style: str = ""


WORKFLOW_ACTIONS = {
    a.name: a
    for a in [
        WorkflowAction(
            "submit", gettext_lazy("Submit for review"), "submit_release", (Status.DRAFT,), services.release_submit,
            comment="comment", style="primary",
        ),
        WorkflowAction(
            "return", gettext_lazy("Return to the writer"), "review_release", (Status.IN_REVIEW,),
            services.release_return, comment="comment", comment_required=True,
        ),
        WorkflowAction(
            "approve", gettext_lazy("Approve"), "review_release", (Status.IN_REVIEW,), services.release_approve,
            comment="comment", style="primary",
            confirm=gettext_lazy(
                "Approve this release? What it says, its page and its PDF are frozen as they are now."
            ),
        ),
        WorkflowAction(
            "publish", gettext_lazy("Schedule"), "publish_release", (Status.APPROVED,), services.release_publish,
            style="primary",
            confirm=gettext_lazy("Schedule this release? It goes public on its own at the approved moment."),
        ),
        WorkflowAction(
            "unschedule", gettext_lazy("Take off the schedule"), "publish_release", (Status.PUBLISHED,),
            services.release_unschedule,
        ),
        WorkflowAction(
            "correct", gettext_lazy("Correct"), "publish_release", (Status.PUBLISHED,), services.release_correct,
            comment="note", comment_required=True,
            confirm=gettext_lazy("Create a correction? It starts as a draft that says it corrects this release."),
        ),
        WorkflowAction(
            "withdraw", gettext_lazy("Withdraw"), "publish_release", (Status.PUBLISHED,), services.release_withdraw,
            comment="notice", comment_required=True, style="danger",
            confirm=gettext_lazy(
                "Withdraw this release? This cannot be undone: its address will show only your notice."
            ),
        ),
    ]
}  # fmt: skip


def available_actions(user, release: models.Release) -> list[dict]:
    """The buttons this user may press on this release now, each with why it is disabled if it is."""
    if release is None or release.pk is None:
        return []
    public = release.is_public
    buttons = []
    for action in WORKFLOW_ACTIONS.values():
        if release.status not in action.states or not user.has_perm(f"releases.{action.perm}"):
            continue
        if action.name == "unschedule" and public:
            continue
        if action.name in ("correct", "withdraw") and not public:
            continue
        label, disabled = str(action.label), ""
        if action.name == "publish":
            future = release.publication_at and release.publication_at > timezone.now()
            label = _("Schedule for %(moment)s") % {"moment": local_moment(release)} if future else _("Publish now")
        if action.name == "approve" and release.last_edited_by_id == user.pk:
            disabled = _("You made the last edit, so another reviewer must approve it (four eyes).")
        buttons.append(
            {
                "name": action.name,
                "label": label,
                "style": action.style,
                "confirm": str(action.confirm),
                "comment": action.comment,
                "comment_required": action.comment_required,
                "disabled": disabled,
                "url": reverse("admin:releases_release_workflow", args=[release.pk, action.name]),
            }
        )
    return buttons


def comment_label(buttons: list[dict]) -> str:
    """What the one comment box is for, given the buttons beside it."""
    names = {b["name"] for b in buttons if b["comment"]}
    if not names:
        return ""
    if "return" in names:
        return _("Comment for the writer (needed to return it; kept in the audit trail)")
    if names & {"correct", "withdraw"}:
        return _("Correction note or withdrawal notice (needed; readers see it)")
    return _("Note for the reviewer (optional)")


def _done_message(action: str, release: models.Release, result: models.Release) -> str:
    headline = release.headline
    if action == "submit":
        return _("“%(h)s” is now in review. Reviewers see it on their dashboard.") % {"h": headline}
    if action == "return":
        return _("“%(h)s” went back to the writer with your comment.") % {"h": headline}
    if action == "approve":
        return _(
            "“%(h)s” is approved. Its page and PDF are frozen as they will go out; a publisher can now schedule it."
        ) % {"h": headline}
    if action == "publish":
        if result.publication_at > timezone.now():
            return _("“%(h)s” is scheduled: it goes public on %(moment)s (in %(left)s).") % {
                "h": headline,
                "moment": local_moment(result),
                "left": timeuntil(result.publication_at),
            }
        return _("“%(h)s” is published: it is public now.") % {"h": headline}
    if action == "unschedule":
        return _("“%(h)s” is off the schedule. Nothing went out; it stays approved.") % {"h": headline}
    if action == "correct":
        return _("A correction of “%(h)s” was created as a draft. Edit it, then submit it for review.") % {
            "h": headline
        }
    return _("“%(h)s” is withdrawn. Its address now shows only your notice.") % {"h": headline}


class AdminBoundView(View):
    admin = None  # the ReleaseAdmin, passed by as_view(admin=…)

    def release(self, request, object_id) -> models.Release:
        obj = self.admin.get_object(request, unquote(object_id))
        if obj is None or not self.admin.has_view_permission(request, obj):
            raise Http404(_("No such release."))
        return obj


class WorkflowView(AdminBoundView):
    """One button, one service call, one message saying what happened or why not."""

    http_method_names = ["post"]

    def post(self, request, object_id, action):
        spec = WORKFLOW_ACTIONS.get(action)
        if spec is None:
            raise Http404(_("No such action."))
        release = self.release(request, object_id)
        change_url = reverse("admin:releases_release_change", args=[release.pk])
        kwargs = {}
        if spec.comment:
            kwargs[spec.comment] = request.POST.get("workflow_comment", request.POST.get("comment", "")).strip()
        try:
            with transaction.atomic():
                result = spec.service(release=release, user=request.user, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(str(m) for m in error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            return HttpResponseRedirect(change_url)
        messages.success(request, _done_message(action, release, result))
        if action == "correct":
            return HttpResponseRedirect(reverse("admin:releases_release_change", args=[result.pk]))
        return HttpResponseRedirect(change_url)


# -- the change form's panels ------------------------------------------------------------------------------

# Where on the form each check's `field` is fixed.
ANCHORS = {
    "headline": "id_headline",
    "subheadline": "id_subheadline",
    "company": "id_company",
    "language": "id_language",
    "publication_at": "id_publication_at_0",
    "body": "fieldset-body",
    "contacts": "contact_links-group",
    "disclaimers": "disclaimer_links-group",
    "references": "references-group",
    "topic_abouts": "topic_links-group",
    "company_about": "id_company_about",
}
PART_NAMES = {
    "headline": gettext_lazy("Headline"),
    "subheadline": gettext_lazy("Subheadline"),
    "company": gettext_lazy("Company"),
    "language": gettext_lazy("Language"),
    "publication_at": gettext_lazy("Publication moment"),
    "body": gettext_lazy("Text"),
    "contacts": gettext_lazy("Contacts"),
    "disclaimers": gettext_lazy("Disclaimers"),
    "references": gettext_lazy("References"),
    "topic_abouts": gettext_lazy("Topic Abouts"),
    "company_about": gettext_lazy("Company About"),
}


def checks_for(release_or_content) -> list[dict]:
    checks = sorted(run_checks(release_or_content), key=lambda c: (not c.blocking,))
    return [
        {
            "blocking": c.blocking,
            "message": c.message,
            "part": str(PART_NAMES.get(c.field, c.field.replace("_", " ").capitalize())),
            "anchor": ANCHORS.get(c.field, ""),
        }
        for c in checks
    ]


def trail_rows(release: models.Release, limit: int = 40) -> list[dict]:
    """The audit trail, newest first; a run of edits by one person reads as one line (“Edited ×4”)."""
    rows: list[dict] = []
    for event in release.events.select_related("actor").order_by("-at", "-id")[:limit]:
        last = rows[-1] if rows else None
        if (
            last is not None
            and event.action == last["event"].action == models.WorkflowEvent.Action.EDITED
            and event.actor_id == last["event"].actor_id
        ):
            last["times"] += 1
            continue
        rows.append({"event": event, "times": 1})
    return rows


def release_panels(request, admin, obj: models.Release | None) -> dict:
    """The sidebar of the release form: checks, workflow buttons, snapshot, audit trail, preview links."""
    context = {
        "preview_page_url": reverse("admin:releases_preview", args=["page"]),
        "preview_pdf_url": reverse("admin:releases_preview", args=["pdf"]),
        "parts_url": reverse("admin:releases_release_parts"),
    }
    if obj is None:
        return context
    snapshot = models.Snapshot.objects.filter(release=obj).defer("pdf", "page_html", "fragment_html").first()
    context.update(
        {
            "preview_page_url": reverse("admin:releases_release_preview", args=[obj.pk, "page"]),
            "preview_pdf_url": reverse("admin:releases_release_preview", args=[obj.pk, "pdf"]),
            "release_checks": checks_for(obj) if not obj.is_frozen else [],
            "release_blocking": [] if obj.is_frozen else [c for c in checks_for(obj) if c["blocking"]],
            "workflow_buttons": (buttons := available_actions(request.user, obj)),
            "workflow_comment_label": comment_label(buttons),
            "release_badge": status_badge(obj),
            "release_moment": local_moment(obj),
            "release_public": obj.is_public,
            "release_snapshot": snapshot,
            "snapshot_page_url": reverse("admin:releases_release_snapshot", args=[obj.pk, "page"]) if snapshot else "",
            "snapshot_pdf_url": reverse("admin:releases_release_snapshot", args=[obj.pk, "pdf"]) if snapshot else "",
            "release_events": trail_rows(obj),
            "last_return": obj.events.filter(action=models.WorkflowEvent.Action.RETURNED).order_by("-at").first()
            if obj.status == Status.DRAFT
            else None,
            "correction": models.Release.objects.filter(corrects=obj).first(),
        }
    )
    return context


# -- preview of what is on the form, saved or not ------------------------------------------------------------

PREVIEW_BANNER = (
    '<div role="note" style="position:sticky;top:0;z-index:9999;background:#fff4c2;color:#5a4500;'
    "border-bottom:2px solid #e0b400;padding:.6rem 1rem;font:600 15px/1.4 system-ui,sans-serif;"
    'text-align:center">{}</div>'
)


class PreviewView(AdminBoundView):
    """The page or the PDF of what is on the form now, including changes not saved yet. Nothing is saved."""

    http_method_names = ["get", "post"]

    def get(self, request, kind, object_id=None):
        if object_id is None:
            raise Http404(_("Nothing to preview yet."))
        release = self.release(request, object_id)
        return self.respond(kind, rendering.content_from_release(release), release.slug)

    def post(self, request, kind, object_id=None):
        obj = self.release(request, object_id) if object_id else None
        if obj is not None and obj.is_frozen:
            return self.respond(kind, rendering.content_from_release(obj), obj.slug)
        if not (self.admin.has_add_permission(request) or self.admin.has_change_permission(request, obj)):
            raise PermissionDenied
        from .admin import release_scope

        with timezone.override(company_zone(release_scope(request, obj)[0])):
            content = self.content_of_form(request, obj)
        if content is None:
            message = escape(_("Choose the company and write a headline, then preview again."))
            return HttpResponse(f"<!doctype html><meta charset=utf-8><p class=preview-error>{message}</p>", status=400)
        return self.respond(kind, content, content.slug or "preview")

    def content_of_form(self, request, obj):
        ModelForm = self.admin.get_form(request, obj, change=obj is not None)
        form = ModelForm(request.POST, request.FILES, instance=obj or models.Release())
        form.is_valid()  # a stale version or a missing field does not stop a preview
        data = form.cleaned_data
        if not data.get("company") or not (data.get("headline") or "").strip():
            return None
        formsets, _inlines = self.admin._create_formsets(request, form.instance, change=obj is not None)
        parts = {"references": [], "topics": [], "disclaimers": [], "contacts": []}
        from .forms import ContactFormSet, DisclaimerFormSet, ReferenceFormSet, TopicFormSet

        for formset in formsets:
            formset.is_valid()
            if isinstance(formset, ReferenceFormSet):
                refs = [r for r in formset.ordered_references() if r.get("citation")]
                parts["references"] = [{"position": n, **r} for n, r in enumerate(refs, start=1)]
            elif isinstance(formset, TopicFormSet | DisclaimerFormSet | ContactFormSet):
                key = next(
                    name
                    for cls, name in (
                        (TopicFormSet, "topics"),
                        (DisclaimerFormSet, "disclaimers"),
                        (ContactFormSet, "contacts"),
                    )
                    if isinstance(formset, cls)
                )
                parts[key] = [item for item in self._items(formset) if item is not None]
        return rendering.content_from_data(
            company=data["company"],
            language=data.get("language") or "en",
            headline=data["headline"],
            category=data.get("category") or models.Release.Category.NON_REGULATED,
            subheadline=data.get("subheadline") or "",
            slug=data.get("slug") or "",
            place=data.get("place") or "",
            publication_at=data.get("publication_at"),
            body=data.get("body") or "",
            references=parts["references"],
            topic_blocks=parts["topics"],
            company_about=data.get("company_about"),
            disclaimers=parts["disclaimers"],
            contacts=parts["contacts"],
            corrects=obj.corrects if obj is not None else None,
            correction_note=data.get("correction_note") or "",
        )

    @staticmethod
    def _items(formset):
        return [form.cleaned_data.get(formset.item_field) for form in formset.kept_forms()]

    def respond(self, kind: str, content, slug: str) -> HttpResponse:
        if kind == "pdf":
            response = HttpResponse(rendering.render_pdf(content), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="preview-{slug}.pdf"'
        elif kind == "page":
            html = rendering.render_page(content)
            banner = PREVIEW_BANNER.format(
                escape(_("Preview — not published. This is what the page will show, including unsaved changes."))
            )
            response = HttpResponse(_insert_after_body(html, banner))
        else:
            raise Http404(_("No such preview."))
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _insert_after_body(html: str, fragment: str) -> str:
    start = html.find("<body")
    end = html.find(">", start) if start >= 0 else -1
    if end < 0:
        return fragment + html
    return html[: end + 1] + fragment + html[end + 1 :]


class SnapshotView(AdminBoundView):
    """What approval froze, byte for byte, for the people who approved and publish it."""

    def get(self, request, object_id, kind):
        release = self.release(request, object_id)
        snapshot = models.Snapshot.objects.filter(release=release).first()
        if snapshot is None:
            raise Http404(_("This release has no approved version yet."))
        if kind == "pdf":
            response = HttpResponse(bytes(snapshot.pdf), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{release.slug}.pdf"'
        elif kind == "page":
            response = HttpResponse(snapshot.page_html)
        else:
            raise Http404(_("No such file."))
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class PartsView(AdminBoundView):
    """The parts a release of this company in this language may use, for the form's choice lists."""

    def get(self, request):
        if not self.admin.has_view_permission(request):
            raise PermissionDenied
        company = request.GET.get("company", "")
        language = request.GET.get("language", "en")
        company_id = int(company) if company.isdigit() else None
        blocks = models.BoilerplateBlock.objects.filter(company_id=company_id, language=language, archived=False)
        about = default_company_about(company_id, language)
        disclaimers = models.Disclaimer.objects.filter(language=language, archived=False).filter(
            Q(company_id=company_id) | Q(company__isnull=True)
        )
        return JsonResponse(
            {
                "company_about": [[b.pk, str(b)] for b in blocks.filter(kind=Kind.COMPANY_ABOUT)],
                "default_company_about": about.pk if about else None,
                "block": [[b.pk, str(b)] for b in blocks.filter(kind=Kind.TOPIC_ABOUT)],
                "disclaimer": [[d.pk, str(d)] for d in disclaimers],
            }
        )
