"""The views behind the release form's buttons: the workflow steps, previews, the snapshot, the parts lists.

Nothing here changes a release except through `releases.services`; the preview composes what is on
the form (saved or not) and saves nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from releases import models, rendering, services
from releases.forms import form_parts
from releases.scoping import works_for

from .display import company_zone, local_moment, release_scope

Kind = models.BoilerplateBlock.Kind


def comment_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Comment, note or notice"),
        required=False,
        help_text=gettext_lazy("Needed to return, correct or withdraw."),
    )


def workflow_buttons(user, release: models.Release) -> list[dict]:
    """The steps this user may take on this release now; a step refused for a reason that helps is greyed with it."""
    if release is None or release.pk is None:
        return []
    buttons = []
    for transition, refusal in services.available(release, user):
        if refusal is not None and not refusal.offered:
            continue
        label = str(transition.label)
        if transition.name == "publish":
            future = release.publication_at and release.publication_at > timezone.now()
            label = _("Schedule for %(moment)s") % {"moment": local_moment(release)} if future else _("Publish now")
        argument = transition.text_argument
        buttons.append(
            {
                "name": transition.name,
                "label": label,
                "style": transition.style,
                "confirm": str(transition.confirm),
                "comment": argument.name if argument else "",
                "comment_required": bool(argument and argument.required),
                "disabled": str(refusal) if refusal else "",
                "url": reverse("admin:releases_release_workflow", args=[release.pk, transition.name]),
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


class AdminBoundView(View):
    admin = None  # the ReleaseAdmin, passed by as_view(admin=…)

    def release(self, request, object_id) -> models.Release:
        obj = self.admin.get_object(request, unquote(object_id))
        if obj is None or not self.admin.has_view_permission(request, obj):
            raise Http404(_("No such release."))
        return obj


class WorkflowView(AdminBoundView):
    """One button, one transition, one message saying what happened or why not."""

    http_method_names = ["post"]

    def post(self, request, object_id, action):
        transition = services.TRANSITIONS.get(action)
        if transition is None:
            raise Http404(_("No such action."))
        release = self.release(request, object_id)
        change_url = reverse("admin:releases_release_change", args=[release.pk])
        # A step refused on the review screen goes back there, with the reason.
        back_url = (
            reverse("admin:releases_release_review", args=[release.pk])
            if request.POST.get("_from") == "review"
            else change_url
        )
        arguments = {}
        for spec in transition.arguments:
            if spec.kind == "text":
                arguments[spec.name] = request.POST.get("workflow_comment", request.POST.get("comment", ""))
            elif spec.kind in ("version", "digest"):
                # What the reviewer's screen showed when it was rendered (release_panels).
                arguments[spec.name] = request.POST.get(f"review_{spec.name}", "")
        try:
            result = transition.execute(release=release, user=request.user, **arguments)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(str(m) for m in error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            return HttpResponseRedirect(back_url)
        except rendering.RenderError as error:
            messages.error(
                request, _("The release could not be rendered, so nothing changed: %(why)s") % {"why": error}
            )
            return HttpResponseRedirect(back_url)
        messages.success(request, transition.done_message(release, result))
        if transition.creates:
            return HttpResponseRedirect(reverse("admin:releases_release_change", args=[result.pk]))
        return HttpResponseRedirect(change_url)


class ReviewView(AdminBoundView):
    """The review screen: the composed release as the public will read it, what changed since the version this
    reviewer last read or returned (shared parts included), the thread of returns and answers, and the steps."""

    http_method_names = ["get"]
    template_name = "admin/releases/release/review.html"

    def get(self, request, object_id):
        from django.template.response import TemplateResponse

        release = self.release(request, object_id)
        change_url = reverse("admin:releases_release_change", args=[release.pk])
        if release.status not in (models.Release.Status.IN_REVIEW, models.Release.Status.DRAFT):
            messages.info(request, _("This release is not in review: its page shows what went out."))
            return HttpResponseRedirect(change_url)
        since = request.GET.get("since", "")
        since_id = int(since) if since.isascii() and since.isdigit() and len(since) < 19 else None
        try:
            screen = services.release_review_screen(release=release, user=request.user, since=since_id)
        except rendering.RenderError as error:
            messages.error(request, _("The release could not be composed for review: %(why)s") % {"why": error})
            return HttpResponseRedirect(change_url)
        except PermissionDenied:
            raise Http404(_("No such release.")) from None
        buttons = [b for b in workflow_buttons(request.user, release) if b["name"] in ("approve", "return")]
        context = {
            **self.admin.admin_site.each_context(request),
            "opts": release._meta,
            "original": release,
            "title": _("Review"),
            "subtitle": release.headline,
            "screen": screen,
            "buttons": buttons,
            "release_moment": local_moment(release),
            "zone": release.company.time_zone,
            "change_url": change_url,
            "preview_page_url": reverse("admin:releases_release_preview", args=[release.pk, "page"]),
            "preview_pdf_url": reverse("admin:releases_release_preview", args=[release.pk, "pdf"]),
        }
        response = TemplateResponse(request, self.template_name, context)
        response["Cache-Control"] = "private, no-store"
        return response


class PreviewView(AdminBoundView):
    """The page or the PDF of what is on the form now, including changes not saved yet. Nothing is saved."""

    http_method_names = ["get", "post"]

    def get(self, request, kind, object_id=None):
        if object_id is None:
            raise Http404(_("Nothing to preview yet."))
        release = self.release(request, object_id)
        return self.respond(kind, rendering.content_from_release(release), release.slug, release)

    def post(self, request, kind, object_id=None):
        obj = self.release(request, object_id) if object_id else None
        if obj is not None and obj.is_frozen:
            return self.respond(kind, rendering.content_from_release(obj), obj.slug, obj)
        if not (self.admin.has_add_permission(request) or self.admin.has_change_permission(request, obj)):
            raise PermissionDenied
        with timezone.override(company_zone(release_scope(request, obj)[0])):
            content = self.content_of_form(request, obj)
        if content is None:
            message = escape(_("Choose the company and write a headline, then preview again."))
            return HttpResponse(f"<!doctype html><meta charset=utf-8><p class=preview-error>{message}</p>", status=400)
        return self.respond(kind, content, content.slug or "preview", obj)

    def content_of_form(self, request, obj, *, with_images: bool = True):
        ModelForm = self.admin.get_form(request, obj, change=obj is not None)
        form = ModelForm(request.POST, request.FILES, instance=obj or models.Release())
        form.is_valid()  # a stale version or a missing field does not stop a preview
        data = form.cleaned_data
        if not data.get("company") or not (data.get("headline") or "").strip():
            return None
        formsets, _inlines = self.admin._create_formsets(request, form.instance, change=obj is not None)
        for formset in formsets:
            formset.is_valid()
        parts = form_parts(formsets)
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
            references=[{"position": n, **r} for n, r in enumerate(parts.get("references", []), start=1)],
            topic_blocks=[b for b in parts.get("topics", []) if b is not None],
            company_about=data.get("company_about"),
            disclaimers=[d for d in parts.get("disclaimers", []) if d is not None],
            contacts=[c for c in parts.get("contacts", []) if c is not None],
            corrects=obj.corrects if obj is not None else None,
            correction_note=data.get("correction_note") or "",
            images=form_images(obj, parts.get("images", [])) if with_images else (),
            release=obj,
        )

    def respond(self, kind: str, content, slug: str, obj=None) -> HttpResponse:
        try:
            if kind == "pdf":
                response = HttpResponse(rendering.render_pdf(content), content_type="application/pdf")
                response["Content-Disposition"] = f'inline; filename="preview-{slug}.pdf"'
            elif kind == "page":
                # The release is not public: its images come through the admin, for those who may read it.
                media_base = admin_media_base(obj) if obj is not None else None
                response = HttpResponse(rendering.render_page(content, preview=True, media_base=media_base))
            else:
                raise Http404(_("No such preview."))
        except rendering.RenderError as error:
            message = escape(_("This preview could not be rendered: %(why)s") % {"why": error})
            busy = isinstance(error, rendering.RenderBusy)
            response = HttpResponse(
                f"<!doctype html><meta charset=utf-8><p class=preview-error>{message}</p>", status=503 if busy else 422
            )
            if busy:
                response["Retry-After"] = "60"
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class LeadView(PreviewView):
    """The first paragraph as readers will see it, composed from what is on the form now, for the live line under
    the text (admin_ext/release.js): the dateline, the issuer and its identifiers joined to what the writer typed."""

    http_method_names = ["post"]

    def post(self, request, object_id=None):
        obj = self.release(request, object_id) if object_id else None
        if not (self.admin.has_add_permission(request) or self.admin.has_change_permission(request, obj)):
            raise PermissionDenied
        with timezone.override(company_zone(release_scope(request, obj)[0])):
            content = self.content_of_form(request, obj, with_images=False)
        if content is None:
            return JsonResponse(
                {"html": "", "how": "", "explanation": _("Choose the company and write a headline to see the lead.")}
            )
        from releases.rendering.compose import dateline, identifiers, lead_of
        from releases.rendering.lead import INSIDE, NAME
        from releases.rendering.typography import nest_quotes

        lead = lead_of(content, dateline(content), identifiers(content))
        shown = nest_quotes(lead.body, content.language)
        # The lead's own line and the paragraph after it, or the paragraph that carries it.
        paragraphs = shown.split("</p>")
        count = 1 if lead.how in (INSIDE, NAME) else 2
        html = "</p>".join(paragraphs[:count]) + "</p>" if len(paragraphs) > count else shown
        explanations = {
            INSIDE: _("The dateline, the company and its identifiers open your first paragraph."),
            NAME: _("Your text opens with the company's name: it is printed once, as the issuer with its identifiers."),
        }
        explanation = explanations.get(
            lead.how,
            _(
                "Your first paragraph cannot carry the dateline and the company's name, so they stand as a line of "
                "their own. Start the text with the verb (“today announced …”) or with the company's name."
            ),
        )
        if lead.typed_dateline:
            explanation = f"{explanation} " + _(
                "The dateline you typed is replaced by the one made from the publication moment."
            )
        return JsonResponse({"html": html, "how": lead.how, "explanation": explanation})


def admin_media_base(release: models.Release) -> str:
    """Where a preview addresses the release's media files: the admin's media view of that release."""
    return reverse("admin:releases_release_media", args=[release.pk, "-"]).removesuffix("-")


def form_images(obj, rows: list[dict]) -> list[models.ReleaseImage]:
    """The saved images of `obj` the form keeps, in its order, with the words typed for them (not saved)."""
    if obj is None:
        return []
    saved = {image.pk: image for image in obj.images.all()}
    kept = []
    for row in rows:
        image = saved.get(row.get("id"))
        if image is None or row.get("file") is not None:
            continue  # a new upload is previewed once saved
        image.alt_text, image.caption = row.get("alt_text", ""), row.get("caption", "")
        kept.append(image)
    return kept


class MediaView(AdminBoundView):
    """A release's image for the people who may read the release, public or not: what its preview shows."""

    def get(self, request, object_id, name):
        from releases.http import file_response
        from releases.rendering.images import release_of_frozen

        release = self.release(request, object_id)
        if "\x00" in name:  # no file's name (and PostgreSQL refuses it in a query)
            raise Http404(_("No such file."))
        frozen = release_of_frozen(name)
        if frozen != release.pk and not release.images.filter(image=name).exists():
            raise Http404(_("No such file."))
        response = file_response(name, max_age=0)
        response["Cache-Control"] = "private, no-store"
        return response


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
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class PartsView(AdminBoundView):
    """The parts a release of this company in this language may use, for the form's choice lists."""

    def get(self, request):
        if not self.admin.has_view_permission(request):
            raise PermissionDenied
        company_id, language = release_scope(request)
        if not works_for(request.user, company_id):
            company_id = None  # another issuer's parts are not offered
        blocks = models.BoilerplateBlock.objects.filter(company_id=company_id, language=language, archived=False)
        about = services.default_company_about(company_id, language)
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


def lockout(request, original_response=None, credentials=None):
    """What django-axes answers once sign-ins are paused: a page that says why and for how long."""
    from django.conf import settings
    from django.contrib import admin
    from django.shortcuts import render

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    if request.path.startswith("/api/"):
        message = _("Too many failed attempts from here; try again in %(minutes)s minutes.") % {"minutes": minutes}
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
        response["Retry-After"] = str(minutes * 60)
        return response
    context = {**admin.site.each_context(request), "minutes": minutes, "title": _("Signing in is paused")}
    return render(request, "admin/lockout.html", context, status=429)
