"""The ModelAdmin bases: parts with a read-only history, and the record nobody edits."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models as db_models
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from releases import forms
from releases.models import Company
from releases.scoping import company_ids, scoped

from .history import ReadableChanges, company_zone_of


class ScopedAdmin(admin.ModelAdmin):
    """Rows of the companies the user works for (releases.scoping); `scope_path` leads from a row to its company."""

    scope_path = "company"
    scope_shared = False  # rows without a company (shared texts) stay visible

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, self.scope_path, shared=self.scope_shared)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Company and "queryset" not in kwargs:
            kwargs["queryset"] = scoped(Company.objects.all(), request.user, "id")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Each change kept in a history that can be read, never written back; images judged by their bytes.

    django-simple-history's version page saves a POSTed form after checking only the right to view;
    reverting would also write around the services and their rules. So the page only answers GET:
    to bring an old text back, edit the item, which every rule sees.
    """

    formfield_overrides = {db_models.ImageField: {"form_class": forms.SafeImageField}}
    # The history list in words, at the company's time (releases.admin.history).
    object_history_list_template = "admin/releases/object_history_list.html"
    history_helper = ReadableChanges

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        obj = self.visible_object(request, object_id)
        request.history_zone = company_zone_of(obj) if obj is not None else "UTC"
        return super().history_view(request, object_id, {"history_zone": request.history_zone, **(extra_context or {})})

    def visible_object(self, request, object_id):
        """The object whose history is asked for, through the user's scope.

        django-simple-history reads the history of an object its queryset does not hold from the history
        table, which knows no scope: that would show a writer assigned to company A the versions of B's
        releases and parts. Only those who work for every company may read the history of a deleted object.
        """
        if not (str(object_id).isascii() and str(object_id).isdigit() and len(str(object_id)) < 19):
            raise Http404("No such item.")
        obj = self.get_object(request, unquote(object_id))
        if obj is None and company_ids(request.user) is not None:
            raise Http404("No such item.")
        return obj

    def get_historical_record_context_helper(self, request, historical_record):
        return self.history_helper(self.model, historical_record, zone=getattr(request, "history_zone", "UTC"))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not (str(version_id).isascii() and str(version_id).isdigit() and len(str(version_id)) < 19):
            raise Http404("No such version.")
        self.visible_object(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
