"""`manage.py issue_api_token`: a key printed once, working at once, for an existing or a new API-only user."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from releases.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db


def issue(*args) -> str:
    out = io.StringIO()
    call_command("issue_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_a_new_api_only_writer_gets_a_key_that_works_at_once(client):
    key = issue("importer", "--name", "Archive import", "--role", "Writer", "--create-user")
    user = get_user_model().objects.get(username="importer")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["Writer"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "Archive import" and key.startswith(token.prefix) and key not in token.key_hash
    assert client.get("/api/v1/releases/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert client.get("/api/v1/releases/", HTTP_AUTHORIZATION="Token nr_wrong").status_code == 401


def test_an_existing_user_keeps_its_password_and_gains_the_role():
    user = factories.UserFactory(username="ir-site")
    issue("ir-site", "--name", "IR website", "--role", "Publisher")
    user.refresh_from_db()
    assert user.has_usable_password()
    assert user.groups.filter(name="Publisher").exists()


def test_unknown_users_and_roles_are_refused_in_plain_words():
    with pytest.raises(CommandError, match=re.escape("No user named “nobody” (add --create-user")):
        issue("nobody", "--name", "x")
    refused = "No role named “Editor”. The roles are: Publisher, Reviewer, Writer."
    with pytest.raises(CommandError, match=re.escape(refused)):
        issue("someone", "--name", "x", "--role", "Editor", "--create-user")
    assert not get_user_model().objects.filter(username="someone").exists()
    assert not ApiToken.objects.exists()
