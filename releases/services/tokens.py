"""API tokens: a random key shown once, only its SHA-256 kept; revoking is stamping `revoked_at`."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from releases.models import ApiToken

KEY_PREFIX = "nr_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with its key, which is never shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=key[: len(KEY_PREFIX) + 8], key_hash=hash_key(key))
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first moment."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
    return token
