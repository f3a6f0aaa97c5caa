"""The record: the audit trail and the snapshots, which nobody edits or deletes."""

from django.contrib import admin

from releases import models

from .base import ReadOnlyAdmin


@admin.register(models.WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    scope_path = "release__company"
    list_display = ["at", "release", "action", "actor", "from_status", "to_status", "comment"]
    list_filter = ["action"]
    search_fields = ["release__headline", "comment", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["release", "actor"]


@admin.register(models.Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    scope_path = "release__company"
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
