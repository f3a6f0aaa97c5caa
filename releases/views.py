"""Public pages. Every view starts from `Release.objects.published()`."""

from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape

from .caching import kept_public_answer
from .language_switch import switch_variant, with_language_switch
from .models import Release, Snapshot
from .newsroom import hreflang_link_header, pdf_filename, public_translations, snapshot_response
from .rendering.compose import format_date

# The frozen outputs a view does not send stay in the database (a snapshot row holds ~150 KB).
_SNAPSHOT_COLUMNS = ("page_html", "pdf", "fragment_html", "plain_text", "content_json")


def _public_release_or_404(slug: str, language: str, *, output: str) -> Release:
    """A public release in `language`, with only the snapshot column `output`; else the 404 of a missing one."""
    release = (
        Release.objects.published()
        .filter(slug=slug, language=language)
        .select_related("company", "snapshot")
        .defer(*(f"snapshot__{column}" for column in _SNAPSHOT_COLUMNS if column != output))
        .first()
    )
    if release is None or _snapshot(release) is None:
        # The services freeze a snapshot before anything is published; without one nothing goes out.
        raise Http404("No release here.")
    return release


def _snapshot(release: Release) -> Snapshot | None:
    try:
        return release.snapshot
    except Snapshot.DoesNotExist:
        return None


def _public_correction_of(release: Release) -> Release | None:
    """The public correction of a corrected release (the correction's own page says what it corrects)."""
    if release.status != Release.Status.CORRECTED:
        return None
    return Release.objects.published().filter(corrects=release).only("id", "slug", "language", "headline").first()


def _with_correction_notice(html: str, release: Release, correction: Release) -> str:
    """The frozen page with a notice pointing to its correction, right after the opening of <main>."""
    words = "Ce communiqué a été corrigé :" if release.language == "fr" else "This release has been corrected:"
    notice = (
        '<div class="wrap-narrow"><p class="correction-notice" role="note" '
        'style="background:#fff7e0;border-left:3px solid #a66f00;padding:.7rem 1rem;margin:0 0 2rem">'
        f'{words} <a href="{escape(correction.get_absolute_url())}">{escape(correction.headline)}</a></p></div>'
    )
    marker = '<main id="main" class="site-main">'
    return html.replace(marker, marker + notice, 1) if marker in html else html


@kept_public_answer
def detail(request, slug):
    release = _public_release_or_404(slug, request.LANGUAGE_CODE, output="page_html")
    if release.status == Release.Status.WITHDRAWN:
        # The address stays, with the notice in place of the content.
        when = release.withdrawn_at.astimezone(release.company.zone).date() if release.withdrawn_at else None
        context = {"release": release, "withdrawn_on": format_date(when, release.language) if when else ""}
        return render(request, "newsroom/withdrawn.html", context, status=410)
    snapshot = release.snapshot
    translations = public_translations(release)
    # The frozen page holds a marker where the language switch goes: links to the versions public now.
    html = with_language_switch(snapshot.page_html, release, translations)
    variant = switch_variant(translations)
    correction = _public_correction_of(release)
    if correction is not None:
        html = _with_correction_notice(html, release, correction)
        variant = f"{variant}-c{correction.pk}".lstrip("-")
    response = snapshot_response(
        request,
        content=html,
        sha256=snapshot.page_sha256 or Snapshot.sha256(snapshot.page_html),
        modified=max(snapshot.created_at, release.publication_at),
        content_type="text/html; charset=utf-8",
        variant=variant,
    )
    if correction is not None:
        response["Link"] = f'<{correction.get_absolute_url()}>; rel="successor-version"'
    link = hreflang_link_header(release, translations)
    if link:
        response["Link"] = ", ".join(filter(None, [response.get("Link"), link]))
    return response


@kept_public_answer
def pdf(request, slug):
    release = _public_release_or_404(slug, request.LANGUAGE_CODE, output="pdf")
    if release.status == Release.Status.WITHDRAWN:
        raise Http404("No release here.")
    snapshot = release.snapshot
    data = bytes(snapshot.pdf)
    return snapshot_response(
        request,
        content=data,
        sha256=snapshot.pdf_sha256 or Snapshot.sha256(data),
        modified=max(snapshot.created_at, release.publication_at),
        content_type="application/pdf",
        filename=pdf_filename(release),
    )
