"""The OpenAPI description: every operation lists the errors it can answer with."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .errors import ErrorSerializer, ValidationErrorSerializer

ERRORS = {
    "400": OpenApiResponse(ValidationErrorSerializer, description="Invalid input: messages per field."),
    "401": OpenApiResponse(ErrorSerializer, description="Not authenticated, or the token is invalid or revoked."),
    "403": OpenApiResponse(ErrorSerializer, description="Authenticated but lacking the permission this needs."),
    "404": OpenApiResponse(
        ErrorSerializer, description="No such item visible to you (anonymous: no such published release)."
    ),
    "409": OpenApiResponse(ErrorSerializer, description="Conflict: a stale version, or the item is in use."),
    "410": OpenApiResponse(ErrorSerializer, description="The release was withdrawn: only its notice remains."),
    "422": OpenApiResponse(ErrorSerializer, description="The release could not be rendered; the message says why."),
    "429": OpenApiResponse(ErrorSerializer, description="Too many requests: wait `Retry-After` seconds."),
    "503": OpenApiResponse(ErrorSerializer, description="Every renderer is busy: retry after `Retry-After` seconds."),
}


class NewsroomAutoSchema(AutoSchema):
    """Adds the error responses each operation can give; the view may name more via `extra_error_codes`."""

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "404", "429"]
        if self.method != "GET" or self._is_list_view():
            codes.append("400")
        codes += getattr(self.view, "extra_error_codes", {}).get(getattr(self.view, "action", None), [])
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code, ["application/json"], direction)
        return responses
