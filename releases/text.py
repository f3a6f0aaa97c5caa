"""Text helpers shared by the checks, the parity report and the lists: HTML as words, language names."""

from __future__ import annotations

import html
import re

from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import get_language_info

_BLOCK_END_RE = re.compile(r"<(?:/p|br|/li|/h\d|/blockquote|/td|/th)\b[^>]*>")


def html_to_text(html_text: str) -> str:
    """Rich HTML as the words a reader sees: tags dropped, entities decoded, blocks kept apart."""
    spaced = _BLOCK_END_RE.sub(" \n", html_text or "")
    return html.unescape(strip_tags(spaced)).replace("\xa0", " ")


def language_name(code: str) -> str:
    """A language's name in that language, as a reader looks for it: 'English', 'Français', 'Deutsch'."""
    try:
        return capfirst(get_language_info(code)["name_local"])
    except KeyError:
        return code


def language_label(code: str) -> str:
    """A language's name in the interface's language, as settings.LANGUAGES names it: 'French', 'Französisch'."""
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))
