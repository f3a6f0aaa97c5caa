"""Public answers: how long browsers, CDNs and the site itself may keep them, and keeping them.

A public view marks its answer with `mark(response, kind, bound=…, keys=…)`:

- `kind` "list" (index, feeds, sitemaps, search, the API's list): browsers may keep it PUBLIC_CACHE_SECONDS
  (`max-age`) and shared caches CDN_CACHE_SECONDS (`s-maxage`);
- "release" (a release's page, its PDF at the address the page links to, the media kit, the API's record):
  browsers revalidate every time (`max-age=0, must-revalidate`, a cheap 304 through the ETag), shared caches
  keep it CDN_CACHE_SECONDS;
- "immutable" (a PDF at its fingerprinted address, `/releases/<slug>/<sha256 prefix>.pdf`, whose bytes can
  never change): a year, `immutable`.

`bound` is the next moment the answer's content changes by the clock alone: the next scheduled publication
for a list, the next scheduled version or correction of the release for its page. No `max-age` or
`s-maxage` reaches past it, so a CDN never holds the index past the moment a release goes public.

Every public answer also names its surrogate keys (`Surrogate-Key`, space-separated, as Fastly reads it;
`Cache-Tag`, comma-separated, as Cloudflare reads it): `newsroom` on all, `releases` on lists,
`release-<id>` and `group-<translation group>` on a release's answers. When a release that went or goes out
is saved (published, scheduled, corrected, withdrawn) the keys it touches are handed, once the transaction
commits, to the callable named by CDN_PURGE_HOOK (dotted path, called with a list of keys), which tells the
CDN to drop them: with it, CDN_CACHE_SECONDS may be long; without it, a withdrawal reaches the CDN's copies
within CDN_CACHE_SECONDS.

The site keeps marked answers itself (`KeptAnswersMiddleware`, outside every other middleware but the
security headers and the static files): body and headers, for PUBLIC_CACHE_SECONDS (0 turns it off), never
past `bound`, in the shared cache (Redis with CACHE_URL) and in each process's memory. A kept answer is
replayed without touching the session, the language machinery, the URL resolver or the database. Every saved
release, snapshot or image moves a generation that each kept answer carries: an edit, a withdrawal or a
correction shows at once where the cache is shared (each process reads the shared generation again at most
PUBLIC_CACHE_SYNC_SECONDS after the last read, 0.2 s by default), within PUBLIC_CACHE_SECONDS where each
process keeps its own. While the shared cache cannot be reached nothing is kept or replayed: every answer
comes from the database. Only 200s are kept; a 404 never is, so nothing of a release under embargo can sit
in a cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string

from .lru import SizedLRU

logger = logging.getLogger("newsroom.cache")

GENERATION_KEY = "newsroom:generation"
LISTING_KEY = "newsroom:listing"
ANSWER_PREFIX = "newsroom:answer:"
YEAR = 365 * 24 * 3600
# Headers a kept answer does not replay: the replay computes them again.
NOT_KEPT = {"cache-control", "content-length", "set-cookie"}


def seconds() -> int:
    """How long the site keeps a public answer, and browsers a list (max-age)."""
    return max(0, int(getattr(settings, "PUBLIC_CACHE_SECONDS", 30)))


def cdn_seconds() -> int:
    """How long a shared cache (a CDN) may keep a public answer (s-maxage)."""
    return max(0, int(getattr(settings, "CDN_CACHE_SECONDS", 30)))


def sync_seconds() -> float:
    return max(0.0, float(getattr(settings, "PUBLIC_CACHE_SYNC_SECONDS", 0.2)))


# -- generations ----------------------------------------------------------------------------------------


def _read_generation(key: str) -> int | None:
    """The value of a generation in the shared cache, created when missing; None when the cache cannot answer."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def generation() -> int | None:
    """The current generation of the public content; any saved release, snapshot or image moves it."""
    return _read_generation(GENERATION_KEY)


def listing_generation() -> int | None:
    """The generation of what the lists hold; only a released release's save or deletion moves it."""
    return _read_generation(LISTING_KEY)


class _LocalGeneration:
    """This process's copy of the shared generation, read again at most every PUBLIC_CACHE_SYNC_SECONDS."""

    def __init__(self):
        self.value: int | None = None
        self.read_at = float("-inf")

    def current(self) -> int | None:
        now = time.monotonic()
        if now - self.read_at >= sync_seconds():
            self.value = generation()
            self.read_at = now
        return self.value

    def forget(self) -> None:
        self.read_at = float("-inf")


_local_generation = _LocalGeneration()


def bump(sender=None, instance=None, **signal_kwargs) -> None:
    """Something public may have changed: move the generation now and again when the transaction commits
    (a reader between the two could keep what it read before the commit)."""
    _bump(sender, instance, **signal_kwargs)
    transaction.on_commit(functools.partial(_bump, sender, instance, **signal_kwargs))


def _bump(sender=None, instance=None, **signal_kwargs) -> None:
    stamp = time.time_ns()
    cache.set(GENERATION_KEY, stamp, timeout=None)
    if _touches_lists(sender, instance, signal_kwargs):
        cache.set(LISTING_KEY, stamp, timeout=None)
    _local_generation.forget()


def _touches_lists(sender, instance, signal_kwargs) -> bool:
    from .models import Release

    if sender is not Release or instance is None:
        return sender is None
    # A deletion, or a save of a release that went or goes out; drafts and approvals never are in a list.
    return "created" not in signal_kwargs or instance.status in Release.RELEASED_STATUSES


# -- Cache-Control and surrogate keys --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Policy:
    kind: str  # "list", "release" or "immutable"
    bound: dt.datetime | None = None  # the content changes by the clock at this moment
    keys: tuple[str, ...] = ("newsroom",)
    keep: bool = True  # False: caches downstream may keep it, the site does not (a search)


def release_keys(release_id, translation_group=None) -> tuple[str, ...]:
    keys = ["newsroom", f"release-{release_id}"]
    if translation_group:
        keys.append(f"group-{translation_group}")
    return tuple(keys)


LIST_KEYS = ("newsroom", "releases")


def _remaining(bound: dt.datetime | None, now: dt.datetime) -> int | None:
    if bound is None:
        return None
    return max(0, int((bound - now).total_seconds()))


def cache_control(policy: Policy, now: dt.datetime | None = None) -> str:
    """The Cache-Control of an answer under `policy` at `now`: never fresh past `policy.bound`."""
    if policy.kind == "immutable":
        return f"public, max-age={YEAR}, immutable"
    remaining = _remaining(policy.bound, now or timezone.now())
    shared = cdn_seconds() if remaining is None else min(cdn_seconds(), remaining)
    if policy.kind == "list":
        browser = seconds() if remaining is None else min(seconds(), remaining)
        return f"public, max-age={browser}, s-maxage={shared}"
    return f"public, max-age=0, must-revalidate, s-maxage={shared}"


def apply(response, policy: Policy, now: dt.datetime | None = None):
    response["Cache-Control"] = cache_control(policy, now)
    response["Surrogate-Key"] = " ".join(policy.keys)
    response["Cache-Tag"] = ",".join(policy.keys)
    return response


def mark(response, kind: str, *, bound: dt.datetime | None = None, keys=LIST_KEYS, keep: bool = True):
    """Mark a public answer: its caching headers now, and, for a 200, what the site may keep of it."""
    policy = Policy(kind, bound, tuple(keys), keep)
    apply(response, policy)
    response.public_policy = policy
    return response


def keep_until(kept_seconds: int, bound: dt.datetime | None = None) -> dt.datetime:
    """When an answer kept now stops being replayed: after `kept_seconds`, never past the next scheduled moment."""
    from .selectors import next_scheduled_moment

    now = timezone.now()
    if bound is None:
        bound = next_scheduled_moment(now)
    return min(filter(None, [now + dt.timedelta(seconds=kept_seconds), bound]))


# -- purging a CDN -----------------------------------------------------------------------------------------


def purge_keys(release) -> list[str]:
    """The surrogate keys whose answers a change of `release` may make stale."""
    keys = ["releases", f"release-{release.pk}", f"group-{release.translation_group}"]
    if release.corrects_id:
        keys.append(f"release-{release.corrects_id}")
    return keys


def purge_on_change(sender, instance, **kwargs) -> None:
    """Tell the CDN (CDN_PURGE_HOOK) which keys to drop once a change of a release that went out commits."""
    from .models import Release, Snapshot

    hook_path = getattr(settings, "CDN_PURGE_HOOK", "")
    if not hook_path:
        return
    release = instance.release if isinstance(instance, Snapshot) else instance
    if not isinstance(release, Release) or release.status not in Release.RELEASED_STATUSES:
        return
    keys = purge_keys(release)

    def purge():
        try:
            import_string(hook_path)(keys)
        except Exception:  # the change is saved; a CDN that did not hear of it expires the copies itself
            logger.exception("CDN purge of %s failed", " ".join(keys))

    transaction.on_commit(purge)


# -- kept answers ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class Answer:
    content: bytes
    headers: list[tuple[str, str]]
    policy: Policy
    until: dt.datetime
    generation: int

    @property
    def size(self) -> int:
        return len(self.content) + 200

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name), None)


# This process's most recently used kept answers, at most PUBLIC_CACHE_LOCAL_BYTES of them.
_local_answers = SizedLRU("PUBLIC_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)


def forget_local() -> None:
    """Drop what this process keeps in memory (tests; the shared cache is emptied with cache.clear())."""
    _local_answers.clear()
    _local_generation.forget()


def _shared_key(path: str) -> str:
    return ANSWER_PREFIX + hashlib.sha256(path.encode()).hexdigest()


def kept(path: str) -> Answer | None:
    """The answer kept for `path` (path and query string), if it is still the current one."""
    current = _local_generation.current()
    if current is None:
        return None
    now = timezone.now()
    answer = _local_answers.get(path)
    if answer is not None and answer.generation == current and answer.until > now:
        return answer
    answer = cache.get(_shared_key(path))
    if isinstance(answer, Answer) and answer.generation == current and answer.until > now:
        _local_answers.put(path, answer, answer.size)
        return answer
    return None


def keep(path: str, response) -> None:
    """Keep a marked 200 answer: never one that sets a cookie, varies by one or carries a CSP nonce."""
    policy: Policy | None = getattr(response, "public_policy", None)
    kept_seconds = seconds()
    if (
        policy is None
        or not policy.keep
        or not kept_seconds
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or "cookie" in response.get("Vary", "").lower()
        or "'nonce-" in response.get("Content-Security-Policy", "")  # a nonce is for one answer only
    ):
        return
    current = _local_generation.current()
    if current is None:
        return
    # A list changes whenever any release goes public: its bound is the next scheduled moment, found here
    # when the view did not say.
    until = keep_until(kept_seconds, policy.bound) if policy.kind == "list" else None
    until = until or min(filter(None, [timezone.now() + dt.timedelta(seconds=kept_seconds), policy.bound]))
    headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_KEPT]
    answer = Answer(bytes(response.content), headers, policy, until, current)
    _local_answers.put(path, answer, answer.size)
    timeout = max(1, min(kept_seconds, int((until - timezone.now()).total_seconds()) + 1))
    cache.set(_shared_key(path), answer, timeout=timeout)


def replay(request, answer: Answer) -> HttpResponse:
    """A kept answer, as a 304 when the client holds it; Cache-Control and Content-Length computed again."""
    etag = answer.header("etag")
    modified = answer.header("last-modified")
    last_modified = parse_http_date_safe(modified) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(answer.content)
        response["Content-Length"] = str(len(answer.content))
    for name, value in answer.headers:
        response[name] = value
    apply(response, answer.policy)
    return response


class KeptAnswersMiddleware:
    """Replays kept public answers before the session, language, CSRF and authentication middleware run, and
    keeps the answers public views marked. Goes right after WhiteNoise."""

    SKIPPED = ("/admin/", "/api/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not seconds() or request.path_info.startswith(self.SKIPPED):
            return self.get_response(request)
        path = request.get_full_path()
        answer = kept(path)
        if answer is not None:
            return replay(request, answer)
        response = self.get_response(request)
        keep(path, response)
        return response
