"""Citation markers: the one reader of "(3)", "(3, 4)", "(3–5)", "<sup>3</sup>" and "<sup>(3)</sup>" in HTML.

The page, the PDF, the fragment and the text link what `markers` finds (releases.rendering.compose.Citations);
the checks count what `cited_numbers` finds, which is the same list: they can never disagree on what is cited.

Not markers: anything inside a link, "Article 7(1)" (a digit or letter right before the bracket, except a
year: "in 2022(5)" cites 5), an exponent ("10<sup>6</sup>", "m<sup>2</sup>"), a bracketed year "(2022)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBERS = r"\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*"
# "(3)" after a space or punctuation, or right after a year ("in 2022(5)"); never "Article 7(1)".
PAREN_RE = re.compile(rf"(?:(?<=\b\d{{4}})|(?<![A-Za-z0-9]))\(({_NUMBERS})\)")
_TOKEN_RE = re.compile(
    rf"(?P<sup><sup\b[^>]*>\s*(?P<open>\(?)\s*(?P<numbers>{_NUMBERS})\s*(?P<close>\)?)\s*</sup>)|(?P<tag><[^>]*>)|(?P<text>[^<]+)",
    re.IGNORECASE,
)
_UNITS = {"m", "cm", "mm", "km", "dm", "µm", "nm", "m/s", "s", "ft", "in"}
_SPLIT_RE = re.compile(r"\s*[,;]\s*")
_RANGE_RE = re.compile(r"\s*[–-]\s*")


@dataclass(frozen=True)
class Marker:
    """One citation marker as written in the HTML, and the numbers it cites (a range's numbers included)."""

    start: int
    end: int
    kind: str  # "paren" or "sup"
    written: tuple[str, ...]  # the numbers as written, in order ("3", "5" for "(3–5)")
    separators: tuple[str, ...]  # what stands between them (", ", "–")
    numbers: tuple[int, ...]  # every number cited, in order
    brackets: bool = True  # "<sup>1</sup>" has none


def _numbers(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]:
    written = re.findall(r"\d{1,3}", text)
    separators = tuple(re.findall(r"\s*[,;–-]\s*", text))
    numbers: list[int] = []
    for part in _SPLIT_RE.split(text):
        bounds = [int(n) for n in _RANGE_RE.split(part)]
        if len(bounds) == 2 and bounds[0] < bounds[1] <= 999 and bounds[1] - bounds[0] <= 50:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return tuple(written), separators, tuple(numbers)


def _is_exponent(before: str) -> bool:
    """True when a superscript follows a digit or a unit: "10<sup>6</sup>", "m<sup>2</sup>"."""
    stripped = before.rstrip()
    if not stripped or stripped != before:
        return False
    if stripped[-1].isdigit():
        return True
    word = re.split(r"[\s(]", stripped)[-1]
    return word in _UNITS


def markers(html: str) -> list[Marker]:
    """Every citation marker of `html`, in order."""
    found: list[Marker] = []
    in_link = 0
    text_before = ""
    for token in _TOKEN_RE.finditer(html or ""):
        if token.group("tag") is not None:
            lowered = token.group("tag").lower()
            if lowered.startswith("<a ") or lowered == "<a>":
                in_link += 1
            elif lowered.startswith("</a"):
                in_link = max(0, in_link - 1)
            continue
        if token.group("sup") is not None:
            if not in_link and not _is_exponent(text_before):
                written, separators, numbers = _numbers(token.group("numbers"))
                brackets = bool(token.group("open") and token.group("close"))
                found.append(Marker(token.start(), token.end(), "sup", written, separators, numbers, brackets))
            text_before = ""
            continue
        text = token.group("text")
        text_before = text
        if in_link:
            continue
        for match in PAREN_RE.finditer(text):
            written, separators, numbers = _numbers(match.group(1))
            found.append(
                Marker(
                    token.start() + match.start(), token.start() + match.end(), "paren", written, separators, numbers
                )
            )
    return found


def cited_numbers(html: str) -> list[int]:
    """The reference numbers `html` cites, in order of first citation, each once."""
    return list(dict.fromkeys(n for marker in markers(html) for n in marker.numbers))
