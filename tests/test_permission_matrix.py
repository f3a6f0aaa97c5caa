"""One permission matrix: every URL pattern the project serves × every role × every method, against one table.

The routes are walked from the URL resolver (the admin with each ModelAdmin's pages and simple-history's
version page, the release's workflow, preview, review, snapshot, lead, media and parts views, the API's router
routes and actions, the schema and its docs, the newsroom, feeds, sitemaps, media, the alerts): a route added
without a row in TABLE fails `test_the_table_names_every_route_and_nothing_else`.

Roles: anonymous; `staff` (a staff account in no group); writer; reviewer; publisher; `dual` (writer and
reviewer); `agency` (a writer assigned to another company, so none of the world's rows are theirs);
superuser. Every route is asked with GET, HEAD and POST, and the API's with PUT, PATCH, DELETE and OPTIONS
too. Writes carry empty or minimal bodies: the point is who gets through, not what a valid form does. The
workflow's steps carry what each needs (a comment, the version and digest a reviewer read), so that the
step itself is what is allowed or refused.

Each request runs in a savepoint rolled back afterwards, so the world (tests/matrix_world.py) is the same
for every one. The answers fall in these classes:

- ok: 2xx or 3xx (not to the login page); for POST, PUT, PATCH and DELETE, nothing was written;
- write: the same, and rows were written (a refusal that writes anything is never expected);
- login: a redirect to the admin's login, or a 401;
- denied: 403 or 404, or the admin's "… does not exist" redirect to its index (its answer for an object
  outside the user's companies);
- invalid: 400, 409 or 422: past the permissions, refused for what was (not) sent;
- method: 405; gone: 410 (a withdrawn release's notice).

When this was written: 209 routes, asked at 354 addresses (a release in each of six states, each workflow
step, …) × 8 roles × 3 methods (7 for the API's 36 routes) = 11,888 requests (`matrix_size()`).

The API checks permissions before methods (Django REST framework): a method a route does not have is a 405
for those who hold the model permission the method needs (POST: add, PUT and PATCH: change, DELETE: delete)
and a 403 for the others; `unsupported()` says so once.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests import matrix_support
from tests.matrix_support import outcome, request, routes, targets
from tests.matrix_world import ROLES, STATES

world_of_module = matrix_support.world_of_module  # the fixtures: the world built once, and each test's view of it
world = matrix_support.world

pytestmark = pytest.mark.django_db

API_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SAFE = ("GET", "HEAD", "OPTIONS")
PAGE_METHODS = ("GET", "HEAD", "POST")

# -- roles in groups ----------------------------------------------------------------------------------------

GROUPS = {
    "all": ROLES,
    "users": ROLES[1:],  # signed in
    # Every editorial role reads releases and their parts (migration 0002); `agency` reads only its company's.
    "readers": ("writer", "reviewer", "publisher", "dual", "agency", "superuser"),
    "acme": ("writer", "reviewer", "publisher", "dual", "superuser"),  # readers who work for the world's company
    "writers": ("writer", "dual", "agency", "superuser"),  # add and change releases and the parts they reuse
    "acme_writers": ("writer", "dual", "superuser"),
    "reviewers": ("reviewer", "dual", "superuser"),
    "publishers": ("publisher", "superuser"),
    "distribution": ("reviewer", "publisher", "dual", "superuser"),  # read what was sent (migration 0005)
    "nobody": (),
}


def by(default: str, **outcomes: str) -> dict[str, str]:
    """An outcome per role: `default`, then each keyword (a role or a group of GROUPS), in order."""
    result = dict.fromkeys(ROLES, default)
    for name, value in outcomes.items():
        assert name in GROUPS or name in ROLES, f"no role or group {name}"
        for role in GROUPS.get(name, (name,)):
            result[role] = value
    return result


def staff(default: str = "denied", **outcomes: str) -> dict[str, str]:
    """An admin or staff-API answer: anonymous is sent to sign in, the rest as said."""
    return by(default, **outcomes, anonymous="login")


@dataclasses.dataclass(frozen=True)
class Row:
    """What each role gets from a route (or one variant of it) per method; HEAD answers as GET unless said."""

    get: dict[str, str]
    post: dict[str, str]
    head: dict[str, str] | None = None
    put: dict[str, str] | None = None
    patch: dict[str, str] | None = None
    delete: dict[str, str] | None = None
    options: dict[str, str] | None = None

    def expected(self, method: str) -> dict[str, str]:
        value = getattr(self, method.lower())
        if value is None and method == "HEAD":
            return self.get
        assert value is not None, f"the row says nothing of {method}"
        return value


def states(**rows: Row) -> dict[str, Row]:
    """A row per release state (tests/matrix_world.STATES); `frozen=` stands for approved and after."""
    frozen = rows.pop("frozen", None)
    result = {state: rows.get(state, frozen) for state in STATES}
    assert None not in result.values(), f"no row for {[s for s, r in result.items() if r is None]}"
    return result


def every_state(row: Row) -> dict[str, Row]:
    return dict.fromkeys(STATES, row)


# -- the admin's pages --------------------------------------------------------------------------------------

SIGNED_IN = staff("ok")  # any member of staff
METHOD_FOR_STAFF = staff("method")


@dataclasses.dataclass(frozen=True)
class Perms:
    """Who holds view, add, change and delete on a model (the roles' groups, or superuser only), and whether
    the world's row is Acme's (hidden from `agency`) or shared."""

    view: str = "superuser"
    add: str = "superuser"
    change: str = "superuser"
    delete: str = "superuser"
    acme: bool = True  # the row belongs to Acme, which `agency` does not work for
    delete_writes: bool = False  # a POST to the delete page archives a part that releases used
    change_writes: bool = False  # an empty change form is valid (and saves) for those who may change
    records: bool = False  # read-only records: nobody adds, changes or deletes


def _hidden(perms: Perms) -> dict[str, str]:
    return {"agency": "denied"} if perms.acme else {}


def changelist(perms: Perms) -> Row:
    return Row(get=staff(**{perms.view: "ok"}), post=staff(**{perms.view: "ok"}))


def add_page(perms: Perms) -> Row:
    if perms.records:
        return Row(get=staff(), post=staff())
    return Row(get=staff(**{perms.add: "ok"}), post=staff(**{perms.add: "ok"}))


def change_page(perms: Perms) -> Row:
    saved = "write" if perms.change_writes else "ok"
    post = staff() if perms.records else staff(**{perms.change: saved})
    return Row(get=staff(**{perms.view: "ok"}, **_hidden(perms)), post=by_hidden(post, perms))


def by_hidden(outcomes: dict[str, str], perms: Perms) -> dict[str, str]:
    return {**outcomes, **_hidden(perms)}


def delete_page(perms: Perms) -> Row:
    if perms.records:
        return Row(get=staff(), post=staff())
    posted = "write" if perms.delete_writes else "ok"
    return Row(
        get=by_hidden(staff(**{perms.delete: "ok"}), perms), post=by_hidden(staff(**{perms.delete: posted}), perms)
    )


def history_page(perms: Perms) -> Row:
    readers = by_hidden(staff(**{perms.view: "ok"}), perms)
    return Row(get=readers, post=readers)


def version_page(perms: Perms) -> Row:
    """simple-history's page of one past version: read only; a POST is refused before anything is read."""
    return Row(get=by_hidden(staff(**{perms.view: "ok"}), perms), post=METHOD_FOR_STAFF)


REDIRECT_TO_CHANGE = Row(get=SIGNED_IN, post=SIGNED_IN)  # /admin/<app>/<model>/<id>/ → …/<id>/change/

PART = Perms(view="readers", add="writers", change="writers", delete_writes=True)
CONTACT = ASSET = BLOCK = PART
PROGRAM = Perms(view="readers", add="writers", change="writers")
DISCLAIMER = Perms(view="readers", acme=False, delete_writes=True)  # a text every company may use
COMPANY = Perms(view="readers", delete="nobody")  # it has releases: nobody deletes it
RECORD = Perms(view="readers", records=True)  # the audit trail and the snapshots
SUPERUSER_ONLY = Perms(acme=False)
API_TOKEN = Perms(acme=False, change="nobody", delete="nobody")  # issued and revoked, never edited
SUBSCRIBER = Perms(view="publishers", acme=False, records=True)
DELIVERY = Perms(view="distribution", acme=False, records=True)
ENDPOINT = Perms(view="publishers", add="publishers", change="publishers", delete="publishers", acme=False)
AXES = Perms(add="nobody", acme=False, change_writes=True)  # django-axes: its records, superusers clear them
TASKS = Perms(add="nobody", change="nobody", delete="nobody", acme=False)  # django-tasks-db's queue, read only


# -- the release and its screens ----------------------------------------------------------------------------

ACME_READERS = staff(acme="ok")
RELEASE_PAGE = Row(get=ACME_READERS, post=ACME_READERS)
# A form that may be saved while a draft or in review; frozen once approved (nobody may change it, no release
# is deleted). An empty save is refused by the form; shown again to someone who may approve it (in review),
# the form keeps what they read, as every showing of its review panel does.
RELEASE_CHANGE = states(
    draft=Row(get=ACME_READERS, post=staff(acme_writers="ok")),
    review=Row(get=ACME_READERS, post=staff(writer="ok", dual="write", superuser="write")),
    frozen=Row(get=ACME_READERS, post=staff()),
)
PREVIEW = states(
    # What is on the form now: for those who may write it (an empty form is "choose the company" 400).
    draft=Row(get=ACME_READERS, head=METHOD_FOR_STAFF, post=staff(acme_writers="invalid")),
    review=Row(get=ACME_READERS, head=METHOD_FOR_STAFF, post=staff(acme_writers="invalid")),
    # A frozen release previews as it is, for anyone who may read it.
    frozen=Row(get=ACME_READERS, head=METHOD_FOR_STAFF, post=ACME_READERS),
)
# Each step for those who hold its permission; anyone else who may read the release is sent back to it with
# the refusal and nothing written. Four eyes: `dual` approves a release `writer` last edited.
WORKFLOW_ROWS = {
    "draft/submit": staff(acme="ok", acme_writers="write"),
    "review/return": staff(acme="ok", reviewers="write"),
    "review/approve": staff(acme="ok", reviewers="write"),
    "approved/publish": staff(acme="ok", publishers="write"),
    "scheduled/unschedule": staff(acme="ok", publishers="write"),
    "published/correct": staff(acme="ok", publishers="write"),
    "published/withdraw": staff(acme="ok", publishers="write"),
    "draft/unknown": staff(),
}
WORKFLOW = {variant: Row(get=METHOD_FOR_STAFF, post=post) for variant, post in WORKFLOW_ROWS.items()}


# -- the API ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ApiPerms:
    view: str
    add: str
    change: str
    delete: str = "superuser"


RELEASES_API = ApiPerms(view="readers", add="writers", change="writers")
PART_API = ApiPerms(view="readers", add="writers", change="writers")
SUPERUSER_API = ApiPerms(view="readers", add="superuser", change="superuser")
NEEDS = {"GET": "view", "HEAD": "view", "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def unsupported(perms: ApiPerms, method: str) -> dict[str, str]:
    """A method the route does not have: 405 past the permission that method needs, 403 before."""
    return staff(**{getattr(perms, NEEDS[method]): "method"})


def api(perms: ApiPerms, **answers: dict[str, str]) -> Row:
    """A staff route: the methods it has as given, every other one `unsupported`, OPTIONS for any user."""
    rows = {m.lower(): answers.get(m.lower()) or unsupported(perms, m) for m in API_METHODS if m not in SAFE}
    rows["get"] = answers.get("get") or unsupported(perms, "GET")
    return Row(**rows, options=staff("ok"))


RELEASE_API_READ = api(RELEASES_API, get=ACME_READERS)  # a release's fields, checks, history, renders …
RELEASE_API_DETAIL = api(RELEASES_API, get=ACME_READERS, patch=staff(acme_writers="invalid"))  # no version: 400


def transition(state: str, permitted: str) -> dict[str, Row]:
    """A workflow step, asked of the release in the state it starts from."""
    return {state: api(RELEASES_API, post=staff(acme="denied", **{permitted: "write"}))}


def public(get: dict[str, str]) -> Row:
    """The public API: anyone reads; nothing is written."""
    return Row(get=get, post=by("method"), put=by("method"), patch=by("method"), delete=by("method"), options=by("ok"))


PUBLIC_RENDER = states(
    draft=public(by("denied")),
    review=public(by("denied")),
    approved=public(by("denied")),
    scheduled=public(by("denied")),  # not before its moment, not even for staff
    published=public(by("ok")),
    withdrawn=public(by("gone")),
)


def part_detail(perms: ApiPerms, *, acme: bool = True, deletable: bool = True) -> Row:
    hidden = {"agency": "denied"} if acme else {}
    return api(
        perms,
        get=staff(readers="ok", **hidden),
        patch=staff(**{perms.change: "write"}, **hidden),  # an empty PATCH saves the part as it was
        delete=staff(superuser="write") if deletable else unsupported(perms, "DELETE"),
    )


def part_list(perms: ApiPerms) -> Row:
    return api(perms, get=staff(readers="ok"), post=staff(**{perms.add: "invalid"}))


# -- the public site ----------------------------------------------------------------------------------------

PUBLIC_PAGE = Row(get=by("ok"), post=by("method"))
ANSWERS_ANY_METHOD = Row(get=by("ok"), post=by("ok"))  # the feeds (Django's Feed view) and set_language
PUBLIC_RELEASE = states(
    draft=Row(get=by("denied"), post=by("method")),
    review=Row(get=by("denied"), post=by("method")),
    approved=Row(get=by("denied"), post=by("method")),
    scheduled=Row(get=by("denied"), post=by("method")),
    published=Row(get=by("ok"), post=by("method")),
    withdrawn=Row(get=by("gone"), post=by("method")),
)
PUBLIC_FILE = {**PUBLIC_RELEASE, "withdrawn": Row(get=by("denied"), post=by("method"))}  # no PDF, no kit


# -- the table: every route the project serves ----------------------------------------------------------------

TABLE: dict[str, Row | dict[str, Row]] = {
    # The admin site
    "admin:index": Row(get=SIGNED_IN, post=SIGNED_IN),
    "admin:login": Row(get=by("ok"), post=by("ok")),  # signed in: back to the index
    "admin:logout": Row(get=by("method", anonymous="ok"), post=by("write", anonymous="ok")),  # ends the session
    "admin:password_change": Row(get=SIGNED_IN, post=SIGNED_IN),
    "admin:password_change_done": Row(get=SIGNED_IN, post=METHOD_FOR_STAFF),
    "admin:autocomplete": Row(get=staff(readers="ok"), post=METHOD_FOR_STAFF),  # contacts for a release's form
    "admin:jsi18n": Row(get=SIGNED_IN, post=METHOD_FOR_STAFF),
    # Django's shortcut to an object's public address: for those who may read the object here.
    "admin:view_on_site": {"draft": RELEASE_PAGE, "published": RELEASE_PAGE},
    "admin:app_list": {
        "releases": Row(get=staff(readers="ok"), post=staff(readers="ok")),
        "auth": Row(get=staff(superuser="ok"), post=staff(superuser="ok")),
        "axes": Row(get=staff(superuser="ok"), post=staff(superuser="ok")),
        "django_tasks_database": Row(get=staff(superuser="ok"), post=staff(superuser="ok")),
    },
    r"admin/(?P<url>.*)$": Row(get=staff(), post=staff()),  # any other address under /admin/: 404
    "newsroom-jsi18n": Row(get=by("ok"), post=by("method")),
    # Releases
    "admin:releases_release_changelist": Row(get=staff(readers="ok"), post=staff(readers="ok")),
    "admin:releases_release_add": Row(get=staff(writers="ok"), post=staff(writers="ok")),
    "admin:releases_release_change": RELEASE_CHANGE,
    "admin:releases_release_delete": every_state(Row(get=staff(), post=staff())),  # no release is deleted
    "admin:releases_release_history": every_state(RELEASE_PAGE),
    "admin:releases_release_simple_history": every_state(Row(get=ACME_READERS, post=METHOD_FOR_STAFF)),
    "admin/releases/release/<path:object_id>/": every_state(REDIRECT_TO_CHANGE),
    "admin:releases_release_workflow": WORKFLOW,
    # The form's preview of what is on it: nothing to preview without a release or a POSTed form.
    "admin:releases_preview": Row(get=staff(), head=METHOD_FOR_STAFF, post=staff(writers="invalid")),
    "admin:releases_release_preview": PREVIEW,
    "admin:releases_release_review": every_state(Row(get=ACME_READERS, head=METHOD_FOR_STAFF, post=METHOD_FOR_STAFF)),
    "admin:releases_release_snapshot": states(  # what approval froze: nothing yet before it
        draft=Row(get=staff(), post=METHOD_FOR_STAFF),
        review=Row(get=staff(), post=METHOD_FOR_STAFF),
        frozen=Row(get=ACME_READERS, post=METHOD_FOR_STAFF),
    ),
    "admin:releases_lead": Row(get=METHOD_FOR_STAFF, post=staff(writers="ok")),
    "admin:releases_release_lead": every_state(Row(get=METHOD_FOR_STAFF, post=staff(acme_writers="ok"))),
    "admin:releases_release_media": {
        "draft": Row(get=ACME_READERS, post=METHOD_FOR_STAFF),
        "published": Row(get=ACME_READERS, post=METHOD_FOR_STAFF),
        "draft/published-image": Row(get=staff(), post=METHOD_FOR_STAFF),  # another release's file
    },
    "admin:releases_release_parts": Row(get=staff(readers="ok"), post=METHOD_FOR_STAFF),
    # The company and the parts a release reuses
    "admin:releases_company_changelist": changelist(COMPANY),
    "admin:releases_company_add": add_page(COMPANY),
    "admin:releases_company_change": change_page(COMPANY),
    "admin:releases_company_delete": delete_page(COMPANY),
    "admin:releases_company_history": history_page(COMPANY),
    "admin:releases_company_simple_history": version_page(COMPANY),
    "admin/releases/company/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_company_house_style_preview": Row(get=staff(readers="ok"), post=staff(readers="ok")),
    "admin:releases_contact_changelist": changelist(CONTACT),
    "admin:releases_contact_add": add_page(CONTACT),
    "admin:releases_contact_change": change_page(CONTACT),
    "admin:releases_contact_delete": delete_page(CONTACT),
    "admin:releases_contact_history": history_page(CONTACT),
    "admin:releases_contact_simple_history": version_page(CONTACT),
    "admin/releases/contact/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_pipelineasset_changelist": changelist(ASSET),
    "admin:releases_pipelineasset_add": add_page(ASSET),
    "admin:releases_pipelineasset_change": change_page(ASSET),
    "admin:releases_pipelineasset_delete": delete_page(ASSET),
    "admin:releases_pipelineasset_history": history_page(ASSET),
    "admin:releases_pipelineasset_simple_history": version_page(ASSET),
    "admin/releases/pipelineasset/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_program_changelist": changelist(PROGRAM),
    "admin:releases_program_add": add_page(PROGRAM),
    "admin:releases_program_change": change_page(PROGRAM),
    "admin:releases_program_delete": delete_page(PROGRAM),
    "admin:releases_program_history": history_page(PROGRAM),
    "admin:releases_program_simple_history": version_page(PROGRAM),
    "admin/releases/program/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_boilerplateblock_changelist": changelist(BLOCK),
    "admin:releases_boilerplateblock_add": add_page(BLOCK),
    "admin:releases_boilerplateblock_change": change_page(BLOCK),
    "admin:releases_boilerplateblock_delete": delete_page(BLOCK),
    "admin:releases_boilerplateblock_history": history_page(BLOCK),
    "admin:releases_boilerplateblock_simple_history": version_page(BLOCK),
    "admin/releases/boilerplateblock/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_disclaimer_changelist": changelist(DISCLAIMER),
    "admin:releases_disclaimer_add": add_page(DISCLAIMER),
    "admin:releases_disclaimer_change": change_page(DISCLAIMER),
    "admin:releases_disclaimer_delete": delete_page(DISCLAIMER),
    "admin:releases_disclaimer_history": history_page(DISCLAIMER),
    "admin:releases_disclaimer_simple_history": version_page(DISCLAIMER),
    "admin/releases/disclaimer/<path:object_id>/": REDIRECT_TO_CHANGE,
    # The record
    "admin:releases_workflowevent_changelist": changelist(RECORD),
    "admin:releases_workflowevent_add": add_page(RECORD),
    "admin:releases_workflowevent_change": change_page(RECORD),
    "admin:releases_workflowevent_delete": delete_page(RECORD),
    "admin:releases_workflowevent_history": history_page(RECORD),
    "admin/releases/workflowevent/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_snapshot_changelist": changelist(RECORD),
    "admin:releases_snapshot_add": add_page(RECORD),
    "admin:releases_snapshot_change": change_page(RECORD),
    "admin:releases_snapshot_delete": delete_page(RECORD),
    "admin:releases_snapshot_history": history_page(RECORD),
    "admin/releases/snapshot/<path:object_id>/": REDIRECT_TO_CHANGE,
    # Access: API tokens, company assignments, users and groups
    "admin:releases_apitoken_changelist": changelist(API_TOKEN),
    "admin:releases_apitoken_add": add_page(API_TOKEN),
    "admin:releases_apitoken_change": change_page(API_TOKEN),
    "admin:releases_apitoken_delete": delete_page(API_TOKEN),
    "admin:releases_apitoken_history": history_page(API_TOKEN),
    "admin/releases/apitoken/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_companyassignment_changelist": changelist(SUPERUSER_ONLY),
    "admin:releases_companyassignment_add": add_page(SUPERUSER_ONLY),
    "admin:releases_companyassignment_change": change_page(SUPERUSER_ONLY),
    "admin:releases_companyassignment_delete": delete_page(SUPERUSER_ONLY),
    "admin:releases_companyassignment_history": history_page(SUPERUSER_ONLY),
    "admin/releases/companyassignment/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:auth_group_changelist": changelist(SUPERUSER_ONLY),
    "admin:auth_group_add": add_page(SUPERUSER_ONLY),
    "admin:auth_group_change": change_page(SUPERUSER_ONLY),
    "admin:auth_group_delete": delete_page(SUPERUSER_ONLY),
    "admin:auth_group_history": history_page(SUPERUSER_ONLY),
    "admin/auth/group/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:auth_user_changelist": changelist(SUPERUSER_ONLY),
    "admin:auth_user_add": add_page(SUPERUSER_ONLY),
    "admin:auth_user_change": change_page(SUPERUSER_ONLY),
    "admin:auth_user_delete": delete_page(SUPERUSER_ONLY),
    "admin:auth_user_history": history_page(SUPERUSER_ONLY),
    "admin:auth_user_password_change": Row(get=staff(superuser="ok"), post=staff(superuser="ok")),
    "admin/auth/user/<path:object_id>/": REDIRECT_TO_CHANGE,
    # Alerts and webhooks
    "admin:releases_subscriber_changelist": changelist(SUBSCRIBER),
    "admin:releases_subscriber_add": add_page(SUBSCRIBER),
    "admin:releases_subscriber_change": change_page(SUBSCRIBER),
    "admin:releases_subscriber_delete": delete_page(SUBSCRIBER),
    "admin:releases_subscriber_history": history_page(SUBSCRIBER),
    "admin/releases/subscriber/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_delivery_changelist": changelist(DELIVERY),
    "admin:releases_delivery_add": add_page(DELIVERY),
    "admin:releases_delivery_change": change_page(DELIVERY),
    "admin:releases_delivery_delete": delete_page(DELIVERY),
    "admin:releases_delivery_history": history_page(DELIVERY),
    "admin/releases/delivery/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_webhookendpoint_changelist": changelist(ENDPOINT),
    "admin:releases_webhookendpoint_add": add_page(ENDPOINT),
    "admin:releases_webhookendpoint_change": change_page(ENDPOINT),
    "admin:releases_webhookendpoint_delete": delete_page(ENDPOINT),
    "admin:releases_webhookendpoint_history": history_page(ENDPOINT),
    "admin:releases_webhookendpoint_send_test": Row(get=METHOD_FOR_STAFF, post=staff(publishers="write")),
    "admin/releases/webhookendpoint/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:releases_webhookdelivery_changelist": changelist(DELIVERY),
    "admin:releases_webhookdelivery_add": add_page(DELIVERY),
    "admin:releases_webhookdelivery_change": change_page(DELIVERY),
    "admin:releases_webhookdelivery_delete": delete_page(DELIVERY),
    "admin:releases_webhookdelivery_history": history_page(DELIVERY),
    "admin/releases/webhookdelivery/<path:object_id>/": REDIRECT_TO_CHANGE,
    # Third-party models on the admin site: django-axes, django-tasks-db
    "admin:axes_accessattempt_changelist": changelist(AXES),
    "admin:axes_accessattempt_add": add_page(AXES),
    "admin:axes_accessattempt_change": change_page(AXES),
    "admin:axes_accessattempt_delete": delete_page(AXES),
    "admin:axes_accessattempt_history": history_page(AXES),
    "admin/axes/accessattempt/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:axes_accesslog_changelist": changelist(AXES),
    "admin:axes_accesslog_add": add_page(AXES),
    "admin:axes_accesslog_change": change_page(AXES),
    "admin:axes_accesslog_delete": delete_page(AXES),
    "admin:axes_accesslog_history": history_page(AXES),
    "admin/axes/accesslog/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:axes_accessfailurelog_changelist": changelist(AXES),
    "admin:axes_accessfailurelog_add": add_page(AXES),
    "admin:axes_accessfailurelog_change": change_page(AXES),
    "admin:axes_accessfailurelog_delete": delete_page(AXES),
    "admin:axes_accessfailurelog_history": history_page(AXES),
    "admin/axes/accessfailurelog/<path:object_id>/": REDIRECT_TO_CHANGE,
    "admin:django_tasks_database_dbtaskresult_changelist": changelist(TASKS),
    "admin:django_tasks_database_dbtaskresult_add": add_page(TASKS),
    "admin:django_tasks_database_dbtaskresult_change": change_page(TASKS),
    "admin:django_tasks_database_dbtaskresult_delete": delete_page(TASKS),
    "admin:django_tasks_database_dbtaskresult_history": history_page(TASKS),
    "admin/django_tasks_database/dbtaskresult/<path:object_id>/": REDIRECT_TO_CHANGE,
    # The API: the public releases
    "api:public-release-list": public(by("ok")),
    "api:public-release-detail": {**PUBLIC_RENDER, "withdrawn": public(by("ok"))},  # the notice, as JSON
    "api:public-release-page": PUBLIC_RENDER,
    "api:public-release-fragment": PUBLIC_RENDER,
    "api:public-release-text": PUBLIC_RENDER,
    "api:public-release-pdf": PUBLIC_RENDER,
    # The API: releases for staff (an empty POST to the list is a 400: no company, no headline)
    "api:release-list": api(RELEASES_API, get=staff(readers="ok"), post=staff(writers="invalid")),
    "api:release-detail": every_state(RELEASE_API_DETAIL),
    "api:release-checks": every_state(RELEASE_API_READ),
    "api:release-history": every_state(RELEASE_API_READ),
    "api:release-parity": every_state(RELEASE_API_READ),
    "api:release-review": every_state(RELEASE_API_READ),
    "api:release-page": every_state(RELEASE_API_READ),
    "api:release-fragment": every_state(RELEASE_API_READ),
    "api:release-text": every_state(RELEASE_API_READ),
    "api:release-pdf": every_state(RELEASE_API_READ),
    "api:release-submit": transition("draft", "acme_writers"),
    "api:release-return": transition("review", "reviewers"),
    "api:release-approve": transition("review", "reviewers"),
    "api:release-publish": transition("approved", "publishers"),
    "api:release-unschedule": transition("scheduled", "publishers"),
    "api:release-correct": transition("published", "publishers"),
    "api:release-withdraw": transition("published", "publishers"),
    # The API: the company and the parts
    "api:company-list": part_list(SUPERUSER_API),
    "api:company-detail": part_detail(SUPERUSER_API, deletable=False),
    "api:contact-list": part_list(PART_API),
    "api:contact-detail": part_detail(PART_API),
    "api:pipeline-asset-list": part_list(PART_API),
    "api:pipeline-asset-detail": part_detail(PART_API),
    "api:boilerplate-block-list": part_list(PART_API),
    "api:boilerplate-block-detail": part_detail(PART_API),
    "api:disclaimer-list": part_list(SUPERUSER_API),
    "api:disclaimer-detail": part_detail(SUPERUSER_API, acme=False),
    r"api/^v1/[\s\S]*/$": Row(**{m.lower(): by("denied") for m in API_METHODS}),  # /api/v1/releases/1abc/ …
    "api:schema": Row(**{m.lower(): by("method") for m in API_METHODS[2:-1]}, get=by("ok"), options=by("ok")),
    "api:docs": Row(**{m.lower(): by("method") for m in API_METHODS[2:]}, get=by("ok")),
    # The public newsroom: the same for everyone, staff included
    "newsroom:index": PUBLIC_PAGE,
    "newsroom:search": PUBLIC_PAGE,
    "newsroom:detail": PUBLIC_RELEASE,
    "newsroom:pdf": PUBLIC_FILE,
    "newsroom:pdf-fingerprinted": PUBLIC_FILE,
    "newsroom:media-kit": PUBLIC_FILE,
    "newsroom:rss": ANSWERS_ANY_METHOD,
    "newsroom:atom": ANSWERS_ANY_METHOD,
    "newsroom:sitemap": PUBLIC_PAGE,
    "newsroom:sitemap-section": {"newsroom": PUBLIC_PAGE, "releases": PUBLIC_PAGE},
    "newsroom:robots": PUBLIC_PAGE,
    "favicon": PUBLIC_PAGE,
    "newsroom:release-image": {
        "published": PUBLIC_PAGE,
        "draft": Row(get=by("denied"), post=by("method")),  # a draft's upload: not even for staff here
    },
    "newsroom:logo": {"company": PUBLIC_PAGE},
    "set_language": ANSWERS_ANY_METHOD,
    # Email alerts: anyone subscribes; a link confirms or ends a subscription (POST: it is done)
    "alerts:subscribe": Row(get=by("ok"), head=by("method"), post=by("ok")),  # an empty form: shown again
    "alerts:sent": Row(get=by("ok"), post=by("ok")),
    "alerts:confirm": Row(get=by("ok"), head=by("method"), post=by("write")),
    "alerts:unsubscribe": Row(get=by("ok"), head=by("method"), post=by("write")),
}


def _variants(key: str) -> dict[str, Row]:
    entry = TABLE[key]
    return {"-": entry} if isinstance(entry, Row) else entry


def _is_api(key: str, pattern: str) -> bool:
    return key.startswith("api:") or pattern.startswith("api/")


def test_the_table_names_every_route_and_nothing_else():
    walked = set(routes())
    assert not sorted(walked - set(TABLE)), f"routes without a row: {sorted(walked - set(TABLE))}"
    assert not sorted(set(TABLE) - walked), f"rows of no route: {sorted(set(TABLE) - walked)}"


def test_the_table_declares_every_role_and_method_and_only_known_classes():
    known = {"ok", "write", "login", "denied", "invalid", "method", "gone"}
    for key, pattern in routes().items():
        for variant, row in _variants(key).items():
            for method in API_METHODS if _is_api(key, pattern) else PAGE_METHODS:
                outcomes = row.expected(method)
                assert set(outcomes) == set(ROLES), (key, variant, method)
                assert set(outcomes.values()) <= known, (key, variant, method, outcomes)


@pytest.mark.parametrize("key", sorted(TABLE))
def test_each_role_gets_what_the_table_says(world, key):
    pattern = routes()[key]
    methods = API_METHODS if _is_api(key, pattern) else PAGE_METHODS
    declared = _variants(key)
    found = targets(key, pattern, world)
    assert {t.variant for t in found} == set(declared), "the table's variants are the addresses asked"
    wrong = []
    for target in found:
        row = declared[target.variant]
        for method in methods:
            expected = row.expected(method)
            for role in ROLES:
                answer = request(world, role, method, target.url, target.data, json=_is_api(key, pattern))
                got = outcome(answer, method, target.url)
                if got != expected[role]:
                    wrong.append(
                        f"{target.variant} {method} {target.url} as {role}: expected {expected[role]}, got {got} "
                        f"({answer.status} {answer.location})"
                    )
    assert not wrong, "\n".join(wrong)


def matrix_size() -> tuple[int, int, int]:
    """(addresses asked, roles, requests): each route's variants × roles × its methods."""
    requests = addresses = 0
    for key, pattern in routes().items():
        variants = len(_variants(key))
        addresses += variants
        requests += variants * len(ROLES) * len(API_METHODS if _is_api(key, pattern) else PAGE_METHODS)
    return addresses, len(ROLES), requests


# -- a view-only role's complete, valid form writes nothing ----------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "view_only"),
    [
        ("releases.contact", "name", ("reviewer", "publisher")),
        ("releases.boilerplateblock", "title", ("reviewer", "publisher")),
        ("releases.company", "short_name", ("writer", "reviewer", "publisher", "dual")),
        ("releases.disclaimer", "title", ("writer", "reviewer", "publisher", "dual")),
    ],
)
def test_a_view_only_role_posting_a_valid_change_form_or_version_page_changes_nothing(world, model, field, view_only):
    """The empty POSTs of the matrix could be refused by the form; here the form is complete and valid (a
    superuser's same POST saves it), and the roles that may only read it still write nothing."""
    from django.test import Client
    from django.urls import reverse

    from tests.matrix_support import form_data

    app_label, model_name = model.split(".")
    obj = world.objects[model]
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    version = reverse(f"admin:{app_label}_{model_name}_simple_history", args=[obj.pk, world.history_ids[model]])
    client = Client()
    client.force_login(world.users["superuser"])
    data = form_data(client.get(change).content.decode(), f"{model_name}_form")
    data[field] = "Renamed by a POST"
    assert outcome(request(world, "superuser", "POST", change, data), "POST", change) == "write"

    for role in view_only:
        answer = request(world, role, "POST", change, data)
        assert (answer.status, answer.wrote) == (403, False), role
        answer = request(world, role, "POST", version, data)
        assert (answer.status, answer.wrote) == (405, False), role
    answer = request(world, "superuser", "POST", version, data)  # nobody reverts a version here
    assert (answer.status, answer.wrote) == (405, False)
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == getattr(obj, field)


# -- what the status codes do not show -----------------------------------------------------------------------


def test_the_dashboard_names_only_the_work_on_the_users_companies(client, writer):
    """The index's "lately" list is built from the audit trail: for a writer assigned to another company, none of
    this company's headlines (an embargoed headline is news)."""
    from releases import services
    from releases.models import CompanyAssignment
    from tests import factories

    release = factories.ready_release(writer)
    services.release_submit(release=release, user=writer)
    agency = factories.user_in("Writer", "agency")
    CompanyAssignment.objects.create(user=agency, company=factories.CompanyFactory())

    client.force_login(agency)
    page = client.get("/admin/")
    assert page.context["dash_recent"] == []
    assert release.headline not in page.content.decode()

    client.force_login(writer)
    assert [row["target"] for row in client.get("/admin/").context["dash_recent"]][:1] == [release.headline]
