"""The one composition of a release: what the page, the PDF, the text and the fragment all show."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from releases.placeholders import fill

from .content import AssetData, ContactData, ReleaseContent
from .dates import format_date, format_time
from .metadata import absolute, news_article

# -- the dateline and the identifiers ---------------------------------------------------------------


def dateline(content: ReleaseContent) -> str:
    """'Nantes, France – July 1, 2024 – 7:30 am CEST –' / 'Nantes, le 1er juillet 2024 – 7h30 CEST –'.

    The place is the one typed on the release, else the company's city (and country, as the language
    writes a dateline); the date and time are the publication moment in the company's time zone.
    """
    company, language = content.company, content.language
    with translation.override(language):
        # Translators: a language may leave the country out (French writes the city alone).
        # xgettext:no-python-format
        place = content.place or pgettext("dateline place", "%(city)s, %(country)s") % {
            "city": company.city,
            "country": company.country,
        }
        place = place.strip(", ")
        if content.publication_at is None:
            return f"{place} –"
        local = content.publication_at.astimezone(company.zone)
        return pgettext("dateline", "%(place)s – %(date)s – %(time)s –") % {
            "place": place,
            "date": format_date(local.date(), language),
            "time": format_time(local, language),
        }


def identifiers(content: ReleaseContent) -> str:
    """'(ISIN: FR0012127173; Mnemo: OSE)', or per exchange when the company has several listings."""
    listings = content.listings
    if not listings:
        return ""
    with translation.override(content.language):
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


# -- the body's lead --------------------------------------------------------------------------------

FIRST_PARAGRAPH_RE = re.compile(r"^\s*<p(\s[^>]*)?>", re.IGNORECASE)


def with_lead(body: str, lead_html: str) -> str:
    """Write the dateline and identifiers into the first paragraph when it opens on the verb.

    A first paragraph that starts with a capital letter (or a body without one) gets the lead as a
    paragraph of its own before it.
    """
    match = FIRST_PARAGRAPH_RE.match(body)
    if match:
        rest = body[match.end() :]
        first_text = strip_tags(rest.split("</p>", 1)[0]).lstrip()
        if first_text and not first_text[0].isupper():
            return body[: match.end()] + lead_html + " " + rest.lstrip()
    return f'<p class="lead-line">{lead_html}</p>' + body


# -- citation markers ---------------------------------------------------------------------------

# "(3)" after a space or punctuation, or right after a year ("in 2022(5)"); never "Article 7(1)".
MARKER_RE = re.compile(r"(?:(?<=\b\d{4})|(?<![A-Za-z0-9]))\((\d{1,3})\)")
TAG_RE = re.compile(r"(<[^>]*>)")


class Citations:
    """Links "(n)" markers to reference n; the first occurrence of each carries id cite-n."""

    def __init__(self, numbers: set[int]):
        self.numbers = numbers
        self.first_seen: set[int] = set()

    def link(self, html: str) -> str:
        parts = TAG_RE.split(html)
        in_link = 0
        out = []
        for part in parts:
            if part.startswith("<"):
                lowered = part.lower()
                if lowered.startswith("<a ") or lowered == "<a>":
                    in_link += 1
                elif lowered.startswith("</a"):
                    in_link = max(0, in_link - 1)
                out.append(part)
            elif in_link:
                out.append(part)
            else:
                out.append(MARKER_RE.sub(self._replace, part))
        return "".join(out)

    def _replace(self, match: re.Match) -> str:
        number = int(match.group(1))
        if number not in self.numbers:
            return match.group(0)
        anchor = ""
        if number not in self.first_seen:
            self.first_seen.add(number)
            anchor = f' id="cite-{number}"'
        return f'<a class="cite" href="#ref-{number}"{anchor}>({number})</a>'


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


@dataclass(frozen=True)
class ComposedRelease:
    """Everything the outputs print, already filled, linked and marked safe where it is HTML."""

    content: ReleaseContent
    language: str
    headline: str
    subheadline: str
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

    @property
    def subject(self) -> str:
        return self.subheadline or self.headline

    @property
    def json_ld(self) -> dict:
        """The schema.org NewsArticle of this release, for its page's head."""
        return news_article(self)


def accessed_text(ref, language: str) -> str:
    """'accessed October 3, 2022', 'consulté le 3 octobre 2022'; a month as written: 'consulté en octobre 2022'."""
    with translation.override(language):
        if ref.accessed_label:
            if ref.accessed_label[:1].isdigit():
                return pgettext("reference", "accessed %(date)s") % {"date": ref.accessed_label}
            return pgettext("reference accessed in a month", "accessed %(month)s") % {"month": ref.accessed_label}
        if ref.accessed_on:
            return pgettext("reference", "accessed %(date)s") % {"date": format_date(ref.accessed_on, language)}
    return ""


def compose(content: ReleaseContent) -> ComposedRelease:
    """Build what every output prints from a release's content (and nothing else: no database)."""
    company, language = content.company, content.language
    values = company.placeholders

    the_dateline = dateline(content)
    the_identifiers = identifiers(content)
    lead = format_html(
        '<span class="dateline">{}</span> <span class="issuer">{}</span>', the_dateline, company.legal_name
    )
    if the_identifiers:
        lead = format_html('{} <span class="identifiers">{}</span>', lead, the_identifiers)

    citations = Citations({r.position for r in content.references})
    body = citations.link(with_lead(content.body, lead))
    topics = [
        ComposedBlock(t.title, mark_safe(citations.link(fill(t.body, values))), f"topic-{i}")
        for i, t in enumerate(content.topics, start=1)
    ]
    references = [
        ComposedReference(r.position, r.citation, r.url, accessed_text(r, language), r.position in citations.first_seen)
        for r in content.references
    ]
    about = None
    if content.company_about:
        about = ComposedBlock(
            content.company_about.title,
            mark_safe(about_body(content.company_about.body, content.assets, values)),
            "about",
        )
    disclaimers = [
        ComposedBlock(d.title, mark_safe(fill(d.body, values)), f"disclaimer-{i}")
        for i, d in enumerate(content.disclaimers, start=1)
    ]
    mar = mark_safe(fill(content.mar_legend.body, values)) if content.mar_legend else mark_safe("")

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
                        "date": format_date(earlier.date.astimezone(company.zone), language) if earlier.date else "",
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
        headline=content.headline,
        subheadline=content.subheadline,
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
        publication_date=format_date(local.date(), language) if local else "",
        keywords=", ".join(dict.fromkeys(k for k in keyword_parts if k)),
        content_json=data,
        content_sha256=digest,
    )
