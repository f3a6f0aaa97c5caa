"""Typography applied on output, never to what staff typed: French spacing, and names kept whole in print.

    french_spacing("Résultats : positifs ; « anticiper »")   narrow no-break spaces (U+202F) before : ; ! ? »
                                                              and after «; a no-break space typed stays as typed
    protect_names(html, ["Tedopi®", "OSE-127"])              <span class="nobr"> around names, codes, ISINs and
                                                              tickers: the PDF neither hyphenates nor breaks them
    nest_quotes(html, "fr")                                  « … “ … ” … »: each nesting level of double
                                                              quotation marks the way the language writes it

All read HTML and touch text only: tags, attributes and entities (&amp;) pass through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NARROW_NBSP = "\u202f"
_SPACES_KEPT = "\u00a0\u202f\u2009"
# The languages whose typography puts a space before high punctuation (the house style may turn it off).
SPACING_BY_LANGUAGE = {"fr": "narrow"}

_TOKEN_RE = re.compile(r"(<[^>]*>|&#?[A-Za-z0-9]+;)")
_BEFORE_RE = re.compile(r"(?P<space>[ ]?)(?P<mark>[;!?»])")
_COLON_RE = re.compile(r"(?P<space>[ ]?):(?=[\s\u00a0\u202f]|$)")
_AFTER_OPEN_RE = re.compile(r"«(?P<space>[ ]?)")
_SKIP_TAGS = ("code", "pre", "script", "style")


def default_spacing(language: str) -> str:
    """The spacing rule of `language`: "narrow" (French) or "none"."""
    return SPACING_BY_LANGUAGE.get(language, "none")


def _space_before(match: re.Match, text: str) -> str:
    start = match.start()
    mark = match.group("mark") if "mark" in match.groupdict() else ":"
    before = text[start - 1] if start > 0 else ""
    if match.group("space"):
        return NARROW_NBSP + mark
    if not before or before in _SPACES_KEPT or before in "!?;:«(" or before.isspace():
        return mark
    return NARROW_NBSP + mark


def _spaced_text(text: str) -> str:
    text = _BEFORE_RE.sub(lambda m: _space_before(m, text), text)
    text = _COLON_RE.sub(lambda m: _space_before(m, text), text)
    return _AFTER_OPEN_RE.sub(
        lambda m: "«" + ("" if m.end() < len(text) and text[m.end()] in _SPACES_KEPT else NARROW_NBSP), text
    )


def _text_nodes(html: str, change) -> str:
    out, skipping = [], 0
    for part in _TOKEN_RE.split(html or ""):
        if part.startswith("<"):
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            if name in _SKIP_TAGS:
                skipping += -1 if part.startswith("</") else 1
            out.append(part)
        elif part.startswith("&") and part.endswith(";"):
            out.append(part)
        else:
            out.append(part if skipping > 0 else change(part))
    return "".join(out)


def french_spacing(html: str) -> str:
    """Narrow no-break spaces before : ; ! ? » and after «, in the text of `html` (or of plain text)."""
    # Entities are split out, so "I&amp;I" keeps its semicolon; a space already typed no-break stays.
    return _text_nodes(html, _spaced_text)


def apply_spacing(html: str, rule: str) -> str:
    return french_spacing(html) if rule == "narrow" else html


_CODE_RE = (
    r"(?<![\w-])(?:[a-z]{2,5}-)?(?:[A-Z]{1,6}[0-9]*-?[0-9]{2,}[A-Za-z0-9]*|[A-Z]{2,}-[A-Z0-9]+(?:-[A-Z0-9]+)*)(?![\w-])"
)
_REGISTERED_RE = r"(?<![\w-])[\w][\w./-]*[®™](?![\w])"


def protect_names(html: str, names: Iterable[str] = ()) -> str:
    """Wrap names with ® or ™, codes (OSE-127, ABBV-230) and the given names in <span class="nobr">."""
    given = sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True)
    alternatives = [re.escape(n) for n in given] + [_REGISTERED_RE, _CODE_RE]
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{a})" for a in alternatives) + r")(?![\w-])")

    def wrap(text: str) -> str:
        return pattern.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', text)

    return _text_nodes(html, wrap)


def names_kept_whole(content) -> list[str]:
    """The names a release's print keeps whole: its company's assets (names, codes, INNs), tickers and ISINs."""
    names: list[str] = []
    for asset in content.assets:
        names += [asset.code, asset.inn] + ([asset.name] if asset.kind == "candidate" else [])
    for listing in content.listings:
        names += [listing.ticker, listing.isin]
    return [n for n in dict.fromkeys(names) if n]


_BODY_RE = re.compile(r"(<body\b[^>]*>)(.*)(</body>)", re.DOTALL | re.IGNORECASE)


def protect_body_names(document: str, names: Iterable[str]) -> str:
    """`protect_names` applied to the <body> of a whole HTML document (the head is left as it is)."""
    match = _BODY_RE.search(document)
    if match is None:
        return protect_names(document, names)
    return document[: match.start(2)] + protect_names(match.group(2), names) + document[match.end(2) :]


# French nests its quotation marks as « … “ … ” … »: guillemets outside, with a narrow no-break space inside
# them, and English double quotes within. Writers paste both kinds in any order (from English sources, from
# Word's autocorrect), so the composition writes each level the way the language does. Straight quotes (")
# and single quotes (which are also apostrophes) are left alone: they cannot be told apart reliably. A text
# whose marks do not pair up is left exactly as written rather than guessed at.

_ORDINARY_SPACES = " \t\n"
# Per language: each nesting level's opening mark, closing mark and the space set inside them, outermost first.
QUOTE_LEVELS = {
    "fr": (("«", "»", NARROW_NBSP), ("“", "”", "")),
}
OPENING, CLOSING = "“«", "”»"
_QUOTE_TAG_RE = re.compile(r"(<[^>]*>)")


def nest_quotes(html: str, language: str, *, spacing: bool = True) -> str:
    """`html` with its double quotation marks written as `language` nests them (unchanged for other languages).

    Inside guillemets, a no-break space the writer typed stays as typed; an ordinary space, or none, becomes
    the level's narrow no-break space. Without `spacing` (a house style that keeps text as typed), only the
    marks change and the spaces stay exactly as written.
    """
    levels = QUOTE_LEVELS.get(language)
    if not levels or not html or not any(mark in html for mark in OPENING + CLOSING):
        return html
    out: list[str] = []
    depth = 0
    pending: str | None = None  # after an opening mark: the space it wants, unless the writer typed one
    for part in _QUOTE_TAG_RE.split(html):
        if part.startswith("<"):
            if pending:
                out.append(pending)
            pending = None
            out.append(part)
            continue
        text: list[str] = []
        for char in part:
            if pending is not None and not spacing:
                pending = None
            if pending is not None:
                if char in _ORDINARY_SPACES:
                    continue
                text.append(char if char in _SPACES_KEPT and pending else pending)
                pending = None
                if char in _SPACES_KEPT and text[-1] == char:
                    continue
            if char in OPENING:
                depth += 1
                mark, _close, space = levels[min(depth, len(levels)) - 1]
                text.append(mark)
                pending = space
            elif char in CLOSING:
                if depth == 0:
                    return html
                _mark, close, space = levels[min(depth, len(levels)) - 1]
                while spacing and text and text[-1] in _ORDINARY_SPACES:
                    text.pop()
                typed_space = text[-1] in _SPACES_KEPT if text else out[-1][-1:] in _SPACES_KEPT if out else False
                if spacing and space and not typed_space:
                    text.append(space)
                elif spacing and not space:
                    while text and text[-1] in _SPACES_KEPT:
                        text.pop()
                text.append(close)
                depth -= 1
            else:
                text.append(char)
        out.append("".join(text))
    if depth != 0:
        return html
    return "".join(out)
