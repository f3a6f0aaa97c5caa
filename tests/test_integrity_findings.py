"""Issue 12's findings that no other module proves: a moment past any sane year, staff renders kept out of caches
and search engines, and a render failure in the admin told in words rather than answered with a 500."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from releases import services
from releases.models import Release
from releases.rendering import RenderError
from tests import factories


def test_a_moment_in_year_9999_is_refused_and_the_lists_still_answer(client, writer, release):
    far = dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC)
    with pytest.raises(ValidationError, match="between 1990 and 2099"):
        services.release_edit(
            release=release, user=writer, expected_version=release.version, fields={"publication_at": far}
        )
    api = APIClient()
    api.force_authenticate(writer)
    response = api.patch(
        f"/api/v1/releases/{release.pk}/",
        {"publication_at": "9999-12-31T23:30:00Z", "version": release.version},
        format="json",
    )
    assert response.status_code == 400
    assert "between 1990 and 2099" in str(response.json())
    client.force_login(writer)
    assert client.get(reverse("admin:releases_release_changelist")).status_code == 200
    assert client.get(reverse("admin:releases_release_change", args=[release.pk])).status_code == 200


@pytest.mark.parametrize("render", ["", "page/", "text/", "fragment/"])
def test_staff_renders_of_a_draft_are_private_no_store_and_noindex(writer, release, render):
    api = APIClient()
    api.force_authenticate(writer)
    response = api.get(f"/api/v1/releases/{release.pk}/{render}")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_browsable_format_on_a_staff_release_is_not_a_500(writer, release):
    api = APIClient()
    api.force_authenticate(writer)
    response = api.get(f"/api/v1/releases/{release.pk}/", {"format": "api"})
    assert response.status_code in (200, 404)


def failing_render(*args, **kwargs):
    raise RenderError("The PDF took longer than 60 seconds to render.")


def test_a_render_failure_in_the_admin_is_a_422_page_for_a_preview_and_a_message_for_an_approval(
    client, monkeypatch, writer, reviewer, release
):
    services.release_submit(release=release, user=writer)
    monkeypatch.setattr("releases.rendering.outputs.render_pdf_bytes", failing_render)
    client.force_login(reviewer)
    preview = client.get(reverse("admin:releases_release_preview", args=[release.pk, "pdf"]))
    assert preview.status_code == 422
    assert "could not be rendered" in preview.content.decode()
    form = client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    version = re.search(r'name="review_version" value="(\d+)"', form).group(1)
    digest = re.search(r'name="review_digest" value="([0-9a-f]{64})"', form).group(1)
    response = client.post(
        reverse("admin:releases_release_workflow", args=[release.pk, "approve"]),
        {"review_version": version, "review_digest": digest},
        follow=True,
    )
    assert response.status_code == 200
    assert "could not be rendered, so nothing changed" in response.content.decode()
    assert Release.objects.get(pk=release.pk).status == Release.Status.IN_REVIEW
    assert not factories.models.Snapshot.objects.filter(release=release).exists()


@pytest.mark.parametrize("path", ["/", "/alerts/", "/admin/login/"])
def test_public_pages_and_the_admin_carry_a_strict_content_security_policy(client, db, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'self'" in directives["script-src"]
    assert "frame-ancestors" in directives or "object-src" in directives
