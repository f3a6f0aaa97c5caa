"""Token authentication for integrators: `Authorization: Token <key>`, looked up by the key's hash."""

import datetime as dt

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from releases.models import ApiToken
from releases.services import hash_key

# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`; a revoked token, or one of an inactive user, is refused with 401."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: write 'Token <key>'."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        # Guessing tokens is guessing passwords: django-axes counts the failures per client address.
        credentials = {"username": f"api-token:{key[:11]}"}
        if not AxesProxyHandler.is_allowed(request._request, credentials):
            raise exceptions.Throttled(detail=_("Too many invalid tokens were sent from here; try again later."))
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            user_login_failed.send(sender=type(self), credentials=credentials, request=request._request)
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "releases.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "An API token created by an administrator (Admin › API tokens), shown once. "
                "Send it as `Authorization: Token <key>`. A revoked token gets 401."
            ),
        }
