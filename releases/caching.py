"""Public answers kept briefly: only what the gate already let out, never past the next moment.

One decorator, `public_cache`, and one setting, `PUBLIC_CACHE_SECONDS` (0 turns it off). A kept answer ends
at the earliest of those seconds and the next scheduled publication, so a release still appears to the
second. Every saved release or snapshot moves a generation that is part of every key: an edit, a withdrawal
or a correction shows at once where the cache is shared (Redis, with CACHE_URL), and within the seconds
where each process keeps its own. A 404 is never kept, so nothing about a release under embargo can sit in
the cache.
"""

import datetime as dt
import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

GENERATION_KEY = "newsroom:generation"
KEPT_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Link", "Content-Disposition", "Cache-Control")


def seconds() -> int:
    """How long a public answer may be kept, here and by browsers and proxies (max-age)."""
    return max(0, int(getattr(settings, "PUBLIC_CACHE_SECONDS", 30)))


def generation() -> int:
    """The current generation of the public content; any saved release or snapshot moves it."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def bump(**_signal_kwargs) -> None:
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def keep_until(kept_seconds: int) -> dt.datetime:
    from .selectors import next_scheduled_moment

    now = timezone.now()
    return min(filter(None, [now + dt.timedelta(seconds=kept_seconds), next_scheduled_moment(now)]))


def public_cache(view):
    """Keep a public view's 200 answers (body and headers) for a few seconds; replay them, 304 included."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        kept_seconds = seconds()
        if not kept_seconds or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(f"{request.LANGUAGE_CODE}|{request.get_full_path()}|{generation()}".encode())
        key = f"newsroom:answer:{digest.hexdigest()}"
        kept = cache.get(key)
        if kept is not None and kept["until"] > timezone.now():
            return _replay(request, kept)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if callable(getattr(response, "render", None)):
                response.render()
            entry = {
                "content": response.content,
                "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
                "until": keep_until(kept_seconds),
            }
            cache.set(key, entry, timeout=kept_seconds)
        return response

    return wrapper


def _replay(request, kept: dict) -> HttpResponse:
    headers = kept["headers"]
    last_modified = parse_http_date_safe(headers["Last-Modified"]) if "Last-Modified" in headers else None
    response = get_conditional_response(request, etag=headers.get("ETag"), last_modified=last_modified)
    if response is None:
        response = HttpResponse(kept["content"])
    for name, value in headers.items():
        response[name] = value
    return response
