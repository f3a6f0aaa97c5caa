"""The plain admin, made safe: every change of a release goes through `releases.services`.

Frozen releases (approved, published, corrected, withdrawn) are read-only here; no release is
deleted (the audit trail keeps every one); a block, disclaimer, pipeline asset or contact that a
release used is archived instead of deleted; workflow events can only be read. The editorial admin
builds on these classes: `ReleaseAdmin.run_workflow` is the one path from a button to a service.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import models, services
from .checks import run_checks


def _messages_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


class ListingInline(admin.TabularInline):
    model = models.Listing
    extra = 0


@admin.register(models.Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "legal_name", "city", "time_zone"]
    search_fields = ["short_name", "legal_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ListingInline]

    def has_delete_permission(self, request, obj=None):
        # Releases protect their company; a company with releases is never deleted.
        if obj is not None and obj.releases.exists():
            return False
        return super().has_delete_permission(request, obj)


# -- reusable parts: archive instead of delete ------------------------------------------------------


class ReusablePartAdmin(SimpleHistoryAdmin):
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
class PipelineAssetAdmin(ReusablePartAdmin):
    list_display = ["name", "code", "kind", "company", "display_order", "active", "archived"]
    list_editable = ["display_order", "active"]
    list_filter = ["company", "kind", "active", "archived"]
    search_fields = ["name", "code", "inn"]
    inlines = [ProgramInline, AssetSentenceInline]


@admin.register(models.BoilerplateBlock)
class BoilerplateBlockAdmin(ReusablePartAdmin):
    list_display = ["title", "kind", "language", "company", "archived"]
    list_filter = ["company", "kind", "language", "archived"]
    search_fields = ["title", "body"]


@admin.register(models.Disclaimer)
class DisclaimerAdmin(ReusablePartAdmin):
    list_display = ["title", "kind", "language", "company", "archived"]
    list_filter = ["kind", "language", "archived"]
    search_fields = ["title", "body"]


# -- releases ------------------------------------------------------------------------------------------


class FrozenAwareInline:
    """A release's parts can change only while the release is a draft or in review."""

    def has_add_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_delete_permission(request, obj)


class ReferenceInline(FrozenAwareInline, admin.TabularInline):
    model = models.Reference
    extra = 0


class ReleaseTopicInline(FrozenAwareInline, admin.TabularInline):
    model = models.ReleaseTopic
    extra = 0


class ReleaseDisclaimerInline(FrozenAwareInline, admin.TabularInline):
    model = models.ReleaseDisclaimer
    extra = 0


class ReleaseContactInline(FrozenAwareInline, admin.TabularInline):
    model = models.ReleaseContact
    extra = 0


class ReleaseForm(forms.ModelForm):
    """Carries the version the writer opened, so a save over someone else's is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = models.Release
        fields = sorted(services.EDITABLE_FIELDS - {"translation_group"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = models.Release.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            opened = cleaned.get("expected_version")
            if opened is None or opened != current:
                raise ValidationError(
                    _(
                        "Someone else saved this release since you opened it (version %(current)s is current, you "
                        "had %(yours)s). Reload to see their changes; nothing was overwritten."
                    )
                    % {"current": current, "yours": opened},
                    code="stale",
                )
        return cleaned


class WorkflowActionForm(ActionForm):
    comment = forms.CharField(
        label=_("Comment, note or notice"),
        required=False,
        help_text=_("Needed to return, correct or withdraw."),
    )


@admin.register(models.Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    form = ReleaseForm
    action_form = WorkflowActionForm
    list_display = ["headline", "company", "language", "status", "publication_at", "version", "last_edited_by"]
    list_filter = ["status", "company", "language", "category"]
    search_fields = ["headline", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [ReferenceInline, ReleaseTopicInline, ReleaseDisclaimerInline, ReleaseContactInline]
    readonly_fields = [
        "status",
        "version",
        "checks_panel",
        "audit_trail",
        "corrects",
        "created_by",
        "last_edited_by",
        "approved_by",
        "approved_at",
        "published_by",
        "withdrawal_notice",
        "withdrawn_at",
        "translation_group",
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

    # -- permissions: frozen releases are read-only, none is deleted ------------------------------

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

    # -- panels ------------------------------------------------------------------------------------

    @admin.display(description=_("Checks before review"))
    def checks_panel(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        checks = run_checks(obj)
        if not checks:
            return _("All checks pass.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li><strong>{}</strong> ({}): {}</li>", ((c.level, c.field, c.message) for c in checks)
            ),
        )

    @admin.display(description=_("Audit trail"))
    def audit_trail(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        rows = obj.events.select_related("actor").order_by("at", "id")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} – {} by {}{}</li>",
                (
                    (
                        f"{e.at:%Y-%m-%d %H:%M:%S}",
                        e.get_action_display(),
                        e.actor or "–",
                        f": “{e.comment}”" if e.comment else "",
                    )
                    for e in rows
                ),
            ),
        )

    # -- saving through the services --------------------------------------------------------------

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
        services.release_update(release=obj, user=request.user, expected_version=data["expected_version"], **changes)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # A WorkflowError, or a rule the service's full_clean() caught; the whole save was
            # rolled back, so the release and its parts are as they were.
            self.message_user(request, _messages_of(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # -- workflow actions ---------------------------------------------------------------------------

    def run_workflow(self, request, queryset, service, done: str, **kwargs) -> None:
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
