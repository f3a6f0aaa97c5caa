"""Integrators' tokens are created and revoked in the admin; only their hash is stored."""

import hashlib
import re

import pytest

from releases.models import ApiToken

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_token_whose_key_is_shown_once_and_revokes_it(client):
    admin_user = UserFactory(username="root", is_superuser=True)
    integrator = UserFactory(username="ir-site")
    client.force_login(admin_user)

    response = client.post("/admin/releases/apitoken/add/", {"user": integrator.pk, "name": "IR website"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(name="IR website")
    shown = re.search(r"is (\S+) — copy it now", response.content.decode()).group(1)
    assert token.key_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert shown not in str(ApiToken.objects.values_list())

    assert client.get("/api/v1/releases/", HTTP_AUTHORIZATION=f"Token {shown}").status_code in (200, 403)
    client.post(
        "/admin/releases/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/releases/", HTTP_AUTHORIZATION=f"Token {shown}").status_code == 401
