"""No 500 from input: every route the project serves, fed hostile paths and query strings, anonymously and as a
superuser, answers without a server error and without an exception escaping the view.

Hostile means: Unicode digits ("²", "١٢", "߁": `str.isdigit()` says yes, `int()` may say no), numbers past any
column (20 digits), zero and negative numbers, ids that are not ids ("123abc", "-1", a NUL byte), long strings,
dates that are no dates ("9999-99-99"), and a blank. Each route's parameters in its path are replaced one at
a time (GET and POST); its query string is filled with every parameter a view of this project reads, all with
the same hostile value; the admin's lists and the API's lists get each filter of theirs, one at a time;
every page's POST gets each field of the project's forms hostile, and each admin list each of its actions
on rows that are no rows.

The world is the permission matrix's (tests/matrix_world.py); every request is rolled back.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import resolve

from tests import matrix_support
from tests.matrix_support import request, routes, targets

world_of_module = matrix_support.world_of_module
world = matrix_support.world

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "superuser")
LONG = "x" * 3000
NUL = "\x00"
# Values for a query string (sent encoded) and for a path segment (quoted as a browser would; "%00" stays).
HOSTILE = ["²", "١٢", "߁", "99999999999999999999", "-1", "0", "123abc", NUL, LONG, "9999-99-99", ""]
IN_PATHS = ["123abc", "99999999999999999999", "-1", "0", "%00", "²", "١٢", "߁", LONG, "1.5", "%2e%2e"]

# Every query parameter a view of the project reads (the newsroom's lists and search, the admin's own views,
# the API's filters and pagination), and some Django's admin reads.
QUERY_NAMES = [
    "year",
    "page",
    "page_size",
    "since",
    "q",
    "language",
    "category",
    "company",
    "kind",
    "other",
    "ordering",
    "search",
    "format",
    "next",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "city",
    "country",
    "time_zone",
    "pattern",
    "date_style",
    "time_style",
    "zone_style",
    "punctuation_spacing",
    "place",
    "o",
    "p",
    "e",
    "_to_field",
    "_popup",
    "_changelist_filters",
    "publication_at__gte",
    "publication_at__lt",
]


def _dynamic_segments(path: str) -> list[tuple[int, int]]:
    """Where in `path` the route's parameters are (start, end), from the resolver's match."""
    match = resolve(path)
    values = [str(v) for v in match.args] + [
        str(v) for k, v in match.kwargs.items() if k not in ("sitemaps", "sitemap_url_name")
    ]
    spans, cursor = [], 0
    for value in sorted(values, key=path.find):
        encoded = quote(value, safe="/:@!$&'()*+,;=-._~")
        start = path.find(encoded, cursor)
        if start < 0:
            continue
        spans.append((start, start + len(encoded)))
        cursor = start + len(encoded)
    return spans


def _path_mutations(url: str) -> list[str]:
    path = urlsplit(url).path
    found = []
    for start, end in _dynamic_segments(path):
        for value in IN_PATHS:
            segment = value if value.startswith("%") else quote(value)
            found.append(path[:start] + segment + path[end:])
    return found


def _filters_of(key: str) -> list[str]:
    """The query parameters of an admin list's filters and date hierarchy, or of an API list's filterset."""
    from django.contrib import admin

    if key.endswith("_changelist"):
        for model, model_admin in admin.site._registry.items():
            if key == f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist":
                names = []
                for entry in model_admin.list_filter:
                    if isinstance(entry, str):
                        names += [f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull", f"{entry}__gte"]
                        names += [f"{entry}__year", f"{entry}__month", f"{entry}__day"]
                    else:
                        names.append(entry.parameter_name)
                if model_admin.search_fields:
                    names.append("q")
                if model_admin.date_hierarchy:
                    names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
                return names
    if key.startswith("api:") and key.endswith("-list"):
        from releases.api import urls

        for _prefix, viewset, basename in urls.router.registry:
            if key == f"api:{basename}-list":
                filterset = getattr(viewset, "filterset_class", None)
                names = list(filterset.base_filters) if filterset else list(getattr(viewset, "filterset_fields", []))
                return [*names, "search", "ordering", "page"]
    return []


def _check(world, key: str, calls: list[tuple[str, str, dict | None]]) -> list[str]:
    pattern = routes()[key]
    api = key.startswith("api:") or pattern.startswith("api/")
    failures = []
    for method, url, data in calls:
        for role in ROLES:
            answer = request(world, role, method, url, data, json=api and method != "GET")
            if answer.error or answer.status >= 500:
                failures.append(f"{method} {url[:200]!r} as {role}: {answer.status} {answer.error}")
    return failures


@pytest.mark.parametrize("key", sorted(routes()))
def test_hostile_paths_and_queries_are_answered_without_a_server_error(world, key):
    pattern = routes()[key]
    target = targets(key, pattern, world)[0]
    base = urlsplit(target.url).path
    calls = []
    for path in _path_mutations(base):
        calls += [("GET", path, None), ("POST", path, target.data)]
    for value in HOSTILE:
        calls.append(("GET", f"{base}?{urlencode(dict.fromkeys(QUERY_NAMES, value))}", None))
    for name in _filters_of(key):
        for value in HOSTILE:
            if value is not LONG:
                calls.append(("GET", f"{base}?{urlencode({name: value})}", None))
    failures = _check(world, key, calls)
    assert not failures, "\n".join(failures)


# The fields the project's forms read (the release form, the workflow's buttons, the alerts' forms, the parts'
# forms, the lists' actions), every one hostile at once.
BODY_NAMES = [
    "company",
    "language",
    "category",
    "label",
    "expected_version",
    "headline",
    "subheadline",
    "slug",
    "publication_at_0",
    "publication_at_1",
    "place",
    "body",
    "company_about",
    "corrects",
    "correction_note",
    "workflow_comment",
    "comment",
    "review_version",
    "review_digest",
    "_from",
    "email",
    "languages",
    "categories",
    "consent",
    "next",
    "name",
    "kind",
    "title",
    "url",
    "events",
    "active",
    "user",
    "references-TOTAL_FORMS",
    "references-INITIAL_FORMS",
    "references-0-position",
    "references-0-citation",
    "references-0-accessed_on",
    "topic_links-TOTAL_FORMS",
    "topic_links-INITIAL_FORMS",
    "topic_links-0-block",
    "contact_links-TOTAL_FORMS",
    "contact_links-INITIAL_FORMS",
    "contact_links-0-contact",
    "disclaimer_links-TOTAL_FORMS",
    "disclaimer_links-INITIAL_FORMS",
    "images-TOTAL_FORMS",
    "images-INITIAL_FORMS",
    "action",
    "index",
    "_selected_action",
    "select_across",
    "post",
]


def _actions_of(key: str) -> list[str]:
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if key == f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist":
            named = [a if isinstance(a, str) else a.__name__ for a in model_admin.actions or []]
            return ["delete_selected", *named]
    return []


@pytest.mark.parametrize(
    "key", sorted(k for k, p in routes().items() if not (k.startswith("api:") or p.startswith("api")))
)
def test_hostile_form_bodies_are_answered_without_a_server_error(world, key):
    """Every page's POST with each of the project's form fields hostile, and each list action on hostile rows."""
    target = targets(key, routes()[key], world)[0]
    calls = [("POST", target.url, dict.fromkeys(BODY_NAMES, value)) for value in HOSTILE]
    for action in _actions_of(key):
        for value in HOSTILE:
            if value is not LONG:
                body = {"action": action, "_selected_action": value, "index": "0", "select_across": "0"}
                calls += [("POST", target.url, body), ("POST", target.url, {**body, "index": value, "post": "yes"})]
    failures = _check(world, key, calls)
    assert not failures, "\n".join(failures)


ODD_ADDRESSES = [
    "/%00",
    "/%00/",
    "/²/",
    "/fr/releases/%00/",
    "/xx/releases/a/",
    "/releases/%C0%AF/",
    "/releases/..%2f..%2fetc%2fpasswd/",
    "/media/release-images/%00/x.png",
    "/media/release-images/../../settings.py",
    "/media/logos/%2e%2e%2fsecret",
    "/sitemap-%00.xml",
    "/sitemap-releases.xml?p=²",
    "/sitemap-releases.xml?p=99999999999999999999",
    "/sitemap-releases.xml?p=-1",
    "/feeds/rss.xml?page=²",
    "/admin/%00/",
    "/admin/releases/%00/",
    "/admin/r/%00/%00/",
    "/admin/r/²/1/",
    "/admin/r/99999999999999999999/1/",
    "/api/v1/%00/",
    "/api/v1/releases/%00/",
    "/api/v1/releases/²/",
    "/api/v1/public/releases/99999999999999999999/",
    "/api/schema/?format=%00",
    "/i18n/setlang/?next=%00",
]


@pytest.mark.parametrize("address", ODD_ADDRESSES)
def test_odd_addresses_are_answered_without_a_server_error(world, address):
    failures = []
    for method in ("GET", "POST"):
        for role in ROLES:
            answer = request(world, role, method, address, json=address.startswith("/api/") and method != "GET")
            if answer.error or answer.status >= 500:
                failures.append(f"{method} {address} as {role}: {answer.status} {answer.error}")
    assert not failures, "\n".join(failures)


# -- what some hostile inputs get: the admin's own answers, a 404, a 400 in words ---------------------------


def _answers(world):
    contact = world.objects["releases.contact"].pk
    release = world.releases["draft"].pk
    return [
        ("GET", "/admin/releases/contact/?company__exact=99999999999999999999", None, 302, "?e=1"),
        ("GET", "/admin/releases/workflowevent/?at__year=99999999999999999999", None, 302, "?e=1"),
        ("GET", f"/admin/releases/contact/{contact}/change/?_to_field=", None, 200, ""),
        ("GET", "/admin/releases/release/99999999999999999999/history/", None, 404, ""),
        ("GET", "/admin/releases/release/%C2%B2/history/", None, 404, ""),
        ("GET", f"/admin/releases/release/{release}/history/%C2%B2/", None, 404, ""),
        ("GET", "/admin/r/%C2%B2/1/", None, 404, ""),
        ("POST", "/admin/releases/webhookendpoint/123abc/send-test/", None, 404, ""),
        ("POST", "/admin/releases/contact/", {"action": "delete_selected", "_selected_action": "123abc"}, 400, ""),
        ("GET", "/admin/releases/company/house-style-preview/?company=%C2%B2&time_style=x", None, 200, ""),
        ("GET", "/media/logos/%00", None, 404, ""),
        ("GET", "/?year=0&page=-1", None, 200, ""),
    ]


def test_hostile_input_gets_the_admins_own_answers_a_404_or_a_400_in_words(world):
    for method, url, data, status, location in _answers(world):
        answer = request(world, "superuser", method, url, data)
        if url.endswith("company__exact=99999999999999999999") and connection.vendor == "postgresql":
            # PostgreSQL: Django reads an integer beyond the column's range as matching nothing (an empty list);
            # SQLite's driver overflows first, and the guard answers with the admin's own "?e=1" page.
            assert (answer.status, answer.location) == (200, ""), (method, url, answer)
            client = Client()
            client.force_login(world.users["superuser"])
            assert "0 contacts" in client.get(url).content.decode(), url
            continue
        assert (answer.status, location in answer.location) == (status, True), (method, url, answer)
    answer = request(world, "superuser", "POST", "/admin/releases/contact/", {"action": "x", "_selected_action": "²"})
    assert answer.body == b"The selected rows are not rows of this list: choose them again."
