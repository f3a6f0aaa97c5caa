import importlib

import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def _empty_cache():
    """Kept public answers and throttle counts belong to one test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def fast_rendering(monkeypatch):
    """A renderer that reads the live parts like the real one, without WeasyPrint's seconds."""
    from tests.test_workflow_support import fake_render_all

    monkeypatch.setattr("releases.rendering.render_all", fake_render_all)


@pytest.fixture
def writer(db):
    from tests.test_workflow_support import user_in

    return user_in("Writer", "writer")


@pytest.fixture
def reviewer(db):
    from tests.test_workflow_support import user_in

    return user_in("Reviewer", "reviewer")


@pytest.fixture
def publisher(db):
    from tests.test_workflow_support import user_in

    return user_in("Publisher", "publisher")


@pytest.fixture
def release(writer):
    from tests.test_workflow_support import ready_release

    return ready_release(writer)
