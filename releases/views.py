"""The public newsroom: a release's page and PDF, the index, search, robots.txt and release media.

Every view reads through `releases.selectors`, which start from the gate: a release that is not public
yet answers exactly like one that never existed (the same 404). Each public answer is marked with its
caching policy (`caching.mark`): its Cache-Control and surrogate keys, and what the site may keep of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import caching, listing, selectors
from . import search as release_search
from .http import (
    NOT_FOUND,
    file_response,
    hreflang_link_header,
    media_kit_zip,
    pdf_filename,
    query_string,
    snapshot_response,
)
from .lru import SizedLRU
from .middleware import same_for_everyone
from .models import Release, Snapshot
from .rendering import served
from .rendering.dates import format_date
from .text import language_name

PAGE_SIZE = 20
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# The categories as a reader's list names them.
CATEGORY_LABELS = {
    Release.Category.INSIDE_INFORMATION: pgettext_lazy("release category", "Inside information"),
    Release.Category.REGULATED: pgettext_lazy("release category", "Regulated information"),
    Release.Category.NON_REGULATED: pgettext_lazy("release category", "Non-regulated information"),
}


def public_list(view):
    """A public list: GET only, marked as a list, which changes at the next scheduled publication."""

    @require_safe
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            caching.mark(response, "list", bound=selectors.next_scheduled_moment())
        return response

    wrapper.__doc__, wrapper.__name__ = view.__doc__, view.__name__
    return wrapper


# -- a release ------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PageAnswer:
    """What a release's page answers, built from the row its query gave: the same row, the same answer."""

    content: bytes
    variant: str
    link: str
    bound: dt.datetime | None


# The page answers this process built, by the row each was built from (the frozen bytes' SHA-256, the
# release's state and the versions around it as the database gave them on this request), at most
# FROZEN_BYTES_MEMORY bytes of them. The query runs on every request; only the building is saved.
PAGE_ANSWERS = SizedLRU("FROZEN_BYTES_MEMORY", 32 * 1024 * 1024)


def page_answer(release: selectors.Served) -> PageAnswer:
    """The page with what it gains when served (its language switch, a correction's notice) and its Link
    header: built once for each row the query gives."""
    key = (
        release.pk,
        release.slug,
        release.language,
        release.translation_group,
        release.status,
        release.publication_at,
        release.sha256,
        release.around,
        settings.SITE_URL,
    )
    answer = PAGE_ANSWERS.get(key)
    if answer is not None:
        return answer
    translations, correction = release.translations, release.correction
    content = served.join(
        release.output,
        {
            "language-switch": served.language_switch(release, translations),
            "notices": served.correction_notice(release, correction) if correction else "",
        },
    )
    links = [f'<{correction.get_absolute_url()}>; rel="successor-version"' if correction else ""]
    links.append(hreflang_link_header(release, translations))
    answer = PageAnswer(
        content, served.variant(translations, correction), ", ".join(filter(None, links)), release.bound
    )
    PAGE_ANSWERS.put(key, answer, len(content) + len(answer.link))
    return answer


@same_for_everyone
@require_safe
def detail(request, slug):
    """The frozen page of a public release, with the language versions and correction public now.

    One query (`selectors.served`): the release's few columns, the SHA-256 of its frozen page (its bytes too
    when this process holds none of that digest) and the releases around it; nothing else is read.
    """
    release = selectors.served(slug, request.LANGUAGE_CODE, output="page_html")
    if release is None:
        raise Http404(NOT_FOUND)
    if release.status == Release.Status.WITHDRAWN:
        return withdrawn(request, release.pk)
    answer = page_answer(release)
    response = snapshot_response(
        request,
        content=answer.content,
        sha256=release.sha256,
        modified=release.modified,
        content_type="text/html; charset=utf-8",
        variant=answer.variant,
    )
    if answer.link:
        response["Link"] = answer.link
    # The page changes by the clock when another version of it, or its correction, goes public.
    return caching.mark(
        response, "release", bound=answer.bound, keys=caching.release_keys(release.pk, release.translation_group)
    )


# What the notice at a withdrawn release's address prints.
WITHDRAWN_FIELDS = (
    "id",
    "slug",
    "language",
    "headline",
    "withdrawal_notice",
    "withdrawn_at",
    "snapshot__company_name",
    "snapshot__time_zone",
)


def withdrawn(request, pk: int):
    """A withdrawn release's address: the notice in place of the content (410)."""
    release = Release.objects.select_related("snapshot").only(*WITHDRAWN_FIELDS).get(pk=pk)
    snapshot = release.snapshot
    when = snapshot.local(release.withdrawn_at).date() if release.withdrawn_at else None
    context = {
        "release": release,
        "company": snapshot.company_name,
        "withdrawn_on": format_date(when, release.language) if when else "",
    }
    return render(request, "newsroom/withdrawn.html", context, status=410)


def _pdf(request, slug: str, digest: str | None = None):
    release = selectors.served(slug, request.LANGUAGE_CODE, output="pdf")
    if release is None or release.status == Release.Status.WITHDRAWN:
        raise Http404(NOT_FOUND)
    if digest is not None and digest != release.sha256[: selectors.PDF_FINGERPRINT]:
        raise Http404(NOT_FOUND)
    response = snapshot_response(
        request,
        content=release.output,
        sha256=release.sha256,
        modified=release.modified,
        content_type="application/pdf",
        filename=f"{release.local_date().isoformat()}-{release.slug}.pdf",
    )
    # Its bytes never change: at the address that names them, for a year; at the page's address, the CDN keeps
    # it as long as a page (a withdrawal turns it into a 404 there).
    return caching.mark(
        response,
        "immutable" if digest else "release",
        keys=caching.release_keys(release.pk, release.translation_group),
    )


@same_for_everyone
@require_safe
def pdf(request, slug):
    """The frozen PDF of a public release (none for a withdrawn one), at the address its page links to."""
    return _pdf(request, slug)


@same_for_everyone
@require_safe
def fingerprinted_pdf(request, slug, digest):
    """The same PDF at an address naming its bytes (the first characters of their SHA-256): lists and feeds link
    to it, and browsers and CDNs keep it a year without asking again."""
    return _pdf(request, slug, digest)


@same_for_everyone
@require_safe
def media_kit(request, slug):
    """The originals of a public release's images in one ZIP, exactly the files its snapshot froze."""
    release = selectors.public_release(slug, request.LANGUAGE_CODE, output="content_json")
    if release is None or release.status == Release.Status.WITHDRAWN:
        raise Http404(NOT_FOUND)
    images = selectors.media_kit_images(release)
    if not images:
        raise Http404(NOT_FOUND)
    data = media_kit_zip(release, images)
    response = snapshot_response(
        request,
        content=data,
        sha256=Snapshot.sha256("".join(image.sha256 for image in images)),
        modified=max(release.snapshot.created_at, release.publication_at),
        content_type="application/zip",
        filename=pdf_filename(release).removesuffix(".pdf") + "-media-kit.zip",
    )
    return caching.mark(response, "release", keys=caching.release_keys(release.pk, release.translation_group))


# -- lists --------------------------------------------------------------------------------------------


def _language_filter(request) -> tuple[str, list[str]]:
    """The chosen language ("all" or a code) and the languages it means; the interface language by default."""
    chosen = request.GET.get("language") or request.LANGUAGE_CODE
    if chosen == "all":
        return chosen, LANGUAGE_CODES
    if chosen not in LANGUAGE_CODES:
        chosen = request.LANGUAGE_CODE
    return chosen, [chosen]


def _year(value: str | None) -> int | None:
    """A year a reader may ask for: four ASCII digits within the archive's span; anything else is no filter."""
    if value and len(value) == 4 and value.isascii() and value.isdigit():
        year = int(value)
        if 1990 <= year <= timezone.now().year + 1:
            return year
    return None


def _number(value: int) -> str:
    """A count as the interface's language writes it: 1,000 or 1 000."""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _common_context(request, language: str, page=None) -> dict:
    """Options every list shows, in the interface language."""
    context = {
        "language_options": [("all", _("All languages"))] + [(code, language_name(code)) for code in LANGUAGE_CODES],
        "category_options": [(value, CATEGORY_LABELS[value]) for value in Release.Category.values],
        "show_language": language == "all",
        "language": language,
        "languages": settings.LANGUAGES,
    }
    if page is not None:
        context["page_of"] = _("Page %(page)s of %(pages)s") % {"page": page.number, "pages": page.num_pages}
        if page.count is not None:
            context["result_count"] = page.count
            context["result_count_shown"] = _number(page.count)
            context["result_count_capped"] = page.capped
    return context


def list_item(release: Release) -> dict:
    """What a list shows of a release: its words and date in its own language."""
    snapshot = release.snapshot
    local = snapshot.local(release.publication_at)
    return {
        "release": release,
        "url": selectors.release_path(release.language, release.slug),
        "pdf_url": selectors.fingerprinted_pdf_url(release.language, release.slug, snapshot.pdf_sha256)
        if snapshot.pdf_sha256
        else release.get_pdf_url(),
        "headline": release.headline,
        "subheadline": release.subheadline,
        "language": release.language,
        "date": format_date(local.date(), release.language),
        "iso": local.isoformat(),
        "category": release.category,
        "category_label": CATEGORY_LABELS.get(release.category, release.get_category_display()),
        "is_correction": bool(release.corrects_id),
        "company": snapshot.company_name,
    }


@public_list
def index(request):
    """Public releases, latest first, 20 a page, filtered by year, category and language.

    No COUNT over the releases: the number of releases and the years come from the kept aggregate
    (`releases.listing`), and a page is read as 21 rows, the last one saying whether a next page exists.
    """
    language, languages = _language_filter(request)
    year = _year(request.GET.get("year"))
    category = request.GET.get("category") or ""
    if category not in Release.Category.values:
        category = ""
    counts = listing.counts()
    total = listing.count(languages, year=year, category=category, values=counts)
    page = listing.fetch(
        selectors.listed(languages, year=year, category=category),
        listing.page_number(request.GET.get("page")),
        PAGE_SIZE,
        total,
    )
    context = {
        "page": page,
        "items": [list_item(r) for r in page.object_list],
        "years": listing.years(languages, values=counts),
        "year": year,
        "category": category,
        "page_query": query_string(request, page=""),
        "filtered": bool(year or category),
        "nav_current": "index",
        "canonical_url": settings.SITE_URL + request.path + (f"?page={page.number}" if page.number > 1 else ""),
        **_common_context(request, language, page),
    }
    return render(request, "newsroom/index.html", context)


@require_safe
def search(request):
    """Full-text search over public releases; the matched words highlighted, a long query cut short.

    The count stops at MAX_CANDIDATES (1,000): past it the page says "1,000+".
    """
    raw = request.GET.get("q", "")
    query = release_search.clean_query(raw)
    language, languages = _language_filter(request)
    hits = []
    page = None
    if query:
        results = release_search.search(selectors.searchable(), query, languages)
        total, capped = release_search.count(Release.objects.listed(), query, languages)
        page = listing.fetch(results, listing.page_number(request.GET.get("page")), PAGE_SIZE, total, capped=capped)
        hits = [
            {**list_item(hit.release), "marked_headline": hit.headline, "excerpt": hit.excerpt}
            for hit in release_search.highlight(list(page.object_list), query)
        ]
    context = {
        "query": query,
        "truncated": len(raw) > len(query) and len(raw.strip()) > release_search.MAX_QUERY_CHARS,
        "hits": hits,
        "page": page,
        "page_query": query_string(request, q=query, page=""),
        **_common_context(request, language, page),
    }
    response = render(request, "newsroom/search.html", context)
    # Caches downstream may keep a search briefly; the site does not (every query its own answer).
    return caching.mark(response, "list", bound=selectors.next_scheduled_moment(), keep=False)


# -- discovery and media -------------------------------------------------------------------------------


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    searches = []
    for code in LANGUAGE_CODES:
        with translation.override(code):
            searches.append(f"Disallow: {reverse('newsroom:search')}")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", *dict.fromkeys(searches)]
    lines += ["", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for where a page declares no icon (a feed, the API): the site's icon."""
    response = HttpResponseRedirect(static("newsroom/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@require_safe
def release_image(request, folder: str, name: str):
    """An image of a release, once the release is listed; before that, the same 404 as a made-up path."""
    path = f"release-images/{folder}/{name}"
    if "\x00" in path or not selectors.image_is_public(path):  # a NUL byte: no file's name (PostgreSQL refuses it)
        raise Http404(NOT_FOUND)
    return file_response(path, max_age=300)


@require_safe
def company_logo(request, name: str):
    """A company's logo, and nothing else under logos/."""
    path = f"logos/{name}"
    if "\x00" in path or not selectors.logo_exists(path):
        raise Http404(NOT_FOUND)
    return file_response(path, max_age=3600)
