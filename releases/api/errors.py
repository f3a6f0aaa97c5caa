"""One error shape for the whole API, and the mapping of domain errors onto HTTP statuses.

- 400: `{"field": ["message", …], "non_field_errors": [...]}` (nested lists for nested items);
- 401, 403, 404, 405, 409, 410, 422, 429, 503: `{"detail": "message", "code": "machine_code"}`.

A `WorkflowError` (a ValidationError) is a 400, or a 409 when it says the version is stale; a
Django `PermissionDenied` is a 403; a `RenderError` is a 422, and a `RenderBusy` a 503 with Retry-After.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler

from releases.rendering import RenderBusy, RenderError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The release changed since you read it: fetch it again and reapply your change.")
    default_code = "conflict"


class Unrenderable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("The release could not be rendered.")
    default_code = "render_failed"


class Busy(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Every renderer is busy right now; try again in a minute.")
    default_code = "busy"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("This release was withdrawn.")
    default_code = "withdrawn"


def django_error_to_dict(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def is_version_conflict(error: Exception) -> bool:
    """True when the services refused a save made over someone else's (code "stale")."""
    codes = {getattr(error, "code", None)} | {getattr(e, "code", None) for e in getattr(error, "error_list", [])}
    return "stale" in codes


def api_exception_handler(exc, context):
    """DRF's handler, plus: workflow and model validation → 400 (409 for a stale version), PROTECT → 409."""
    if isinstance(exc, DjangoValidationError):
        if is_version_conflict(exc):
            exc = Conflict(detail=" ".join(str(m) for m in exc.messages) or None)
        else:
            exc = exceptions.ValidationError(detail=django_error_to_dict(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, ProtectedError):
        exc = Conflict(detail=_("This item is used by a release; archive it instead of deleting it."))
    elif isinstance(exc, IntegrityError):
        # A unique rule checked by full_clean() can still lose a race with a concurrent write.
        exc = Conflict(detail=_("This conflicts with an item saved at the same moment; fetch it again and retry."))
    elif isinstance(exc, RenderBusy):
        exc = Busy(detail=str(exc) or None)
    elif isinstance(exc, RenderError):
        exc = Unrenderable(detail=str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Busy):
        response["Retry-After"] = "60"
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    elif isinstance(response.data, dict) and set(response.data) == {"detail"}:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or "error"}
    return response


class ErrorSerializer(serializers.Serializer):
    """Every error other than a validation error."""

    detail = serializers.CharField(help_text=_("What went wrong, in plain words."))
    code = serializers.CharField(
        help_text=_(
            "Machine-readable: not_authenticated, authentication_failed, permission_denied, not_found, "
            "method_not_allowed, conflict, withdrawn, throttled…"
        )
    )


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: each key is a field (or `non_field_errors`), each value the list of its messages.

    Nested items (references, programs, listings) give a list with one object of errors per item.
    """

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        ref_name = "ValidationError"
