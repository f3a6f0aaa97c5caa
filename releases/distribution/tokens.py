"""Signed links: the confirmation (expires) and the unsubscribe link (never expires, names one subscriber)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "releases.distribution.confirm"
UNSUBSCRIBE_SALT = "releases.distribution.unsubscribe"


def confirm_token(request_data: dict) -> str:
    """Everything the subscriber asked for travels in the link: nothing is stored before they confirm."""
    return signing.dumps(request_data, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> dict:
    """The request inside a confirmation link; raises signing.BadSignature (or SignatureExpired)."""
    return signing.loads(token, salt=CONFIRM_SALT, max_age=settings.DISTRIBUTION_CONFIRM_MAX_AGE)


def _email_digest(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def unsubscribe_token(subscriber) -> str:
    """Names the subscriber and their address: a link stops working once the address is erased."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([subscriber.pk, _email_digest(subscriber.email)])


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    pk, digest = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    return int(pk), str(digest)


def matches(subscriber, digest: str) -> bool:
    return _email_digest(subscriber.email) == digest
