"""Access: API tokens (created once, shown once, revoked) and which companies a member of staff works for."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from releases import services
from releases.models import ApiToken, CompanyAssignment


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # A token's owner and name are what was agreed when it was handed out.
            return [*self.readonly_fields, "user", "name"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # Revoke instead: the row says who had access and until when.

    def save_model(self, request, obj, form, change):
        token, key = services.api_token_issue(user=obj.user, name=obj.name)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = token.pk, token.prefix, token.key_hash, token.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _("The key of “%(name)s” is %(key)s — copy it now: it is not stored and will not be shown again.")
            % {"name": token.name, "key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token)
        self.message_user(request, _("The selected tokens are revoked; requests with them now get 401."))


@admin.register(CompanyAssignment)
class CompanyAssignmentAdmin(admin.ModelAdmin):
    """Staff assigned to some companies see only theirs; staff assigned to none see every company."""

    list_display = ["user", "company"]
    list_filter = ["company"]
    search_fields = ["user__username", "company__short_name"]
    autocomplete_fields = ["user", "company"]


def _sign_in_attempts_admin():
    """django-axes' list of sign-in attempts, whose "Clean up expired attempts" works from the admin.

    The action reads the moment django-axes notes on a request it watches (a sign-in); the admin's request
    has none, so the action was a 500 every time. It now notes it first.
    """
    from axes.admin import AccessAttemptAdmin
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    class SignInAttemptAdmin(AccessAttemptAdmin):
        @admin.action(description=_("Clean up expired attempts"))
        def cleanup_expired_attempts(self, request, queryset):
            AxesProxyHandler.update_request(request)
            return super().cleanup_expired_attempts(request, queryset)

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, SignInAttemptAdmin)


_sign_in_attempts_admin()
