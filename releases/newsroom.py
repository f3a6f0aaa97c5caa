"""The newsroom's public lists and discovery: index, search, robots.txt, release media.

Every view reads through `Release.objects.listed()` / `.published()`. A release that is not public yet
answers exactly like one that never existed: the same single query finds nothing, the same 404 follows.
Lists are cached for 30 seconds at most, so a release shows up within a minute of its moment.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import mimetypes
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import caching
from . import search as release_search
from .models import Company, Release, ReleaseImage
from .templatetags.newsroom import words

PAGE_SIZE = 20
LIST_MAX_AGE = 30  # seconds a list, feed or sitemap may be cached: well under a minute
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
NOT_FOUND = "No release here."


def _language_filter(request) -> tuple[str, list[str]]:
    """The chosen language ("all" or a code) and the languages it means; the interface language by default."""
    chosen = request.GET.get("language") or request.LANGUAGE_CODE
    if chosen == "all":
        return chosen, LANGUAGE_CODES
    if chosen not in LANGUAGE_CODES:
        chosen = request.LANGUAGE_CODE
    return chosen, [chosen]


LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def _common_context(request, language: str, page=None) -> dict:
    """Words and options every newsroom page shows, in the interface language."""
    word = words(request.LANGUAGE_CODE)
    other = next((code for code in LANGUAGE_CODES if code != request.LANGUAGE_CODE), request.LANGUAGE_CODE)
    context = {
        "other_language": other,
        "language_options": [("all", word["all_languages"])]
        + [(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGE_CODES],
        "category_options": [(value, word.get(value, label)) for value, label in Release.Category.choices],
        "show_language": language == "all",
    }
    if page is not None:
        context["page_of"] = word["page_of"].format(page=page.number, pages=page.paginator.num_pages)
    return context


def _int_or_none(value: str | None, low: int, high: int) -> int | None:
    if value and value.isdigit() and len(value) <= 4 and low <= int(value) <= high:
        return int(value)
    return None


def _filter_links(request, **changes) -> str:
    params = {k: v for k, v in request.GET.items() if k in ("year", "category", "language", "q") and v}
    params.update({k: v for k, v in changes.items() if v is not None})
    params = {k: v for k, v in params.items() if v != ""}
    return "?" + urlencode(params) if params else "?"


def _list_version() -> int:
    """Changes whenever any release or snapshot is saved: a new version, a fresh list."""
    return caching.generation()


def cached_list(view):
    """Keep a rendered list for LIST_MAX_AGE seconds at most, and never past the next scheduled moment.

    The list is rendered through the gate like any other; what is kept is only what was public when it
    was rendered, and a release due in the meantime ends the entry at its moment, so it shows to the second.
    Any saved release changes the version in the key, so an edit, a withdrawal or an unscheduling shows at once.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = getattr(settings, "NEWSROOM_LIST_CACHE_SECONDS", LIST_MAX_AGE)
        if not seconds or request.method != "GET":
            return view(request, *args, **kwargs)
        now = timezone.now()
        digest = hashlib.sha256(f"{request.LANGUAGE_CODE}|{request.get_full_path()}|{_list_version()}".encode())
        key = f"newsroom:list:{digest.hexdigest()}"
        kept = cache.get(key)
        if kept is not None and kept["until"] > now:
            response = HttpResponse(kept["body"], content_type=kept["content_type"], status=kept["status"])
            patch_cache_control(response, public=True, max_age=LIST_MAX_AGE)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            due = Release.objects.scheduled(now).order_by("publication_at").values_list("publication_at", flat=True)
            until = min([now + dt.timedelta(seconds=seconds), *due[:1]])
            entry = {
                "body": response.content,
                "content_type": response["Content-Type"],
                "status": 200,
                "until": until,
            }
            cache.set(key, entry, timeout=seconds)
        return response

    return wrapper


@require_safe
@cache_control(public=True, max_age=LIST_MAX_AGE)
@cached_list
def index(request):
    """Public releases, latest first, 20 a page, filtered by year, category and language."""
    language, languages = _language_filter(request)
    releases = Release.objects.listed().filter(language__in=languages)
    current_year = timezone.now().year
    year = _int_or_none(request.GET.get("year"), 1990, current_year + 1)
    category = request.GET.get("category") or ""
    if category not in Release.Category.values:
        category = ""
    filtered = releases
    if year:
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        filtered = filtered.filter(publication_at__gte=start, publication_at__lt=start.replace(year=year + 1))
    if category:
        filtered = filtered.filter(category=category)
    page = Paginator(filtered.select_related("company").only(*LIST_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
    years = [d.year for d in releases.dates("publication_at", "year", order="DESC")]
    context = {
        "page": page,
        "items": [list_item(r) for r in page.object_list],
        "years": years,
        "year": year,
        "category": category,
        "categories": Release.Category.choices,
        "language": language,
        "languages": settings.LANGUAGES,
        "page_query": _filter_links(request, page=""),
        "filtered": bool(year or category),
        "nav_current": "index",
        "canonical_url": settings.SITE_URL + request.path + (f"?page={page.number}" if page.number > 1 else ""),
        **_common_context(request, language, page),
    }
    return render(request, "newsroom/index.html", context)


# The columns a list needs: never the body, so 1,000 releases stay cheap to page through.
LIST_FIELDS = (
    "id",
    "slug",
    "language",
    "headline",
    "subheadline",
    "category",
    "publication_at",
    "status",
    "corrects",
    "company__short_name",
    "company__time_zone",
    "company__slug",
)


def list_item(release: Release) -> dict:
    """What a list shows of a release: its words and date in its own language."""
    from .rendering.compose import format_date

    local = release.local_publication_at
    word = words(release.language)
    return {
        "release": release,
        "url": release.get_absolute_url(),
        "pdf_url": release.get_pdf_url(),
        "headline": release.headline,
        "subheadline": release.subheadline,
        "language": release.language,
        "date": format_date(local.date(), release.language),
        "iso": local.isoformat(),
        "category": release.category,
        "category_label": word.get(release.category, release.get_category_display()),
        "is_correction": bool(release.corrects_id),
        "company": release.company.short_name,
    }


@require_safe
@cache_control(public=True, max_age=LIST_MAX_AGE)
def search(request):
    """Full-text search over public releases; the matched words highlighted, a long query cut short."""
    raw = request.GET.get("q", "")
    query = release_search.clean_query(raw)
    language, languages = _language_filter(request)
    hits = []
    page = None
    if query:
        results = release_search.search(Release.objects.listed().select_related("company"), query, languages)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        hits = [
            {**list_item(hit.release), "marked_headline": hit.headline, "excerpt": hit.excerpt}
            for hit in release_search.highlight(list(page.object_list), query)
        ]
    context = {
        "query": query,
        "truncated": len(raw) > len(query) and len(raw.strip()) > release_search.MAX_QUERY_CHARS,
        "hits": hits,
        "page": page,
        "language": language,
        "languages": settings.LANGUAGES,
        "page_query": _filter_links(request, q=query, page=""),
        **_common_context(request, language, page),
    }
    return render(request, "newsroom/search.html", context)


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        "Disallow: /fr/search/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _file_response(name: str, max_age: int) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise Http404(NOT_FOUND) from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_safe
def release_image(request, folder: str, name: str):
    """An image of a release, once the release is listed; before that, the same 404 as a made-up path."""
    path = f"release-images/{folder}/{name}"
    found = ReleaseImage.objects.filter(image=path, release__in=Release.objects.listed()).exists()
    if not found:
        raise Http404(NOT_FOUND)
    return _file_response(path, max_age=300)


@require_safe
def company_logo(request, name: str):
    """Company logos are public: the file of a company's `logo`, and nothing else under logos/."""
    path = f"logos/{name}"
    if not Company.objects.filter(logo=path).exists():
        raise Http404(NOT_FOUND)
    return _file_response(path, max_age=3600)


# -- helpers for the release page and the PDF (releases.views) ------------------------------------


def public_translations(release: Release) -> list[Release]:
    """The other language versions of `release` that are public now (the latest revision of each language).

    hreflang never names a hidden one. The query filters on the indexed translation group only, without an
    ordering, so it stays a few rows whatever the size of the archive.
    """
    # published() less withdrawn ones is enough here: of each language only the latest revision is kept,
    # which is the correction when one is public (and cheaper to ask than listed()'s correction join).
    versions = (
        Release.objects.published()
        .exclude(status=Release.Status.WITHDRAWN)
        .filter(translation_group=release.translation_group)
        .exclude(language=release.language)
        .order_by()
        .only("id", "slug", "language", "publication_at")
    )
    latest: dict[str, Release] = {}
    for version in versions:
        kept = latest.get(version.language)
        if kept is None or (version.publication_at, version.pk) > (kept.publication_at, kept.pk):
            latest[version.language] = version
    return [latest[code] for code in sorted(latest)]


def hreflang_link_header(release: Release, translations: list[Release]) -> str:
    """An HTTP `Link` header with hreflang alternates, computed when served, so it follows the embargo."""
    versions = [release, *translations] if translations else []
    return ", ".join(
        f'<{settings.SITE_URL}{v.get_absolute_url()}>; rel="alternate"; hreflang="{v.language}"' for v in versions
    )


def snapshot_response(
    request,
    *,
    content: bytes | str,
    sha256: str,
    modified: dt.datetime | None,
    content_type: str,
    filename: str | None = None,
    variant: str = "",
) -> HttpResponse:
    """Serve frozen bytes with an ETag from their hash and Last-Modified; 304 when the client has them.

    `variant` folds into the ETag whatever changes the bytes after the snapshot (a withdrawal notice).
    Caches must revalidate every time (cheap: a 304), so a withdrawal shows at once.
    """
    etag = quote_etag(sha256[:32] + (f"-{variant}" if variant else ""))
    last_modified = int(modified.timestamp()) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(content, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, no_cache=True)
    return response


def pdf_filename(release: Release) -> str:
    """`<date>-<slug>.pdf`, the date in the company's time zone."""
    day = release.local_publication_at.date().isoformat() if release.publication_at else "undated"
    return f"{day}-{release.slug}.pdf"
