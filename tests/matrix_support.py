"""The machinery of the permission matrix and the route fuzz: the routes the project serves, a module-wide
world, requests made as each role inside a savepoint that is rolled back, and the class of each answer."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests import matrix_world

SAFE = ("GET", "HEAD", "OPTIONS")
LOGIN_PATH = "/admin/login/"
ADMIN_INDEX = "/admin/"


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """Every URL pattern the project serves as (key, full pattern): the key is the namespaced name, or the
    pattern itself for a route without a name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            full = prefix + str(pattern.pattern)
            yield (f"{namespace}{pattern.name}" if pattern.name else full), full


def routes() -> dict[str, str]:
    walked = list(walk())
    keys = [key for key, _pattern in walked]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"two routes answer to the same key: {duplicates}"
    return dict(walked)


# -- the world, built once per module, in a transaction rolled back at the end ------------------------------


def _pdf_without_weasyprint(html: str, *, identifier: bytes, variant=None, timeout=None) -> bytes:
    import hashlib

    return b"%PDF-1.7\n% " + hashlib.sha256(html.encode()).hexdigest().encode() + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def world_of_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world (tests/matrix_world.py), built once for a test module, with the fast PDF, media in a temporary
    folder and throttles out of the way; everything it wrote is rolled back after the module's last test."""
    media = tmp_path_factory.mktemp("media")
    overrides = override_settings(
        MEDIA_ROOT=media, API_THROTTLE_RATES={"anon": "1000000/minute", "token": "1000000/minute"}
    )
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr("releases.rendering.outputs.render_pdf_bytes", _pdf_without_weasyprint)
        overrides.enable()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = matrix_world.build()
            built.sessions = {role: _session_of(user) for role, user in built.users.items()}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()


def _session_of(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.fixture
def world(world_of_module, db):
    """The module's world, each test inside its own savepoint."""
    return world_of_module


# -- one request, undone --------------------------------------------------------------------------------


def _changes() -> int:
    """How many rows this connection has inserted, updated or deleted so far."""
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
        return int(cursor.fetchone()[0])


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    location: str
    wrote: bool
    error: str = ""
    body: bytes = b""


def request(world, role: str, method: str, url: str, data=None, *, json: bool = False) -> Answer:
    """`method` on `url` as `role`, in a savepoint rolled back afterwards: the world is the same for the next."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    if json and method not in ("GET", "HEAD"):
        import json as json_module

        kwargs = {"data": json_module.dumps(data or {}), "content_type": "application/json"}
    elif method in ("GET", "HEAD", "POST"):
        kwargs = {"data": data or {}}
    else:
        from urllib.parse import urlencode

        kwargs = {"data": urlencode(data or {}), "content_type": "application/x-www-form-urlencoded"}
    with transaction.atomic():
        before = _changes()
        try:
            if method in ("GET", "HEAD") or (method == "POST" and not json):
                response = getattr(client, method.lower())(url, **kwargs)
            else:
                response = client.generic(method, url, **kwargs)
        except Exception as error:  # an exception escaping the view is what this reports
            transaction.set_rollback(True)
            cache.clear()
            return Answer(500, "", False, f"{type(error).__name__}: {error}")
        wrote = _changes() != before
        transaction.set_rollback(True)
    if method not in SAFE:
        cache.clear()
    location = response.get("Location", "")
    return Answer(response.status_code, location, wrote, body=getattr(response, "content", b"")[:300])


def outcome(answer: Answer, method: str, url: str = "") -> str:
    """The class of an answer (see tests/test_permission_matrix.py): ok, write, login, denied, invalid, method,
    gone, or what else it was."""
    code = answer.status
    redirect = urlsplit(answer.location).path if code in (301, 302, 303, 307, 308) else None
    if answer.error or code >= 500:
        return f"error {code} {answer.error}".strip()
    if code == 401 or redirect == LOGIN_PATH:
        kind = "login"
    elif redirect == ADMIN_INDEX and urlsplit(url).path not in (LOGIN_PATH, ADMIN_INDEX + "logout/"):
        kind = "denied"  # the admin's "… does not exist. Perhaps it was deleted?", back at its index
    elif 200 <= code < 400:
        kind = "write" if answer.wrote and method not in SAFE else "ok"
    elif code in (403, 404):
        kind = "denied"
    elif code == 405:
        kind = "method"
    elif code == 410:
        kind = "gone"
    elif code in (400, 409, 422):
        kind = "invalid"
    else:
        kind = str(code)
    if kind not in ("ok", "write") and answer.wrote and method not in SAFE:
        kind += "+write"  # a refusal that wrote something: never expected
    return kind


# -- where each route is asked, with what --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Target:
    """One concrete address of a route (`variant` names which: a release's state, a workflow step …), and the
    body its writes carry (form fields in the admin, JSON in the API)."""

    variant: str
    url: str
    data: dict | None = None


# The step each workflow route is tried on: the state it starts from, and the words or binding it needs.
WORKFLOW = {
    "submit": ("draft", {}),
    "return": ("review", {"comment": "Cite the trial."}),
    "approve": ("review", "approve"),
    "publish": ("approved", {}),
    "unschedule": ("scheduled", {}),
    "correct": ("published", {"note": "The date was wrong."}),
    "withdraw": ("published", {"notice": "Sent in error."}),
}
ADMIN_VIEWS = ("changelist", "add", "history", "delete", "change", "simple_history")


def _registered() -> dict[str, type]:
    from django.contrib import admin

    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def _workflow_data(world, action: str, *, api: bool) -> dict:
    _state, data = WORKFLOW[action]
    if data == "approve":
        data = dict(world.approve_with)
    if api:
        return dict(data)
    names = {"comment": "workflow_comment", "note": "workflow_comment", "notice": "workflow_comment"}
    return {names.get(k, f"review_{k}"): v for k, v in data.items()}


def targets(key: str, pattern: str, world) -> list[Target]:
    """The addresses `key` is asked at in the world."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    R = world.releases
    states = list(R)
    by_state = {state: R[state].pk for state in states}

    # -- the admin's model routes (ModelAdmin.get_urls and simple-history's version page)
    if key.startswith("admin:"):
        for label, model in _registered().items():
            view = key.removeprefix(f"admin:{label}_")
            if view == key or view not in ADMIN_VIEWS:
                continue
            dotted = f"{model._meta.app_label}.{model._meta.model_name}"
            if view in ("changelist", "add"):
                return [Target("-", reverse(key))]
            if dotted == "releases.release":
                if view == "simple_history":
                    return [
                        Target(s, reverse(key, args=[pk, R[s].history.order_by("history_id").first().history_id]))
                        for s, pk in by_state.items()
                    ]
                return [Target(s, reverse(key, args=[pk])) for s, pk in by_state.items()]
            obj = world.objects[dotted]
            if view == "simple_history":
                return [Target("-", reverse(key, args=[obj.pk, world.history_ids[dotted]]))]
            return [Target("-", reverse(key, args=[obj.pk]))]
    if key == pattern and pattern.startswith("admin/") and pattern.endswith("/<path:object_id>/"):
        app, model = pattern.split("/")[1:3]
        dotted = f"{app}.{model}"
        if dotted == "releases.release":
            return [Target(s, f"/admin/{app}/{model}/{pk}/") for s, pk in by_state.items()]
        return [Target("-", f"/admin/{app}/{model}/{world.objects[dotted].pk}/")]

    release_pages = {
        "admin:releases_release_preview": "preview/page/",
        "admin:releases_release_snapshot": "snapshot/page/",
        "admin:releases_release_review": "review/",
        "admin:releases_release_lead": "lead/",
    }
    if key in release_pages:
        return [Target(s, f"/admin/releases/release/{pk}/{release_pages[key]}") for s, pk in by_state.items()]
    if key == "admin:releases_release_workflow":
        found = [
            Target(
                f"{state}/{action}", reverse(key, args=[R[state].pk, action]), _workflow_data(world, action, api=False)
            )
            for action, (state, _data) in WORKFLOW.items()
        ]
        return [*found, Target("draft/unknown", reverse(key, args=[R["draft"].pk, "promote"]))]
    if key == "admin:releases_release_media":
        return [
            Target("draft", reverse(key, args=[R["draft"].pk, world.draft_image])),
            Target("published", reverse(key, args=[R["published"].pk, world.published_image])),
            Target("draft/published-image", reverse(key, args=[R["draft"].pk, world.published_image])),
        ]
    if key == "admin:releases_preview":
        return [Target("-", reverse(key, args=["page"]))]
    if key == "admin:releases_release_parts":
        return [Target("-", reverse(key) + f"?company={world.company.pk}&language=en")]
    if key == "admin:releases_company_house_style_preview":
        return [Target("-", reverse(key) + f"?company={world.company.pk}&language=en")]
    if key in ("admin:releases_webhookendpoint_send_test",):
        return [Target("-", reverse(key, args=[world.objects["releases.webhookendpoint"].pk]))]
    if key == "admin:auth_user_password_change":
        return [Target("-", reverse(key, args=[world.users["staff"].pk]))]
    if key == "admin:autocomplete":
        query = "?app_label=releases&model_name=releasecontact&field_name=contact&term="
        return [Target("-", reverse(key) + query)]
    if key == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(type(R["draft"]))
        return [Target(s, reverse(key, args=[content_type.pk, R[s].pk])) for s in ("draft", "published")]
    if key == "admin:app_list":
        return [Target(app, reverse(key, args=[app])) for app in ("releases", "auth", "axes", "django_tasks_database")]
    if key == r"admin/(?P<url>.*)$":
        return [Target("-", "/admin/no-such-page/")]

    # -- the API
    if key.startswith("api:") and key.endswith("-list"):
        return [Target("-", reverse(key))]
    api_objects = {
        "company": "releases.company",
        "contact": "releases.contact",
        "pipeline-asset": "releases.pipelineasset",
        "boilerplate-block": "releases.boilerplateblock",
        "disclaimer": "releases.disclaimer",
    }
    if key.startswith("api:") and key.endswith("-detail") and key[4:-7] in api_objects:
        return [Target("-", reverse(key, args=[world.objects[api_objects[key[4:-7]]].pk]))]
    if key.startswith(("api:release-", "api:public-release-")):
        action = key.split("-")[-1]
        if action in WORKFLOW:
            state = WORKFLOW[action][0]
            return [Target(state, reverse(key, args=[R[state].pk]), _workflow_data(world, action, api=True))]
        return [Target(s, reverse(key, args=[pk])) for s, pk in by_state.items()]
    if key == r"api/^v1/[\s\S]*/$":
        return [Target("-", f"/api/v1/releases/{R['draft'].pk}abc/")]

    # -- the public newsroom and the alerts
    if key in ("newsroom:detail", "newsroom:pdf", "newsroom:media-kit"):
        return [Target(s, reverse(key, kwargs={"slug": R[s].slug})) for s in states]
    if key == "newsroom:pdf-fingerprinted":
        # The address names the first characters of the frozen PDF's SHA-256; a release without one gets zeros.
        def digest(release) -> str:
            snapshot = getattr(release, "snapshot", None)  # RelatedObjectDoesNotExist is an AttributeError
            return snapshot.pdf_sha256[:16] if snapshot is not None else "0" * 16

        return [Target(s, reverse(key, kwargs={"slug": R[s].slug, "digest": digest(R[s])})) for s in states]
    if key == "newsroom:sitemap-section":
        from releases.sitemaps import SITEMAPS

        return [Target(name, reverse(key, kwargs={"section": name})) for name in SITEMAPS]
    if key == "newsroom:release-image":
        folder, name = world.published_image.split("/")[1:]
        upload_folder, upload_name = world.draft_image.split("/")[1:]
        return [
            Target("published", reverse(key, args=[folder, name])),
            Target("draft", reverse(key, args=[upload_folder, upload_name])),
        ]
    if key == "newsroom:logo":
        return [Target("company", reverse(key, args=[world.company.logo.name.removeprefix("logos/")]))]
    if key == "newsroom:search":
        return [Target("-", reverse(key) + "?q=Phase")]
    if key == "alerts:confirm":
        return [Target("-", reverse(key, args=[world.confirm_token]))]
    if key == "alerts:unsubscribe":
        return [Target("-", reverse(key, args=[world.unsubscribe_token]))]
    if key == "set_language":
        return [Target("-", reverse(key), {"language": "fr", "next": "/"})]
    return [Target("-", reverse(key))]


def form_data(html: str, form_id: str) -> dict[str, object]:
    """The fields of the form `form_id` of an admin page as a browser would send them unchanged."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.data: dict[str, list[str]] = {}
            self.inside = False
            self.select: str | None = None
            self.textarea: str | None = None

        def add(self, name, value):
            self.data.setdefault(name, []).append(value)

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.inside = attrs.get("id") == form_id
            if not self.inside or (not attrs.get("name") and tag != "option"):
                return
            if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image"):
                if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                    return
                self.add(attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
            elif tag == "select":
                self.select = attrs["name"]
            elif tag == "option" and self.select and "selected" in attrs:
                self.add(self.select, attrs.get("value", ""))
            elif tag == "textarea":
                self.textarea = attrs["name"]
                self.add(self.textarea, "")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form":
                self.inside = False

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea][-1] += data.removeprefix("\n") if not self.data[self.textarea][-1] else data

    parser = Fields()
    parser.feed(html)
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
