"""Public pages. Every view starts from `Release.objects.published()`."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from .language_switch import with_language_switch
from .models import Release, Snapshot
from .newsroom import public_translations
from .rendering import render_page, render_pdf


def _public_release_or_404(slug: str, language: str) -> Release:
    """A public release in `language`; anything else is the same 404 as a missing one."""
    release = (
        Release.objects.published().filter(slug=slug, language=language).select_related("company", "snapshot").first()
    )
    if release is None:
        raise Http404("No release here.")
    return release


def _snapshot(release: Release) -> Snapshot | None:
    try:
        return release.snapshot
    except Snapshot.DoesNotExist:
        return None


def index(request):
    releases = Release.objects.listed().select_related("company")[:50]
    return render(request, "releases/index.html", {"releases": releases})


def detail(request, slug):
    release = _public_release_or_404(slug, request.LANGUAGE_CODE)
    snapshot = _snapshot(release)
    # TEMPORARY until the workflow freezes every release on approval: without a snapshot the page
    # is rendered live, so it would follow later edits. With one, the frozen bytes go out.
    html = snapshot.page_html if snapshot else render_page(release)
    # The frozen page holds a marker where the language switch goes: links to the versions public now.
    html = with_language_switch(html, release, public_translations(release))
    return HttpResponse(html, content_type="text/html; charset=utf-8")


def pdf(request, slug):
    release = _public_release_or_404(slug, request.LANGUAGE_CODE)
    snapshot = _snapshot(release)
    # TEMPORARY as above: a live render when no snapshot was frozen yet.
    data = bytes(snapshot.pdf) if snapshot else render_pdf(release)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{release.slug}.pdf"'
    return response
