"""Who may do what: the Django model permissions the Writer, Reviewer and Publisher groups hold.

The API checks the same permissions as the admin: each workflow route asks for its transition's own
permission (from `services.TRANSITIONS`), and the transition checks it again.
"""

from rest_framework import permissions

from releases import services


class ModelPermissions(permissions.DjangoModelPermissions):
    """Reading needs `view_<model>`, creating `add_<model>`, editing `change_<model>`; anonymous: 401."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


# Read-only routes of a release beside its fields, each needing only the right to read releases.
READ_ACTIONS = ("checks", "parity", "history", "review")


class ReleasePermissions(ModelPermissions):
    """The staff side of releases: model permissions, and each workflow route's transition permission."""

    def has_permission(self, request, view):
        name = getattr(view, "action", None)
        transition = services.TRANSITIONS.get(name)
        if transition is None and name not in READ_ACTIONS:
            return super().has_permission(request, view)
        user = request.user
        needed = ["releases.view_release"] + ([transition.permission] if transition else [])
        return bool(user and user.is_authenticated and all(user.has_perm(p) for p in needed))


def permission_text(transition: services.Transition) -> str:
    return f"Needs `{transition.permission}`."


PERMISSION_TEXT = dict.fromkeys(READ_ACTIONS, "Needs `releases.view_release` (staff).")
