"""The release form: its own fields, its ordered parts, its side panels (checks, the next step, what goes
out, the audit trail), and the list of releases.

A save is one call of `services.release_edit` (or `release_create`) with the form's fields and every
changed part: one version, one audit event. The workflow's buttons and the list's actions are made
from `services.TRANSITIONS`. Frozen releases (approved, published, corrected, withdrawn) are read-only;
no release is deleted.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models as db_models
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

import releases.admin.views as views
from releases import forms, models, services
from releases.checks import run_checks
from releases.sanitize import sanitize_html
from releases.templatetags.admin_moments import in_words

from .base import HistoryAdmin
from .display import PART_NAMES, changed_words, company_zone, local_moment, next_morning, release_scope, status_badge
from .guards import BoundedAutocompleteSelect
from .history import ReleaseChanges

Status = models.Release.Status
Kind = models.BoilerplateBlock.Kind


def messages_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


# -- the ordered parts ---------------------------------------------------------------------------------


class FrozenAwareInline:
    """A release's parts can change only while the release is a draft or in review."""

    def has_add_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_delete_permission(request, obj)


class OrderedInline(FrozenAwareInline, admin.TabularInline):
    """An inline the writer reorders by dragging a row or with its ↑ ↓ buttons (admin_ext/release.js)."""

    form = forms.NoUniqueCheckForm
    extra = 0
    classes = ["ordered-inline"]

    def get_formset(self, request, obj=None, **kwargs):
        self._scope = release_scope(request, obj)
        self._current = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "position" and field is not None:
            field.widget.attrs.update({"class": "position-input", "min": 1})
            field.required = False
        return field


class ReferenceInline(OrderedInline):
    model = models.Reference
    formset = forms.ReferenceFormSet
    fields = ["position", "citation", "url", "accessed_on", "accessed_label"]
    classes = ["ordered-inline", "ordered-from-1"]
    verbose_name_plural = _("references — cited in the text as (1), (2) … in this order")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "citation":
            field.widget.attrs.update({"rows": 2, "cols": 60})
        return field


class ScopedRelatedWidget(RelatedFieldWidgetWrapper):
    """The "+" beside a part's choice: the new part's form opens for the release's company, language and kind,
    under the part's own name ("Add another topic About", not "boilerplate block")."""

    def __init__(self, wrapper: RelatedFieldWidgetWrapper, *, params: dict, label):
        super().__init__(
            wrapper.widget,
            wrapper.rel,
            wrapper.admin_site,
            can_add_related=wrapper.can_add_related,
            can_change_related=wrapper.can_change_related,
            can_delete_related=wrapper.can_delete_related,
            can_view_related=wrapper.can_view_related,
        )
        self.params, self.label = params, label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        extra = urlencode({key: value for key, value in self.params.items() if value not in (None, "")})
        if extra:
            context["url_params"] = f"{context['url_params']}&{extra}"
        context["model"] = self.label
        return context


class ChosenPartInline(OrderedInline):
    """An ordered choice among the company's parts in the release's language (and those it already has)."""

    part_field = ""
    part_label = ""
    part_kind = ""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            db_field.name == self.part_field
            and field is not None
            and isinstance(field.widget, RelatedFieldWidgetWrapper)
        ):
            company_id, language = self._scope
            params = {"company": company_id, "language": language, "kind": self.part_kind}
            field.widget = ScopedRelatedWidget(field.widget, params=params, label=self.part_label)
        return field

    def part_queryset(self, request):
        raise NotImplementedError

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.part_field:
            current = []
            if self._current is not None and self._current.pk:
                current = self.model.objects.filter(release=self._current).values_list(f"{self.part_field}_id")
            queryset = self.part_queryset(request) | db_field.related_model.objects.filter(pk__in=current)
            kwargs["queryset"] = queryset.distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReleaseTopicInline(ChosenPartInline):
    model = models.ReleaseTopic
    formset = forms.TopicFormSet
    part_field = "block"
    part_label = _("topic About")
    part_kind = Kind.TOPIC_ABOUT
    fields = ["position", "block"]
    verbose_name_plural = _("topic Abouts — printed after the body, in this order")

    def part_queryset(self, request):
        company_id, language = self._scope
        return models.BoilerplateBlock.objects.filter(
            company_id=company_id, language=language, kind=Kind.TOPIC_ABOUT, archived=False
        )


class ReleaseDisclaimerInline(ChosenPartInline):
    model = models.ReleaseDisclaimer
    formset = forms.DisclaimerFormSet
    part_field = "disclaimer"
    part_label = _("disclaimer")
    fields = ["position", "disclaimer"]
    verbose_name_plural = _("disclaimers — in this order")

    def part_queryset(self, request):
        company_id, language = self._scope
        return models.Disclaimer.objects.filter(
            Q(company_id=company_id) | Q(company__isnull=True), language=language, archived=False
        )


class CompanyAutocomplete(BoundedAutocompleteSelect):
    """The contacts autocomplete, asking only for the release's company."""

    def __init__(self, *args, company_id=None, **kwargs):
        self.company_id = company_id
        super().__init__(*args, **kwargs)

    def get_url(self):
        url = super().get_url()
        return f"{url}?company={self.company_id}" if self.company_id else url


class ReleaseContactInline(ChosenPartInline):
    model = models.ReleaseContact
    formset = forms.ContactFormSet
    part_field = "contact"
    part_label = _("contact")
    fields = ["position", "contact"]
    autocomplete_fields = ["contact"]
    verbose_name_plural = _("contacts — type a name to find one")

    def part_queryset(self, request):
        company_id, _language = self._scope
        return models.Contact.objects.filter(company_id=company_id, active=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":
            kwargs["widget"] = CompanyAutocomplete(db_field, self.admin_site, company_id=self._scope[0])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReleaseImageInline(OrderedInline):
    model = models.ReleaseImage
    formset = forms.ImageFormSet
    fields = ["position", "image", "alt_text", "caption"]
    formfield_overrides = {db_models.ImageField: {"form_class": forms.SafeImageField}}
    verbose_name_plural = _("images — PNG, JPEG or WebP, up to 10 MB")


# -- the list --------------------------------------------------------------------------------------------


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = models.Release.objects.exclude(publication_at=None).dates("publication_at", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.isascii() and value.isdigit() and 1900 <= int(value) <= 2999:
            return queryset.filter(publication_at__year=int(value))
        return queryset


class WorkflowActionForm(ActionForm):
    comment = views.comment_field()


def transition_action(transition: services.Transition):
    """A list action that runs `transition` on each selected release, with the comment box as its argument."""

    def run(modeladmin, request, queryset):
        succeeded = 0
        text = transition.text_argument
        arguments = {text.name: request.POST.get("comment", "")} if text else {}
        for release in queryset:
            try:
                with transaction.atomic():
                    transition.execute(release=release, user=request.user, **arguments)
            except (ValidationError, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{release}”: {messages_of(error)}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            modeladmin.message_user(request, transition.done_count % {"count": succeeded}, messages.SUCCESS)

    run.__name__ = f"{transition.name}_releases"
    description = transition.label
    if transition.text_argument is not None:
        description = format_lazy("{} ({})", transition.label, transition.text_argument.label)
    return admin.action(description=description)(run)


# -- the release -----------------------------------------------------------------------------------------


@admin.register(models.Release)
class ReleaseAdmin(HistoryAdmin):
    form = forms.ReleaseForm
    history_helper = ReleaseChanges  # a version also names the parts its save changed
    action_form = WorkflowActionForm
    change_form_template = "admin/releases/release/change_form.html"
    change_list_template = "admin/releases/release/change_list.html"
    list_display = ["headline_link", "status_badge", "moment", "language", "company", "last_edited_by"]
    list_display_links = None
    list_filter = ["status", "company", "language", YearFilter, "category"]
    list_select_related = ["company", "last_edited_by"]
    search_fields = ["headline", "subheadline", "body"]
    search_help_text = _("Search the headline and the text.")
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [ReferenceInline, ReleaseTopicInline, ReleaseDisclaimerInline, ReleaseContactInline, ReleaseImageInline]
    fieldsets = [
        (
            None,
            {"fields": ["company", "language", "category", "label", "expected_version"], "classes": ["release-meta"]},
        ),
        (_("Headline"), {"fields": ["headline", "subheadline", "slug"]}),
        (_("Dateline"), {"fields": ["publication_at", "place"]}),
        (_("Text"), {"fields": ["body"]}),
        (_("Company About"), {"fields": ["company_about"]}),
    ]
    readonly_fields = [
        "status",
        "version",
        "corrects",
        "created_by",
        "last_edited_by",
        "approved_by",
        "approved_at",
        "published_by",
        "withdrawal_notice",
        "withdrawn_at",
        "translation_group",
        "body_html",
        "moment_local",
    ]
    # Steps that need each release's own arguments (an approval names what its reviewer read) are not bulk.
    actions = [transition_action(t) for t in services.TRANSITIONS.values() if t.in_bulk]

    class Media:
        js = ["admin_ext/release.js", "admin_ext/editor-language.js"]

    # -- lists -----------------------------------------------------------------------------------------

    @admin.display(description=_("headline"), ordering="headline")
    def headline_link(self, obj):
        url = reverse("admin:releases_release_change", args=[obj.pk])
        sub = format_html('<div class="subheadline">{}</div>', obj.subheadline) if obj.subheadline else ""
        return format_html('<a class="headline-link" href="{}">{}</a>{}', url, obj.headline, sub)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge(obj)

    @admin.display(description=_("publication (company time)"), ordering="publication_at")
    def moment(self, obj):
        if obj.publication_at is None:
            return format_html('<span class="muted">{}</span>', _("not set"))
        local = obj.local_publication_at
        return format_html(
            '<time datetime="{}">{} <span class="muted">{}</span></time>',
            obj.publication_at.isoformat(),
            in_words(obj.publication_at, obj.company.time_zone, "yMMMd", with_zone=False),
            local.strftime("%Z"),
        )

    # -- the form --------------------------------------------------------------------------------------

    @admin.display(description=_("body"))
    def body_html(self, obj):
        # Sanitised by the one allow-list, as the public page shows it.
        return mark_safe(sanitize_html(obj.body))

    @admin.display(description=_("publication moment"))
    def moment_local(self, obj):
        return local_moment(obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: the text as it reads, the moment in the company's time zone.
            swap = {"body": "body_html", "publication_at": "moment_local"}
            fieldsets = [
                (name, {**opts, "fields": [swap.get(f, f) for f in opts["fields"]]}) for name, opts in fieldsets
            ]
        if obj is not None and (obj.corrects_id or obj.correction_note):
            fieldsets.append((_("Correction"), {"fields": ["corrects", "correction_note"]}))
        if obj is not None and obj.status == Status.WITHDRAWN:
            fieldsets.append((_("Withdrawal"), {"fields": ["withdrawal_notice", "withdrawn_at"]}))
        return fieldsets

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        company_id, language = release_scope(request)
        initial.setdefault("company", company_id)
        initial.setdefault("language", language)
        initial.setdefault("publication_at", next_morning(company_id))
        about = services.default_company_about(company_id, language)
        if about is not None:
            initial.setdefault("company_about", about.pk)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "company_about":
            obj = getattr(request, "_release_obj", None)
            company_id, language = release_scope(request, obj)
            queryset = models.BoilerplateBlock.objects.filter(
                company_id=company_id, language=language, kind=Kind.COMPANY_ABOUT, archived=False
            )
            if obj is not None and obj.company_about_id:
                queryset = queryset | models.BoilerplateBlock.objects.filter(pk=obj.company_about_id)
            kwargs["queryset"] = queryset.distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._release_obj = obj
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get("publication_at")
        if field is not None:
            zone = company_zone(release_scope(request, obj)[0])
            field.help_text = _("Date and time in %(zone)s, the company's time zone (%(abbr)s now).") % {
                "zone": zone.key,
                "abbr": timezone.now().astimezone(zone).strftime("%Z"),
            }
        return form

    # -- permissions: frozen releases are read-only, none is deleted --------------------------------------

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The audit trail refers to every release; a published one must stay online for years.
        return False

    def get_actions(self, request):
        # Each workflow action only for those who hold its transition's permission.
        actions = super().get_actions(request)
        for transition in services.TRANSITIONS.values():
            if not request.user.has_perm(transition.permission):
                actions.pop(f"{transition.name}_releases", None)
        return actions

    # -- the change form and its panels -----------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        try:
            # The writer reads and types the publication moment in the company's time zone.
            with timezone.override(company_zone(release_scope(request, obj)[0])):
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if hasattr(response, "render"):
                    response.render()
                return response
        except ValidationError as error:
            # A refusal the service made (the whole save was rolled back, so nothing changed).
            self.message_user(request, messages_of(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The panels only on a form that is shown: composing them keeps what a reviewer read (the approval's
        # binding), which a refused or a successful save must not record.
        context = {**release_panels(request, obj), **context}
        return super().render_change_form(request, context, add, change, form_url, obj)

    # -- saving: one service call for the form and its parts -------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing yet: the release is saved with its parts in `save_related`, as one change."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        if change:
            services.release_edit(
                release=form.instance,
                user=request.user,
                expected_version=data["expected_version"],
                fields=fields,
                **forms.form_parts(formsets, changed_only=True),
            )
            return
        fields = {name: data[name] for name in services.EDITABLE_FIELDS if name in data}
        created = services.release_create(user=request.user, fields=fields, **forms.form_parts(formsets))
        form.instance.pk = created.pk
        form.instance.refresh_from_db()

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"changed": {"fields": sorted(form.changed_data)}}] if not add else [{"added": {}}]

    def response_add(self, request, obj, post_url_continue=None):
        # A new release opens again on its own page, with its checks and workflow buttons.
        if "_addanother" not in request.POST and "_continue" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("preview/<str:kind>/", view(views.PreviewView.as_view(admin=self)), name="releases_preview"),
            path(
                "<path:object_id>/preview/<str:kind>/",
                view(views.PreviewView.as_view(admin=self)),
                name="releases_release_preview",
            ),
            path(
                "<path:object_id>/workflow/<str:action>/",
                view(views.WorkflowView.as_view(admin=self)),
                name="releases_release_workflow",
            ),
            path(
                "<path:object_id>/snapshot/<str:kind>/",
                view(views.SnapshotView.as_view(admin=self)),
                name="releases_release_snapshot",
            ),
            path(
                "<path:object_id>/review/",
                view(views.ReviewView.as_view(admin=self)),
                name="releases_release_review",
            ),
            path("lead/", view(views.LeadView.as_view(admin=self)), name="releases_lead"),
            path("<path:object_id>/lead/", view(views.LeadView.as_view(admin=self)), name="releases_release_lead"),
            path(
                "<path:object_id>/media/<path:name>",
                view(views.MediaView.as_view(admin=self)),
                name="releases_release_media",
            ),
            path("parts/", view(views.PartsView.as_view(admin=self)), name="releases_release_parts"),
            *super().get_urls(),
        ]


# -- the side panels ---------------------------------------------------------------------------------------

# Where on the form each check's `field` is fixed, and what the panel calls it.
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


def checks_for(release) -> list[dict]:
    return [
        {
            "blocking": c.blocking,
            "message": c.message,
            "part": str(PART_NAMES.get(c.field, c.field.replace("_", " ").capitalize())),
            "anchor": ANCHORS.get(c.field, ""),
        }
        for c in run_checks(release)
    ]


def trail_rows(release: models.Release, limit: int = 40) -> list[dict]:
    """The audit trail, newest first: one line per event (one save is one event), saying what it changed."""
    return [
        {"event": event, "detail": changed_words(event.details.get("changed", []))}
        for event in release.events.select_related("actor").order_by("-at", "-id")[:limit]
    ]


def release_panels(request, obj: models.Release | None) -> dict:
    """The sidebar of the release form: checks, the next step, what goes out, the audit trail, previews."""
    context = {
        "preview_page_url": reverse("admin:releases_preview", args=["page"]),
        "preview_pdf_url": reverse("admin:releases_preview", args=["pdf"]),
        "parts_url": reverse("admin:releases_release_parts"),
        "lead_url": reverse("admin:releases_lead"),
    }
    context["release_config"] = {
        "partsUrl": context["parts_url"],
        "leadUrl": context["lead_url"],
        "frozen": bool(obj is not None and obj.is_frozen),
        "editable": bool(obj is None or not obj.is_frozen),
        "language": obj.language if obj is not None else release_scope(request)[1],
    }
    if obj is None:
        return context
    snapshot = models.Snapshot.objects.filter(release=obj).defer("pdf", "page_html", "fragment_html").first()
    checks = [] if obj.is_frozen else checks_for(obj)
    buttons = views.workflow_buttons(request.user, obj)
    if any(b["name"] == "approve" for b in buttons):
        # The approval names what this screen shows now: if anything changes before the click, it is refused.
        context["review"] = services.release_review(release=obj, user=request.user)
    context.update(
        {
            "preview_page_url": reverse("admin:releases_release_preview", args=[obj.pk, "page"]),
            "preview_pdf_url": reverse("admin:releases_release_preview", args=[obj.pk, "pdf"]),
            "release_checks": checks,
            "release_blocking": [c for c in checks if c["blocking"]],
            "workflow_buttons": buttons,
            "workflow_comment_label": views.comment_label(buttons),
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
    context["release_config"]["leadUrl"] = reverse("admin:releases_release_lead", args=[obj.pk])
    return context
