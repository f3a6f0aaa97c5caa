"""The four readings of one composed release: page, fragment, plain text, PDF."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .compose import ComposedRelease, compose
from .content import ReleaseContent, content_from_release
from .fragment import inline_styles
from .pdf import PDF_VARIANT, render_pdf_bytes
from .text import composed_to_text
from .typography import names_kept_whole, protect_body_names


@dataclass(frozen=True)
class Rendered:
    page_html: str
    fragment_html: str
    plain_text: str
    content_json: dict
    pdf: bytes


def composed_from(source) -> ComposedRelease:
    """Accept a Release, a ReleaseContent or an already composed release."""
    if isinstance(source, ComposedRelease):
        return source
    if isinstance(source, ReleaseContent):
        return compose(source)
    return compose(content_from_release(source))


def _render(template: str, composed: ComposedRelease, **extra) -> str:
    # No request: the output depends on the release alone, so a snapshot can freeze it.
    extra.setdefault("media_base", settings.MEDIA_URL)
    with translation.override(composed.language):
        return render_to_string(template, {"r": composed, **extra})


def render_page(source, *, preview: bool = False, media_base: str | None = None) -> str:
    """The public page, a whole HTML document; `preview` marks it as not published (the admin's preview).

    `media_base` is where its images are addressed: the public media view by default, the admin's for a
    preview of a release that is not public (the public view would answer "not found").
    """
    return _render(
        "releases/release_detail.html",
        composed_from(source),
        preview=preview,
        media_base=media_base or settings.MEDIA_URL,
    )


def render_fragment(source) -> str:
    """The release without page chrome, styles inline: for an IR website or an email."""
    composed = composed_from(source)
    return inline_styles(_render("releases/fragment.html", composed, media_base=settings.SITE_URL + settings.MEDIA_URL))


def render_text(source) -> str:
    """Plain text for wire services, wrapped at 72 columns, links and references written out."""
    return composed_to_text(composed_from(source))


def pdf_html(source) -> str:
    """The print layout's HTML, the document WeasyPrint turns into the PDF.

    Names with ® or ™, codes, INNs, tickers and ISINs are kept whole there (never hyphenated or broken).
    """
    composed = composed_from(source)
    html = _render("releases/pdf/release.html", composed, print=True)
    if composed.content.style.protect_names:
        html = protect_body_names(html, names_kept_whole(composed.content))
    return html


def pdf_identifier(composed: ComposedRelease) -> bytes:
    """A fixed identifier derived from the content, so the same release gives the same bytes."""
    return hashlib.md5(composed.content_sha256.encode(), usedforsecurity=False).hexdigest().encode()


def render_pdf(source, *, variant: str | None = PDF_VARIANT, timeout: float | None = None) -> bytes:
    """The PDF (PDF/A-3a, tagged, by default), rendered within settings.PDF_RENDER_TIMEOUT or RenderError."""
    composed = composed_from(source)
    return render_pdf_bytes(pdf_html(composed), identifier=pdf_identifier(composed), variant=variant, timeout=timeout)


def render_all(source) -> Rendered:
    """Every output of one composition; the same input gives byte-identical outputs."""
    composed = composed_from(source)
    return Rendered(
        page_html=render_page(composed),
        fragment_html=render_fragment(composed),
        plain_text=render_text(composed),
        content_json=composed.content_json,
        pdf=render_pdf(composed),
    )
