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


def cut(page_html: str) -> tuple[bytes | str, ...]:
    """The page as it is served, cut once at its slots: its UTF-8 bytes between them, each slot's name in its
    place. A slot missing from the page gets a place at the top of its <main> (or <body>, or the page)."""
    places = []  # (offset, order, name, length of the marker)
    top = None
    for order, name in enumerate(SLOTS):
        found = next(
            ((at, len(m)) for m in (slot(name), EARLIER_MARKERS.get(name)) if m and (at := page_html.find(m)) >= 0),
            None,
        )
        if found is None:
            top = _top(page_html) if top is None else top
            found = (top, 0)
        places.append((found[0], order, name, found[1]))
    parts: list[bytes | str] = []
    start = 0
    for at, _order, name, length in sorted(places):
        at = max(at, start)  # a slot's place at the top of <main>, right where another's marker was
        parts += [page_html[start:at].encode(), name]
        start = at + length
    parts.append(page_html[start:].encode())
    return tuple(parts)


def join(parts: tuple[bytes | str, ...], additions: dict[str, str]) -> bytes:
    """The page's bytes with each addition in its slot (no addition: the slot is left empty)."""
    return b"".join(part if isinstance(part, bytes) else additions.get(part, "").encode() for part in parts)


def _top(page_html: str) -> int:
    """Where an addition without its slot goes: right after the page's <main> opening tag, else <body>'s."""
    openings = {m.group(1).lower(): m for m in _OPENING_RE.finditer(page_html)}
    opening = openings.get("main") or openings.get("body")
    return opening.end() if opening is not None else 0


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
