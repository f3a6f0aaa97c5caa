"""The one allow-list for rich text: what the editor can make is what the database keeps."""

import re

import nh3

# Tags the editor offers (paragraphs, headings, emphasis, lists, links, quotes, tables).
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "sub", "sup",
    "ul", "ol", "li", "a", "blockquote", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# A table cell spans at most this many columns or rows; a list starts at a number a reader can read.
SPAN_LIMIT = 50
START_LIMIT = 10_000


def _bounded(element: str, attribute: str, value: str) -> str | None:
    """Numbers in attributes stay small enough to render: colspan="10000000" must not eat the renderer."""
    if attribute in ("colspan", "rowspan", "start"):
        limit = START_LIMIT if attribute == "start" else SPAN_LIMIT
        if not (value.isascii() and value.isdigit()):
            return None
        return str(max(1, min(int(value[:6]), limit)))
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener",
    strip_comments=True,
    attribute_filter=_bounded,
)

EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # A link keeps the exact address it was given: nothing rewrites "https://x.example/en/" from its text.
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"], "autolink": False, "linkOnPaste": False},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "SpecialCharacters": True,
    "NoSpellCheck": False,  # the browser's spelling check, in the release's language (admin_ext/release.js)
    "DeskPaste": True,  # Word and Google Docs pasted as clean HTML (admin_ext/desk-paste.js)
}


# A paragraph with nothing to read in it: spacing typed with the Enter key, or left by a paste.
_EMPTY_PARAGRAPH_RE = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")


def sanitize_html(html: str | None) -> str:
    """Clean rich text to the allow-list; empty paragraphs go (the stylesheets space the text)."""
    if not html:
        return ""
    return _EMPTY_PARAGRAPH_RE.sub("", _cleaner.clean(html)).strip()
