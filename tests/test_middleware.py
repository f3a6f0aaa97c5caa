"""HTTP policies applied to every response."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_not_found_answer_is_never_cached(client):
    response = client.get("/releases/no-such-release/")
    assert response.status_code == 404
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
