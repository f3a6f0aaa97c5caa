"""The rules a release must pass before review: blocking checks stop a submission, warnings inform.

`run_checks` reads a saved `Release` or an unsaved `releases.rendering.content.ReleaseContent`, so
the admin, the API and a preview of unsaved changes all show the same list.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .citations import cited_numbers as _cited_numbers
from .rendering.dates import month_index, month_names, weekday_names
from .text import html_to_text, language_label

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Check:
    """One finding: `field` names the part of the release to fix."""

    code: str
    level: str
    message: str
    field: str

    @property
    def blocking(self) -> bool:
        return self.level == BLOCKING

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "level": self.level, "message": str(self.message), "field": self.field}


@dataclass
class _Text:
    """The parts of a release the rules read, whatever the release came from."""

    headline: str = ""
    subheadline: str = ""
    has_company: bool = False
    language: str = ""
    publication_at: Any = None
    body: str = ""
    topic_bodies: list[str] = field(default_factory=list)
    # Per topic About, the numbers of the references it carries itself (None: it cites the release's).
    topic_references: list[set[int] | None] = field(default_factory=list)
    topic_titles: list[str] = field(default_factory=list)
    reference_numbers: list[int] = field(default_factory=list)
    disclaimer_bodies: list[str] = field(default_factory=list)
    filing_kinds: set[str] | None = None  # the company's filings (None: unknown, not checked)
    disclaimer_kinds: list[str] = field(default_factory=list)
    contact_count: int = 0
    # Parts and their languages ("" when unknown), to refuse a part in another language.
    category: str = ""
    about: tuple[str, str] | None = None
    topics: list[tuple[str, str]] = field(default_factory=list)
    disclaimers: list[tuple[str, str]] = field(default_factory=list)
    assets_without_sentence: list[str] = field(default_factory=list)
    has_mar_legend: bool = True
    saved: Any = None  # the saved Release, for the checks that compare it with its translation


def _from_release(release) -> _Text:
    own = {
        "headline": release.headline,
        "subheadline": release.subheadline,
        "has_company": release.company_id is not None,
        "language": release.language,
        "publication_at": release.publication_at,
        "body": release.body,
    }
    if release.pk is None:
        return _Text(**own)
    from .models import BlockReference

    blocks = [link.block for link in release.topic_links.select_related("block")]
    own_refs: dict[int, set[int]] = {}
    for block_id, position in BlockReference.objects.filter(block__in=blocks).values_list("block_id", "position"):
        own_refs.setdefault(block_id, set()).add(position)
    return _Text(
        **own,
        topic_bodies=[block.body for block in blocks],
        topic_references=[own_refs.get(block.pk) for block in blocks],
        topic_titles=[block.title for block in blocks],
        disclaimer_bodies=list(release.disclaimer_links.values_list("disclaimer__body", flat=True)),
        filing_kinds=set(release.company.filings.values_list("kind", flat=True)) if release.company_id else None,
        reference_numbers=list(release.references.values_list("position", flat=True)),
        disclaimer_kinds=list(release.disclaimer_links.values_list("disclaimer__kind", flat=True)),
        contact_count=release.contact_links.count(),
        **_parts_of_release(release),
    )


def _parts_of_release(release) -> dict:
    """The parts of a saved release with their languages, and the assets its About would print bare."""
    from .models import AssetSentence, PipelineAsset
    from .rendering.content import mar_legend_for

    about = None
    missing_sentences: list[str] = []
    if release.company_about_id:
        block = release.company_about
        about = (block.title, block.language)
        assets = PipelineAsset.objects.filter(company_id=release.company_id, active=True, archived=False)
        with_sentence = set(
            AssetSentence.objects.filter(asset__in=assets, language=release.language).values_list("asset_id", flat=True)
        )
        missing_sentences = [
            str(a) for a in assets.order_by("kind", "display_order", "id") if a.pk not in with_sentence
        ]
    has_legend = True
    if release.category == release.Category.INSIDE_INFORMATION and release.company_id:
        has_legend = mar_legend_for(release.company, release.language) is not None
    return {
        "category": release.category,
        "about": about,
        "topics": list(release.topic_links.values_list("block__title", "block__language")),
        "disclaimers": list(release.disclaimer_links.values_list("disclaimer__title", "disclaimer__language")),
        "assets_without_sentence": missing_sentences,
        "has_mar_legend": has_legend,
        "saved": release,
    }


def _from_content(content) -> _Text:
    return _Text(
        headline=content.headline or "",
        subheadline=getattr(content, "subheadline", "") or "",
        has_company=getattr(content, "company", None) is not None,
        language=content.language or "",
        publication_at=content.publication_at,
        body=content.body or "",
        topic_bodies=[block.body for block in getattr(content, "topics", [])],
        topic_references=[
            {r.position for r in block.references} if getattr(block, "references", ()) else None
            for block in getattr(content, "topics", [])
        ],
        topic_titles=[block.title for block in getattr(content, "topics", [])],
        disclaimer_bodies=[d.body for d in getattr(content, "disclaimers", [])],
        reference_numbers=[ref.position for ref in getattr(content, "references", [])],
        disclaimer_kinds=[d.kind for d in getattr(content, "disclaimers", [])],
        contact_count=len(getattr(content, "contacts", [])),
        category=getattr(content, "category", ""),
        about=(content.company_about.title, getattr(content.company_about, "language", ""))
        if getattr(content, "company_about", None)
        else None,
        topics=[(b.title, getattr(b, "language", "")) for b in getattr(content, "topics", [])],
        disclaimers=[(d.title, getattr(d, "language", "")) for d in getattr(content, "disclaimers", [])],
        assets_without_sentence=[a.code or a.name for a in getattr(content, "assets", []) if not a.sentence],
        has_mar_legend=getattr(content, "category", "") != "inside_information"
        or getattr(content, "mar_legend", None) is not None,
    )


# -- forward-looking wording ---------------------------------------------------------------------

FORWARD_LOOKING_EN = [
    r"expect(?:s|ed|ing|ations?)?",
    r"anticipat(?:e|es|ed|ing|ion)",
    r"believ(?:e|es|ed|ing)",
    r"intend(?:s|ed|ing)?",
    r"plan(?:s|ned|ning)?",
    r"estimat(?:e|es|ed|ing)",
    r"target(?:s|ed|ing)?",
    r"may(?!\s+\d)",  # the verb, not the month ("May 2024", "May 15")
    r"could",
    r"would",
    r"should",
    r"will",
    r"aim(?:s|ed|ing)?",
    r"forecast(?:s|ed|ing)?",
    r"seek(?:s|ing)?",
    r"outlook",
    r"objectives?",
    r"goals?",
]
FORWARD_LOOKING_FR = [
    r"prévoi(?:t|r|ent|s)",
    r"prévoy(?:ons|ez|ait|aient)",
    r"prévu(?:e|s|es)?",
    r"prévisions?",
    r"devr(?:ait|aient|a|ont|ions|iez)",
    r"anticip(?:e|ent|er|ons|ait|aient)",
    r"estim(?:e|ent|er|ons|ait|aient)",
    r"objectifs?",
    r"pourr(?:ait|aient|a|ont|ions|iez)",
    r"vis(?:e|ent|er|ons)",
    r"envisag(?:e|ent|er|eons)",
    r"entend(?:re|ent|ons)?",
    r"croi(?:t|ent|re)",
    r"croyons",
    r"s['’]attend(?:re|ent)?",
    r"nous\s+attendons",
    r"ambitionn(?:e|ent|ons)",
    r"escompt(?:e|ent|ons|er)",
    r"perspectives?",
]
# The other content languages' wording, read in a release of that language besides the English and French above
# (which every release is read for, as quotations and names may be in either). Whole words, or stems where the
# language builds its forms by endings (Finnish "odotamme", "odotetaan", "odotettu").
FORWARD_LOOKING_BY_LANGUAGE = {
    "de": [
        r"erwart(?:e|et|en|ete|eten|ung|ungen)",
        r"beabsichtig(?:e|t|en|te|ten)",
        r"plan(?:e|t|en|te|ten|ung|ungen)",
        r"geplant(?:e|en|er|es)?",
        r"voraussichtlich(?:e|en|er|es)?",
        r"prognos(?:e|en|tiziert|tizieren)",
        r"schätzungsweise|schätzung(?:en)?",
        r"ziel(?:e|en|setzung|setzungen)?",
        r"anstreb(?:en|t)|streb(?:t|en)\s+an",
        r"rechn(?:et|en)\s+mit",
        r"geh(?:t|en)\s+davon\s+aus",
        r"könnte(?:n)?",
        r"sollte(?:n)?",
        r"dürfte(?:n)?",
        r"ausblick",
        r"(?:zu)?künftig(?:e|en|er|es)?",
    ],
    "it": [
        r"preved(?:e|ono|iamo|ere)",
        r"previst[oaie]",
        r"prevision[ei]",
        r"(?:si|ci)\s+aspett(?:a|ano|iamo)",
        r"aspettative",
        r"(?:si|ci)\s+attend(?:e|ono|iamo)",
        r"intend(?:e|ono|iamo)",
        r"pianific(?:a|ano|ato|ata|ati|ate|azione)",
        r"stim(?:a|ano|e|ato|ata|ati|ate)",
        r"obiettiv[oi]",
        r"potrebbe(?:ro)?",
        r"dovrebbe(?:ro)?",
        r"prospettiv[ae]",
        r"mir(?:a|ano)\s+a",
        r"riten(?:iamo|gono)|ritiene",
    ],
    "es": [
        r"prev(?:é|én|emos|er)",
        r"previst[oa]s?",
        r"previsi[oó]n(?:es)?",
        r"esper(?:a|an|amos)",
        r"expectativas?",
        r"pretend(?:e|en|emos)",
        r"plane(?:a|an|amos)|planificad[oa]s?",
        r"estim(?:a|an|amos|ado|ada|ados|adas)|estimaci[oó]n(?:es)?",
        r"objetivos?",
        r"podr(?:ía|ían|íamos)",
        r"deber(?:ía|ían|íamos)",
        r"perspectivas?",
        r"anticip(?:a|an|amos)",
        r"cre(?:e|en|emos)",
    ],
    "nl": [
        r"verwacht(?:en|te|ten|ing|ingen)?",
        r"van\s+plan",
        r"plan(?:nen|t|de|den|ning|ningen)?",
        r"voornemens|voornemen",
        r"raming(?:en)?",
        r"schat(?:ten)?|geschat",
        r"doelstelling(?:en)?",
        r"zal|zullen",
        r"zou(?:den)?",
        r"vooruitzicht(?:en)?",
        r"prognose(?:s)?",
        r"stree(?:ft|ven)",
        r"beoog(?:t|d)|beogen",
    ],
    "sv": [
        r"förvänta(?:r|s|de|t|d)?|förväntning(?:ar|en|arna)?",
        r"planer(?:a|ar|as|ade|at|ad)",
        r"plan(?:er|erna)?",
        r"avser|avsikt(?:en)?",
        r"bedöm(?:er|s|ning|ningar)",
        r"uppskatt(?:a|ar|as|ade|at|ning|ningar)",
        r"beräkna(?:r|s|de|t)",
        r"mål(?:et|en|sättning|sättningar)?",
        r"kommer\s+att",
        r"skulle",
        r"prognos(?:er|en)?",
        r"(?:framtids)?utsikter(?:na)?",
        r"räknar\s+med",
        r"siktar\s+på",
    ],
    "fi": [
        r"odot\w*",
        r"ennust\w*",
        r"suunnit\w*",
        r"aiko(?:o|vat|mme|vansa)|aikeet|aikeissa",
        r"tavoit\w*",
        r"arvio(?:t|n|itu|idaan)?",
        r"usko(?:o|mme|vat)",
        r"näkymä\w*",
        r"saatta(?:a|vat|isi)",
        r"pyrki\w*|pyrimme",
        r"tulevaisuu\w*",
        r"voisi(?:vat)?",
    ],
    "da": [
        r"forvent(?:er|es|ede|et|ning|ninger|ningerne)?",
        r"planlæg(?:ger|ges|ning)|planlagt(?:e)?",
        r"plan(?:er|en|erne)?",
        r"agter",
        r"har\s+til\s+hensigt",
        r"estimer(?:er|es|et|ede)?",
        r"anslå(?:r|s|et)?",
        r"målsætning(?:er)?",
        r"mål(?:et|ene)?",
        r"vil",
        r"kunne",
        r"bør",
        r"udsigter(?:ne)?",
        r"prognose(?:r|n)?",
        r"sigter\s+(?:mod|på)",
    ],
}


@functools.cache
def _forward_looking_re(language: str) -> re.Pattern:
    words = FORWARD_LOOKING_EN + FORWARD_LOOKING_FR + FORWARD_LOOKING_BY_LANGUAGE.get(language, [])
    return re.compile(r"(?<!\w)(?<!\d\s)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def forward_looking_words(text: str, language: str = "") -> list[str]:
    """The forward-looking words in `text` (read in English, French and `language`), as written, in order, each
    once."""
    found: list[str] = []
    for match in _forward_looking_re(language).finditer(text):
        word = match.group(0)
        if word.lower() not in (w.lower() for w in found):
            found.append(word)
    return found


# -- citations -------------------------------------------------------------------------------------

# One reader of citation markers for the checks and the composition (releases.citations): "(3)", "(3, 4)",
# "(3–5)", "<sup>3</sup>", "<sup>(3)</sup>" in the HTML, never inside a link or "Article 7(1)".
cited_numbers = _cited_numbers


# -- weekdays next to dates ------------------------------------------------------------------------


@functools.cache
def _weekday_date_patterns(language: str) -> list[tuple[re.Pattern, str]]:
    """'Monday, July 1, 2024', 'Monday 1 July 2024', 'lundi 1er juillet 2024' in `language`'s names."""
    weekdays = "|".join(re.escape(w) for w in weekday_names(language))
    months = "|".join(sorted((re.escape(m) for m in month_index(language)), key=len, reverse=True))
    day = r"(\d{1,2})(?:st|nd|rd|th|er|\.)?"
    return [
        (re.compile(rf"(?<!\w)({weekdays}),?\s+({months})\.?\s+{day},?\s+(\d{{4}})(?!\w)", re.IGNORECASE), "wmdy"),
        (
            re.compile(
                rf"(?<!\w)({weekdays}),?\s+{day}\s+(?:de\s+)?({months})\.?,?\s+(?:de\s+)?(\d{{4}})(?!\w)", re.IGNORECASE
            ),
            "wdmy",
        ),
    ]


def weekday_mismatches(text: str, languages: list[str] | None = None) -> list[tuple[str, str]]:
    """(as written, what is wrong) for every weekday that does not match the date written with it."""
    from django.conf import settings

    problems = []
    for language in languages or [code for code, _name in settings.LANGUAGES]:
        weekdays, index = weekday_names(language), month_index(language)
        for pattern, order in _weekday_date_patterns(language):
            for match in pattern.finditer(text):
                weekday_name = match.group(1)
                if order == "wmdy":
                    month_name, day, year = match.group(2), match.group(3), match.group(4)
                else:
                    day, month_name, year = match.group(2), match.group(3), match.group(4)
                written = match.group(0)
                try:
                    date = dt.date(int(year), index[month_name.lower().rstrip(".")], int(day))
                except (KeyError, ValueError):
                    problems.append((written, str(_("that day does not exist"))))
                    continue
                if weekdays.index(weekday_name.lower()) != date.weekday():
                    actual = (
                        capfirst(weekdays[date.weekday()]) if weekday_name[:1].isupper() else weekdays[date.weekday()]
                    )
                    problems.append((written, str(_("that date is a %(weekday)s") % {"weekday": actual})))
    return list(dict.fromkeys(problems))


# -- links -----------------------------------------------------------------------------------------

_HREF_RE = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def link_targets(html_text: str) -> list[str]:
    return [html.unescape(m.group(1) if m.group(1) is not None else m.group(2)) for m in _HREF_RE.finditer(html_text)]


def is_absolute_link(href: str) -> bool:
    parts = urlsplit(href.strip())
    if parts.scheme == "mailto":
        return "@" in parts.path
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


# -- the rules ---------------------------------------------------------------------------------------


def run_checks(release_or_content) -> list[Check]:
    """Every finding for a saved Release or a ReleaseContent, blocking ones first."""
    from .models import Disclaimer, Release

    if isinstance(release_or_content, Release):
        text = _from_release(release_or_content)
    else:
        text = _from_content(release_or_content)

    checks: list[Check] = []

    def add(code: str, level: str, message, part: str) -> None:
        checks.append(Check(code=code, level=level, message=str(message), field=part))

    if not text.headline.strip():
        add("headline_missing", BLOCKING, _("Write a headline."), "headline")
    if not text.has_company:
        add("company_missing", BLOCKING, _("Choose the company that issues this release."), "company")
    if not text.language:
        add("language_missing", BLOCKING, _("Choose the language of this release."), "language")
    if text.publication_at is None:
        add(
            "publication_at_missing",
            BLOCKING,
            _("Set the publication moment: the date and time the release goes public, shown in its dateline."),
            "publication_at",
        )
    if text.contact_count == 0:
        add("contacts_missing", BLOCKING, _("Add at least one contact (media or investors)."), "contacts")

    body_text = html_to_text(text.body)
    topic_texts = [html_to_text(body) for body in text.topic_bodies]
    all_text = "\n".join([text.headline, text.subheadline, body_text, *topic_texts])
    has_fls_disclaimer = Disclaimer.Kind.FORWARD_LOOKING in text.disclaimer_kinds
    words = forward_looking_words(all_text, text.language)
    if words and not has_fls_disclaimer:
        add(
            "forward_looking_without_disclaimer",
            BLOCKING,
            _(
                "The release uses forward-looking wording (%(words)s), so it needs a forward-looking statements "
                "disclaimer. Add one under Disclaimers."
            )
            % {"words": ", ".join(f"“{w}”" for w in words[:5])},
            "disclaimers",
        )
    if has_fls_disclaimer and not words:
        add(
            "disclaimer_without_forward_looking",
            WARNING,
            _(
                "The release carries a forward-looking statements disclaimer but uses no forward-looking wording. "
                "Remove the disclaimer unless legal asked for it."
            ),
            "disclaimers",
        )

    # Markers are read in the HTML, as the page links them; a topic About with references of its own cites those.
    release_texts = [text.body] + [
        body
        for body, own in zip(text.topic_bodies, text.topic_references or [None] * len(text.topic_bodies), strict=False)
        if own is None
    ]
    cited = cited_numbers("\n".join(release_texts))
    known = set(text.reference_numbers)
    missing = [n for n in cited if n not in known]
    if missing:
        add(
            "citation_without_reference",
            BLOCKING,
            _("The text cites %(markers)s but the release has no reference with that number. Add it under References.")
            % {"markers": ", ".join(f"({n})" for n in missing)},
            "references",
        )
    uncited = sorted(known - set(cited))
    if uncited:
        add(
            "reference_not_cited",
            WARNING,
            _("Reference %(numbers)s is not cited in the text. Cite it as (number) or remove it.")
            % {"numbers": ", ".join(f"({n})" for n in uncited)},
            "references",
        )
    for title, body, own in zip(text.topic_titles, text.topic_bodies, text.topic_references, strict=False):
        if own is None:
            continue
        unknown = [n for n in cited_numbers(body) if n not in own]
        if unknown:
            add(
                "citation_without_reference",
                BLOCKING,
                _(
                    "The topic About “%(title)s” cites %(markers)s but has no reference with that number. "
                    "Add it to the block's references."
                )
                % {"title": title, "markers": ", ".join(f"({n})" for n in unknown)},
                "topic_abouts",
            )
    if text.has_company and text.about is None and text.saved is not None:
        add(
            "company_about_missing",
            WARNING,
            _("The release has no company About. Choose the company's About in its language under Company About."),
            "company_about",
        )
    if text.filing_kinds is not None:
        from .placeholders import filings_named

        named = [kind for body in text.disclaimer_bodies for kind in filings_named(body)]
        lacking = [kind for kind in dict.fromkeys(named) if kind not in text.filing_kinds]
        if lacking:
            add(
                "filing_missing",
                BLOCKING,
                _(
                    "A disclaimer names the company's filing %(kinds)s, but the company has none of that kind. "
                    "Add it under the company's Filings, or choose another disclaimer."
                )
                % {"kinds": ", ".join(lacking)},
                "disclaimers",
            )

    for part, source in [("headline", f"{text.headline}\n{text.subheadline}"), ("body", body_text)] + [
        ("topic_abouts", t) for t in topic_texts
    ]:
        for written, problem in weekday_mismatches(source):
            add(
                "weekday_mismatch",
                BLOCKING,
                _("“%(written)s”: %(problem)s. Correct the weekday or the date.")
                % {"written": written, "problem": problem},
                part,
            )

    for part, source in [("body", text.body)] + [("topic_abouts", body) for body in text.topic_bodies]:
        for href in link_targets(source):
            if not is_absolute_link(href):
                add(
                    "link_not_absolute",
                    BLOCKING,
                    _(
                        "The link “%(href)s” is not a full web address. Write it in full, starting with https://"
                        " (or mailto: for an email address)."
                    )
                    % {"href": href},
                    part,
                )

    _language_checks(text, add)
    if text.saved is not None:
        _parity_check(text.saved, add)
    checks.extend(lead_checks(release_or_content))
    checks.extend(freshness_checks(release_or_content))

    checks.sort(key=lambda c: c.level != BLOCKING)
    return checks


# -- parts per language ----------------------------------------------------------------------------


def _language_checks(text: _Text, add) -> None:
    """Blocking: a part in another language than the release's, or a part missing in its language.

    A French release is composed from French parts only: an English block is never carried into it
    silently, and an asset without a French sentence would print as a bare name in the French About.
    """
    language = text.language
    if not language:
        return
    wanted = language_label(language)

    def other(part_language: str) -> bool:
        return bool(part_language) and part_language != language

    if text.about and other(text.about[1]):
        add(
            "part_in_other_language",
            BLOCKING,
            _(
                "The company About “%(title)s” is in %(part_language)s, but this release is in %(language)s. "
                "Choose the company About in %(language)s."
            )
            % {"title": text.about[0], "part_language": language_label(text.about[1]), "language": wanted},
            "company_about",
        )
    for title, part_language in text.topics:
        if other(part_language):
            add(
                "part_in_other_language",
                BLOCKING,
                _(
                    "The topic About “%(title)s” is in %(part_language)s, but this release is in %(language)s. "
                    "Choose its version in %(language)s, or write one under Boilerplate blocks."
                )
                % {"title": title, "part_language": language_label(part_language), "language": wanted},
                "topic_abouts",
            )
    for title, part_language in text.disclaimers:
        if other(part_language):
            add(
                "part_in_other_language",
                BLOCKING,
                _(
                    "The disclaimer “%(title)s” is in %(part_language)s, but this release is in %(language)s. "
                    "Choose its version in %(language)s, or write one under Disclaimers."
                )
                % {"title": title, "part_language": language_label(part_language), "language": wanted},
                "disclaimers",
            )
    if text.about and text.assets_without_sentence:
        add(
            "asset_sentence_missing",
            BLOCKING,
            _(
                "The company About lists the pipeline, but these assets have no sentence in %(language)s: "
                "%(assets)s. Write their sentence in %(language)s under Pipeline assets."
            )
            % {"language": wanted, "assets": ", ".join(f"“{a}”" for a in text.assets_without_sentence)},
            "company_about",
        )
    if text.category == "inside_information" and not text.has_mar_legend:
        add(
            "mar_legend_missing",
            BLOCKING,
            _(
                "This release contains inside information, but there is no inside-information legend in "
                "%(language)s. Add one under Disclaimers (kind: inside information, language: %(language)s)."
            )
            % {"language": wanted},
            "category",
        )


# -- parity with the other language version ----------------------------------------------------------

PARITY_SHOWN = 8


def _parity_check(release, add) -> None:
    """A warning listing what one language version states and the other does not.

    A warning, not a blocking check: translations legitimately differ now and then (a figure given
    for local readers, a rounded amount, a reference cited in one language only), and the two
    versions are written and approved minutes apart, so blocking would stop whichever version goes
    to review first while its counterpart is still being translated. The reviewer sees every
    difference before approving, and the submission records them in the audit trail.
    """
    from .parity import counterparts, parity_between

    for other in counterparts(release):
        report = parity_between(release, other)
        if report.ok:
            continue
        shown = [d.message() for d in report.differences[:PARITY_SHOWN]]
        more = len(report.differences) - len(shown)
        message = _("The %(other)s version does not state the same facts: %(differences)s") % {
            "other": language_label(report.other_language),
            "differences": " ".join(shown),
        }
        if more:
            message = f"{message} " + str(_("And %(count)s more.") % {"count": more})
        add("translation_differs", WARNING, message, "translation")


def blocking(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.level == BLOCKING]


# -- the lead ----------------------------------------------------------------------------------------


def lead_checks(release_or_content) -> list[Check]:
    """Warnings when the lead cannot join the first paragraph, or replaces a dateline the writer typed."""
    from .models import Release
    from .rendering.lead import SEPARATE, join_lead

    if isinstance(release_or_content, Release):
        release = release_or_content
        if release.company_id is None:
            return []
        company, body, place = release.company, release.body, release.place
        city = company.city_in(release.language)
        listings = [(lst.isin, lst.ticker) for lst in company.listings.all()]
    else:
        content = release_or_content
        company, body, place = content.company, content.body, content.place
        if company is None:
            return []
        city = company.city
        listings = [(lst.isin, lst.ticker) for lst in content.listings]
    if not html_to_text(body).strip():
        return []
    lead = join_lead(
        body,
        dateline_html="",
        issuer_html="",
        names=(company.legal_name, company.short_name),
        places=tuple(p for p in (place.split(",")[0].strip(), city) if p),
        identifier_words=("ISIN", *(word for pair in listings for word in pair)),
    )
    found = []
    if lead.how == SEPARATE:
        found.append(
            Check(
                "lead_separate",
                WARNING,
                str(
                    _(
                        "The dateline and the name of %(company)s cannot open the first paragraph, which starts "
                        "“%(opening)s”, so they stand as a line of their own above it. Start the text with the verb "
                        "(“today announced …”) or with the company's name (“%(company)s today announced …”)."
                    )
                    % {"company": company.short_name, "opening": lead.opening}
                ),
                "body",
            )
        )
    if lead.typed_dateline:
        found.append(
            Check(
                "lead_dateline_typed",
                WARNING,
                str(
                    _(
                        "The text starts with a dateline of its own (“%(typed)s”). The release prints the dateline "
                        "made from the publication moment in its place, so it is not printed twice: delete yours."
                    )
                    % {"typed": lead.typed_dateline}
                ),
                "body",
            )
        )
    return found


# -- freshness: parts that have aged -------------------------------------------------------------------


def dates_in(text: str, language: str) -> list[tuple[str, dt.date]]:
    """Each full date written in `text` in `language` ('April 30, 2024', '30 April 2024', '30 avril 2024')."""
    found = []
    for pattern, order in _date_patterns(language):
        for match in pattern.finditer(text):
            if order == "mdy":
                month_name, day, year = match.group(1), match.group(2), match.group(3)
            else:
                day, month_name, year = match.group(1), match.group(2), match.group(3)
            try:
                found.append((match.group(0), dt.date(int(year), month_index(language)[month_name.lower()], int(day))))
            except (KeyError, ValueError):
                continue
    return found


@functools.cache
def _date_patterns(language: str) -> list[tuple[re.Pattern, str]]:
    months = "|".join(sorted((re.escape(m) for m in month_index(language)), key=len, reverse=True))
    day = r"(\d{1,2})(?:st|nd|rd|th|er)?"
    return [
        (re.compile(rf"(?<!\w)({months})\.?\s+{day},?\s+(\d{{4}})(?!\w)", re.IGNORECASE), "mdy"),
        (re.compile(rf"(?<!\w){day}\s+(?:de\s+)?({months})\.?,?\s+(?:de\s+)?(\d{{4}})(?!\w)", re.IGNORECASE), "dmy"),
    ]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _period(kind: str, number: int, year: int) -> dt.date:
    """The last day of a period of `year`: the year, a half, a quarter, a month, its start or its middle."""
    if kind == "half":
        return _month_end(year, 6 * number)
    if kind == "quarter":
        return _month_end(year, 3 * number)
    if kind == "month":
        return _month_end(year, number)
    return {"start": dt.date(year, 3, 31), "middle": dt.date(year, 6, 30)}.get(kind, dt.date(year, 12, 31))


_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "premier": 1, "1er": 1, "deuxième": 2, "2e": 2, "troisième": 3, "3e": 3, "quatrième": 4, "4e": 4,
}  # fmt: skip
# Words that put what follows in the future, per language (English and French).
FUTURE_WORDS = {
    "en": r"planned|plans?|scheduled|expected|expects?|anticipated|anticipates?|will|shall|is\s+due|due|"
    r"intends?|upcoming|forthcoming|targeted|targets?|aims?|to\s+be\s+\w+ed|should",
    "fr": r"prévue?s?|prévoit|prévoient|devrait|devraient|sera|seront|attendue?s?|programmée?s?|planifiée?s?|"
    r"envisagée?s?|d['’]ici|vise|visent|escomptée?s?",
}


def _french_periods(months: str, year: str) -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile(rf"\bfin\s+(?:d['’]année\s+|de\s+l['’]année\s+|de\s+)?{year}", re.I), "end"),
        (re.compile(rf"\b(?:mi-?|milieu\s+(?:de\s+)?){year}", re.I), "middle"),
        (re.compile(rf"\bdébut\s+(?:d['’]année\s+|de\s+)?{year}", re.I), "start"),
        (re.compile(rf"\b(premier|1er|deuxième|second|2e)\s+semestre\s+(?:de\s+)?{year}", re.I), "half"),
        (re.compile(rf"\bS([12])\s*{year}"), "half#"),
        (
            re.compile(rf"\b(premier|1er|deuxième|2e|troisième|3e|quatrième|4e)\s+trimestre\s+(?:de\s+)?{year}", re.I),
            "quarter",
        ),
        (re.compile(rf"\bT([1-4])\s*{year}"), "quarter#"),
        (re.compile(rf"\b({months})\s+{year}", re.I), "month"),
        (re.compile(rf"\b(?:en|d['’]ici(?:\s+à)?)\s+{year}", re.I), "year"),
    ]


def _english_periods(months: str, year: str) -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile(rf"\b(?:the\s+)?(?:end|close)\s+(?:of\s+)?(?:the\s+year\s+)?{year}", re.I), "end"),
        (re.compile(rf"\b(?:year[- ]end|late)\s+{year}", re.I), "end"),
        (re.compile(rf"\b(?:mid-?|the\s+middle\s+of\s+){year}", re.I), "middle"),
        (re.compile(rf"\b(?:early|the\s+(?:beginning|start)\s+of|beginning\s+of|start\s+of)\s+{year}", re.I), "start"),
        (re.compile(rf"\b(first|1st|second|2nd)\s+half\s+(?:of\s+)?{year}", re.I), "half"),
        (re.compile(rf"\bH([12])\s*{year}"), "half#"),
        (re.compile(rf"\b(first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter\s+(?:of\s+)?{year}", re.I), "quarter"),
        (re.compile(rf"\bQ([1-4])\s*{year}"), "quarter#"),
        (re.compile(rf"\b({months})\s+{year}", re.I), "month"),
        (re.compile(rf"\b(?:in|by|during)\s+{year}", re.I), "year"),
    ]


# How each language names a period of a year; a language without its own patterns is read with English's
# (its month names are still its own).
PERIOD_PATTERNS = {"en": _english_periods, "fr": _french_periods}


@functools.cache
def _period_patterns(language: str) -> list[tuple[re.Pattern, str]]:
    """Ways `language` names a period of a year, each with what it ends on."""
    months = "|".join(sorted((re.escape(m) for m in month_names(language)), key=len, reverse=True))
    year = r"((?:19|20)\d{2})"
    return PERIOD_PATTERNS.get(language, _english_periods)(months, year)


def stale_future(text: str, language: str, on: dt.date) -> list[str]:
    """What `text` announces for a period that ended before `on`: 'planned to be initiated end of 2024'."""
    future = re.compile(rf"(?<!\w)(?:{FUTURE_WORDS.get(language, FUTURE_WORDS['en'])})(?!\w)", re.IGNORECASE)
    found: list[str] = []
    for sentence in re.split(r"(?<=[.!?;])\s+", text):
        taken: list[tuple[int, int]] = []
        for pattern, kind in _period_patterns(language):
            for match in pattern.finditer(sentence):
                if any(start <= match.start() < end for start, end in taken):
                    continue  # "end of 2024" already read; not again as "in 2024"
                taken.append((match.start(), match.end()))
                number, year = 0, int(match.group(match.lastindex))
                if kind == "month":
                    number = month_names(language).index(match.group(1).lower()) + 1
                elif kind in ("half", "quarter"):
                    number = _ORDINALS.get(match.group(1).lower(), 0)
                elif kind.endswith("#"):
                    number = int(match.group(1))
                ends = _period(kind.rstrip("#"), number, year)
                if ends >= on:
                    continue
                before = sentence[max(0, match.start() - 80) : match.start()]
                markers = list(future.finditer(before))
                if markers:
                    found.append(" ".join((before[markers[0].start() :] + match.group(0)).split()))
    return list(dict.fromkeys(found))


def freshness_checks(release_or_content) -> list[Check]:
    """Warnings, never blocks: reusable parts that have aged since they were written.

    - a disclaimer citing a filing older than the company's latest one, or filed more than
      settings.FILING_MAX_AGE_MONTHS (13) months before the release;
    - a part announcing in the future what was due before the release's date ("planned end of 2024");
    - (saved releases) a topic About or a pipeline sentence nobody edited for settings.FRESHNESS_MONTHS (12).
    """
    from django.conf import settings
    from django.utils import timezone

    parts = _parts_for_freshness(release_or_content)
    if parts is None:
        return []
    on = parts["moment"] or timezone.now()
    on_date = on.date() if isinstance(on, dt.datetime) else on
    language = parts["language"] or "en"
    found: list[Check] = []

    def warn(code: str, message, part: str) -> None:
        found.append(Check(code, WARNING, str(message), part))

    filed = parts["filed_on"]
    for title, body in parts["disclaimers"]:
        text = html_to_text(body)
        cites_filing = "{registration_document_date}" in body
        for written, date in dates_in(text, language):
            context = text[max(0, text.find(written) - 120) : text.find(written)].lower()
            if not any(w in context for w in ("filed", "déposé", "registration document", "document d")):
                continue
            cites_filing = True
            if filed and date < filed:
                warn(
                    "disclaimer_older_filing",
                    _(
                        "The disclaimer “%(title)s” cites a filing of %(written)s, but the company's latest "
                        "registration document was filed on %(latest)s. Write {registration_document_date} "
                        "instead of the date, so that it always names the latest one."
                    )
                    % {"title": title, "written": written, "latest": _date_words(filed, language)},
                    "disclaimers",
                )
        limit = getattr(settings, "FILING_MAX_AGE_MONTHS", 13)
        if cites_filing and filed and _months_between(filed, on_date) > limit:
            warn(
                "filing_out_of_date",
                _(
                    "The disclaimer “%(title)s” cites the registration document filed on %(filed)s, more than "
                    "%(months)s months before this release. If a newer one was filed, enter its date on the company."
                )
                % {"title": title, "filed": _date_words(filed, language), "months": limit},
                "disclaimers",
            )

    for part, title, body in parts["texts"]:
        for written in stale_future(html_to_text(body), language, on_date):
            warn(
                "stale_future",
                _(
                    "“%(written)s” (%(title)s) announces as future what was due before this release's date "
                    "(%(date)s). Update the text: it is reused by every release that prints it."
                )
                % {"written": written, "title": title, "date": _date_words(on_date, language)},
                part,
            )

    months = getattr(settings, "FRESHNESS_MONTHS", 12)
    for part, title, edited in parts["edited"]:
        if edited is not None and _months_between(edited.date(), on_date) >= months:
            warn(
                "part_not_reviewed",
                _(
                    "%(title)s was last edited on %(date)s, %(months)s months or more before this release. "
                    "Check that it still holds, and save it once checked."
                )
                % {"title": title, "date": _date_words(edited.date(), language), "months": months},
                part,
            )
    return found


def _months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def _date_words(date: dt.date, language: str) -> str:
    """A date as the reader of the message writes it: in the interface's language, else the release's."""
    from django.utils import translation

    from .rendering.dates import format_date

    return format_date(date, translation.get_language() or language)


def _parts_for_freshness(release_or_content) -> dict | None:
    """What the freshness rules read, from a saved release (with edit dates) or an unsaved content."""
    from .models import AssetSentence, PipelineAsset, Release

    if isinstance(release_or_content, Release):
        release = release_or_content
        if release.pk is None or release.company_id is None:
            return None
        company = release.company
        topics = [link.block for link in release.topic_links.select_related("block")]
        texts = [("topic_abouts", str(_("the topic About “%(title)s”") % {"title": b.title}), b.body) for b in topics]
        edited = [
            ("topic_abouts", str(_("The topic About “%(title)s”") % {"title": b.title}), b.updated_at) for b in topics
        ]
        if release.company_about_id:
            about = release.company_about
            texts.append(("company_about", about.title, about.body))
            sentences = (
                AssetSentence.objects.filter(
                    asset__in=PipelineAsset.objects.filter(company=company, active=True, archived=False),
                    language=release.language,
                )
                .select_related("asset")
                .order_by("asset__display_order", "asset_id")
            )
            for sentence in sentences:
                label = str(_("the pipeline sentence of %(asset)s") % {"asset": sentence.asset.name})
                texts.append(("company_about", label, sentence.text))
                last = sentence.history.order_by("-history_date").values_list("history_date", flat=True).first()
                edited.append(
                    (
                        "company_about",
                        str(_("The pipeline sentence of %(asset)s") % {"asset": sentence.asset.name}),
                        last or sentence.asset.updated_at,
                    )
                )
        disclaimers = [
            (link.disclaimer.title, link.disclaimer.body)
            for link in release.disclaimer_links.select_related("disclaimer")
        ]
        return {
            "moment": release.publication_at,
            "language": release.language,
            "filed_on": company.registration_document_filed_on,
            "disclaimers": disclaimers,
            "texts": texts,
            "edited": edited,
        }
    content = release_or_content
    if getattr(content, "company", None) is None:
        return None
    texts = [
        ("topic_abouts", str(_("the topic About “%(title)s”") % {"title": b.title}), b.body) for b in content.topics
    ]
    if content.company_about:
        texts.append(("company_about", content.company_about.title, content.company_about.body))
        for asset in content.assets:
            label = str(_("the pipeline sentence of %(asset)s") % {"asset": asset.name})
            texts.append(("company_about", label, asset.sentence))
    return {
        "moment": content.publication_at,
        "language": content.language,
        "filed_on": None,  # unsaved content carries the filing date only as printed words
        "disclaimers": [(d.title, d.body) for d in content.disclaimers],
        "texts": texts,
        "edited": [],
    }
