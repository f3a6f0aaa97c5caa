"""The parity check between language versions, through the API."""

import pytest
from django.contrib.auth import get_user_model

from releases.models import Release

pytestmark = pytest.mark.django_db


def test_parity_of_the_demo_pair_lists_no_difference(client, demo):
    client.force_login(get_user_model().objects.get(username="writer"))
    response = client.get(f"/api/v1/releases/{demo.pk}/parity/")
    assert response.status_code == 200
    french = Release.objects.get(translation_group=demo.translation_group, language="fr")
    assert response.json() == {
        "release": demo.pk,
        "language": "en",
        "other_release": french.pk,
        "other_language": "fr",
        "has_translation": True,
        "ok": True,
        "differences": [],
    }


def test_parity_is_for_staff_only(client, demo):
    assert client.get(f"/api/v1/releases/{demo.pk}/parity/").status_code == 401
