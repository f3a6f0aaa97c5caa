"""Template tags of the newsroom: absolute URLs, routes per language, feed links, JSON-LD, served slots."""

from __future__ import annotations

import json
import re

from babel import Locale
from babel.core import get_global
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from releases.rendering import served
from releases.text import language_name

register = template.Library()

# A European newsroom's English is British unless a release says otherwise.
OG_REGIONS = {"en": "GB"}
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def absolute(path: str) -> str:
    """A site path as an absolute URL on SITE_URL; absolute URLs pass through."""
    if not path:
        return ""
    return settings.SITE_URL + path if path.startswith("/") else path


@register.simple_tag
def newsroom_url(name: str, language: str | None = None) -> str:
    """A newsroom route in `language` (default: the active one)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return reverse(f"newsroom:{name}")


@register.simple_tag
def feed_links() -> SafeString:
    """`<link rel="alternate">` to the RSS and Atom feeds of every language, for the page head."""
    rows = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            title = pgettext("feed title", "Press releases")
            rows.append(("application/rss+xml", f"{title} (RSS, {code})", reverse("newsroom:rss"), code))
            rows.append(("application/atom+xml", f"{title} (Atom, {code})", reverse("newsroom:atom"), code))
    return format_html_join("\n  ", '<link rel="alternate" type="{}" title="{}" href="{}" hreflang="{}">', rows)


@register.filter
def json_ld(data: dict) -> SafeString:
    """A JSON-LD script element, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag
def og_locale(language: str) -> str:
    """OpenGraph's locale of a language: its most likely region in CLDR (en → en_US, fr → fr_FR, sv → sv_SE)."""
    locale = Locale.parse(language.replace("-", "_"))
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    if locale.language in OG_REGIONS:
        return f"{locale.language}_{OG_REGIONS[locale.language]}"
    likely = get_global("likely_subtags").get(locale.language, "")
    return f"{locale.language}_{likely.rsplit('_', 1)[-1]}" if likely else locale.language


@register.simple_tag
def marked(text) -> SafeString:
    """Already-escaped search output (see releases.search): only <mark> is markup."""
    return format_html("{}", text)


@register.simple_tag
def served_slot(name: str) -> SafeString:
    """Where a served addition (language switch, notices) goes in a frozen page."""
    return served.slot(name)


@register.simple_tag
def other_languages() -> list[dict]:
    """The newsroom in each other language: its code, its name in that language, its address."""
    current = translation.get_language()
    others = []
    for code, _name in settings.LANGUAGES:
        if code != current:
            with translation.override(code):
                others.append({"code": code, "name": language_name(code), "url": reverse("newsroom:index")})
    return others


# "1er", "2e", "1st", "3rd": the letters after a number that make it an ordinal.
_ORDINAL_RE = re.compile(r"(?<=\d)(er|re|e|ème|st|nd|rd|th)\b")


@register.filter
def ordinals(text: str) -> SafeString:
    """The text escaped, each ordinal's letters marked (`<span class="ordinal">er</span>`), so that a label set in
    capitals by its stylesheet still writes "1er juillet" and not "1ER JUILLET"."""
    return mark_safe(_ORDINAL_RE.sub(r'<span class="ordinal">\1</span>', escape(text)))
