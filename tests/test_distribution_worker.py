"""Real worker processes (`manage.py db_worker`) against PostgreSQL and real SMTP servers.

* A release scheduled a few seconds ahead goes out through a worker started before its moment:
  every message is accepted by the SMTP server after the moment, one per subscriber.
* Two workers send one release; the first is killed (SIGKILL) in the middle of the batch, while the
  SMTP server holds one of its messages unanswered, then a worker is started again: every subscriber
  gets exactly one message. The killed worker's row lock goes with its connection, and the row is
  still waiting; the other worker, the restarted one and the periodic catch-up pass send it.

The worker processes share the test database, so these tests commit (transactional) and need
PostgreSQL (an in-memory SQLite test database is invisible to another process).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from releases.models import Delivery, Dispatch
from tests.distribution_support import (
    Inbox,
    SMTPServer,
    published_release,
    role_users,
    start_worker,
    stop,
    subscriber,
    wait_until,
)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _postgresql_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can share: run with DATABASE_URL=postgres://…")


@pytest.fixture
def roles(fast_rendering):
    return role_users()


def test_a_scheduled_release_goes_out_at_its_moment_through_a_worker(roles, tmp_path, settings):
    settings.DISTRIBUTION_SWEEP_SECONDS = 1
    addresses = [f"reader{n}@example.org" for n in range(12)]
    for address in addresses:
        subscriber(address)
    subscriber("french@example.org", languages=("fr",))
    inbox = Inbox()
    with SMTPServer(inbox) as server:
        worker = start_worker(server.url, log=tmp_path / "worker.log", DISTRIBUTION_SWEEP_SECONDS="1")
        try:
            moment = (timezone.now() + dt.timedelta(seconds=4)).replace(microsecond=0)
            release = published_release(moment=moment, roles=roles)  # approved for `moment`, then scheduled
            wait_until(lambda: inbox.count() >= len(addresses), what="the messages of the scheduled release")
            wait_until(
                lambda: not Delivery.objects.filter(release=release, status="pending").exists(),
                what="every delivery recorded",
            )
        finally:
            stop(worker)
    assert sorted(r.to for r in inbox.received) == sorted(addresses)
    for received in inbox.received:
        assert received.at >= moment.timestamp(), "a message left before the release's moment"
        assert received.message["Subject"] == release.headline
    assert Dispatch.objects.get(release=release).recipients == len(addresses)


def test_two_workers_a_crash_mid_batch_and_a_restart_send_each_message_exactly_once(roles, tmp_path, settings):
    settings.DISTRIBUTION_SWEEP_SECONDS = 1
    addresses = [f"investor{n:03d}@example.org" for n in range(150)]
    for address in addresses:
        subscriber(address)
    inbox = Inbox()
    killed = threading.Event()
    workers: dict[str, object] = {}

    with SMTPServer(inbox) as server_a, SMTPServer(inbox) as server_b:

        def crash_worker_a(envelope, port):
            # Worker A's 21st message (or later): kill A before the server answers, so this message is
            # not accepted and A's transaction is neither committed nor rolled back by A itself.
            if port == server_a.port and not killed.is_set() and inbox.count() >= 20:
                os.kill(workers["a"].pid, signal.SIGKILL)
                workers["a"].wait()
                killed.set()
                return "421 4.3.0 Connection lost"
            return None

        inbox.before_accept = crash_worker_a
        env = {"DISTRIBUTION_SWEEP_SECONDS": "1", "DISTRIBUTION_SEND_TASKS": "2"}
        workers["a"] = start_worker(server_a.url, log=tmp_path / "a.log", **env)
        workers["b"] = start_worker(server_b.url, log=tmp_path / "b.log", **env)
        try:
            release = published_release(roles=roles)  # public now: the workers pick it up at once
            wait_until(killed.is_set, what="worker A to be killed in the middle of the batch")
            sent_when_killed = inbox.count()
            workers["a2"] = start_worker(server_a.url, log=tmp_path / "a2.log", **env)  # the restart
            wait_until(
                lambda: (
                    inbox.count() >= len(addresses)
                    and not Delivery.objects.filter(release=release, status="pending").exists()
                ),
                what="every subscriber's message",
            )
        finally:
            for worker in workers.values():
                stop(worker)

    per_address = Counter(r.to for r in inbox.received)
    assert set(per_address) == set(addresses)
    assert set(per_address.values()) == {1}, [a for a, n in per_address.items() if n > 1]
    assert 20 <= sent_when_killed < len(addresses)  # the crash was in the middle of the batch
    ports = Counter(r.port for r in inbox.received)
    assert ports[server_a.port] > 0 and ports[server_b.port] > 0  # both workers sent part of it
    statuses = Counter(Delivery.objects.filter(release=release).values_list("status", flat=True))
    assert statuses == {"sent": len(addresses)}
    ids = [r.message["Message-ID"] for r in inbox.received]
    assert len(set(ids)) == len(ids)
