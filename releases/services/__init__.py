"""Every change of state, in one place: the admin, the API and the command line call these.

- `release_create`, `release_edit`: writing a release and its parts (one change, one version, one event);
- `TRANSITIONS`: the workflow (submit, return, approve, publish, unschedule, correct, withdraw), each with
  a side-effect-free `check(release, user)` and an `execute(...)`; `release_<name>` call them by name;
- `release_translate`: the version in another language;
- `part_archive`, `part_delete`: the reusable parts, archived instead of deleted once used;
- `api_token_issue`, `api_token_revoke`: the integrators' keys.

Each service is keyword-only, runs in one transaction, locks the rows it changes, checks the user's
permission and the state, validates with `full_clean()`, records what it did, and raises
`WorkflowError` (or `PermissionDenied`) with a plain message before writing anything.
"""

from .common import Refusal, WorkflowError
from .editing import EDITABLE_FIELDS, default_company_about, release_create, release_edit, unique_slug
from .parts import Removal, part_archive, part_delete, part_users
from .reviewing import Review, ReviewScreen, changes_between, editors_since, release_review, release_review_screen
from .tokens import api_token_issue, api_token_revoke, hash_key
from .transitions import TRANSITIONS, Argument, Transition, available, canonical_json
from .translating import release_translate

release_submit = TRANSITIONS["submit"].execute
release_return = TRANSITIONS["return"].execute
release_approve = TRANSITIONS["approve"].execute
release_publish = TRANSITIONS["publish"].execute
release_unschedule = TRANSITIONS["unschedule"].execute
release_correct = TRANSITIONS["correct"].execute
release_withdraw = TRANSITIONS["withdraw"].execute

__all__ = [
    "EDITABLE_FIELDS",
    "TRANSITIONS",
    "Argument",
    "Refusal",
    "Removal",
    "Review",
    "ReviewScreen",
    "Transition",
    "WorkflowError",
    "api_token_issue",
    "api_token_revoke",
    "available",
    "canonical_json",
    "changes_between",
    "default_company_about",
    "editors_since",
    "hash_key",
    "part_archive",
    "part_delete",
    "part_users",
    "release_approve",
    "release_correct",
    "release_create",
    "release_edit",
    "release_publish",
    "release_return",
    "release_review",
    "release_review_screen",
    "release_submit",
    "release_translate",
    "release_unschedule",
    "release_withdraw",
    "unique_slug",
]
