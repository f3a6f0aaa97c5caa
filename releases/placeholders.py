"""Placeholders such as {fiscal_year} in reusable texts: validated on save, filled at composition.

A text that names a placeholder the product does not know is refused when it is saved, so a
published release can never show literal braces.
"""

import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _

PLACEHOLDER_RE = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z0-9_-]+))?\s*\}")

# Values every company supplies (see Company.placeholder_values).
COMPANY_PLACEHOLDERS = {
    "company": _("the company's short name"),
    "company_legal_name": _("the company's legal name"),
    "website": _("the company's website"),
    "regulator": _("the market regulator the company files with (e.g. AMF)"),
    "registration_document_date": _("the filing date of the latest registration document"),
    "fiscal_year": _("the fiscal year that registration document covers"),
    "city": _("the headquarters city"),
    "regulators": _("every regulator the company files with (e.g. AMF and SEC)"),
}
# Placeholders that name one of the company's filings by its kind: {filing:10-K}, {filing_date:annual_report} …
FILING_PLACEHOLDERS = {
    "filing": _("the title of the latest filing of a kind, e.g. {filing:20-F}"),
    "filing_date": _("the date it was filed, e.g. {filing_date:registration_document}"),
    "filing_year": _("the fiscal year it covers, e.g. {filing_year:annual_report}"),
    "filing_regulator": _("the regulator it was filed with, e.g. {filing_regulator:10-K}"),
}


# Block-level placeholders of the company About, replaced by lists generated from the pipeline.
ABOUT_PLACEHOLDERS = {
    "pipeline": _("the list of drug candidates, generated from the pipeline"),
    "platforms": _("the list of platforms, generated from the pipeline"),
}
# Placeholders of a pipeline sentence; the optional :N picks the asset's N-th program.
ASSET_PLACEHOLDERS = {
    "name": _("the asset's name"),
    "code": _("the asset's code"),
    "inn": _("the international non-proprietary name"),
    "phase": _("the development phase of a program ({phase:2} for the second)"),
    "indication": _("the indication of a program"),
    "sponsor": _("the sponsor of a program"),
}


def placeholders_in(text: str) -> list[tuple[str, int | str | None]]:
    """(name, index or key) of each placeholder: {phase:2} → ("phase", 2), {filing:10-K} → ("filing", "10-K")."""
    found = []
    for m in PLACEHOLDER_RE.finditer(text or ""):
        key = m.group(2)
        found.append((m.group(1), int(key) if key and key.isdigit() else key))
    return found


def filings_named(text: str) -> list[str]:
    """The filing kinds a text names through filing placeholders, in order, each once."""
    return list(
        dict.fromkeys(
            key for name, key in placeholders_in(text) if name in FILING_PLACEHOLDERS and isinstance(key, str)
        )
    )


def validate_placeholders(text: str, allowed: Iterable[str], *, filing_kinds: Iterable[str] = ()) -> None:
    """Refuse a text that names a placeholder outside `allowed`, a filing of a kind not in `filing_kinds`, or
    leaves a brace unpaired."""
    allowed = set(allowed)
    unknown = sorted({name for name, _index in placeholders_in(text) if name not in allowed})
    kinds = list(filing_kinds)
    for name, key in placeholders_in(text):
        if name in FILING_PLACEHOLDERS and name in allowed and key not in kinds:
            raise ValidationError(
                _(
                    "Unknown placeholder {%(name)s}: it names a filing by its kind, e.g. {%(name)s:annual_report}. "
                    "Kinds: %(kinds)s."
                ),
                code="unknown_filing",
                params={"name": name, "kinds": ", ".join(kinds)},
            )
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s. Use one of: %(allowed)s."),
            code="unknown_placeholder",
            params={
                "names": ", ".join("{" + n + "}" for n in unknown),
                "allowed": ", ".join("{" + n + "}" for n in sorted(allowed)),
            },
        )
    leftover = PLACEHOLDER_RE.sub("", strip_tags(text or ""))
    if "{" in leftover or "}" in leftover:
        raise ValidationError(
            _("A brace is not part of a placeholder. Write placeholders as {name}; remove stray braces."),
            code="stray_brace",
        )


def fill(
    text: str,
    values: Mapping[str, object],
    indexed: Mapping[str, list] | None = None,
    *,
    html: bool = True,
) -> str:
    """Replace each placeholder by its value (HTML-escaped unless html=False); {phase:2} reads the 2nd item."""
    indexed = indexed or {}
    quote = escape if html else str

    def replace(match: re.Match) -> str:
        name, index = match.group(1), match.group(2)
        if index is not None and not index.isdigit():
            return quote(values.get(f"{name}:{index}", ""))
        if index is not None and name in indexed:
            items = indexed[name]
            position = int(index) - 1
            return quote(items[position]) if 0 <= position < len(items) else ""
        if name in values:
            return quote(values[name])
        if indexed.get(name):
            return quote(indexed[name][0])
        return ""

    return PLACEHOLDER_RE.sub(replace, text or "")
