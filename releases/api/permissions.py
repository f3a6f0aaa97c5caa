"""Who may do what: the Django model permissions the Writer, Reviewer and Publisher groups hold.

The API checks the same permissions as the admin; the workflow services check them again.
"""

from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """Reading needs `view_<model>`, creating `add_<model>`, editing `change_<model>`; anonymous: 401."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


# The permission each workflow action needs, on top of the service's own checks.
ACTION_PERMISSIONS = {
    "submit": "releases.submit_release",
    "return_": "releases.review_release",
    "approve": "releases.review_release",
    "publish": "releases.publish_release",
    "unschedule": "releases.publish_release",
    "correct": "releases.publish_release",
    "withdraw": "releases.publish_release",
    "checks": "releases.view_release",
    "parity": "releases.view_release",
    "history": "releases.view_release",
}


class ReleasePermissions(ModelPermissions):
    """The staff side of releases: model permissions, and each workflow action's own permission."""

    def has_permission(self, request, view):
        needed = ACTION_PERMISSIONS.get(getattr(view, "action", None))
        if needed is None:
            return super().has_permission(request, view)
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("releases.view_release") and user.has_perm(needed))


PERMISSION_TEXT = {
    "submit": "Needs `releases.submit_release` (Writer).",
    "return_": "Needs `releases.review_release` (Reviewer).",
    "approve": "Needs `releases.review_release` (Reviewer); the approver may not be the release's last editor.",
    "publish": "Needs `releases.publish_release` (Publisher).",
    "unschedule": "Needs `releases.publish_release` (Publisher).",
    "correct": "Needs `releases.publish_release` (Publisher).",
    "withdraw": "Needs `releases.publish_release` (Publisher).",
    "checks": "Needs `releases.view_release` (staff).",
    "parity": "Needs `releases.view_release` (staff).",
    "history": "Needs `releases.view_release` (staff).",
}
