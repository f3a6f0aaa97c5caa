"""The database may take pages down only briefly, and never leaves anything half-written.

- PostgreSQL: while clients read public pages and the API and a writer creates releases through the API,
  every connection of the test database is terminated (pg_terminate_backend), three times. Requests in
  flight may fail; within seconds every client answers again, and every release in the database is whole.
- SQLite: two writers that read then write at the same moment both succeed (IMMEDIATE transactions and a
  busy timeout), where SQLite's default would fail one with "database is locked".
"""

from __future__ import annotations

import contextlib
import json
import threading
import time

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from config.settings.base import database_settings
from releases.models import Reference, Release, WorkflowEvent
from releases.services import api_token_issue
from tests import factories
from tests.factories import published_release, user_in
from tests.servers import Gunicorn

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="terminates PostgreSQL connections")

RECOVERY_SECONDS = 5  # every client must answer again within this long after the last termination
SETTLED_SECONDS = 1  # requests that start this long after a termination must all succeed


class Worker(threading.Thread):
    """A client in a loop: `request()` returns (right answer?, detail); records (start, ok, detail) per request."""

    def __init__(self, name: str, request, stop: threading.Event, pause: float = 0.01):
        super().__init__(name=name, daemon=True)
        self.request, self.stop, self.pause = request, stop, pause
        self.results: list[tuple[float, bool, str]] = []

    def run(self):
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                ok, detail = self.request()
            except Exception as error:  # a failed request is data here, judged below
                ok, detail = False, f"{type(error).__name__}: {error}"
            self.results.append((started, ok, detail))
            time.sleep(self.pause)


def terminate_other_connections() -> int:
    """Terminate every connection to the test database but this one: gunicorn's workers' kept ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def served(transactional_db, tmp_path):
    """The project under gunicorn on the test database, with the production database settings (kept
    connections, health checks, statement timeout)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    server = Gunicorn(
        settings_module="tests.live_settings",
        env={"DATABASE_URL": url, "DATABASE_CONN_MAX_AGE": "60"},
        log=tmp_path / "gunicorn.log",
    )
    yield server
    server.stop()


@postgres_only
@pytest.mark.slow
def test_terminated_connections_recover_within_seconds_and_nothing_is_half_written(served):
    writer = user_in("Writer", "writer")
    shown = published_release(headline="Lusvertikimab meets its primary endpoint", slug="endpoint")
    company = factories.CompanyFactory()
    contact = factories.ContactFactory(company=company)
    _token, key = api_token_issue(user=writer, name="resilience test")
    counter = iter(range(1_000_000))

    def read_page():
        status, body = served.get(shown.get_absolute_url())
        return status == 200 and b"primary endpoint" in body, str(status)

    def read_api():
        status, body = served.get("/api/v1/public/releases/?page_size=5")
        return status == 200 and json.loads(body)["count"] == 1, str(status)

    def write_release():
        n = next(counter)
        payload = {
            "company": company.pk,
            "language": "en",
            "headline": f"Acme Biotech update number {n}",
            "body": "<p>Acme Biotech reports progress (1) (2) (3).</p>",
            "contacts": [contact.pk],
            "references": [{"citation": f"Reference {i} of update {n}."} for i in (1, 2, 3)],
        }
        headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
        status, body = served.get("/api/v1/releases/", headers, json.dumps(payload).encode(), method="POST")
        return status == 201, f"{status} {body[:200]!r}"

    stop = threading.Event()
    workers = [Worker("page", read_page, stop), Worker("api", read_api, stop)]
    workers.append(Worker("writer", write_release, stop, pause=0.05))
    for worker in workers:
        worker.start()
    try:
        while not all(any(ok for _, ok, _ in w.results) for w in workers):  # everything works first
            assert not any(w.results and not w.results[0][1] for w in workers), [w.results[:1] for w in workers]
            time.sleep(0.1)
        for _ in range(3):
            assert terminate_other_connections() >= 1
            last = time.monotonic()
            time.sleep(0.7)
        deadline = last + RECOVERY_SECONDS + SETTLED_SECONDS + 1
        while time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)

    for worker in workers:
        after = [(started, ok, detail) for started, ok, detail in worker.results if started > last]
        assert any(ok for _, ok, _ in after), f"{worker.name} did not recover: {after[-3:]}"
        first_ok = next(started for started, ok, _ in after if ok)
        assert first_ok - last < RECOVERY_SECONDS, f"{worker.name} took {first_ok - last:.1f} s to recover"
        settled = [(ok, detail) for started, ok, detail in after if started > last + SETTLED_SECONDS]
        assert settled and all(ok for ok, _ in settled), f"{worker.name} still failing: {settled[:3]}"

    # Nothing half-written: every release in the database is whole (its references, contact and event),
    # whether or not its request was answered.
    written = Release.objects.filter(company=company)
    created = sum(ok for _, ok, _ in workers[-1].results)
    assert written.count() >= created > 0
    for release in written:
        assert Reference.objects.filter(release=release).count() == 3, release.headline
        assert WorkflowEvent.objects.filter(release=release, action="created").count() == 1, release.headline
        assert release.contact_links.count() == 1, release.headline


# -- SQLite ---------------------------------------------------------------------------------------


def _connections(path, **option_changes) -> ConnectionHandler:
    """Two aliases ("default", "two") on one SQLite file, with the project's settings; each thread connects anew."""
    config = database_settings(f"sqlite:///{path}")
    config["OPTIONS"].update(option_changes)
    return ConnectionHandler({"default": dict(config), "two": dict(config)})


def _read_then_write_at_once(handler: ConnectionHandler) -> list[str]:
    """Both connections read, wait for each other, then write: SQLite's classic lock upgrade conflict."""
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS counter (n integer)")
    handler["default"].close()
    # Each waits (at most a second) until the other has read too: under IMMEDIATE the other cannot.
    barrier = threading.Barrier(2, timeout=1)
    errors: list[str] = []

    def work(alias):
        conn = handler[alias]
        try:
            conn.ensure_connection()
            with conn.cursor() as cursor:
                # What django.db.transaction.atomic() begins with on SQLite.
                cursor.execute("BEGIN" + (f" {conn.transaction_mode}" if conn.transaction_mode else ""))
                cursor.execute("SELECT count(*) FROM counter")
                count = cursor.fetchone()[0]
                # A broken barrier: the other one is waiting for our lock, which is the point.
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait()
                cursor.execute("INSERT INTO counter VALUES (%s)", [count + 1])
                cursor.execute("COMMIT")
        except Exception as error:  # collected and asserted on
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            conn.close()

    threads = [threading.Thread(target=work, args=(alias,)) for alias in ("default", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.fixture
def own_databases(django_db_blocker):
    """These tests open their own SQLite files, beside the test database: let them."""
    with django_db_blocker.unblock():
        yield


def test_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path, own_databases):
    handler = _connections(tmp_path / "db.sqlite3")
    assert handler.settings["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert _read_then_write_at_once(handler) == []
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT n FROM counter ORDER BY n")
        assert [row[0] for row in cursor.fetchall()] == [1, 2], "the second writer saw the first one's row"
    handler.close_all()


def test_without_immediate_transactions_the_same_writers_fail(tmp_path, own_databases):
    """The control: SQLite's default (deferred) transactions fail one of the same two writers."""
    errors = _read_then_write_at_once(_connections(tmp_path / "db.sqlite3", transaction_mode=None))
    assert len(errors) == 1 and "locked" in errors[0], errors
