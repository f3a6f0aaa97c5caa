"""The ModelAdmin bases: parts with a read-only history, and the record nobody edits."""

from django.contrib import admin
from django.db import models as db_models
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from releases import forms


class HistoryAdmin(SimpleHistoryAdmin):
    """Each change kept in a history that can be read, never written back; images judged by their bytes.

    django-simple-history's version page saves a POSTed form after checking only the right to view;
    reverting would also write around the services and their rules. So the page only answers GET:
    to bring an old text back, edit the item, which every rule sees.
    """

    formfield_overrides = {db_models.ImageField: {"form_class": forms.SafeImageField}}

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not (str(version_id).isdigit() and len(str(version_id)) < 19):
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
