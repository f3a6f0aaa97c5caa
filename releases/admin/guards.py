"""What the admin does with input it cannot use: its own answers (a 404, the list's "?e=1" page), never a 500.

Django's admin trusts a few things of the address that a hand-made one breaks:

- a list filter's value (and the search's) reaches the database unchecked: `?company__exact=` and 20 digits
  overflows the integer column, `?logout_time__year=0` is no year, `?at__year=` and 20 digits overflows the
  date hierarchy's `datetime()`, PostgreSQL refuses a NUL byte in a search; a list with a filter or a search
  now tries it once and answers what Django answers a lookup it cannot apply (`IncorrectLookupParameters`:
  back to the list with `?e=1`);
- `?_to_field=` (empty) on a change page asks for the field named "";
- a list action's selected rows (`_selected_action`) go into `pk__in` as they come ("123abc", 20 digits);
- an autocomplete's chosen value, shown again on a form that did not validate, goes into `pk__in` too.

`NewsroomAdminSite.register` puts `InputGuardMixin` under every ModelAdmin of the site, the third-party ones
(users, groups, django-axes, django-tasks-db) included.
"""

from __future__ import annotations

import functools

from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views import main
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import DataError, models, transaction
from django.http import HttpResponseBadRequest

# A list's own parameters (page, ordering, popup …): nothing of them reaches a lookup (the search does).
LIST_PARAMETERS = {
    main.ALL_VAR,
    main.ORDER_VAR,
    main.PAGE_VAR,
    main.ERROR_FLAG,
    main.IS_POPUP_VAR,
    main.TO_FIELD_VAR,
    main.IS_FACETS_VAR,
    main.SOURCE_MODEL_VAR,
}


class BoundedChangeListMixin:
    def get_queryset(self, request, exclude_parameters=None):
        try:
            queryset = super().get_queryset(request, exclude_parameters)
            if set(self.params) - LIST_PARAMETERS:
                # The filters' values meet the database here, once, rather than while the page renders.
                with transaction.atomic():
                    queryset.exists()
        except IncorrectLookupParameters:
            raise
        except (ValueError, OverflowError, DataError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


@functools.cache
def bounded_changelist(base: type) -> type:
    if issubclass(base, BoundedChangeListMixin):
        return base
    return type(f"Bounded{base.__name__}", (BoundedChangeListMixin, base), {})


def is_value_of(field: models.Field, value) -> bool:
    """True when `value` (as a form or an address sends it) can be compared with `field` in the database."""
    if isinstance(field, models.IntegerField | models.AutoField) or (
        isinstance(field, models.ForeignKey) and isinstance(field.target_field, models.IntegerField | models.AutoField)
    ):
        text = str(value)
        return text.isascii() and text.lstrip("-").isdigit() and len(text) < 19
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return "\x00" not in str(value)


class BoundedAutocompleteMixin:
    """An autocomplete shows again only the chosen values that can be ids (the rest is the form's error)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if is_value_of(target, v)], attr)


class BoundedAutocompleteSelect(BoundedAutocompleteMixin, AutocompleteSelect):
    pass


class BoundedAutocompleteSelectMultiple(BoundedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class InputGuardMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset, *args, **kwargs):
        pk = self.model._meta.pk
        if not all(is_value_of(pk, value) for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            return HttpResponseBadRequest(
                "The selected rows are not rows of this list: choose them again.", content_type="text/plain"
            )
        return super().response_action(request, queryset, *args, **kwargs)

    def get_changelist(self, request, **kwargs):
        return bounded_changelist(super().get_changelist(request, **kwargs))

    def get_object(self, request, object_id, from_field=None):
        return super().get_object(request, object_id, from_field or None)
