"""A last page that is never a few stray lines: when they would fit on the page before, they are pulled back.

WeasyPrint lays out pages front to back and cannot take lines back once a page is full. So the layout
is measured: when the last page holds less than `SHORT_LAST_PAGE` of its height, the document is laid
out again with the tighter settings of `pdf-fit.css` (closer spacing in the back matter, then closer leading,
then smaller back-matter print and a lower foot margin), and the lightest setting that saves the page wins. When none
does, the first layout is kept: a short last page is then the honest length of the release.

The same HTML always gives the same choice, so the same release still gives the same bytes.
"""

from __future__ import annotations

# Below this share of the page's height filled, the last page is worth saving.
SHORT_LAST_PAGE = 0.3
# The classes of static/css/pdf-fit.css, from the least to the most noticeable.
FIT_LEVELS = ("fit-1", "fit-2", "fit-3")


def last_page_fill(document) -> float:
    """How much of the last page's height its content takes, from 0 to 1."""
    page_box = document.pages[-1]._page_box
    available = page_box.height or 1
    used = max(
        (child.height for child in page_box.children if type(child).__name__ != "MarginBox"),
        default=0,
    )
    return min(1.0, used / available)


def fitted_document(html_string: str, make_html, **options):
    """The laid-out document of `html_string`, tightened when that avoids a short last page.

    `make_html(source)` builds the weasyprint.HTML of a string (the caller's base URL and URL fetcher);
    `options` are WeasyPrint's rendering options.
    """
    document = make_html(html_string).render(**options)
    if len(document.pages) < 2 or last_page_fill(document) >= SHORT_LAST_PAGE:
        return document
    # The tightest level first: when even it cannot save the page, nothing will (one layout more, not three).
    tightest = make_html(with_root_class(html_string, FIT_LEVELS[-1])).render(**options)
    if len(tightest.pages) >= len(document.pages):
        return document
    for level in FIT_LEVELS[:-1]:
        tighter = make_html(with_root_class(html_string, level)).render(**options)
        if len(tighter.pages) < len(document.pages):
            return tighter
    return tightest


def with_root_class(html_string: str, name: str) -> str:
    """The document with `name` added to its <html> element's classes."""
    head, marker, tail = html_string.partition("<html")
    if not marker:
        return html_string
    if tail.lstrip().startswith("class="):
        return html_string
    return f'{head}<html class="{name}"{tail}'
