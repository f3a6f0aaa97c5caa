"""The lead: how the dateline, the issuer and its identifiers join the body's first paragraph.

A release opens "Nantes, France – July 1, 2024 – 7:30 am CEST – OSE Immunotherapeutics SA (ISIN: …;
Mnemo: OSE) today announced …". Writers begin the body in one of three ways, and each is recognised:

- with the verb ("today announced …"): the whole lead goes in front of it, in the same paragraph;
- with the company's name, short or legal ("OSE Immunotherapeutics today announced …"): the name is
  printed once, as the issuer (legal name and identifiers), not twice;
- with a dateline of their own ("Nantes, France – July 1st, 2024 – …"): it is replaced by the one made
  from the publication moment (the zone's abbreviation true on that date), then the name is looked for.

Anything else (a first paragraph that starts "The company …", a list, a heading) cannot carry the lead:
the lead then stands as a paragraph of its own, and a check says why (`releases.checks.lead_checks`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

INSIDE = "inside"  # the first paragraph opens on the verb
NAME = "name"  # it opens on the company's name, printed once
SEPARATE = "separate"  # the lead is a paragraph of its own

FIRST_PARAGRAPH_RE = re.compile(r"^\s*<p(\s[^>]*)?>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_EMPTY_PAIR_RE = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*></\1>", re.IGNORECASE)
DASHES = "–—-"
# A dateline typed by the writer: a place, then within a few words a date with its year, ended by a dash.
_DATELINE_RE = re.compile(
    r"^\s*(?P<place>[^\W\d][^–—\n]{0,80}?)\s*[,–—-]\s*(?:le\s+)?"
    r"(?P<date>[^–—\n]{0,40}?\b\d{4}\b)\s*(?:[–—-]\s*(?P<time>[^–—\n]{0,30}?)\s*)?[–—-]\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lead:
    """The body with its lead, how it was joined, and what the writer typed that the lead replaced."""

    body: str
    how: str
    typed_dateline: str = ""
    opening: str = ""  # the first words of a first paragraph that could not carry the lead


def join_lead(
    body: str,
    *,
    dateline_html: str,
    issuer_html: str,
    identifiers_html: str = "",
    names: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    identifier_words: tuple[str, ...] = (),
) -> Lead:
    """`body` with the lead joined as its first paragraph allows (see the module's docstring).

    `names` are the company's names as a writer may type them; `places` the words a typed dateline starts
    with (the city); `identifier_words` what shows that the writer typed the identifiers too (ISIN, ticker).
    """
    lead = " ".join(part for part in (dateline_html, issuer_html, identifiers_html) if part)
    match = FIRST_PARAGRAPH_RE.match(body or "")
    if not match:
        return Lead(f'<p class="lead-line">{lead}</p>' + (body or ""), SEPARATE, opening=_opening(body or ""))
    start, rest = body[: match.end()], body[match.end() :]
    typed = ""
    consumed = _typed_dateline(rest, places)
    if consumed is not None:
        typed, rest = consumed
    name_end = _after_name(rest, names)
    if name_end is not None:
        kept_tags, after = name_end
        while after.startswith("</"):  # an element that closes right after the name: keep it closed there
            close = after.index(">") + 1
            kept_tags, after = kept_tags + after[:close], after[close:]
        after_text = _text(after).lstrip()
        own_identifiers = after_text.startswith("(") and any(
            word.lower() in after_text.split(")", 1)[0].lower() for word in identifier_words if word
        )
        issuer = " ".join(p for p in (dateline_html, issuer_html, "" if own_identifiers else identifiers_html) if p)
        return Lead(start + issuer + _EMPTY_PAIR_RE.sub("", kept_tags) + _spaced(after), NAME, typed)
    first_text = _text(rest.split("</p>", 1)[0]).lstrip()
    if first_text and not first_text[0].isupper():
        return Lead(start + lead + " " + rest.lstrip(), INSIDE, typed)
    if typed:
        # The writer's dateline is gone; what follows it still cannot carry the lead.
        body = start + rest
    return Lead(f'<p class="lead-line">{lead}</p>' + body, SEPARATE, typed, _opening(rest))


def _text(fragment: str) -> str:
    return html.unescape(_TAG_RE.sub("", fragment)).replace("\xa0", " ")


def _opening(fragment: str, words: int = 6) -> str:
    text = " ".join(_text(fragment.split("</p>", 1)[0]).split())
    cut = text.split(" ")[:words]
    return " ".join(cut) + ("…" if len(text.split(" ")) > words else "")


def _consume(fragment: str, length: int) -> tuple[str, str]:
    """Take `length` characters of text from the start of `fragment`: (the tags met on the way, the rest)."""
    tags, i, taken = [], 0, 0
    while i < len(fragment) and taken < length:
        if fragment[i] == "<":
            end = fragment.find(">", i)
            if end == -1:
                break
            tags.append(fragment[i : end + 1])
            i = end + 1
        elif fragment[i] == "&":
            end = fragment.find(";", i)
            i = end + 1 if 0 < end - i <= 10 else i + 1
            taken += 1
        else:
            i += 1
            taken += 1
    return "".join(tags), fragment[i:]


def _typed_dateline(fragment: str, places: tuple[str, ...]) -> tuple[str, str] | None:
    """(the dateline as typed, the fragment after it) when the first paragraph opens with one."""
    text = _text(fragment)
    match = _DATELINE_RE.match(text)
    if not match:
        return None
    place = match.group("place").strip().lower()
    if not any(place.startswith(p.lower()) for p in places if p):
        return None
    tags, rest = _consume(fragment, match.end())
    return match.group(0).strip(), tags + rest


def _after_name(fragment: str, names: tuple[str, ...]) -> tuple[str, str] | None:
    """(tags met, what follows) when `fragment`'s text opens with one of `names` (longest first)."""
    text = _text(fragment)
    stripped = text.lstrip()
    for name in sorted((n for n in names if n), key=len, reverse=True):
        if stripped.startswith(name):
            after = stripped[len(name) : len(name) + 1]
            if after and (after.isalnum() or after in "-’'"):
                continue  # "OSE Immunotherapeutics" is not the start of "OSE Immunotherapeuticsland"
            # The name's legal form is part of it when the writer typed it: "OSE Immunotherapeutics SA".
            return _consume(fragment, len(text) - len(stripped) + len(name))
    return None


def _spaced(after: str) -> str:
    """What follows the name, one space after the issuer unless punctuation follows it."""
    text = _text(after)
    if text[:1] in ",.;:)":
        return after
    return " " + after.lstrip() if not after.startswith(" ") else after
