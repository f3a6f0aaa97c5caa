"""Public pages. Every view starts from `Release.objects.published()`."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from .models import Release


def _public_release_or_404(slug: str, language: str) -> Release:
    release = Release.objects.published().filter(slug=slug, language=language).select_related("company").first()
    if release is None:
        raise Http404("No release here.")
    return release


def index(request):
    releases = Release.objects.listed().select_related("company")[:50]
    return render(request, "releases/index.html", {"releases": releases})


def detail(request, slug):
    release = _public_release_or_404(slug, request.LANGUAGE_CODE)
    return render(request, "releases/release_detail.html", {"release": release})


def pdf(request, slug):
    release = _public_release_or_404(slug, request.LANGUAGE_CODE)
    snapshot = getattr(release, "snapshot", None)
    if snapshot is None:
        raise Http404("No release here.")
    return HttpResponse(bytes(snapshot.pdf), content_type="application/pdf")
