"""Throttles for anonymous clients (per address) and token clients (per token).

Rates come from `settings.API_THROTTLE_RATES` when it is set (tests raise them), else the defaults here.
Browser sessions of staff are not throttled: they are the comms team at work.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATES = {"anon": "120/minute", "token": "600/minute"}


class _ConfiguredRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        rates = {**DEFAULT_RATES, **getattr(settings, "API_THROTTLE_RATES", {})}
        return rates[self.scope]


class AnonymousThrottle(_ConfiguredRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(_ConfiguredRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        token_id = getattr(token, "pk", None)
        if token_id is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token_id}
