"""The company's conventions in the admin: names per language, listings by market, filings, and house styles
with a live preview of the dateline each produces."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from releases import models
from releases.rendering.compose import dateline
from releases.rendering.content import CompanyData, HouseStyleData, ReleaseContent

# Two moments a preview shows, so the zone's winter and summer names both appear.
PREVIEW_MOMENTS = ((3, 2, 9, 0), (7, 1, 7, 30))


class TranslationsWidget(forms.Widget):
    """One text box per content language and translated field, folded under a summary."""

    template_name = ""

    def __init__(self, names: tuple[str, ...], attrs=None):
        super().__init__(attrs)
        self.names = names

    def format_value(self, value):
        return value if isinstance(value, dict) else {}

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        labels = dict(settings.LANGUAGES)
        rows = []
        for code in settings.CONTENT_LANGUAGES:
            cells = [
                format_html(
                    '<input type="text" name="{}__{}__{}" value="{}" aria-label="{} ({})" placeholder="{}" size="24">',
                    name,
                    code,
                    field,
                    value.get(code, {}).get(field, ""),
                    field,
                    labels.get(code, code),
                    field,
                )
                for field in self.names
            ]
            rows.append((code, labels.get(code, code), format_html_join(" ", "{}", ((c,) for c in cells))))
        filled = sum(1 for texts in value.values() if any(texts.values()))
        return format_html(
            '<details class="translations"><summary>{}</summary><table>{}</table></details>',
            _("%(count)s of %(total)s languages filled") % {"count": filled, "total": len(settings.CONTENT_LANGUAGES)},
            format_html_join("", "<tr><th>{} <span class='muted'>{}</span></th><td>{}</td></tr>", rows),
        )

    def value_from_datadict(self, data, files, name):
        found: dict[str, dict[str, str]] = {}
        for code in settings.CONTENT_LANGUAGES:
            for field in self.names:
                text = (data.get(f"{name}__{code}__{field}") or "").strip()
                if text:
                    found.setdefault(code, {})[field] = text
        return found

    def value_omitted_from_data(self, data, files, name):
        return not any(key.startswith(f"{name}__") for key in data)


class TranslationsField(forms.JSONField):
    def __init__(self, *args, names=(), **kwargs):
        kwargs["widget"] = TranslationsWidget(names)
        kwargs.pop("encoder", None), kwargs.pop("decoder", None)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return value

    def bound_data(self, data, initial):
        return data if isinstance(data, dict) else initial

    def to_python(self, value):
        return value if isinstance(value, dict) else {}

    def has_changed(self, initial, data):
        return (initial or {}) != (data or {})


class TranslatedAdminMixin:
    """The `translations` JSON of a Translated model edited as one box per language and field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "translations":
            return TranslationsField(
                names=self.model.TRANSLATED_FIELDS,
                required=False,
                label=db_field.verbose_name,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def preview_datelines(
    *, city: str, country: str, time_zone: str, language: str, style: HouseStyleData, place: str = ""
) -> list[str]:
    """The datelines a house style writes for the sample moments, through the one composition."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    company = CompanyData(legal_name="", short_name="", city=city, country=country, time_zone=zone.key)
    year = dt.date.today().year
    lines = []
    for month, day, hour, minute in PREVIEW_MOMENTS:
        moment = dt.datetime(year, month, day, hour, minute, tzinfo=zone)
        content = ReleaseContent(company=company, language=language, headline="", publication_at=moment, style=style)
        lines.append(dateline(content))
    return lines


def style_from(values) -> HouseStyleData:
    from releases.rendering.typography import default_spacing

    language = values.get("language") or "en"
    return HouseStyleData(
        place=values.get("place", ""),
        pattern=values.get("pattern", ""),
        date_style=values.get("date_style", ""),
        time_style=values.get("time_style", ""),
        zone_style=values.get("zone_style") or "abbreviation",
        zone_in_parentheses=str(values.get("zone_in_parentheses", "")).lower() in {"1", "true", "on"},
        spacing=values.get("punctuation_spacing") or default_spacing(language),
    )


def preview_view(request):
    """GET: the datelines of the house style on the form (not saved), as JSON for the live preview.

    For those who may read companies; a company they do not work for is not read.
    """
    from django.core.exceptions import PermissionDenied

    from releases.scoping import scoped

    if not request.user.has_perm("releases.view_company"):
        raise PermissionDenied
    data = request.GET
    language = data.get("language") if data.get("language") in settings.CONTENT_LANGUAGES else "en"
    company_id = data.get("company", "")
    company = None
    if company_id.isascii() and company_id.isdigit() and len(company_id) < 19:
        company = scoped(models.Company.objects.all(), request.user, "id").filter(pk=int(company_id)).first()
    lines = preview_datelines(
        city=data.get("city") or (company.city_in(language) if company else ""),
        country=data.get("country") or (company.country_in(language) if company else ""),
        time_zone=data.get("time_zone") or (company.time_zone if company else "UTC"),
        language=language,
        style=style_from(_chosen({**data.dict(), "language": language})),
    )
    return JsonResponse({"datelines": lines})


def _chosen(values: dict) -> dict:
    """The style's options as the form offers them: a value that is none of a field's choices is no choice."""
    for name in ("pattern", "date_style", "time_style", "zone_style", "punctuation_spacing"):
        allowed = {value for value, _label in models.HouseStyle._meta.get_field(name).choices}
        if values.get(name) not in allowed:
            values[name] = ""
    return values


class HouseStyleInline(admin.StackedInline):
    model = models.HouseStyle
    extra = 0
    fields = [
        "language",
        "place",
        "pattern",
        "date_style",
        "time_style",
        "zone_style",
        "zone_in_parentheses",
        "punctuation_spacing",
        "preview",
    ]
    readonly_fields = ["preview"]
    classes = ["house-styles"]

    @admin.display(description=_("dateline it writes"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            lines = [_("Choose the options: the dateline shows here.")]
        else:
            company = obj.company
            lines = preview_datelines(
                city=company.city_in(obj.language),
                country=company.country_in(obj.language),
                time_zone=company.time_zone,
                language=obj.language,
                style=style_from({f.name: getattr(obj, f.name) for f in models.HouseStyle._meta.fields}),
            )
        return format_html(
            '<output class="house-style-preview" aria-live="polite">{}</output>',
            format_html_join("", "<div>{}</div>", ((line,) for line in lines)),
        )


class FilingInline(TranslatedAdminMixin, admin.TabularInline):
    model = models.Filing
    extra = 0
    fields = ["kind", "regulator", "title", "filed_on", "fiscal_year", "translations"]


class BlockReferenceInline(admin.TabularInline):
    model = models.BlockReference
    extra = 0
    fields = ["position", "citation", "url", "accessed_on", "accessed_label"]
    verbose_name_plural = _("references of the block — cited in its text as (1), (2) …, numbered into each release")
