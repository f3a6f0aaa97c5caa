"""HTTP helpers of the public views: frozen bytes with their validators, file answers, headers."""

from __future__ import annotations

import datetime as dt
import functools
import io
import mimetypes
import zipfile
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

NOT_FOUND = "No release here."


def client_address(request) -> str:
    """The client's address: behind settings.TRUSTED_PROXY_COUNT reverse proxies, the one the nearest of them
    received the request from (they append it to X-Forwarded-For); with none, the connection's own address.
    The same rule as Django REST framework's NUM_PROXIES, which is set to the same count."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if count <= 0 or not forwarded:
        return remote
    return forwarded[-min(count, len(forwarded))]


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

    `variant` folds into the ETag whatever the page gains when served (the language switch, a notice).
    Caches must revalidate every time (cheap: a 304) unless the view marks the answer with its own caching
    policy (`caching.mark`), as the public views do.
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
        response["Last-Modified"] = _http_date(last_modified)
    response["Cache-Control"] = "public, no-cache"  # a new answer: nothing to merge with
    return response


@functools.lru_cache(maxsize=1024)
def _http_date(seconds: int) -> str:
    """A moment as HTTP writes it; the same few moments are written on every request for a release."""
    return http_date(seconds)


def file_response(name: str, max_age: int) -> FileResponse:
    """A file of the media storage, typed by its name, never sniffed; 404 when it is not there."""
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise Http404(NOT_FOUND) from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def hreflang_link_header(release, translations) -> str:
    """An HTTP `Link` header with hreflang alternates, computed when served, so it follows the embargo."""
    versions = [release, *translations] if translations else []
    return ", ".join(
        f'<{settings.SITE_URL}{v.get_absolute_url()}>; rel="alternate"; hreflang="{v.language}"' for v in versions
    )


def pdf_filename(release) -> str:
    """`<date>-<slug>.pdf`, the date in the issuer's time zone as approved."""
    day = release.snapshot.local(release.publication_at).date().isoformat() if release.publication_at else "undated"
    return f"{day}-{release.slug}.pdf"


def media_kit_zip(release, images) -> bytes:
    """A release's frozen originals in a ZIP, numbered in the release's order, with their words in a text file.

    The same release gives the same bytes: every entry is dated at the publication moment (company time).
    """
    from django.utils.text import slugify

    moment = release.local_publication_at or dt.datetime(2000, 1, 1)
    stamp = moment.timetuple()[:6]
    lines = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number, image in enumerate(images, start=1):
            name = f"{number:02d}-{slugify(image.alt)[:60] or 'image'}{Path(image.original).suffix}"
            with default_storage.open(image.original, "rb") as handle:
                archive.writestr(zipfile.ZipInfo(name, date_time=stamp), handle.read(), zipfile.ZIP_STORED)
            lines.append(f"{name}\n  {image.alt}\n" + (f"  {image.caption}\n" if image.caption else ""))
        words = f"{release.headline}\n{settings.SITE_URL}{release.get_absolute_url()}\n\n" + "\n".join(lines)
        archive.writestr(zipfile.ZipInfo("captions.txt", date_time=stamp), words.encode(), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def query_string(request, **changes) -> str:
    """The list's filters as a query string, with `changes` applied (an empty value drops a filter)."""
    params = {k: v for k, v in request.GET.items() if k in ("year", "category", "language", "q") and v}
    params.update({k: v for k, v in changes.items() if v is not None})
    params = {k: v for k, v in params.items() if v != ""}
    return "?" + urlencode(params) if params else "?"
