"""The public side of email alerts: subscribe, confirm, unsubscribe (one click, RFC 8058).

The form answers the same way whether or not the address is known, and is throttled per client address;
a confirmation link carries the request, signed and expiring, so nothing is stored until it is used.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..http import client_address
from . import services, tokens
from .forms import SubscribeForm

CONFIRMATIONS_PER_ADDRESS = 3  # messages to one address per hour; more requests are answered but not sent


def client_ip(request) -> str | None:
    """The reader's address, behind TRUSTED_PROXY_COUNT reverse proxies too (the same rule as the API's throttle
    and the login guard): the throttle counts per reader, and the consent records where it was given."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _rate() -> tuple[int, int]:
    count, seconds = settings.DISTRIBUTION_FORM_RATE.split("/")
    return int(count), int(seconds)


def _over_limit(key: str, limit: int, seconds: int) -> bool:
    """Count one more hit on `key`; True once there were more than `limit` within `seconds`."""
    cache.add(key, 0, seconds)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        hits = 1
    return hits > limit


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


# No CSRF token: the form changes nothing for anyone who is logged in (it only sends a confirmation link,
# which anybody can ask for), and a page without a per-visit token or cookie is the same bytes for everyone.
@csrf_exempt
@cache_control(no_store=True)
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        limit, seconds = _rate()
        if _over_limit(f"alerts:form:{_digest(client_ip(request) or '-')}", limit, seconds):
            response = render(request, "releases/distribution/throttled.html", {"minutes": seconds // 60}, status=429)
            response["Retry-After"] = str(seconds)
            return response
        if form.is_valid():
            email = services.normalise_email(form.cleaned_data["email"])
            if not _over_limit(f"alerts:address:{services.email_digest(email)}", CONFIRMATIONS_PER_ADDRESS, 3600):
                services.request_subscription(
                    email=email,
                    languages=form.cleaned_data["languages"],
                    categories=form.cleaned_data["categories"],
                    language=get_language() or settings.LANGUAGE_CODE,
                )
            return redirect("alerts:sent")
    return render(request, "releases/distribution/subscribe.html", {"form": form})


@never_cache
def sent(request):
    return render(request, "releases/distribution/sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button (mail scanners open links: a GET changes nothing); POST records the consent."""
    try:
        data = tokens.read_confirm_token(token)
    except signing.SignatureExpired:
        return render(request, "releases/distribution/link_problem.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "releases/distribution/link_problem.html", {"expired": False}, status=404)
    if request.method == "POST":
        subscriber = services.confirm_subscription(token=token, ip=client_ip(request))
        return render(request, "releases/distribution/confirmed.html", {"subscriber": subscriber})
    return render(request, "releases/distribution/confirm.html", {"email": data["e"]})


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" with no cookie and no token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows a button; POST (the button or a mail client's one click) unsubscribes, every time alike."""
    if request.method == "POST":
        subscriber = services.unsubscribe(token=token)
        if subscriber is None:
            return render(request, "releases/distribution/link_problem.html", {"expired": False}, status=404)
        return render(request, "releases/distribution/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "releases/distribution/unsubscribe.html", {"token": token})
