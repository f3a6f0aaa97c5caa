"""Parity between the language versions of a release: both must state the same facts.

Numbers, percentages, dates, times, ISINs, tickers, asset names and codes, URLs and the names of
quoted people that appear in one version must appear in the other. Each version is read in its own
language's conventions before the comparison, so "26,482" (en) and "26 482" (fr), "85%" and
"85 %", "July 1, 2024", "1er juillet 2024" and "1.7.2024" (fi), "7:30 am", "7h30" and "klo 7.30" are the
same item.

The comparison reads what the reader sees: the composed release (headline, body with its generated
dateline, topic Abouts, references, company About with its pipeline lists, disclaimers), so a
French About that still lists an old phase shows up as well as a figure mistyped in the body.

Presence is compared, not counts: a figure written twice in one version and once in the other is
not a difference. Platform names that are descriptions ("Myeloid Checkpoint platform") are
translated like any other words, so only proper names are compared: drug candidates' names,
registered names (®), codes and international non-proprietary names.

    report = parity_report(release)       # against its other-language version, None if it has none
    report = parity_report(release, "de") # against its German version: any pair of a translation group
    report.differences                    # [ParityDifference(kind, item, present_in, written, where, missing_from)]
    report.as_dict()                      # JSON-ready, for the API
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .rendering.dates import (
    clock_separator,
    date_connectors,
    day_periods,
    month_first,
    month_index,
    number_symbols,
    numeric_date_format,
    uses_time_style,
)
from .text import html_to_text, language_label

# -- the kinds of items compared -------------------------------------------------------------------

NUMBER = "number"
PERCENTAGE = "percentage"
DATE = "date"
TIME = "time"
ISIN = "isin"
TICKER = "ticker"
ASSET = "asset"
URL = "url"
PERSON = "person"

KIND_LABELS = {
    NUMBER: _("number"),
    PERCENTAGE: _("percentage"),
    DATE: _("date"),
    TIME: _("time"),
    ISIN: _("ISIN"),
    TICKER: _("ticker"),
    ASSET: _("asset name or code"),
    URL: _("web address"),
    PERSON: _("quoted person"),
}

PART_LABELS = {
    "headline": _("headline"),
    "body": _("body"),
    "topic_abouts": _("topic About"),
    "references": _("references"),
    "company_about": _("company About"),
    "disclaimers": _("disclaimers"),
}

_SPACES = "\u0020\u00a0\u202f\u2009"
_SP = f"[{_SPACES}]"

# -- reading one text ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, for comparing names written with or without them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


@dataclass(frozen=True)
class Found:
    kind: str
    key: str  # the normalised value both languages share, e.g. "26482", "2024-07-01"
    written: str  # as the version writes it


_ISIN_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}[A-Z0-9]{9}[0-9])(?![A-Za-z0-9])")
_URL_RE = re.compile(r"https?://[^\s<>\"'«»“”]+", re.IGNORECASE)

_PERCENT_AFTER = re.compile(rf"^{_SP}*%")
_ORDINAL = r"(?:st|nd|rd|th|er|e|\.)?"


def _months(language: str) -> str:
    return "|".join(sorted((re.escape(m) for m in month_index(language)), key=len, reverse=True))


def _between(language: str) -> str:
    """What may stand between the parts of a date: spaces, a comma, the language's own words ('de')."""
    words = "|".join(re.escape(w.strip()) for w in date_connectors(language))
    return rf",?{_SP}+(?:(?:{words}){_SP}+)?" if words else rf",?{_SP}+"


@functools.cache
def _date_patterns(language: str) -> list[tuple[re.Pattern, str]]:
    """Day-month-year, month-day-year and month-year, in the language's month names, most specific first."""
    months, between = _months(language), _between(language)
    day = rf"(\d{{1,2}}){_ORDINAL}"
    patterns = [
        (re.compile(rf"(?<!\w){day}{between}({months})\.?{between}(\d{{4}})(?!\w)", re.IGNORECASE), "dmy"),
        (re.compile(rf"(?<!\w)({months})\.?{_SP}+{day}{between}(\d{{4}})(?!\w)", re.IGNORECASE), "mdy"),
        (re.compile(rf"(?<!\w)({months})\.?{between}(\d{{4}})(?!\w)", re.IGNORECASE), "my"),
    ]
    if month_first(language):
        patterns[0], patterns[1] = patterns[1], patterns[0]
    return patterns


@functools.cache
def _numeric_date_patterns(language: str) -> list[tuple[re.Pattern, str]]:
    """Dates in figures with a four-digit year: the language's own order and separator ('3.3.2025' in Finnish,
    '03.03.2025' in German, '3/10/2025' in English, '2025-03-03' in Swedish), and ISO's everywhere."""
    fields = {"d": r"(\d{1,2})", "M": r"(\d{1,2})", "y": r"(\d{4})"}
    short = re.sub(r"'[^']*'", "", numeric_date_format(language))
    order = "".join(dict.fromkeys(c for c in short if c in fields))
    separator = next((c for c in short if c not in fields and not c.isspace()), "")
    edge_before, edge_after = r"(?<![\w.,/:-])", r"(?![\w]|[.,/:-]\d)"
    patterns = []
    for fields_order, sep in dict.fromkeys([(order, separator), ("yMd", "-")]):
        if sorted(fields_order) != ["M", "d", "y"] or not sep:
            continue
        body = re.escape(sep).join(fields[c] for c in fields_order)
        patterns.append((re.compile(edge_before + body + edge_after), "numeric:" + fields_order))
    return patterns


def _dates(text: str, language: str) -> tuple[list[Found], str]:
    found: list[Found] = []
    for pattern, order in _numeric_date_patterns(language):
        for match in list(pattern.finditer(text)):
            parts = dict(zip(order.removeprefix("numeric:"), match.groups(), strict=True))
            month = int(parts["M"])
            key = _ymd(parts["y"], month if 1 <= month <= 12 else None, parts["d"])
            if key:
                found.append(Found(DATE, key, match.group(0)))
                text = _mask(text, match.start(), match.end())
    index = month_index(language)
    for pattern, order in _date_patterns(language):
        for match in list(pattern.finditer(text)):
            if order == "dmy":
                key = _ymd(match.group(3), index.get(match.group(2).lower()), match.group(1))
            elif order == "mdy":
                key = _ymd(match.group(3), index.get(match.group(1).lower()), match.group(2))
            else:
                key = _ym(match.group(2), index.get(match.group(1).lower()))
            if key:
                found.append(Found(DATE, key, match.group(0)))
                text = _mask(text, match.start(), match.end())
    return found, text


def _ymd(year: str, month: int | None, day: str) -> str:
    if not month or not 1 <= int(day) <= 31:
        return ""
    return f"{int(year):04d}-{month:02d}-{int(day):02d}"


def _ym(year: str, month: int | None) -> str:
    return f"{int(year):04d}-{month:02d}" if month else ""


@functools.cache
def _time_pattern(language: str) -> re.Pattern:
    """'7:30', '7:30 am', and the language's own forms ('7h30', '7 h', '7.30' where times are written with a
    dot, as in Finnish and Danish); '9.00 AM' in any language, the period telling it from a decimal number."""
    separators = [":"] + (["h"] if uses_time_style(language, "h") else [])
    if clock_separator(language) == ".":
        separators.append(".")
    am, pm = day_periods(language)
    periods = "|".join(re.escape(p) for p in {am, pm, "am", "pm", "a.m.", "p.m."})
    seps = "|".join(re.escape(s) for s in separators)
    minutes_optional = "?" if "h" in separators else ""
    return re.compile(
        rf"(?<![\w:,.])(?:(\d{{1,2}}){_SP}?(?:{seps}){_SP}?(\d{{2}}){minutes_optional}(?:{_SP}*({periods}))?"
        rf"|(\d{{1,2}})\.(\d{{2}}){_SP}*({periods}))(?![\w:])",
        re.IGNORECASE,
    )


def _times(text: str, language: str) -> tuple[list[Found], str]:
    found = []
    _am, pm = day_periods(language)
    for match in list(_time_pattern(language).finditer(text)):
        groups = match.groups()[:3] if match.group(1) is not None else match.groups()[3:]
        hour, minute = int(groups[0]), int(groups[1] or 0)
        period = (groups[2] or "").lower()
        if period:
            hour = hour % 12 + (12 if period in {pm.lower(), "pm", "p.m."} else 0)
        if hour > 23 or minute > 59:
            continue
        found.append(Found(TIME, f"{hour:02d}:{minute:02d}", match.group(0)))
        text = _mask(text, match.start(), match.end())
    return found, text


@functools.cache
def _number_pattern(language: str) -> re.Pattern:
    """Numbers in the language's conventions; a digit glued to letters or a hyphen ('IL-7', 'CD127', '10th',
    '1er') is part of a name or an ordinal, not a figure."""
    decimal, group = number_symbols(language)
    group = f"[{_SPACES}]" if group.isspace() or group in _SPACES else re.escape(group)
    decimal = re.escape(decimal)
    return re.compile(
        rf"(?<![\w.,/-])(\d{{1,3}}(?:{group}\d{{3}})+(?:{decimal}\d+)?|\d+(?:{decimal}\d+)?)(?![\w-]|[.,]\d)"
    )


def _number_key(written: str, language: str) -> str:
    decimal, group = number_symbols(language)
    raw = re.sub(_SP, "", written)
    if not group.isspace() and group not in _SPACES:
        raw = raw.replace(group, "")
    try:
        value = Decimal(raw.replace(decimal, "."))
    except InvalidOperation:
        return written
    return format(value.normalize(), "f")


def _numbers(text: str, language: str) -> list[Found]:
    found = []
    for match in _number_pattern(language).finditer(text):
        written = match.group(1)
        key = _number_key(written, language)
        percent = _PERCENT_AFTER.match(text[match.end() :])
        if percent:
            found.append(Found(PERCENTAGE, f"{key}%", written + text[match.end() : match.end() + percent.end()]))
        else:
            found.append(Found(NUMBER, key, written))
    return found


def normalise_url(url: str) -> str:
    url = url.strip().rstrip(".,;:)")
    scheme, _sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}".rstrip("/")


def facts(text: str, language: str) -> list[Found]:
    """Every number, percentage, date, time, ISIN and URL of a plain text, read in `language`."""
    found: list[Found] = []
    for match in list(_URL_RE.finditer(text)):
        found.append(Found(URL, normalise_url(match.group(0)), match.group(0).rstrip(".,;:)")))
        text = _mask(text, match.start(), match.end())
    for match in list(_ISIN_RE.finditer(text)):
        found.append(Found(ISIN, match.group(1), match.group(1)))
        text = _mask(text, match.start(), match.end())
    dates, text = _dates(text, language)
    # A citation or a trial's title often stays in English in every version ("data cut-off 14 February 2025").
    english, text = _dates(text, settings.LANGUAGE_CODE)
    times, text = _times(text, language)
    return found + dates + english + times + _numbers(text, language)


# -- quoted people --------------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w’'-]+"
_PARTICLE = r"(?:de|du|des|van|von|der|den|da|di|del|le|la)"
_NAME = rf"{_NAME_WORD}(?:{_SP}+(?:{_PARTICLE}{_SP}+)?{_NAME_WORD}){{1,3}}"
_TITLED_NAME = re.compile(rf"(?<!\w)(?:Pr|Prof|Professor|Professeur|Dr|Docteur|Mr|Mrs|Ms|M|Mme|Mlle)\.?{_SP}+({_NAME})")
_LEADING_NAME = re.compile(rf"^\s*({_NAME})\s*,")
_QUOTE_OPENERS = ("“", "«", '"')


def quoted_people(body_html: str) -> list[str]:
    """Names of the people a body quotes: titled names (Dr, Pr, Mme …) and the name opening the
    paragraph that introduces a quote ("Nicolas Poirier, Chief Executive Officer …, concludes:")."""
    names: list[str] = []
    blocks = re.split(r"(<blockquote\b.*?</blockquote>)", body_html or "", flags=re.DOTALL | re.IGNORECASE)
    paragraphs: list[tuple[str, bool]] = []
    for block in blocks:
        if block.lower().startswith("<blockquote"):
            if paragraphs:
                paragraphs[-1] = (paragraphs[-1][0], True)
            continue
        for para in re.split(r"</p>|<br\s*/?>|</li>", block, flags=re.IGNORECASE):
            text = html_to_text(para).strip()
            if text:
                paragraphs.append((text, any(q in text for q in _QUOTE_OPENERS)))
    for text, introduces_quote in paragraphs:
        if not introduces_quote:
            continue
        candidates = [m.group(1) for m in _TITLED_NAME.finditer(text)]
        leading = _LEADING_NAME.match(text)
        if leading:
            candidates.insert(0, leading.group(1))
        for name in candidates:
            if name not in names:
                names.append(name)
    return names


# -- a version read as parts ------------------------------------------------------------------------


@dataclass
class Version:
    """One language version, read as the reader sees it: its parts' plain text and its facts."""

    release_id: int | None
    language: str
    headline: str
    parts: dict[str, str]  # part → plain text
    urls: dict[str, list[str]]  # part → link targets
    people: list[str]
    proper_names: list[str]  # asset names and codes, tickers: looked up as written
    tickers: list[str]
    items: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for part, text in self.parts.items():
            for item in facts(text, self.language):
                self._add(item.kind, item.key, item.written, part)
            for url in self.urls.get(part, []):
                if url.lower().startswith(("http://", "https://")):
                    self._add(URL, normalise_url(url), url, part)
        folded = {part: _fold(text) for part, text in self.parts.items()}
        for name in self.proper_names:
            self._look_up(ASSET, name, folded)
        for ticker in self.tickers:
            pattern = re.compile(rf"(?<![\w-]){re.escape(ticker)}(?![\w-])")
            for part, text in self.parts.items():
                if pattern.search(text):
                    self._add(TICKER, ticker, ticker, part)
        for person in self.people:
            self._look_up(PERSON, person, folded)

    def _look_up(self, kind: str, name: str, folded: dict[str, str]) -> None:
        wanted = _fold(name.replace("®", "")).strip()
        if not wanted:
            return
        pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
        for part, text in folded.items():
            if pattern.search(text.replace("®", "")):
                self._add(kind, wanted, name, part)

    def _add(self, kind: str, key: str, written: str, part: str) -> None:
        entry = self.items.setdefault((kind, key), (written, []))
        if part not in entry[1]:
            entry[1].append(part)

    def has(self, kind: str, key: str) -> bool:
        return (kind, key) in self.items


def version_of(composed, *, release_id: int | None = None, company=None) -> Version:
    """Read a composed release (releases.rendering.compose.ComposedRelease) for the comparison."""
    company = company or composed.content.company
    topics = "\n".join(f"{t.title}\n{html_to_text(t.html)}" for t in composed.topics)
    references = "\n".join(f"({r.position}) {r.citation} {r.accessed}" for r in composed.references)
    about = ""
    if composed.company_about:
        about = f"{composed.company_about.title}\n{html_to_text(composed.company_about.html)}"
    disclaimers = "\n".join(f"{d.title}\n{html_to_text(d.html)}" for d in composed.disclaimers)
    body_html = f"{composed.mar_legend}{composed.body_html}"
    link_re = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)

    def hrefs(fragment: str) -> list[str]:
        return [html.unescape(m.group(1) or m.group(2) or "") for m in link_re.finditer(str(fragment))]

    proper_names: list[str] = []
    for asset in composed.content.assets:
        for value in (asset.code, asset.inn):
            if value:
                proper_names.append(value)
        if asset.kind == "candidate" or "®" in asset.name:
            proper_names.append(asset.name)
    proper_names = list(dict.fromkeys(proper_names))
    return Version(
        release_id=release_id,
        language=composed.language,
        headline=composed.headline,
        parts={
            "headline": f"{composed.headline}\n{composed.subheadline}",
            "body": html_to_text(body_html),
            "topic_abouts": topics,
            "references": references,
            "company_about": about,
            "disclaimers": disclaimers,
        },
        urls={
            "body": [h for h in hrefs(composed.body_html) if not h.startswith("#")],
            "topic_abouts": [h for t in composed.topics for h in hrefs(t.html) if not h.startswith("#")],
            "references": [r.url for r in composed.references if r.url],
            "company_about": hrefs(composed.company_about.html) if composed.company_about else [],
            "disclaimers": [h for d in composed.disclaimers for h in hrefs(d.html)],
        },
        people=quoted_people(str(composed.body_html)),
        proper_names=proper_names,
        tickers=[lst.ticker for lst in composed.content.listings],
    )


# -- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParityDifference:
    """An item one version states and the other does not."""

    kind: str
    item: str  # the normalised value, e.g. "26482", "85%", "2024-07-01"
    present_in: str  # language of the version that has it
    written: str  # as that version writes it
    where: tuple[str, ...]  # the parts of that version it appears in
    missing_from: str  # language of the version that lacks it

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def where_label(self) -> str:
        return ", ".join(str(PART_LABELS.get(p, p)) for p in self.where)

    def message(self) -> str:
        return capfirst(
            _("%(kind)s “%(written)s” (%(where)s) is in the %(present)s version but not in the %(missing)s version.")
            % {
                "kind": self.kind_label,
                "written": self.written,
                "where": self.where_label(),
                "present": language_label(self.present_in),
                "missing": language_label(self.missing_from),
            }
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "item": self.item,
            "present_in": self.present_in,
            "written": self.written,
            "where": list(self.where),
            "missing_from": self.missing_from,
            "message": self.message(),
        }


@dataclass(frozen=True)
class ParityReport:
    """The differences between two language versions, in the order of the first version's text."""

    release_id: int | None
    language: str
    other_id: int | None
    other_language: str
    differences: tuple[ParityDifference, ...]

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def has_translation(self) -> bool:
        return bool(self.other_language)

    def as_dict(self) -> dict:
        return {
            "release": self.release_id,
            "language": self.language,
            "other_release": self.other_id,
            "other_language": self.other_language,
            "has_translation": self.has_translation,
            "ok": self.ok,
            "differences": [d.as_dict() for d in self.differences],
        }


def compare(first: Version, second: Version) -> ParityReport:
    """Every item of one version missing from the other, the first version's items first."""
    differences = []
    for have, lack in ((first, second), (second, first)):
        for (kind, key), (written, parts) in have.items.items():
            if not lack.has(kind, key):
                differences.append(ParityDifference(kind, key, have.language, written, tuple(parts), lack.language))
    return ParityReport(
        release_id=first.release_id,
        language=first.language,
        other_id=second.release_id,
        other_language=second.language,
        differences=tuple(differences),
    )


def compare_contents(first, second) -> ParityReport:
    """Compare two `ReleaseContent`s (unsaved data, or two saved releases' content)."""
    from releases.rendering.compose import compose

    return compare(version_of(compose(first)), version_of(compose(second)))


def counterpart(release, language: str | None = None):
    """The version of `release` in another language (in `language` when given): same translation group, the
    latest revision that is not withdrawn (a correction replaces what it corrects), else None."""
    from releases.models import Release

    others = (
        Release.objects.filter(translation_group=release.translation_group)
        .exclude(language=release.language)
        .exclude(pk=release.pk)
    )
    if language:
        others = others.filter(language=language)
    live = others.exclude(status=Release.Status.WITHDRAWN)
    return (live.order_by("-created_at", "-id").first()) or others.order_by("-created_at", "-id").first()


def counterparts(release) -> list:
    """The latest version of `release` in each other language of its translation group, by language."""
    from releases.models import Release

    languages = (
        Release.objects.filter(translation_group=release.translation_group)
        .exclude(language=release.language)
        .values_list("language", flat=True)
        .distinct()
    )
    return [counterpart(release, language) for language in sorted(set(languages))]


def parity_between(release, other) -> ParityReport:
    from releases.rendering.compose import compose
    from releases.rendering.content import content_from_release

    first = version_of(compose(content_from_release(release)), release_id=release.pk)
    second = version_of(compose(content_from_release(other)), release_id=other.pk)
    return compare(first, second)


def parity_report(release, other_language: str | None = None) -> ParityReport:
    """The parity of `release` with its version in `other_language` (default: its latest other version);
    `has_translation` is False when it has none. A translation group may hold any number of languages."""
    other = counterpart(release, other_language)
    if other is None:
        return ParityReport(release.pk, release.language, None, "", ())
    return parity_between(release, other)
