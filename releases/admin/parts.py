"""The company and the reusable parts a release is composed from: blocks, disclaimers, the pipeline, contacts.

Deleting a part that a release used archives it instead; each part shows which releases use it.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from releases import models, services

from .base import HistoryAdmin
from .display import status_badge
from .house_style import BlockReferenceInline, FilingInline, HouseStyleInline, TranslatedAdminMixin, preview_view


class ListingInline(admin.TabularInline):
    model = models.Listing
    extra = 0
    fields = ["exchange", "market", "ticker", "ticker_label", "isin", "identifier_format", "position"]


@admin.register(models.Company)
class CompanyAdmin(TranslatedAdminMixin, HistoryAdmin):
    scope_path = "id"
    list_display = ["short_name", "legal_name", "city", "time_zone", "logo_preview"]
    search_fields = ["short_name", "legal_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ListingInline, FilingInline, HouseStyleInline]

    class Media:
        js = ["admin_ext/house_style.js"]

    def get_urls(self):
        from django.urls import path

        view = self.admin_site.admin_view(preview_view)
        return [path("house-style-preview/", view, name="releases_company_house_style_preview"), *super().get_urls()]

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


def used_by(releases, limit: int = 8):
    """The releases that use a part, each with its real state (a scheduled one says so)."""
    rows = list(releases.select_related("company").order_by("-publication_at", "-pk")[: limit + 1])
    if not rows:
        return _("No release uses it yet.")
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> {}</li>',
        ((reverse("admin:releases_release_change", args=[r.pk]), r.headline, status_badge(r)) for r in rows[:limit]),
    )
    more = format_html("<li>…</li>") if len(rows) > limit else ""
    return format_html('<ul class="used-by">{}{}</ul>', items, more)


class ReusablePartAdmin(HistoryAdmin):
    """Blocks, disclaimers, assets and contacts: deleting one that a release used archives it instead."""

    actions = ["archive_selected"]
    readonly_fields = ["releases_using"]

    class Media:
        js = ["admin_ext/editor-language.js"]  # the editor spell-checks in the part's language

    @admin.action(description=_("Archive selected (no longer offered for new releases)"), permissions=["change"])
    def archive_selected(self, request, queryset):
        for part in queryset:
            services.part_archive(part=part, user=request.user)
        self.message_user(request, _("%(count)s archived.") % {"count": queryset.count()}, messages.SUCCESS)

    @admin.display(description=_("used by"))
    def releases_using(self, obj):
        return used_by(services.part_users(obj)) if obj.pk else "–"

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not services.part_users(obj).exists():
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


class UsedByReleasesMixin:
    @admin.display(description=_("releases"), ordering="n_releases")
    def release_count(self, obj):
        return obj.n_releases


@admin.register(models.Contact)
class ContactAdmin(TranslatedAdminMixin, UsedByReleasesMixin, ReusablePartAdmin):
    list_display = ["name", "kind", "role", "organisation", "company", "active", "release_count"]
    list_filter = ["company", "kind", "active"]
    search_fields = ["name", "organisation", "email", "role"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company")
            .annotate(n_releases=Count("release_links"))
            .order_by("company__short_name", "kind", "name")
        )

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete of a release's contacts offers the active contacts of the release's company."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "releasecontact":
            queryset = queryset.filter(active=True)
            company = request.GET.get("company", "")
            if company.isdigit() and len(company) < 19:
                queryset = queryset.filter(company_id=int(company))
        return queryset, may_have_duplicates


class ProgramInline(TranslatedAdminMixin, admin.TabularInline):
    model = models.Program
    extra = 0
    fields = ["indication", "translations", "phase", "sponsor", "status_note", "position"]


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
class ProgramAdmin(HistoryAdmin):
    """The pipeline as one editable table: change a phase here and the next release's About follows."""

    scope_path = "asset__company"
    list_display = ["indication", "asset", "phase", "sponsor", "status_note", "position"]
    list_editable = ["phase", "sponsor", "status_note", "position"]
    list_filter = ["asset__company", "phase", "asset"]
    list_select_related = ["asset"]
    search_fields = ["indication", "asset__name", "asset__code", "sponsor"]
    ordering = ["asset__display_order", "asset_id", "position", "id"]


_about_uses = (
    models.Release.objects.filter(company_about=OuterRef("pk"))
    .order_by()
    .values("company_about")
    .annotate(n=Count("pk"))
    .values("n")
)


@admin.register(models.BoilerplateBlock)
class BoilerplateBlockAdmin(UsedByReleasesMixin, ReusablePartAdmin):
    inlines = [BlockReferenceInline]
    list_display = ["title", "kind", "language", "company", "release_count", "archived"]
    list_filter = ["company", "kind", "language", "archived"]
    search_fields = ["title", "body"]

    def add_view(self, request, form_url="", extra_context=None):
        # Opened from a release's topic Abouts (its company, language and kind in the address): named as such.
        kind = request.GET.get("kind")
        if kind in models.BoilerplateBlock.Kind.values:
            label = models.BoilerplateBlock.Kind(kind).label
            extra_context = {"title": _("Add %(part)s") % {"part": label}, **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company")
            .annotate(n_releases=Count("topic_links__release", distinct=True) + Coalesce(Subquery(_about_uses), 0))
        )


@admin.register(models.Disclaimer)
class DisclaimerAdmin(UsedByReleasesMixin, ReusablePartAdmin):
    scope_shared = True  # a text every company may use
    list_display = ["title", "kind", "language", "company", "release_count", "archived"]
    list_filter = ["kind", "language", "archived"]
    search_fields = ["title", "body"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company")
            .annotate(n_releases=Count("release_links__release", distinct=True))
        )

    def get_changeform_initial_data(self, request):
        """A new inside-information legend starts from MAR's wording in its language (?kind=…&language=…)."""
        from django.conf import settings

        from releases.legal import mar_legend_html
        from releases.rendering.compose import LABELS

        initial = super().get_changeform_initial_data(request)
        language = initial.get("language")
        if initial.get("kind") == models.Disclaimer.Kind.INSIDE_INFORMATION and language in settings.CONTENT_LANGUAGES:
            from django.utils import translation

            with translation.override(language):
                initial.setdefault("title", str(LABELS["inside_information"]))
            initial.setdefault("body", mar_legend_html(language))
        return initial
