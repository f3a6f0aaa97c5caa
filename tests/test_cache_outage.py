"""Redis failing never takes a page down: answers come from the database, one warning, throttles still count.

Each test starts a redis-server of its own on a spare port, points the site's cache at it (the backend
that `CACHE_URL` selects in production), serves public pages and the API through it, then kills or
freezes that server mid-run.
"""

import logging
import time

import pytest

from config.settings.base import cache_settings
from releases import services
from releases.models import Release
from tests.factories import published_release
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db

HEADLINE = "Lusvertikimab meets its primary endpoint"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site's cache on this test's Redis, with public answers kept 30 seconds, as in production."""
    settings.CACHES = {"default": cache_settings(redis_server.url)}
    settings.PUBLIC_CACHE_SECONDS = 30
    return redis_server


@pytest.fixture
def shown(db):
    return published_release(headline=HEADLINE, slug="endpoint", body="<p>Lusvertikimab works.</p>")


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "newsroom.cache" and r.levelno == logging.WARNING]


def answers(client, release: Release) -> dict[str, object]:
    """The public page, the index and the API's public list, as status and whether the headline shows."""
    page = client.get(release.get_absolute_url())
    index = client.get("/")
    api = client.get("/api/v1/public/releases/")
    return {
        "page": (page.status_code, HEADLINE in page.content.decode()),
        "index": (index.status_code, HEADLINE in index.content.decode()),
        "api": (api.status_code, api.json()["count"]),
    }


SHOWN = {"page": (200, True), "index": (200, True), "api": (200, 1)}


def test_pages_and_the_api_keep_answering_from_the_database_when_redis_dies(
    client, redis_cache, shown, publisher, caplog
):
    caplog.set_level(logging.WARNING, logger="newsroom.cache")
    assert answers(client, shown) == SHOWN
    assert redis_cache.key_count() > 0, "the answers and the throttle counts were kept in Redis"
    assert answers(client, shown) == SHOWN  # replayed from Redis

    redis_cache.kill()
    for _ in range(10):
        assert answers(client, shown) == SHOWN

    # Answered from the database, not from something kept: a withdrawal shows at once.
    services.release_withdraw(release=shown, user=publisher, notice="Withdrawn at the company's request.")
    page = client.get(shown.get_absolute_url())
    assert page.status_code == 410 and "Withdrawn at the company" in page.content.decode()
    assert HEADLINE not in client.get("/").content.decode()
    assert client.get("/api/v1/public/releases/").json()["count"] == 0
    assert client.get(shown.get_pdf_url()).status_code == 404

    warnings = cache_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert "cannot be reached" in warnings[0] and "answered from the database" in warnings[0]


def test_throttles_still_count_per_process_while_redis_is_down(client, redis_cache, shown, settings, caplog):
    settings.API_THROTTLE_RATES = {"anon": "3/minute"}
    redis_cache.kill()
    statuses = [client.get("/api/v1/public/releases/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(cache_warnings(caplog)) == 1


def test_a_frozen_redis_keeps_its_old_answers_but_they_are_never_replayed_after_it_returns(
    client, redis_cache, shown, publisher, settings, caplog
):
    """A hung server (or a network cut) keeps its data; what changed meanwhile must win when it answers again."""
    settings.CACHES = {"default": cache_settings(redis_cache.url)}
    settings.CACHES["default"]["OPTIONS"]["RETRY_AFTER"] = 0.2
    assert answers(client, shown) == SHOWN
    kept = redis_cache.key_count()
    assert kept > 0

    redis_cache.freeze()
    services.release_withdraw(release=shown, user=publisher, notice="Withdrawn at the company's request.")
    assert client.get(shown.get_absolute_url()).status_code == 410
    redis_cache.thaw()

    from django.core.cache import cache

    deadline = time.monotonic() + 20
    while cache.health.down_since is not None:
        assert time.monotonic() < deadline, "the cache never came back"
        assert client.get(shown.get_absolute_url()).status_code == 410
        time.sleep(0.1)
    # Redis answers again and still holds the page kept before the withdrawal: it must not be replayed.
    page = client.get(shown.get_absolute_url())
    assert page.status_code == 410 and "Withdrawn at the company" in page.content.decode()
    assert client.get("/api/v1/public/releases/").json()["count"] == 0
    assert HEADLINE not in client.get("/").content.decode()
    messages = cache_warnings(caplog)
    assert any("answers again" in m for m in messages), messages
