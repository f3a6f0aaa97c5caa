"""Parity between the language versions of a release: both must state the same facts.

Numbers, percentages, dates, times, ISINs, tickers, asset names and codes, URLs and the names of
quoted people that appear in one version must appear in the other. Each version is read in its own
language's conventions before the comparison, so "26,482" (en) and "26 482" (fr), "85%" and
"85 %", "July 1, 2024" and "1er juillet 2024", "7:30 am" and "7h30" are the same item.

The comparison reads what the reader sees: the composed release (headline, body with its generated
dateline, topic Abouts, references, company About with its pipeline lists, disclaimers), so a
French About that still lists an old phase shows up as well as a figure mistyped in the body.

Presence is compared, not counts: a figure written twice in one version and once in the other is
not a difference. Platform names that are descriptions ("Myeloid Checkpoint platform") are
translated like any other words, so only proper names are compared: drug candidates' names,
registered names (®), codes and international non-proprietary names.

    report = parity_report(release)       # against its other-language version, None if it has none
    report.differences                    # [ParityDifference(kind, item, present_in, written, where, missing_from)]
    report.side_by_side()                 # rows: kind, item, and what each language wrote (or None)
    report.as_dict()                      # JSON-ready, for the API
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .checks import EN_MONTHS, FR_MONTHS

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

_FR_MONTH_INDEX = {m: i for i, m in enumerate(FR_MONTHS, start=1)} | {"fevrier": 2, "aout": 8, "decembre": 12}
_EN_MONTH_INDEX = (
    {m: i for i, m in enumerate(EN_MONTHS, start=1)}
    | {m[:3]: i for i, m in enumerate(EN_MONTHS, start=1) if m != "may"}
    | {"sept": 9}
)

_SPACES = "\u0020\u00a0\u202f\u2009"
_SP = f"[{_SPACES}]"

# -- reading one text ---------------------------------------------------------------------------


def _plain(html_text: str) -> str:
    spaced = re.sub(r"<(?:/p|br|/li|/h\d|/blockquote|/td|/th)\b[^>]*>", " \n", html_text or "")
    return html.unescape(strip_tags(spaced))


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

_EN_MONTH_NAMES = "|".join(sorted(_EN_MONTH_INDEX, key=len, reverse=True))
_FR_MONTH_NAMES = "|".join(sorted(_FR_MONTH_INDEX, key=len, reverse=True))
_EN_DATE_MDY = re.compile(
    rf"(?<!\w)({_EN_MONTH_NAMES})\.?{_SP}+(\d{{1,2}})(?:st|nd|rd|th)?,?{_SP}+(\d{{4}})(?!\w)", re.IGNORECASE
)
_EN_DATE_DMY = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)?{_SP}+({_EN_MONTH_NAMES})\.?,?{_SP}+(\d{{4}})(?!\w)", re.IGNORECASE
)
_EN_DATE_MY = re.compile(rf"(?<!\w)({_EN_MONTH_NAMES}),?{_SP}+(\d{{4}})(?!\w)", re.IGNORECASE)
_FR_DATE_DMY = re.compile(rf"(?<!\w)(\d{{1,2}})(?:er)?{_SP}+({_FR_MONTH_NAMES}){_SP}+(\d{{4}})(?!\w)", re.IGNORECASE)
_FR_DATE_MY = re.compile(rf"(?<!\w)({_FR_MONTH_NAMES}){_SP}+(\d{{4}})(?!\w)", re.IGNORECASE)
_EN_TIME = re.compile(rf"(?<![\w:])(\d{{1,2}}):(\d{{2}})(?:{_SP}*([ap])\.?m\.?)?(?![\w:])", re.IGNORECASE)
_FR_TIME = re.compile(rf"(?<![\w,.])(\d{{1,2}}){_SP}?h{_SP}?(\d{{2}})?(?!\w)")
# Numbers in the language's conventions; a digit glued to letters or a hyphen ("IL-7", "CD127",
# "10th", "1er") is part of a name or an ordinal, not a figure.
_EN_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w-]|[.,]\d)")
_FR_NUMBER = re.compile(rf"(?<![\w.,/-])(\d{{1,3}}(?:{_SP}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w-]|[.,]\d)")
_PERCENT_AFTER = re.compile(rf"^{_SP}*%")


def _number_key(written: str, language: str) -> str:
    raw = re.sub(_SP, "", written).replace(",", ".") if language == "fr" else written.replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return written
    return format(value.normalize(), "f")


def _dates(text: str, language: str) -> tuple[list[Found], str]:
    found: list[Found] = []

    def take(pattern, build):
        nonlocal text
        for match in list(pattern.finditer(text)):
            key = build(match)
            if key:
                found.append(Found(DATE, key, match.group(0)))
                text = _mask(text, match.start(), match.end())

    if language == "fr":
        take(_FR_DATE_DMY, lambda m: _ymd(m.group(3), _FR_MONTH_INDEX.get(m.group(2).lower()), m.group(1)))
        take(_FR_DATE_MY, lambda m: _ym(m.group(2), _FR_MONTH_INDEX.get(m.group(1).lower())))
    else:
        take(_EN_DATE_MDY, lambda m: _ymd(m.group(3), _EN_MONTH_INDEX.get(m.group(1).lower()), m.group(2)))
        take(_EN_DATE_DMY, lambda m: _ymd(m.group(3), _EN_MONTH_INDEX.get(m.group(2).lower()), m.group(1)))
        take(_EN_DATE_MY, lambda m: _ym(m.group(2), _EN_MONTH_INDEX.get(m.group(1).lower())))
    return found, text


def _ymd(year: str, month: int | None, day: str) -> str:
    return f"{int(year):04d}-{month:02d}-{int(day):02d}" if month else ""


def _ym(year: str, month: int | None) -> str:
    return f"{int(year):04d}-{month:02d}" if month else ""


def _times(text: str, language: str) -> tuple[list[Found], str]:
    found = []
    pattern = _FR_TIME if language == "fr" else _EN_TIME
    for match in list(pattern.finditer(text)):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if language != "fr" and match.group(3):
            hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
        if hour > 23 or minute > 59:
            continue
        found.append(Found(TIME, f"{hour:02d}:{minute:02d}", match.group(0)))
        text = _mask(text, match.start(), match.end())
    return found, text


def _numbers(text: str, language: str) -> list[Found]:
    found = []
    pattern = _FR_NUMBER if language == "fr" else _EN_NUMBER
    for match in pattern.finditer(text):
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
    times, text = _times(text, language)
    return found + dates + times + _numbers(text, language)


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
            text = _plain(para).strip()
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
    topics = "\n".join(f"{t.title}\n{_plain(t.html)}" for t in composed.topics)
    references = "\n".join(f"({r.position}) {r.citation} {r.accessed}" for r in composed.references)
    about = ""
    if composed.company_about:
        about = f"{composed.company_about.title}\n{_plain(composed.company_about.html)}"
    disclaimers = "\n".join(f"{d.title}\n{_plain(d.html)}" for d in composed.disclaimers)
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
            "body": _plain(body_html),
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
                "present": _language_name(self.present_in),
                "missing": _language_name(self.missing_from),
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


def _language_name(code: str) -> str:
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))


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

    def side_by_side(self) -> list[dict]:
        """One row per differing item: kind, item, and what each language wrote (None where it lacks it)."""
        rows = []
        for d in self.differences:
            rows.append(
                {
                    "kind": d.kind,
                    "kind_label": d.kind_label,
                    "item": d.item,
                    self.language: d.written if d.present_in == self.language else None,
                    self.other_language: d.written if d.present_in == self.other_language else None,
                    "where": d.where_label(),
                }
            )
        return rows

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


def counterpart(release):
    """The version of `release` in another language: same translation group, the latest revision
    that is not withdrawn (a correction replaces what it corrects), else None."""
    from releases.models import Release

    others = (
        Release.objects.filter(translation_group=release.translation_group)
        .exclude(language=release.language)
        .exclude(pk=release.pk)
    )
    live = others.exclude(status=Release.Status.WITHDRAWN)
    return (live.order_by("-created_at", "-id").first()) or others.order_by("-created_at", "-id").first()


def parity_between(release, other) -> ParityReport:
    from releases.rendering.compose import compose
    from releases.rendering.content import content_from_release

    first = version_of(compose(content_from_release(release)), release_id=release.pk)
    second = version_of(compose(content_from_release(other)), release_id=other.pk)
    return compare(first, second)


def parity_report(release) -> ParityReport:
    """The parity of `release` with its other-language version (`has_translation` False when it has none)."""
    other = counterpart(release)
    if other is None:
        return ParityReport(release.pk, release.language, None, "", ())
    return parity_between(release, other)
