import hashlib
import importlib

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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Kept public answers and throttle counts belong to one test."""
    from django.core.cache import cache

    from releases import caching

    cache.clear()
    caching.forget_local()
    yield
    cache.clear()
    caching.forget_local()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request in French must not leak its language into the next test."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _roles_survive_flushes(request, django_db_blocker):
    """A transactional test ends by emptying every table, the role groups of migration 0002 included:
    put them back, so the tests that run after it in the same worker find the roles they rely on."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.apps import apps
        from django.contrib.auth.management import create_permissions
        from django.contrib.auth.models import Group, Permission

        roles = {
            name: list(codenames)
            for name, codenames in importlib.import_module("releases.migrations.0002_roles").ROLES.items()
        }
        distribution = importlib.import_module("releases.migrations.0005_distribution_roles").DISTRIBUTION_ROLES
        for name, codenames in distribution.items():
            roles[name] = roles.get(name, []) + codenames
        with django_db_blocker.unblock():
            for app_config in apps.get_app_configs():
                create_permissions(app_config, verbosity=0)
            for name, codenames in roles.items():
                group, _created = Group.objects.get_or_create(name=name)
                group.permissions.set(
                    Permission.objects.filter(content_type__app_label="releases", codename__in=codenames)
                )


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
