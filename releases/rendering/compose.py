"""The one composition of a release: what the page, the PDF, the text and the fragment all show."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from releases.citations import markers
from releases.placeholders import fill

from .content import AssetData, ContactData, ListingData, ReferenceData, ReleaseContent
from .dates import format_date, format_date_as, format_time_as  # noqa: F401 - format_date is read from here too
from .images import ComposedImage, composed_image
from .lead import Lead, join_lead
from .metadata import absolute, news_article
from .typography import apply_spacing, nest_quotes

# What a release says it is, above its headline (releases.models.ReleaseLabel); MAR and the Transparency
# Directive name the last two, and each language's catalogue writes them in that language's official words.
LABELS = {
    "press_release": pgettext_lazy("release label", "Press release"),
    "company_announcement": pgettext_lazy("release label", "Company announcement"),
    "inside_information": pgettext_lazy("release label", "Inside information"),
    "regulated_information": pgettext_lazy("release label", "Regulated information"),
}

# -- the dateline and the identifiers ---------------------------------------------------------------


def _dateline_pattern(name: str) -> str:
    """The dateline's pattern in a house style, in the active language."""
    if name == "dashes":
        return "%(place)s – %(date)s – %(time)s –"
    if name == "comma":
        return "%(place)s, %(date)s – %(time)s –"
    if name == "wire":
        return "%(place)s, %(date)s -- %(time)s --"
    if name == "at":
        # Translators: a dateline that says "at" before the time: "Espoo, Finland, 2 March 2020 at 9.00 AM EET –".
        return pgettext("dateline with at", "%(place)s, %(date)s at %(time)s –")
    return pgettext("dateline", "%(place)s – %(date)s – %(time)s –")


def dateline(content: ReleaseContent) -> str:
    """'Nantes, France – July 1, 2024 – 7:30 am CEST –' / 'Nantes, le 1er juillet 2024 – 7h30 CEST –'.

    The place is the one typed on the release, else the house style's, else the company's city (and country,
    as the language writes a dateline); the date and time are the publication moment in the company's time
    zone, written in the house style of the company for the release's language.
    """
    company, language, style = content.company, content.language, content.style
    with translation.override(language):
        # Translators: a language may leave the country out (French writes the city alone).
        # xgettext:no-python-format
        default = pgettext("dateline place", "%(city)s, %(country)s")
        place = content.place or style.place or default % {"city": company.city, "country": company.country}
        place = place.strip(", ")
        if content.publication_at is None:
            return f"{place} –"
        local = content.publication_at.astimezone(company.zone)
        return _dateline_pattern(style.pattern) % {
            "place": place,
            "date": format_date_as(local.date(), language, style.date_style),
            "time": format_time_as(local, language, style.time_style, style.zone_style, style.zone_in_parentheses),
        }


# Market families whose identifier is "{label}: {ticker}" with the market's own name as the label.
MARKET_LABELS = {
    "nasdaq_us": "Nasdaq",
    "nyse": "NYSE",
    "lse": "LSE",
    "aim": "AIM",
    "six": "SIX",
    "xetra": "XETRA",
}


def _label_of(listing: ListingData) -> str:
    """What names the ticker: the label typed, else the market's ("Mnemo" on Euronext, "Nasdaq" …)."""
    if listing.ticker_label:
        return listing.ticker_label
    if listing.market == "euronext":
        return "Mnemo"
    return MARKET_LABELS.get(listing.market, listing.exchange)


def _legacy_identifiers(listings: list[ListingData]) -> str:
    """The identifiers as content frozen before markets existed wrote them."""
    separator = pgettext("between security identifiers", "; ")
    if len(listings) == 1:
        lst = listings[0]
        items = [(_("ISIN"), lst.isin), (lst.ticker_label, lst.ticker)]
        return (
            "("
            + separator.join(
                pgettext("security identifier", "%(label)s: %(value)s") % {"label": label, "value": value}
                for label, value in items
            )
            + ")"
        )
    return (
        "("
        + separator.join(
            pgettext("listing", "%(exchange)s: ISIN %(isin)s, %(label)s %(ticker)s")
            % {"exchange": lst.exchange, "isin": lst.isin, "label": lst.ticker_label, "ticker": lst.ticker}
            for lst in listings
        )
        + ")"
    )


def identifiers(content: ReleaseContent) -> str:
    """'(ISIN: FR0012127173; Mnemo: OSE)', '(Nasdaq: ACME)', '(ISIN: FI…; Nasdaq First North Finland: KIDE; …)'.

    An ISIN shared by the listings (or the only one) is printed once, first; listings with ISINs of their own
    name their exchange with it. Each listing is written in its own format, else its market's.
    """
    listings = content.listings
    if not listings:
        return ""
    with translation.override(content.language):
        if not any(lst.market for lst in listings):
            return _legacy_identifiers(listings)
        separator = pgettext("between security identifiers", "; ")
        identifier = pgettext_lazy("security identifier", "%(label)s: %(value)s")
        isins = list(dict.fromkeys(lst.isin for lst in listings if lst.isin))
        shared = len(isins) == 1
        items = [str(identifier) % {"label": _("ISIN"), "value": isins[0]}] if shared else []
        for lst in listings:
            label = _label_of(lst)
            if lst.identifier_format:
                values = {"exchange": lst.exchange, "ticker": lst.ticker, "label": label, "isin": lst.isin}
                items.append(fill(lst.identifier_format, values, html=False))
            elif shared or not lst.isin:
                name = label if len(listings) == 1 or label != "Mnemo" else lst.exchange
                items.append(str(identifier) % {"label": name, "value": lst.ticker})
            elif not lst.ticker_label and (label == lst.exchange or lst.market in MARKET_LABELS):
                items.append(
                    pgettext("listing with its own ISIN", "%(label)s: %(ticker)s, ISIN %(isin)s")
                    % {"label": label, "ticker": lst.ticker, "isin": lst.isin}
                )
            else:
                items.append(
                    pgettext("listing", "%(exchange)s: ISIN %(isin)s, %(label)s %(ticker)s")
                    % {"exchange": lst.exchange, "isin": lst.isin, "label": label, "ticker": lst.ticker}
                )
        return "(" + separator.join(items) + ")"


# -- the body's lead --------------------------------------------------------------------------------


def lead_of(content: ReleaseContent, the_dateline: str, the_identifiers: str) -> Lead:
    """The body with the dateline, the issuer and its identifiers joined to it (see `rendering.lead`)."""
    company = content.company
    return join_lead(
        content.body,
        dateline_html=format_html('<span class="dateline">{}</span>', the_dateline),
        issuer_html=format_html('<span class="issuer">{}</span>', company.legal_name),
        identifiers_html=format_html('<span class="identifiers">{}</span>', the_identifiers) if the_identifiers else "",
        names=(company.legal_name, company.short_name),
        places=tuple(p for p in (content.place.split(",")[0].strip(), company.city) if p),
        identifier_words=("ISIN", *(lst.isin for lst in content.listings), *(lst.ticker for lst in content.listings)),
    )


# -- citation markers ---------------------------------------------------------------------------


class Citations:
    """Links the markers `releases.citations.markers` finds to their references; the first of each gets id cite-n.

    `mapping` renumbers a block's own references into the release's list: the block writes (1), the page
    prints and links the number the release gives that reference.
    """

    def __init__(self, numbers: set[int], mapping: dict[int, int] | None = None):
        self.numbers = numbers
        self.mapping = mapping
        self.first_seen: set[int] = set()
        self.cited: set[int] = set()

    def number(self, written: int) -> int:
        return self.mapping.get(written, 0) if self.mapping is not None else written

    def link(self, html: str) -> str:
        out, last = [], 0
        for marker in markers(html):
            out.append(html[last : marker.start])
            out.append(self._linked(marker, html[marker.start : marker.end]))
            last = marker.end
        out.append(html[last:])
        return "".join(out)

    def _anchor(self, written: str) -> str:
        number = self.number(int(written))
        if number not in self.numbers:
            return written
        anchor = ""
        if number not in self.first_seen:
            self.first_seen.add(number)
            anchor = f' id="cite-{number}"'
        return f'<a class="cite" href="#ref-{number}"{anchor}>{number}</a>'

    def _linked(self, marker, original: str) -> str:
        known = [self.number(n) for n in marker.numbers if self.number(n) in self.numbers]
        self.cited.update(known)
        if not known:
            return original
        if marker.kind == "paren" and len(marker.written) == 1:
            number = self.number(int(marker.written[0]))
            linked = self._anchor(marker.written[0])
            # One number: the whole "(n)" is the link, as releases have always printed it.
            return linked.replace(f">{number}</a>", f">({number})</a>") if linked.startswith("<a") else original
        inner = self._anchor(marker.written[0])
        for separator, written in zip(marker.separators, marker.written[1:], strict=False):
            inner += separator + self._anchor(written)
        if marker.kind == "paren":
            return f"({inner})"
        return f"<sup>({inner})</sup>" if marker.brackets else f"<sup>{inner}</sup>"


def numbered_block_references(content: ReleaseContent) -> tuple[list[ReferenceData], list[dict[int, int] | None]]:
    """The references blocks carry, numbered after the release's own in order of first citation.

    Returns the extra references (with their numbers in the release) and, per block (topics, then the company
    About), the mapping from the block's numbers to the release's, or None for a block citing the release's list.
    """
    next_number = max((r.position for r in content.references), default=0) + 1
    extra: list[ReferenceData] = []
    mappings: list[dict[int, int] | None] = []
    blocks = [*content.topics, *([content.company_about] if content.company_about else [])]
    for block in blocks:
        own = {r.position: r for r in getattr(block, "references", ())}
        if not own:
            mappings.append(None)
            continue
        order = [n for marker in markers(block.body) for n in marker.numbers if n in own]
        order = list(dict.fromkeys(order)) + [n for n in sorted(own) if n not in order]
        mapping = {}
        for local in order:
            mapping[local] = next_number
            ref = own[local]
            extra.append(ReferenceData(next_number, ref.citation, ref.url, ref.accessed_on, ref.accessed_label))
            next_number += 1
        mappings.append(mapping)
    return extra, mappings


# -- company About ------------------------------------------------------------------------------

LIST_PARAGRAPH_RE = re.compile(r"<p>\s*\{\s*(pipeline|platforms)\s*\}\s*</p>")
OUTER_P_RE = re.compile(r"^\s*<p>(.*)</p>\s*$", re.DOTALL)


def asset_sentence(asset: AssetData, values: dict[str, str]) -> str:
    """The asset's sentence with its placeholders filled (HTML, escaped values)."""
    text = asset.sentence or "<p>{name}</p>"
    own = {**values, "name": asset.name, "code": asset.code, "inn": asset.inn}
    indexed = {
        "phase": [p.phase_label for p in asset.programs],
        "indication": [p.indication for p in asset.programs],
        "sponsor": [p.sponsor for p in asset.programs],
    }
    filled = fill(text, own, indexed)
    # A one-paragraph sentence sits in its list item without the paragraph.
    match = OUTER_P_RE.match(filled)
    if match and "<p" not in match.group(1):
        return match.group(1)
    return filled


def about_body(body: str, assets: list[AssetData], values: dict[str, str]) -> str:
    """Fill the company About: paragraphs holding only {pipeline}/{platforms} become generated lists."""

    def as_list(match: re.Match) -> str:
        kind = "candidate" if match.group(1) == "pipeline" else "platform"
        items = [asset_sentence(a, values) for a in assets if a.kind == kind]
        if not items:
            return ""
        return f'<ul class="{match.group(1)}">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"

    return fill(LIST_PARAGRAPH_RE.sub(as_list, body), values)


# -- the composed release ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComposedReference:
    position: int
    citation: str
    url: str
    accessed: str
    cited: bool


@dataclass(frozen=True)
class ComposedBlock:
    title: str
    html: SafeString
    anchor: str = ""
    kind: str = ""  # a disclaimer's kind (forward_looking, inside_information, other)


@dataclass(frozen=True)
class ComposedRelease:
    """Everything the outputs print, already filled, linked and marked safe where it is HTML."""

    content: ReleaseContent
    language: str
    headline: str
    subheadline: str
    label: str
    dateline: str
    identifiers: str
    lead_html: SafeString
    mar_legend: SafeString
    body_html: SafeString
    topics: list[ComposedBlock]
    references: list[ComposedReference]
    company_about: ComposedBlock | None
    disclaimers: list[ComposedBlock]
    contacts: list[ContactData]
    company_name: str
    company_legal_name: str
    website: str
    website_label: str
    twitter_url: str
    linkedin_url: str
    logo_url: str
    show_website: bool
    show_follow: bool
    correction_html: SafeString
    url: str
    pdf_url: str
    publication_iso: str
    publication_date: str
    keywords: str
    content_json: dict
    content_sha256: str
    images: list[ComposedImage] = field(default_factory=list)
    media_kit_url: str = ""

    @property
    def subject(self) -> str:
        return self.subheadline or self.headline

    @property
    def json_ld(self) -> dict:
        """The schema.org NewsArticle of this release, for its page's head."""
        return news_article(self)


def accessed_text(ref, language: str, date_style: str = "") -> str:
    """'accessed October 3, 2022', 'consulté le 3 octobre 2022'; a month as written: 'consulté en octobre 2022'."""
    with translation.override(language):
        if ref.accessed_label:
            if ref.accessed_label[:1].isdigit():
                return pgettext("reference", "accessed %(date)s") % {"date": ref.accessed_label}
            return pgettext("reference accessed in a month", "accessed %(month)s") % {"month": ref.accessed_label}
        if ref.accessed_on:
            return pgettext("reference", "accessed %(date)s") % {
                "date": format_date_as(ref.accessed_on, language, date_style)
            }
    return ""


def _sharing(citations: Citations, mapping: dict[int, int]) -> Citations:
    """A linker for one block's own numbers that shares the release's record of what was cited."""
    linker = Citations(citations.numbers, mapping)
    linker.first_seen = citations.first_seen
    linker.cited = citations.cited
    return linker


def _label_text(label: str, language: str) -> str:
    with translation.override(language):
        return str(LABELS.get(label, LABELS["press_release"]))


def compose(content: ReleaseContent) -> ComposedRelease:
    """Build what every output prints from a release's content (and nothing else: no database)."""
    company, language, style = content.company, content.language, content.style
    values = company.placeholders

    def spaced(html: str) -> str:
        return apply_spacing(html, style.spacing)

    def quoted(html: str) -> str:
        return nest_quotes(html, language, spacing=style.spacing != "none")

    the_dateline = spaced(dateline(content))
    the_identifiers = spaced(identifiers(content))
    lead = format_html(
        '<span class="dateline">{}</span> <span class="issuer">{}</span>', the_dateline, company.legal_name
    )
    if the_identifiers:
        lead = format_html('{} <span class="identifiers">{}</span>', lead, the_identifiers)

    block_references, mappings = numbered_block_references(content)
    all_references = sorted([*content.references, *block_references], key=lambda r: r.position)
    numbers = {r.position for r in all_references}
    citations = Citations(numbers)
    body = spaced(citations.link(quoted(lead_of(content, the_dateline, the_identifiers).body)))
    topics = []
    for i, (t, mapping) in enumerate(zip(content.topics, mappings, strict=False), start=1):
        linker = citations if mapping is None else _sharing(citations, mapping)
        topics.append(
            ComposedBlock(
                spaced(t.title),
                mark_safe(spaced(linker.link(quoted(fill(t.body, values))))),
                f"topic-{i}",
            )
        )
    about = None
    if content.company_about:
        mapping = mappings[len(content.topics)] if len(mappings) > len(content.topics) else None
        linker = citations if mapping is None else _sharing(citations, mapping)
        about = ComposedBlock(
            spaced(content.company_about.title),
            mark_safe(spaced(linker.link(quoted(about_body(content.company_about.body, content.assets, values))))),
            "about",
        )
    references = [
        ComposedReference(
            r.position,
            spaced(r.citation),
            r.url,
            spaced(accessed_text(r, language, style.date_style)),
            r.position in citations.first_seen,
        )
        for r in all_references
    ]
    # The inside-information legend is printed under the label; chosen among the disclaimers as well (which the
    # admin and the API allow), the same text is not printed a second time at the end.
    legend = content.mar_legend
    disclaimers = [
        ComposedBlock(spaced(d.title), mark_safe(spaced(quoted(fill(d.body, values)))), f"disclaimer-{i}", d.kind)
        for i, d in enumerate(content.disclaimers, start=1)
        if not (legend and d.kind == legend.kind and d.body == legend.body)
    ]
    mar = mark_safe(spaced(fill(content.mar_legend.body, values))) if content.mar_legend else mark_safe("")

    correction = mark_safe("")
    if content.corrects:
        earlier = content.corrects
        with translation.override(language):
            correction = mark_safe(
                render_to_string(
                    "releases/includes/correction.html",
                    {
                        "headline": earlier.headline,
                        "url": absolute(earlier.url),
                        "date": format_date_as(earlier.date.astimezone(company.zone), language, style.date_style)
                        if earlier.date
                        else "",
                        "note": earlier.note,
                    },
                ).strip()
            )

    # The About may already say where to read more and follow: then it is not said twice.
    about_html = str(about.html) if about else ""
    website_label = values.get("website", "")
    data = content.to_json()
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    local = content.publication_at.astimezone(company.zone) if content.publication_at else None
    keyword_parts = [company.short_name] + [lst.ticker for lst in content.listings] + [t.title for t in content.topics]
    return ComposedRelease(
        content=content,
        language=language,
        headline=spaced(content.headline),
        subheadline=spaced(content.subheadline),
        label=_label_text(content.label, language),
        dateline=the_dateline,
        identifiers=the_identifiers,
        lead_html=lead,
        mar_legend=mar,
        body_html=mark_safe(body),
        topics=topics,
        references=references,
        company_about=about,
        disclaimers=disclaimers,
        contacts=list(content.contacts),
        company_name=company.short_name,
        company_legal_name=company.legal_name,
        website=company.website,
        website_label=website_label,
        show_website=bool(company.website) and website_label not in about_html,
        show_follow=any(u and u not in about_html for u in (company.twitter_url, company.linkedin_url)),
        twitter_url=company.twitter_url,
        linkedin_url=company.linkedin_url,
        logo_url=company.logo_url,
        correction_html=correction,
        url=absolute(content.url),
        pdf_url=absolute(content.pdf_url),
        publication_iso=local.isoformat() if local else "",
        publication_date=format_date_as(local.date(), language, style.date_style) if local else "",
        keywords=", ".join(dict.fromkeys(k for k in keyword_parts if k)),
        content_json=data,
        content_sha256=digest,
        images=[composed_image(image) for image in content.images],
        media_kit_url=absolute(content.media_kit_url) if content.images and content.media_kit_url else "",
    )
