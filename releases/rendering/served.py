"""What a frozen page gains when it is served: links to the language versions public now, and the notice of
a correction published since. Both change after approval, so neither is frozen; each has a named slot in
the page (`{% served_slot "…" %}` writes it) and is rendered by its own template in the page's language.

A slot missing from a page (an older snapshot, a template changed since) never drops what goes in it: the
addition then goes at the top of the page's <main>, or of its <body>.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from releases.text import language_name

SLOTS = ("notices", "language-switch")
# Markers pages frozen by earlier versions carry.
EARLIER_MARKERS = {"language-switch": "<!-- language-switch -->"}
_OPENING_RE = re.compile(r"<(main|body)\b[^>]*>", re.IGNORECASE)


def slot(name: str) -> SafeString:
    """The marker a template leaves where a served addition goes."""
    if name not in SLOTS:
        raise ValueError(f"No served slot named {name!r}; the slots are {', '.join(SLOTS)}.")
    return mark_safe(f"<!-- served:{name} -->")


def fill(page_html: str, additions: dict[str, str]) -> str:
    """The page with each addition in its slot (or, the slot missing, at the top of <main> or <body>)."""
    for name, html in additions.items():
        marker = next((m for m in (slot(name), EARLIER_MARKERS.get(name)) if m and m in page_html), None)
        if marker is not None:
            page_html = page_html.replace(marker, html, 1)
        elif html:
            page_html = _at_top(page_html, html)
    return page_html


def _at_top(page_html: str, html: str) -> str:
    openings = {m.group(1).lower(): m for m in _OPENING_RE.finditer(page_html)}
    opening = openings.get("main") or openings.get("body")
    if opening is None:
        return html + page_html
    return page_html[: opening.end()] + html + page_html[opening.end() :]


def language_switch(release, translations) -> str:
    """The switch of `release` to its `translations` (versions public now), in the release's language."""
    others = tuple(
        (other.language, other.get_absolute_url())
        for other in sorted(translations, key=lambda v: v.language)
        if other.language != release.language
    )
    if not others:
        return ""
    return _language_switch(release.language, others, settings.SITE_URL)


@functools.lru_cache(maxsize=4096)
def _language_switch(language: str, others: tuple[tuple[str, str], ...], site_url: str) -> str:
    """The switch's HTML, rendered once per process for each set of versions (pages are read far more often
    than versions change)."""
    versions = [{"url": site_url + url, "language": code, "name": language_name(code)} for code, url in others]
    with translation.override(language):
        return render_to_string("releases/includes/language_switch.html", {"versions": versions}).strip()


def correction_notice(release, correction) -> str:
    """The notice on a corrected release's page, pointing to its public correction."""
    with translation.override(release.language):
        return render_to_string(
            "releases/includes/correction_notice.html",
            {"correction": {"url": correction.get_absolute_url(), "headline": correction.headline}},
        ).strip()


def variant(translations, correction=None) -> str:
    """A short token that changes whenever what is added changes, for the page's ETag."""
    token = "-".join(f"{v.language}{v.pk}" for v in sorted(translations, key=lambda v: v.language))
    if correction is not None:
        token = f"{token}-c{correction.pk}".lstrip("-")
    return token
