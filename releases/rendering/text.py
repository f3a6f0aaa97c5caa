"""Plain text for wire services: 72 columns, links and references written out."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

from django.utils import translation
from django.utils.translation import pgettext

from .compose import ComposedRelease

WIDTH = 72
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
BLOCK_TAGS = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "table", "tr", "hr", "div"}


# A superscript made of figures keeps its height in plain text: "data¹", "in 2026.²", "10⁶ cells", "m²". Written
# flat, a footnote marker would join its word or figure ("M€1", "2026.2") and an exponent would change the number.
_SUPERSCRIPT = str.maketrans("0123456789()+-−=", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻⁻⁼")
_SUPERSCRIBABLE = re.compile(r"[0-9()+\-−=,;–\s]*[0-9][0-9()+\-−=,;–\s]*")


def superscript(text: str) -> str:
    """`text` in superscript characters when it is figures (with brackets, signs, commas, dashes); else as it is."""
    return text.translate(_SUPERSCRIPT) if _SUPERSCRIBABLE.fullmatch(text) else text


class _TextParser(HTMLParser):
    """Sanitised HTML to paragraphs; a link whose words are not its URL gets the URL in brackets; superscript
    figures (citation markers, exponents) in superscript characters."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (prefix, text)
        self.current: list[str] = []
        self.prefix = ""
        self.links: list[tuple[str, int]] = []
        self.list_stack: list[list] = []
        self.superscripts: list[int] = []  # where each open <sup> starts in `current`

    def flush(self):
        # Only ASCII whitespace folds: a no-break space (« anticiper », 26 482) keeps its words together.
        text = " ".join(_ASCII_SPACE.split("".join(self.current).strip(" \t\n\r\f\v")))
        if text:
            self.blocks.append((self.prefix, text))
        self.current = []
        self.prefix = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCK_TAGS:
            self.flush()
        if tag in {"ul", "ol"}:
            self.list_stack.append([tag, int(attrs.get("start") or 1)])
        elif tag == "li":
            self.flush()
            kind = self.list_stack[-1] if self.list_stack else ["ul", 1]
            if kind[0] == "ol":
                self.prefix = f"{kind[1]}. "
                kind[1] += 1
            else:
                self.prefix = "- "
        elif tag == "br":
            self.flush()
        elif tag == "a":
            self.links.append((attrs.get("href") or "", len("".join(self.current))))
        elif tag in {"td", "th"}:
            self.current.append(" ")
        elif tag == "sup":
            self.superscripts.append(len("".join(self.current)))

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            words = "".join(self.current)[start:].strip()
            if href and not href.startswith("#") and href.rstrip("/") not in words and words not in href:
                self.current.append(f" <{href}>")
        elif tag in {"ul", "ol"} and self.list_stack:
            self.list_stack.pop()
            self.flush()
        elif tag in BLOCK_TAGS or tag == "li":
            self.flush()
        elif tag in {"td", "th"}:
            self.current.append(" |")
        elif tag == "sup" and self.superscripts:
            start = self.superscripts.pop()
            written = "".join(self.current)
            if start <= len(written):  # one character for each: the positions of open links stay right
                self.current = [written[:start] + superscript(written[start:])]

    def handle_data(self, data):
        self.current.append(data)


def html_to_paragraphs(html: str) -> list[tuple[str, str]]:
    parser = _TextParser()
    parser.feed(str(html))
    parser.close()
    parser.flush()
    return parser.blocks


def wrap(text: str, prefix: str = "") -> str:
    indent = " " * len(prefix)
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=prefix,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def wrap_html(html: str) -> str:
    return "\n\n".join(wrap(text, prefix) for prefix, text in html_to_paragraphs(html))


def heading(title: str) -> str:
    return wrap(title) + "\n" + "-" * min(WIDTH, max(len(line) for line in wrap(title).splitlines()))


def website_sentence(company: str) -> str:
    return pgettext(
        "release", "Additional information about %(company)s assets is available on the Company’s website:"
    ) % {"company": company}


def composed_to_text(r: ComposedRelease) -> str:
    """The release as plain text, its words in its own language."""
    with translation.override(r.language):
        return _text(r)


def _text(r: ComposedRelease) -> str:
    parts: list[str] = [r.label.upper()]
    if r.mar_legend:
        parts.append(wrap_html(r.mar_legend))
    parts.append(wrap(r.headline.upper()))
    if r.subheadline:
        parts.append(wrap(r.subheadline))
    if r.correction_html:
        parts.append(wrap_html(r.correction_html))
    parts.append(wrap_html(r.body_html))
    for topic in r.topics:
        parts.append(heading(topic.title))
        parts.append(wrap_html(topic.html))
    if r.references:
        parts.append(heading(pgettext("release section", "References")))
        for ref in r.references:
            lines = [wrap(ref.citation, f"({ref.position}) ")]
            tail = ", ".join(x for x in (ref.url, ref.accessed) if x)
            if tail:
                lines.append(wrap(tail, " " * len(f"({ref.position}) ")))
            parts.append("\n".join(lines))
    if r.company_about:
        parts.append(heading(r.company_about.title))
        parts.append(wrap_html(r.company_about.html))
    if r.show_website:
        parts.append(wrap(f"{website_sentence(r.company_name)} {r.website_label} <{r.website}>"))
    follow = [(name, url) for name, url in (("Twitter", r.twitter_url), ("LinkedIn", r.linkedin_url)) if url]
    if follow and r.show_follow:
        names = f" {pgettext('between two names', 'and')} ".join(f"{name} <{url}>" for name, url in follow)
        parts.append(wrap(f"{pgettext('release', 'Click and follow us on')} {names}"))
    if r.contacts:
        parts.append(heading(pgettext("release section", "Contacts")))
        for c in r.contacts:
            lines = [c.kind_label, c.name]
            lines += [x for x in (c.role, c.organisation, c.email, c.phone) if x]
            parts.append("\n".join(wrap(line) for line in lines))
    for block in r.disclaimers:
        parts.append(heading(block.title))
        parts.append(wrap_html(block.html))
    if r.url:
        parts.append(wrap(r.url))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"
