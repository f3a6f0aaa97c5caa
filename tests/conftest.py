import hashlib

import pytest
from django.core.management import call_command
from django.utils import translation

from tests import factories


def pytest_configure(config):
    """Compile every catalogue whose .mo is missing or older (pytest run without `make messages`).

    Written to a temporary file and moved into place, so parallel workers never read half a file.
    """
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    for po in sorted((Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo")
        os.close(fd)
        subprocess.run(["msgfmt", "--check-format", "-o", tmp, str(po)], check=True)  # noqa: S603, S607
        os.replace(tmp, mo)


class _OneRequestAtATime:
    """A WSGI application that serves one request at a time, the response's body included."""

    def __init__(self, app):
        import threading

        self.app, self.lock = app, threading.Lock()

    def __call__(self, environ, start_response):
        self.lock.acquire()
        try:
            response = self.app(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return _ReleasedOnClose(response, self.lock)


class _ReleasedOnClose:
    def __init__(self, response, lock):
        self.response, self.lock = response, lock

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.lock.release()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server; on SQLite's in-memory database, one request at a time.

    There the server's threads share the test's one connection, and two requests at once (a preview opened
    while the form asks for its lead) break it: "bad parameter or other API misuse". PostgreSQL gives each
    thread its own connection and keeps the server concurrent.
    """
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        httpd = live_server.thread.httpd
        httpd.set_app(_OneRequestAtATime(httpd.get_app()))
    return live_server


@pytest.fixture(autouse=True)
def _empty_cache():
    """Kept public answers, held frozen bytes and throttle counts belong to one test."""
    from django.core.cache import cache

    from releases import caching, selectors, views

    cache.clear()
    caching.forget_local()
    selectors.FROZEN.clear()
    views.PAGE_ANSWERS.clear()
    yield
    cache.clear()
    caching.forget_local()
    selectors.FROZEN.clear()
    views.PAGE_ANSWERS.clear()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request in French must not leak its language into the next test."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True, scope="session")
def _roles_survive_flushes():
    """A transactional test ends by emptying every table, the role groups included, then Django sends
    post_migrate (which puts back content types and permissions): put the roles back there too, so the
    tests that run after it in the same worker find the roles they rely on."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from tests.roles import restore_roles

    def receiver(**kwargs):
        restore_roles()

    post_migrate.connect(receiver, sender=apps.get_app_config("releases"), dispatch_uid="tests.restore_roles")
    yield
    post_migrate.disconnect(dispatch_uid="tests.restore_roles", sender=apps.get_app_config("releases"))


@pytest.fixture
def demo(db):
    """The reference release and its parts, as `load_demo` builds them."""
    call_command("load_demo", verbosity=0)
    from releases.models import Release

    return Release.objects.get(slug="ose-immunotherapeutics-lusvertikimab-blood-publication", language="en")


# -- the editorial roles and a release ready for review (workflow, admin and API tests) ------------


def _pdf_without_weasyprint(html: str, *, identifier: bytes, variant=None, timeout=None) -> bytes:
    """Stands in for WeasyPrint's seconds: bytes that change whenever the print layout's HTML changes."""
    return b"%PDF-1.7\n% " + hashlib.sha256(html.encode()).hexdigest().encode() + b"\n%%EOF\n"


@pytest.fixture
def fast_rendering(monkeypatch):
    """The real composition of page, fragment, text and content; only the PDF's bytes are not WeasyPrint's."""
    monkeypatch.setattr("releases.rendering.outputs.render_pdf_bytes", _pdf_without_weasyprint)


@pytest.fixture
def writer(db):
    return factories.user_in("Writer", "writer")


@pytest.fixture
def reviewer(db):
    return factories.user_in("Reviewer", "reviewer")


@pytest.fixture
def publisher(db):
    return factories.user_in("Publisher", "publisher")


@pytest.fixture
def release(writer):
    return factories.ready_release(writer)


@pytest.fixture
def public_release(writer):
    """A release whose moment has passed: once published, the public can read it."""
    return factories.ready_release(writer, publication_at=factories.PAST)
