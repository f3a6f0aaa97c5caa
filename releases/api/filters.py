"""Filters, search and ordering of the lists. Each narrows a queryset the view already gated."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, SearchFilter

from releases import models

MAX_SEARCH_LENGTH = 200
MAX_SEARCH_TERMS = 10


ID_RANGE = {"min_value": -(2**63) + 1, "max_value": 2**63 - 1}  # what SQLite and PostgreSQL bigint hold


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**ID_RANGE, **kwargs})


@extend_schema_field(
    {"type": "integer", "format": "int64", "minimum": ID_RANGE["min_value"], "maximum": ID_RANGE["max_value"]}
)
class IdFilter(filters.NumberFilter):
    """An id: a whole number; an unknown one simply matches nothing."""

    field_class = IdField


class BoundedSearchFilter(SearchFilter):
    """`?search=` over the view's `search_fields`; at most 200 characters and 10 words, no NUL."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if len(value) > MAX_SEARCH_LENGTH or "\x00" in value:
            raise exceptions.ValidationError(
                {self.search_param: [_("Search for at most %d characters.") % MAX_SEARCH_LENGTH]}
            )
        terms = super().get_search_terms(request)
        if len(terms) > MAX_SEARCH_TERMS:
            raise exceptions.ValidationError(
                {self.search_param: [_("Search for at most %d words.") % MAX_SEARCH_TERMS]}
            )
        return terms

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": f"Words to find in: {', '.join(f.lstrip('^=@$') for f in view.search_fields)}.",
                "schema": {"type": "string", "maxLength": MAX_SEARCH_LENGTH},
            }
        ]


class WhitelistOrderingFilter(BaseFilterBackend):
    """`?ordering=<field>` or `-<field>`, one field from the view's `ordering_fields`; anything else is a 400."""

    param = "ordering"

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get(self.param)
        if value is None or value == "":
            return queryset
        allowed = list(getattr(view, "ordering_fields", []))
        if value.removeprefix("-") not in allowed:
            raise exceptions.ValidationError(
                {self.param: [_("Order by one of: %s (prefix - for descending).") % ", ".join(allowed)]}
            )
        return queryset.order_by(value, "-pk" if value.startswith("-") else "pk")

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", []))
        if not fields:
            return []
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "One field to order by; prefix `-` for descending.",
                "schema": {"type": "string", "enum": [p + f for f in fields for p in ("", "-")]},
            }
        ]


class ReleaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=models.Release.Status.choices, help_text="Workflow state.")
    company = IdFilter(field_name="company_id", help_text="The company's id.")
    company_slug = filters.CharFilter(field_name="company__slug", max_length=100, help_text="The company's slug.")
    language = filters.ChoiceFilter(choices=models.LANGUAGE_CHOICES)
    category = filters.ChoiceFilter(choices=models.Release.Category.choices)
    published_from = filters.DateFilter(
        field_name="publication_at",
        lookup_expr="date__gte",
        help_text="Publication moment on or after this day (YYYY-MM-DD, UTC).",
    )
    published_to = filters.DateFilter(
        field_name="publication_at",
        lookup_expr="date__lte",
        help_text="Publication moment on or before this day (YYYY-MM-DD, UTC).",
    )
    slug = filters.CharFilter(max_length=200, help_text="The release's slug.")

    class Meta:
        model = models.Release
        fields = ["status", "company", "company_slug", "language", "category", "published_from", "published_to", "slug"]


class CompanyScopedFilter(filters.FilterSet):
    company = IdFilter(field_name="company_id", help_text="The company's id.")


class ContactFilter(CompanyScopedFilter):
    class Meta:
        model = models.Contact
        fields = ["company", "kind", "active"]


class PipelineAssetFilter(CompanyScopedFilter):
    class Meta:
        model = models.PipelineAsset
        fields = ["company", "kind", "active", "archived"]


class BoilerplateBlockFilter(CompanyScopedFilter):
    class Meta:
        model = models.BoilerplateBlock
        fields = ["company", "kind", "language", "archived"]


class DisclaimerFilter(CompanyScopedFilter):
    class Meta:
        model = models.Disclaimer
        fields = ["company", "kind", "language", "archived"]
