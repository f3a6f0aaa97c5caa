"""The public page and PDF show only what `published()` returns; a snapshot is served as frozen."""

import datetime as dt

import pytest
from django.utils import timezone

from releases.models import Release, Snapshot
from releases.rendering import render_all
from tests import factories as f

PAST = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)


def public_release(**kwargs):
    """A published release frozen the way approval freezes it (real rendering)."""
    kwargs.setdefault("status", Release.Status.PUBLISHED)
    kwargs.setdefault("publication_at", PAST)
    release = f.ReleaseFactory(**kwargs)
    rendered = render_all(release)
    Snapshot.objects.create(
        release=release,
        page_html=rendered.page_html,
        fragment_html=rendered.fragment_html,
        plain_text=rendered.plain_text,
        content_json=rendered.content_json,
        pdf=rendered.pdf,
        page_sha256=Snapshot.sha256(rendered.page_html),
        pdf_sha256=Snapshot.sha256(rendered.pdf),
        text_sha256=Snapshot.sha256(rendered.plain_text),
        fragment_sha256=Snapshot.sha256(rendered.fragment_html),
        content_sha256="",
    )
    return release


def freeze(release, page="<p>FROZEN PAGE</p>", pdf=b"%PDF-frozen"):
    return Snapshot.objects.create(
        release=release, page_html=page, fragment_html="", plain_text="", content_json={}, pdf=pdf,
        page_sha256="", pdf_sha256="", text_sha256="", fragment_sha256="", content_sha256="",
    )  # fmt: skip


@pytest.mark.django_db
def test_published_release_page_is_served(client):
    release = public_release(body="<p>today announced results.</p>")
    response = client.get(f"/releases/{release.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{release.headline}</h1>" in page
    assert "Download PDF" in page and release.get_pdf_url() in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, moment",
    [
        (Release.Status.DRAFT, PAST),
        (Release.Status.IN_REVIEW, PAST),
        (Release.Status.APPROVED, PAST),
        (Release.Status.PUBLISHED, None),
    ],
)
def test_release_not_public_is_the_same_404_as_a_missing_one(client, status, moment):
    moment = moment or timezone.now() + dt.timedelta(hours=1)
    release = f.ReleaseFactory(status=status, publication_at=moment)
    missing_page = client.get("/releases/no-such-release/")
    missing_pdf = client.get("/releases/no-such-release.pdf")
    for url, missing in ((f"/releases/{release.slug}/", missing_page), (f"/releases/{release.slug}.pdf", missing_pdf)):
        response = client.get(url)
        assert response.status_code == 404
        assert response.content == missing.content


@pytest.mark.django_db
def test_snapshot_is_served_byte_for_byte(client):
    release = f.ReleaseFactory(status=Release.Status.PUBLISHED, publication_at=PAST)
    freeze(release)
    assert client.get(f"/releases/{release.slug}/").content == b"<p>FROZEN PAGE</p>"
    response = client.get(f"/releases/{release.slug}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-frozen"


@pytest.mark.django_db
def test_published_release_without_a_snapshot_is_the_same_404_as_a_missing_one(client):
    release = f.ReleaseFactory(status=Release.Status.PUBLISHED, publication_at=PAST)
    missing = client.get("/releases/no-such-release/")
    for url in (f"/releases/{release.slug}/", f"/releases/{release.slug}.pdf"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.content == missing.content


@pytest.mark.django_db
def test_french_release_lives_under_fr(client):
    release = public_release(language="fr", body="<p>annonce aujourd’hui des résultats.</p>")
    assert client.get(f"/releases/{release.slug}/").status_code == 404
    response = client.get(f"/fr/releases/{release.slug}/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.django_db
def test_demo_release_is_readable_from_the_home_page(client, demo):
    assert demo.slug in client.get("/").content.decode()
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Nantes, France – July 1, 2024 – 7:30 am CEST –" in page
