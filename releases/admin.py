"""Plain admin registrations so every part can be edited (the editorial admin builds on these)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ListingInline(admin.TabularInline):
    model = models.Listing
    extra = 0


@admin.register(models.Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "legal_name", "city", "time_zone"]
    search_fields = ["short_name", "legal_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ListingInline]


@admin.register(models.Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "role", "organisation", "company", "active"]
    list_filter = ["company", "kind", "active"]
    search_fields = ["name", "organisation", "email"]


class ProgramInline(admin.TabularInline):
    model = models.Program
    extra = 0


class AssetSentenceInline(admin.StackedInline):
    model = models.AssetSentence
    extra = 0


@admin.register(models.PipelineAsset)
class PipelineAssetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "company", "display_order", "active"]
    list_editable = ["display_order", "active"]
    list_filter = ["company", "kind", "active"]
    search_fields = ["name", "code", "inn"]
    inlines = [ProgramInline, AssetSentenceInline]


@admin.register(models.BoilerplateBlock)
class BoilerplateBlockAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "language", "company", "archived"]
    list_filter = ["company", "kind", "language", "archived"]
    search_fields = ["title", "body"]


@admin.register(models.Disclaimer)
class DisclaimerAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "language", "company", "archived"]
    list_filter = ["kind", "language", "archived"]
    search_fields = ["title", "body"]


class ReferenceInline(admin.TabularInline):
    model = models.Reference
    extra = 0


class ReleaseTopicInline(admin.TabularInline):
    model = models.ReleaseTopic
    extra = 0


class ReleaseDisclaimerInline(admin.TabularInline):
    model = models.ReleaseDisclaimer
    extra = 0


class ReleaseContactInline(admin.TabularInline):
    model = models.ReleaseContact
    extra = 0


@admin.register(models.Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    list_display = ["headline", "company", "language", "status", "publication_at"]
    list_filter = ["status", "company", "language", "category"]
    search_fields = ["headline", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [ReferenceInline, ReleaseTopicInline, ReleaseDisclaimerInline, ReleaseContactInline]
