"""A Redis cache that degrades instead of failing: when Redis cannot be reached, the site answers without it.

Selected in `config.settings.base` when CACHE_URL is a redis:// (or rediss://, unix://) URL. It is Django's
own `RedisCache`; only what happens when Redis does not answer changes:

- Reads miss and writes are dropped, so every public answer is computed from the database: slower, and
  never stale. Keys whose prefix is in `LOCAL_FALLBACK_PREFIXES` (the API throttles, `throttle_…`) are
  kept in this process's memory instead, so throttling still counts, per process, while Redis is away.
- After a failure Redis is left alone for `RETRY_AFTER` seconds (default 5): a request never waits for a
  dead server more than once per interval, and each call's wait is bounded by short socket timeouts.
- A warning is logged at most once per `WARN_EVERY` seconds (default 60) per process, not per request;
  another when Redis answers again.
- A write that was dropped may have left an older value in Redis (a network cut keeps Redis's data): the
  keys of dropped writes are deleted as soon as Redis answers again, so no value older than the database
  outlives the outage (past `MAX_LOST_KEYS` of them, the whole cache database is emptied instead).

The state is kept per process and per LOCATION, shared by the threads of the process.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("newsroom.cache")


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    # RedisError covers ConnectionError, TimeoutError, BusyLoadingError, ReadOnlyError, ResponseError…
    # OSError: a socket error that redis-py did not wrap.
    return (redis.exceptions.RedisError, OSError)


@dataclass
class _Health:
    """What this process knows about one Redis location."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    down_since: float | None = None  # time.monotonic() of the first failure of the current outage
    retry_at: float = 0.0  # no call to Redis before this moment
    last_warning: float | None = None
    lost_keys: set[str] = field(default_factory=set)  # keys whose write was dropped during the outage
    lost_overflow: bool = False


_HEALTH: dict[str, _Health] = {}
_HEALTH_LOCK = threading.Lock()


def _health_of(location: str) -> _Health:
    with _HEALTH_LOCK:
        return _HEALTH.setdefault(location, _Health())


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; when Redis fails, a miss (or the process's memory for throttles), never an error."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        self.warn_every = float(options.pop("WARN_EVERY", 60))
        self.local_prefixes = tuple(options.pop("LOCAL_FALLBACK_PREFIXES", ("throttle_",)))
        self.max_lost_keys = int(options.pop("MAX_LOST_KEYS", 10_000))
        # A dead or unreachable server costs at most these waits, once per RETRY_AFTER.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.location = server if isinstance(server, str) else ",".join(server)
        self.health = _health_of(self.location)
        local_params = {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}}
        self._local = LocMemCache(f"redis-fallback:{self.location}", local_params)

    # -- health ---------------------------------------------------------------------------------

    @property
    def is_available(self) -> bool:
        """False while Redis is left alone after a failure."""
        return time.monotonic() >= self.health.retry_at

    def _shown_location(self) -> str:
        # The address without a password, for the log.
        return ",".join(s.split("@")[-1] for s in self._servers)

    def _failed(self, error: BaseException) -> None:
        health = self.health
        now = time.monotonic()
        with health.lock:
            health.retry_at = now + self.retry_after
            if health.down_since is None:
                health.down_since = now
            warn = health.last_warning is None or now - health.last_warning >= self.warn_every
            if warn:
                health.last_warning = now
        if warn:
            logger.warning(
                "The cache at %s cannot be reached (%s: %s). Pages are answered from the database and API "
                "throttles are counted per process until it answers again; next try in %g seconds.",
                self._shown_location(),
                type(error).__name__,
                error,
                self.retry_after,
            )

    def _recovered(self) -> None:
        health = self.health
        with health.lock:
            if health.down_since is None:
                return
            lost, overflow = health.lost_keys, health.lost_overflow
            outage = time.monotonic() - health.down_since
            health.down_since, health.last_warning = None, None
            health.lost_keys, health.lost_overflow = set(), False
        try:
            if overflow:
                self._cache.clear()
            elif lost:
                self._cache.delete_many(list(lost))
        except _redis_errors() as error:
            # Down again at once: keep what still has to be deleted for the next recovery.
            with health.lock:
                health.lost_keys |= lost
                health.lost_overflow |= overflow
                health.down_since = health.down_since or time.monotonic()
            self._failed(error)
            return
        logger.warning(
            "The cache at %s answers again after %.0f seconds; %s.",
            self._shown_location(),
            outage,
            "its database was emptied (too many writes were lost)"
            if overflow
            else f"{len(lost)} value(s) written meanwhile were dropped from it",
        )

    def _lost(self, keys) -> None:
        health = self.health
        with health.lock:
            if health.lost_overflow:
                return
            health.lost_keys.update(keys)
            if len(health.lost_keys) > self.max_lost_keys:
                health.lost_keys, health.lost_overflow = set(), True

    def _call(self, redis_call, fallback, *, lost_keys=()):
        """Run `redis_call` against Redis; on failure (or while Redis is left alone) return `fallback()`."""
        if self.is_available:
            try:
                result = redis_call()
            except _redis_errors() as error:
                self._failed(error)
            else:
                if self.health.down_since is not None:
                    self._recovered()
                return result
        if lost_keys:
            self._lost(lost_keys)
        return fallback()

    def _is_local(self, key) -> bool:
        return isinstance(key, str) and key.startswith(self.local_prefixes)

    def _made(self, key, version) -> str:
        return self.make_and_validate_key(key, version=version)

    # -- the cache API ----------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self._local.add(key, value, timeout, version) if self._is_local(key) else False,
            lost_keys=[self._made(key, version)],
        )

    def get(self, key, default=None, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self._local.get(key, default, version) if self._is_local(key) else default,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self._local.set(key, value, timeout, version) if self._is_local(key) else None,
            lost_keys=[self._made(key, version)],
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self._local.touch(key, timeout, version) if self._is_local(key) else False,
        )

    def delete(self, key, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self._local.delete(key, version) if self._is_local(key) else False,
            lost_keys=[self._made(key, version)],
        )

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._call(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self._local.get_many([k for k in keys if self._is_local(k)], version),
        )

    def has_key(self, key, version=None):
        return self._call(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self._local.has_key(key, version) if self._is_local(key) else False,
        )

    def incr(self, key, delta=1, version=None):
        def fallback():
            if self._is_local(key):
                return self._local.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found (the cache cannot be reached).")

        return self._call(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            fallback,
            lost_keys=[self._made(key, version)],
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = dict(data)

        def fallback():
            self._local.set_many({k: v for k, v in data.items() if self._is_local(k)}, timeout, version)
            return [k for k in data if not self._is_local(k)]

        return self._call(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            fallback,
            lost_keys=[self._made(k, version) for k in data],
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self._local.delete_many([k for k in keys if self._is_local(k)], version),
            lost_keys=[self._made(k, version) for k in keys],
        )

    def clear(self):
        self._local.clear()

        def fallback():
            with self.health.lock:  # empty it as soon as it answers again
                self.health.lost_keys, self.health.lost_overflow = set(), True
            return False

        return self._call(lambda: super(ResilientRedisCache, self).clear(), fallback)
