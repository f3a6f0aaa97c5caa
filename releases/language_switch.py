"""The visible language switch of a release page: links to its other public language versions.

The page is frozen at approval, before its translation may exist or be public, so the snapshot
holds only a marker (templates/releases/includes/language_switch.html renders "<!-- language-switch -->"
when it has no versions). When the page is served, the marker is replaced by links to the versions
that are public at that moment, each with `hreflang` and `lang`; nothing under embargo is named.

    html = with_language_switch(html, release, translations)     # translations: public versions
    variant = switch_variant(translations)                         # fold into the page's ETag
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language_info

MARKER = "<!-- language-switch -->"


def switch_html(release, translations) -> str:
    """The switch for `release` linking `translations` (public versions), in the release's language."""
    versions = [
        {
            "url": settings.SITE_URL + other.get_absolute_url(),
            "language": other.language,
            "name": capfirst(get_language_info(other.language)["name_local"]),
        }
        for other in sorted(translations, key=lambda v: v.language)
        if other.language != release.language
    ]
    if not versions:
        return ""
    with translation.override(release.language):
        return render_to_string("releases/includes/language_switch.html", {"versions": versions}).strip()


def with_language_switch(page_html: str, release, translations) -> str:
    """The frozen page with its marker replaced by the switch (the page unchanged when it has no marker)."""
    if MARKER not in page_html:
        return page_html
    return page_html.replace(MARKER, switch_html(release, translations), 1)


def switch_variant(translations) -> str:
    """A short token that changes when the linked versions change, for the page's ETag."""
    return "-".join(f"{v.language}{v.pk}" for v in sorted(translations, key=lambda v: v.language))
