"""The admin of email alerts and webhooks: subscribers (export, erase), deliveries, webhook endpoints.

Every change goes through `releases.distribution.services`. Deliveries and webhook deliveries are
records: nobody edits or deletes them here. Exporting and erasing a subscriber need their own
permissions, which only a superuser has unless an administrator gives them.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from releases.admin.base import ScopedAdmin

from ..models import Delivery, Release, Subscriber, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from . import services


class ReadOnlyMixin:
    """A record: listed and read, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- subscribers -------------------------------------------------------------------------------------


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        return queryset.filter(languages__contains=f",{self.value()},") if self.value() else queryset


class CategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [(services.ALL, _("All releases")), *Release.Category.choices]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() == services.ALL:
            return queryset.filter(categories="")
        return queryset.filter(categories__contains=f",{self.value()},")


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["email", "status", "language_names", "category_names", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", LanguageFilter, CategoryFilter, "consent_language", "confirmed_at"]
    search_fields = ["email"]
    date_hierarchy = "confirmed_at"
    actions = ["export_selected", "erase_selected"]  # no "delete": erasing has its own permission
    fields = [
        "email",
        "status",
        "languages",
        "categories",
        "consent_text",
        "consent_language",
        "requested_at",
        "confirmed_at",
        "confirm_ip",
        "unsubscribed_at",
    ]

    @admin.display(description=_("languages"))
    def language_names(self, obj):
        names = dict(settings.LANGUAGES)
        return ", ".join(str(names.get(code, code)) for code in obj.language_list)

    @admin.display(description=_("categories"))
    def category_names(self, obj):
        names = dict(Release.Category.choices)
        return ", ".join(str(names.get(c, c)) for c in obj.category_list) or _("All releases")

    def has_export_permission(self, request):
        return request.user.has_perm("releases.export_subscriber")

    def has_erase_permission(self, request):
        return request.user.has_perm("releases.erase_subscriber")

    @admin.action(description=_("Export the selected subscribers' data (JSON)"), permissions=["export"])
    def export_selected(self, request, queryset):
        data = [services.export_subscriber(subscriber=s, user=request.user) for s in queryset.order_by("id")]
        response = HttpResponse(
            json.dumps({"exported_at": timezone.now().isoformat(), "subscribers": data}, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="subscribers-export.json"'
        return response

    @admin.action(description=_("Erase the selected subscribers (cannot be undone)"), permissions=["erase"])
    def erase_selected(self, request, queryset):
        erased = [services.erase_subscriber(subscriber=s, user=request.user) for s in list(queryset)]
        self.message_user(
            request,
            ngettext(
                "Erased %(count)d subscriber: the address and the consent record are gone.",
                "Erased %(count)d subscribers: their addresses and consent records are gone.",
                len(erased),
            )
            % {"count": len(erased)},
            messages.SUCCESS,
        )


# -- email deliveries ----------------------------------------------------------------------------------


class ByRelationFilter(admin.SimpleListFilter):
    """Filter on `?<relation>__id__exact=ID`, even when only one choice exists (the panel links here)."""

    relation = ""
    limit = 50

    def lookups(self, request, model_admin):
        related = model_admin.model._meta.get_field(self.relation).related_model
        used = model_admin.get_queryset(request).values(self.relation).distinct()
        return [(str(obj.pk), str(obj)) for obj in related.objects.filter(pk__in=used).order_by("-pk")[: self.limit]]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit() and len(value) < 19:
            return queryset.filter(**{f"{self.relation}_id": int(value)})
        return queryset


class ReleaseFilter(ByRelationFilter):
    title = _("release")
    parameter_name = "release__id__exact"
    relation = "release"


class EndpointFilter(ByRelationFilter):
    title = _("endpoint")
    parameter_name = "endpoint__id__exact"
    relation = "endpoint"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, ScopedAdmin):
    scope_path = "release__company"

    """Filter by release from the release's panel: ?release__id__exact=ID."""

    list_display = ["id", "recipient", "release", "kind", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "kind", ReleaseFilter]
    search_fields = ["subscriber__email", "release__headline"]
    list_select_related = ["release", "subscriber"]
    fields = ["release", "recipient", "kind", "status", "attempts", "next_attempt_at", "sent_at", "message_id", "error"]
    readonly_fields = fields

    @admin.display(description=_("recipient"), ordering="subscriber__email")
    def recipient(self, obj):
        return obj.subscriber.email if obj.subscriber else _("(erased)")


# -- webhooks -------------------------------------------------------------------------------------------


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter an http:// or https:// address."))
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["__str__", "url", "event_names", "active", "last_delivery"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "recent_deliveries"]
    change_form_template = "admin/releases/webhookendpoint/change_form.html"

    def get_fields(self, request, obj=None):
        fields = ["url", "description", "events", "active"]
        return [*fields, "secret", "recent_deliveries"] if obj else fields

    @admin.display(description=_("events"))
    def event_names(self, obj):
        names = dict(WebhookEndpoint.Event.choices)
        return ", ".join(str(names.get(e, e)) for e in obj.events or [])

    @admin.display(description=_("last delivery"))
    def last_delivery(self, obj):
        last = obj.deliveries.order_by("-id").first()
        if last is None:
            return "—"
        return format_html("{} · {}", last.event, last.get_status_display())

    @admin.display(description=_("last deliveries"))
    def recent_deliveries(self, obj):
        rows = obj.deliveries.select_related("release").order_by("-id")[:10]
        return render_to_string(
            "releases/distribution/endpoint_deliveries.html",
            {
                "rows": rows,
                "all_url": reverse("admin:releases_webhookdelivery_changelist") + f"?endpoint__id__exact={obj.pk}",
            },
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/send-test/",
                self.admin_site.admin_view(self.send_test_view),
                name="releases_webhookendpoint_send_test",
            ),
            *super().get_urls(),
        ]

    def send_test_view(self, request, object_id):
        return require_POST(self._send_test)(request, object_id)

    def _send_test(self, request, object_id):
        endpoint = self.get_object(request, unquote(object_id))  # None for an id that is no id, as for a missing one
        if endpoint is None:
            raise Http404("No such endpoint.")
        if not self.has_change_permission(request, endpoint):
            raise PermissionDenied
        delivery = services.send_test_event(endpoint=endpoint, user=request.user)
        self.message_user(
            request,
            _("A test event (%(id)s) is on its way to %(url)s. Its result shows under “Last deliveries”.")
            % {"id": delivery.message_id, "url": endpoint.url},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:releases_webhookendpoint_change", args=[endpoint.pk]))


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["at", "status_code", "error", "response_excerpt", "duration_ms"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, ScopedAdmin):
    scope_path = "release__company"
    scope_shared = True  # test events name no release

    list_display = [
        "message_id",
        "endpoint",
        "event",
        "release",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["status", "event", EndpointFilter]
    search_fields = ["message_id", "endpoint__url", "release__headline"]
    list_select_related = ["endpoint", "release"]
    fields = [
        "endpoint",
        "event",
        "release",
        "message_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
        "payload",
    ]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["send_again"]

    def has_resend_permission(self, request):
        return request.user.has_perm("releases.change_webhookendpoint")

    @admin.action(description=_("Send the selected failed deliveries again"), permissions=["resend"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=WebhookDelivery.Status.FAILED))
        for delivery in failed:
            services.redeliver(delivery=delivery, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(failed))
            % {"count": len(failed)},
            messages.SUCCESS,
        )
