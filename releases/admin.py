"""The editorial admin: where a comms team composes, checks, previews and passes on releases.

Every change of a release goes through `releases.services`: the form's own fields through
`release_update`, each ordered inline (references, topic Abouts, disclaimers, contacts) through its
`release_set_…` service, each workflow button through `ReleaseAdmin.run_workflow`. Frozen releases
(approved, published, corrected, withdrawn) are read-only; no release is deleted; a block, disclaimer,
pipeline asset or contact that a release used is archived instead of deleted; the audit trail can
only be read. The views behind the buttons (preview, workflow, snapshot) live in `admin_views`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models as db_models
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import admin_views, forms, models, services
from .sanitize import sanitize_html

Status = models.Release.Status
Kind = models.BoilerplateBlock.Kind


def _messages_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


def house_company() -> models.Company | None:
    """The company whose newsroom this is: the first one (most installs have exactly one)."""
    return models.Company.objects.order_by("pk").first()


# -- the site: company name and logo in the header, a dashboard on the index -------------------------


def _branding_context(request) -> dict:
    company = house_company()
    return {
        "house_company": company,
        "site_header": _("%(company)s newsroom") % {"company": company.short_name} if company else _("Newsroom"),
        "site_title": _("%(company)s newsroom") % {"company": company.short_name} if company else _("Newsroom"),
    }


_plain_each_context = admin.site.each_context
_plain_index = admin.site.index


def _each_context(request):
    return {**_plain_each_context(request), **_branding_context(request)}


def _index(request, extra_context=None):
    return _plain_index(request, {**admin_views.dashboard_context(request), **(extra_context or {})})


# The default site keeps its URLs and registry; only its header and index gain the newsroom's content.
admin.site.each_context = _each_context
admin.site.index = _index
admin.site.index_title = _("Today in the newsroom")


class SafeImagesAdmin(SimpleHistoryAdmin):
    """Image uploads are judged by their bytes before Django's own image check."""

    formfield_overrides = {db_models.ImageField: {"form_class": forms.SafeImageField}}


class ListingInline(admin.TabularInline):
    model = models.Listing
    extra = 0


@admin.register(models.Company)
class CompanyAdmin(SafeImagesAdmin):
    list_display = ["short_name", "legal_name", "city", "time_zone", "logo_preview"]
    search_fields = ["short_name", "legal_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ListingInline]

    @admin.display(description=_("logo"))
    def logo_preview(self, obj):
        if not obj.logo:
            return "–"
        return format_html('<img src="{}" alt="" class="logo-thumb">', obj.logo.url)

    def has_delete_permission(self, request, obj=None):
        # Releases protect their company; a company with releases is never deleted.
        if obj is not None and obj.releases.exists():
            return False
        return super().has_delete_permission(request, obj)


# -- reusable parts: archive instead of delete, and show who uses them ------------------------------------


def _used_by(releases, limit: int = 8):
    rows = list(releases.select_related("company").order_by("-publication_at", "-pk")[: limit + 1])
    if not rows:
        return _("No release uses it yet.")
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> <span class="badge badge-{}">{}</span></li>',
        (
            (reverse("admin:releases_release_change", args=[r.pk]), r.headline, r.status, r.get_status_display())
            for r in rows[:limit]
        ),
    )
    more = format_html("<li>…</li>") if len(rows) > limit else ""
    return format_html('<ul class="used-by">{}{}</ul>', items, more)


class ReusablePartAdmin(SafeImagesAdmin):
    """Blocks, disclaimers, assets and contacts: deleting one that a release used archives it instead."""

    actions = ["archive_selected"]

    @admin.action(description=_("Archive selected (no longer offered for new releases)"), permissions=["change"])
    def archive_selected(self, request, queryset):
        for part in queryset:
            services.part_archive(part=part, user=request.user)
        self.message_user(request, _("%(count)s archived.") % {"count": queryset.count()}, messages.SUCCESS)

    def _in_use(self, obj) -> bool:
        return services.part_in_use(obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self._in_use(obj):
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        if request.method == "POST":
            removal = services.part_delete(part=obj, user=request.user)
            self.message_user(request, removal.message, messages.WARNING)
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        self.message_user(
            request,
            _(
                "“%(part)s” cannot be deleted: releases used it, and what they say must stay as it was. "
                "Archive it instead (action “Archive selected” in the list)."
            )
            % {"part": obj},
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def delete_model(self, request, obj):
        removal = services.part_delete(part=obj, user=request.user)
        if not removal.deleted:
            self.message_user(request, removal.message, messages.WARNING)

    def delete_queryset(self, request, queryset):
        for part in queryset:
            self.delete_model(request, part)


@admin.register(models.Contact)
class ContactAdmin(ReusablePartAdmin):
    list_display = ["name", "kind", "role", "organisation", "company", "active", "release_count"]
    list_filter = ["company", "kind", "active"]
    search_fields = ["name", "organisation", "email", "role"]
    readonly_fields = ["releases_using"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company")
            .annotate(n_releases=Count("release_links"))
            .order_by("company__short_name", "kind", "name")
        )

    @admin.display(description=_("releases"), ordering="n_releases")
    def release_count(self, obj):
        return obj.n_releases

    @admin.display(description=_("used by"))
    def releases_using(self, obj):
        return _used_by(models.Release.objects.filter(contact_links__contact=obj).distinct()) if obj.pk else "–"

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete of a release's contacts offers the active contacts of the release's company."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "releasecontact":
            queryset = queryset.filter(active=True)
            company = request.GET.get("company", "")
            if company.isdigit():
                queryset = queryset.filter(company_id=int(company))
        return queryset, may_have_duplicates


class ProgramInline(admin.TabularInline):
    model = models.Program
    extra = 0
    fields = ["indication", "phase", "sponsor", "status_note", "position"]


class AssetSentenceInline(admin.StackedInline):
    model = models.AssetSentence
    extra = 0


@admin.register(models.PipelineAsset)
class PipelineAssetAdmin(ReusablePartAdmin):
    list_display = ["name", "code", "kind", "phases", "company", "display_order", "active", "archived"]
    list_editable = ["display_order", "active"]
    list_filter = ["company", "kind", "active", "archived"]
    search_fields = ["name", "code", "inn"]
    inlines = [ProgramInline, AssetSentenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company").prefetch_related("programs")

    @admin.display(description=_("programs and phases"))
    def phases(self, obj):
        programs = list(obj.programs.all())
        if not programs:
            return "–"
        return format_html_join(
            "",
            '<span class="phase phase-{}">{} · {}</span>',
            ((p.phase, p.indication, p.get_phase_display()) for p in programs),
        )


@admin.register(models.Program)
class ProgramAdmin(SimpleHistoryAdmin):
    """The pipeline as one editable table: change a phase here and the next release's About follows."""

    list_display = ["indication", "asset", "phase", "sponsor", "status_note", "position"]
    list_editable = ["phase", "sponsor", "status_note", "position"]
    list_filter = ["asset__company", "phase", "asset"]
    list_select_related = ["asset"]
    search_fields = ["indication", "asset__name", "asset__code", "sponsor"]
    ordering = ["asset__display_order", "asset_id", "position", "id"]


class UsedByReleasesMixin:
    @admin.display(description=_("releases"), ordering="n_releases")
    def release_count(self, obj):
        return obj.n_releases


_about_uses = (
    models.Release.objects.filter(company_about=OuterRef("pk"))
    .order_by()
    .values("company_about")
    .annotate(n=Count("pk"))
    .values("n")
)


@admin.register(models.BoilerplateBlock)
class BoilerplateBlockAdmin(UsedByReleasesMixin, ReusablePartAdmin):
    list_display = ["title", "kind", "language", "company", "release_count", "archived"]
    list_filter = ["company", "kind", "language", "archived"]
    search_fields = ["title", "body"]
    readonly_fields = ["releases_using"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company")
            .annotate(n_releases=Count("topic_links__release", distinct=True) + Coalesce(Subquery(_about_uses), 0))
        )

    @admin.display(description=_("used by"))
    def releases_using(self, obj):
        if not obj.pk:
            return "–"
        return _used_by(models.Release.objects.filter(Q(topic_links__block=obj) | Q(company_about=obj)).distinct())


@admin.register(models.Disclaimer)
class DisclaimerAdmin(UsedByReleasesMixin, ReusablePartAdmin):
    list_display = ["title", "kind", "language", "company", "release_count", "archived"]
    list_filter = ["kind", "language", "archived"]
    search_fields = ["title", "body"]
    readonly_fields = ["releases_using"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company")
            .annotate(n_releases=Count("release_links__release", distinct=True))
        )

    @admin.display(description=_("used by"))
    def releases_using(self, obj):
        if not obj.pk:
            return "–"
        return _used_by(models.Release.objects.filter(disclaimer_links__disclaimer=obj).distinct())


# -- releases ------------------------------------------------------------------------------------------


def release_scope(request, obj=None) -> tuple[int | None, str]:
    """The company and language whose parts the form offers: what the form posts, else the release's."""
    data = request.POST if request.method == "POST" else request.GET
    company = data.get("company", "")
    language = data.get("language", "")
    company_id = int(company) if company.isdigit() else (obj.company_id if obj is not None else None)
    if company_id is None:
        default = house_company()
        company_id = default.pk if default else None
    return company_id, language or (obj.language if obj is not None else "en")


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
            field.widget.attrs.update({"class": "position-input", "min": 0})
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


class _ChosenPartInline(OrderedInline):
    part_field = ""

    def part_queryset(self, request):
        raise NotImplementedError

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.part_field:
            current = []
            if self._current is not None and self._current.pk:
                current = self.model.objects.filter(release=self._current).values_list(f"{self.part_field}_id")
            kwargs["queryset"] = self.part_queryset(request) | db_field.related_model.objects.filter(pk__in=current)
            kwargs["queryset"] = kwargs["queryset"].distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReleaseTopicInline(_ChosenPartInline):
    model = models.ReleaseTopic
    formset = forms.TopicFormSet
    part_field = "block"
    fields = ["position", "block"]
    verbose_name_plural = _("topic Abouts — printed after the body, in this order")

    def part_queryset(self, request):
        company_id, language = self._scope
        return models.BoilerplateBlock.objects.filter(
            company_id=company_id, language=language, kind=Kind.TOPIC_ABOUT, archived=False
        )


class ReleaseDisclaimerInline(_ChosenPartInline):
    model = models.ReleaseDisclaimer
    formset = forms.DisclaimerFormSet
    part_field = "disclaimer"
    fields = ["position", "disclaimer"]
    verbose_name_plural = _("disclaimers — in this order")

    def part_queryset(self, request):
        company_id, language = self._scope
        return models.Disclaimer.objects.filter(
            Q(company_id=company_id) | Q(company__isnull=True), language=language, archived=False
        )


class CompanyAutocomplete(AutocompleteSelect):
    """The contacts autocomplete, asking only for the release's company."""

    def __init__(self, *args, company_id=None, **kwargs):
        self.company_id = company_id
        super().__init__(*args, **kwargs)

    def get_url(self):
        url = super().get_url()
        return f"{url}?company={self.company_id}" if self.company_id else url


class ReleaseContactInline(_ChosenPartInline):
    model = models.ReleaseContact
    formset = forms.ContactFormSet
    part_field = "contact"
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


class ReleaseImageInline(FrozenAwareInline, admin.TabularInline):
    model = models.ReleaseImage
    extra = 0
    fields = ["image", "alt_text", "caption", "position"]
    formfield_overrides = {db_models.ImageField: {"form_class": forms.SafeImageField}}
    verbose_name_plural = _("images — PNG, JPEG or WebP, up to 10 MB")


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = models.Release.objects.exclude(publication_at=None).dates("publication_at", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(publication_at__year=int(self.value()))
        return queryset


class WorkflowActionForm(ActionForm):
    comment = admin_views.comment_field()


WORKFLOW_ACTIONS = admin_views.WORKFLOW_ACTIONS


@admin.register(models.Release)
class ReleaseAdmin(SafeImagesAdmin):
    form = forms.ReleaseForm
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
    inlines = [
        ReferenceInline,
        ReleaseTopicInline,
        ReleaseDisclaimerInline,
        ReleaseContactInline,
        ReleaseImageInline,
    ]
    fieldsets = [
        (None, {"fields": ["company", "language", "category", "expected_version"], "classes": ["release-meta"]}),
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
    actions = [
        "submit_releases",
        "return_releases",
        "approve_releases",
        "publish_releases",
        "unschedule_releases",
        "correct_releases",
        "withdraw_releases",
    ]

    class Media:
        js = ["admin_ext/release.js"]

    # -- lists -----------------------------------------------------------------------------------------

    @admin.display(description=_("headline"), ordering="headline")
    def headline_link(self, obj):
        url = reverse("admin:releases_release_change", args=[obj.pk])
        sub = format_html('<div class="subheadline">{}</div>', obj.subheadline) if obj.subheadline else ""
        return format_html('<a class="headline-link" href="{}">{}</a>{}', url, obj.headline, sub)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return admin_views.status_badge(obj)

    @admin.display(description=_("publication (company time)"), ordering="publication_at")
    def moment(self, obj):
        if obj.publication_at is None:
            return format_html('<span class="muted">{}</span>', _("not set"))
        local = obj.local_publication_at
        return format_html(
            '<time datetime="{}">{} <span class="muted">{}</span></time>',
            obj.publication_at.isoformat(),
            formats.date_format(local, "j M Y, H:i"),
            local.strftime("%Z"),
        )

    # -- the form --------------------------------------------------------------------------------------

    @admin.display(description=_("body"))
    def body_html(self, obj):
        # Sanitised by the one allow-list, as the public page shows it.
        return mark_safe(sanitize_html(obj.body))

    @admin.display(description=_("publication moment"))
    def moment_local(self, obj):
        return admin_views.local_moment(obj)

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
        initial.setdefault("publication_at", admin_views.next_morning(company_id))
        about = admin_views.default_company_about(company_id, language)
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
            zone = admin_views.company_zone(release_scope(request, obj)[0])
            field.help_text = _("Date and time in %(zone)s, the company's time zone (%(abbr)s now).") % {
                "zone": zone.key,
                "abbr": timezone.now().astimezone(zone).strftime("%Z"),
            }
        return form

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    # -- permissions: frozen releases are read-only, none is deleted --------------------------------------

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The audit trail refers to every release; a published one must stay online for years.
        return False

    def has_submit_permission(self, request):
        return request.user.has_perm("releases.submit_release")

    def has_review_permission(self, request):
        return request.user.has_perm("releases.review_release")

    def has_publish_permission(self, request):
        return request.user.has_perm("releases.publish_release")

    def revert_disabled(self, request, obj=None):
        # Reverting to an old version would write around the services; edit the release instead.
        return True

    # -- the change form's panels -----------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        extra = {**admin_views.release_panels(request, self, obj), **(extra_context or {})}
        try:
            # The writer reads and types the publication moment in the company's time zone.
            with timezone.override(admin_views.company_zone(release_scope(request, obj)[0])):
                response = super().changeform_view(request, object_id, form_url, extra)
                if hasattr(response, "render"):
                    response.render()
                return response
        except ValidationError as error:
            # A WorkflowError, or a rule the service's full_clean() caught; the whole save was
            # rolled back, so the release and its parts are as they were.
            self.message_user(request, _messages_of(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # -- saving through the services ----------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {k: v for k, v in data.items() if k in services.EDITABLE_FIELDS}
            created = services.release_create(
                user=request.user,
                company=fields.pop("company"),
                language=fields.pop("language"),
                headline=fields.pop("headline"),
                slug=fields.pop("slug", ""),
                **fields,
            )
            services.copy_saved(obj, created)
            return
        changes = {k: data[k] for k in form.changed_data if k in services.EDITABLE_FIELDS}
        if changes or not self._inlines_changed(request):
            services.release_update(
                release=obj, user=request.user, expected_version=data["expected_version"], **changes
            )
        else:
            # Only parts changed: their services check the version the writer opened.
            obj.version = data["expected_version"]

    def _inlines_changed(self, request) -> bool:
        return any(formset.has_changed() for formset in getattr(request, "_release_formsets", []))

    def save_formset(self, request, form, formset, change):
        release = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed():
            return
        user, version = request.user, release.version
        if isinstance(formset, forms.ReferenceFormSet):
            services.release_set_references(
                release=release, user=user, expected_version=version, references=formset.ordered_references()
            )
        elif isinstance(formset, forms.TopicFormSet):
            services.release_set_topics(
                release=release, user=user, expected_version=version, blocks=formset.ordered_items()
            )
        elif isinstance(formset, forms.DisclaimerFormSet):
            services.release_set_disclaimers(
                release=release, user=user, expected_version=version, disclaimers=formset.ordered_items()
            )
        elif isinstance(formset, forms.ContactFormSet):
            services.release_set_contacts(
                release=release, user=user, expected_version=version, contacts=formset.ordered_items()
            )
        else:
            # Images: kept by the storage only after validation; the edit is recorded on the release.
            for instance in formset.save(commit=False):
                instance.full_clean()
                instance.save()
            for instance in formset.deleted_objects:
                instance.delete()
            services.release_touch(release=release, user=user, expected_version=version, changed=["images"])

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        request._release_formsets = formsets
        return formsets, inline_instances

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
            path("preview/<str:kind>/", view(admin_views.PreviewView.as_view(admin=self)), name="releases_preview"),
            path(
                "<path:object_id>/preview/<str:kind>/",
                view(admin_views.PreviewView.as_view(admin=self)),
                name="releases_release_preview",
            ),
            path(
                "<path:object_id>/workflow/<str:action>/",
                view(admin_views.WorkflowView.as_view(admin=self)),
                name="releases_release_workflow",
            ),
            path(
                "<path:object_id>/snapshot/<str:kind>/",
                view(admin_views.SnapshotView.as_view(admin=self)),
                name="releases_release_snapshot",
            ),
            path("parts/", view(admin_views.PartsView.as_view(admin=self)), name="releases_release_parts"),
            *super().get_urls(),
        ]

    # -- workflow ---------------------------------------------------------------------------------------

    def run_workflow(self, request, queryset, service, done: str, **kwargs) -> int:
        """Call `service` on each release; report each refusal in its own plain words."""
        succeeded = 0
        for release in queryset:
            try:
                with transaction.atomic():
                    service(release=release, user=request.user, **kwargs)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"“{release}”: {_messages_of(error)}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done % {"count": succeeded}, messages.SUCCESS)
        return succeeded

    def _comment(self, request) -> str:
        return request.POST.get("comment", "").strip()

    @admin.action(description=_("Submit for review"), permissions=["submit"])
    def submit_releases(self, request, queryset):
        self.run_workflow(request, queryset, services.release_submit, _("%(count)s submitted for review."))

    @admin.action(description=_("Return to the writer (with the comment)"), permissions=["review"])
    def return_releases(self, request, queryset):
        self.run_workflow(
            request, queryset, services.release_return, _("%(count)s returned."), comment=self._comment(request)
        )

    @admin.action(description=_("Approve (freezes what will go out)"), permissions=["review"])
    def approve_releases(self, request, queryset):
        self.run_workflow(
            request, queryset, services.release_approve, _("%(count)s approved."), comment=self._comment(request)
        )

    @admin.action(description=_("Publish at the approved moment"), permissions=["publish"])
    def publish_releases(self, request, queryset):
        self.run_workflow(request, queryset, services.release_publish, _("%(count)s published or scheduled."))

    @admin.action(description=_("Take off the schedule"), permissions=["publish"])
    def unschedule_releases(self, request, queryset):
        self.run_workflow(request, queryset, services.release_unschedule, _("%(count)s taken off the schedule."))

    @admin.action(
        description=_("Correct (new draft revision, with the comment as correction note)"), permissions=["publish"]
    )
    def correct_releases(self, request, queryset):
        self.run_workflow(
            request,
            queryset,
            services.release_correct,
            _("%(count)s correction(s) created."),
            note=self._comment(request),
        )

    @admin.action(description=_("Withdraw (with the comment as notice)"), permissions=["publish"])
    def withdraw_releases(self, request, queryset):
        self.run_workflow(
            request, queryset, services.release_withdraw, _("%(count)s withdrawn."), notice=self._comment(request)
        )


# -- the record: read-only ------------------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "release", "action", "actor", "from_status", "to_status", "comment"]
    list_filter = ["action"]
    search_fields = ["release__headline", "comment", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["release", "actor"]


@admin.register(models.Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["release", "created_at", "page_sha256", "pdf_sha256"]
    exclude = ["pdf", "page_html", "fragment_html", "plain_text", "content_json"]
    readonly_fields = [
        "release",
        "created_at",
        "page_sha256",
        "pdf_sha256",
        "text_sha256",
        "fragment_sha256",
        "content_sha256",
    ]
    list_select_related = ["release"]


# API tokens are created and revoked here; their admin lives with the API.
from .api import admin as _api_admin  # noqa: E402, F401
from .distribution import admin as _distribution_admin  # noqa: E402, F401
