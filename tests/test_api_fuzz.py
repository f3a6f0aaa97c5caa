"""Schemathesis against /api/schema/, anonymously and as a writer: no 5xx, no response outside the schema.

Run alone with `.venv/bin/python -m pytest -m slow tests/test_api_fuzz.py`; against a running server
the same checks are `schemathesis run` (see docs/integrators.md).
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from releases.services import api_token_issue
from tests import factories
from tests.factories import ready_release, user_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# Zero server errors and zero responses outside the schema. Left out: the checks that judge which
# requests should be refused (an empty `?published_to=` is "no filter", a 400 for an unknown id is fine).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: a request's end must not close the connection holding the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def world(keep_the_test_connection, fast_rendering, settings, monkeypatch):
    """Some of everything: a published release, a draft, parts; high throttle limits; fast rendering."""
    settings.API_THROTTLE_RATES = {"anon": "1000000/minute", "token": "1000000/minute"}
    cache.clear()
    writer = user_in("Writer", "writer")
    factories.published_release(parts=True)
    ready_release(writer)
    factories.PipelineAssetFactory()
    _token, key = api_token_issue(user=writer, name="fuzz")
    return key


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_anonymously(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_a_writer(case, world):
    case.call_and_validate(headers={"Authorization": f"Token {world}"}, checks=CHECKS)
