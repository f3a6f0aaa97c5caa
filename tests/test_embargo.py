"""The embargo holds on every channel: before its moment a release leaves no trace; after it, it is everywhere."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases import services
from releases.models import Release, ReleaseImage
from tests import factories
from tests.crawling import body_and_headers, crawl
from tests.factories import published_release, snapshot_for, user_in

pytestmark = pytest.mark.django_db

CANARY = "Quorvexilant"
CANARY_SLUG = "quorvexilant-phase-3-readout"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)

START = [
    "/",
    "/fr/",
    "/?language=all",
    "/?category=inside_information",
    "/?category=non_regulated&language=all",
    "/?page=2",
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/fr/feeds/rss.xml",
    "/fr/feeds/atom.xml",
    "/sitemap.xml",
    "/sitemap-releases.xml",
    "/sitemap-newsroom.xml",
    "/fr/sitemap.xml",
    "/robots.txt",
    f"/search/?q={CANARY}",
    f"/search/?q={CANARY}&language=all",
    f"/fr/search/?q={CANARY}",
    "/search/?q=phase",
    "/search/?q=phase&language=all",
    f"/search/?q={CANARY_SLUG}",
    "/api/v1/public/releases/",
    f"/api/v1/public/releases/?search={CANARY}",
    f"/api/v1/public/releases/?search={CANARY_SLUG}",
    "/api/v1/public/releases/?ordering=-publication_at",
    "/api/v1/public/releases/?ordering=publication_at",
    "/api/v1/public/releases/?ordering=headline",
    "/api/v1/public/releases/?language=fr",
    "/api/v1/public/releases/?language=en",
    "/api/v1/public/releases/?status=published",
    "/api/v1/public/releases/?page=2",
    "/api/v1/releases/",
    f"/api/v1/releases/?search={CANARY}",
    "/api/v1/companies/",
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The crawl asks the API more often than an anonymous client may; throttling is not under test here.
    settings.API_THROTTLE_RATES = {"anon": "100000/minute"}
    return tmp_path


@pytest.fixture
def site(media):
    """Public releases to crawl, one whose French version is the hidden canary's translation."""
    company = factories.CompanyFactory(short_name="Acme Biotech", slug="acme")
    factories.ListingFactory(company=company)
    older = published_release(company=company, headline="Acme Biotech starts a phase 2 trial", slug="phase-2")
    published_release(
        company=company, headline="Acme Biotech lance un essai de phase 2", slug="essai-phase-2", language="fr"
    )
    for n in range(21):  # two pages of the English index
        published_release(company=company, headline=f"Acme Biotech update {n}", slug=f"update-{n}")
    return {"company": company, "older": older}


def hide_canary(site, *, moment: dt.datetime) -> dict:
    """An approved release scheduled for `moment` with the canary in every part, through the workflow."""
    writer, reviewer, publisher = user_in("Writer", "w"), user_in("Reviewer", "r"), user_in("Publisher", "p")
    company = site["company"]
    contact = factories.ContactFactory(company=company, name=f"{CANARY} Press Office")
    disclaimer = factories.DisclaimerFactory()
    release = services.release_create(
        user=writer,
        fields={
            "company": company,
            "language": "en",
            "headline": f"{CANARY} phase 3 readout",
            "slug": CANARY_SLUG,
            "subheadline": f"The {CANARY} trial met its primary endpoint",
            "publication_at": moment,
            "body": f"<p>Acme Biotech expects to file {CANARY} in 2025 (1).</p>",
        },
    )
    services.release_edit(
        release=release,
        user=writer,
        expected_version=release.version,
        references=[{"citation": f"{CANARY} study. 2024.", "url": "https://doi.org/10.1000/x"}],
    )
    services.release_edit(release=release, user=writer, expected_version=release.version, disclaimers=[disclaimer])
    services.release_edit(release=release, user=writer, expected_version=release.version, contacts=[contact])
    image = ReleaseImage.objects.create(
        release=release, image=SimpleUploadedFile(f"{CANARY.lower()}.png", PNG + CANARY.encode()), alt_text=CANARY
    )
    services.release_submit(release=release, user=writer)
    factories.approve(release, reviewer)
    services.release_publish(release=release, user=publisher)
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED and not release.is_public
    french = published_release(
        company=company,
        language="fr",
        at=moment,
        headline=f"{CANARY} : résultats de phase 3",
        slug=f"{CANARY.lower()}-resultats",
        translation_group=site["older"].translation_group,
        snapshot=False,
    )
    snapshot_for(french, page_html=f"<html><body><h1>{CANARY}</h1></body></html>", pdf=b"%PDF " + CANARY.encode())
    return {"release": release, "french": french, "image": image}


def guessed_urls(canary: dict) -> list[str]:
    release, french, image = canary["release"], canary["french"], canary["image"]
    slug = release.slug
    return [
        f"/releases/{slug}/",
        f"/releases/{slug}",
        f"/releases/{slug.upper()}/",
        f"/releases/{slug}.pdf",
        f"/releases/{slug}/?preview=1",
        f"/fr/releases/{slug}/",
        f"/releases/{release.pk}/",
        f"/fr/releases/{french.slug}/",
        f"/fr/releases/{french.slug}.pdf",
        f"/media/{image.image.name}",
        f"/media/release-images/{image.image.name.split('/')[1]}/",
        f"/api/v1/public/releases/{release.pk}/",
        f"/api/v1/public/releases/{french.pk}/",
        f"/api/v1/public/releases/{release.pk}/page/",
        f"/api/v1/public/releases/{release.pk}/pdf/",
        f"/api/v1/public/releases/{release.pk}/text/",
        f"/api/v1/public/releases/{release.pk}/fragment/",
        f"/api/v1/public/releases/{slug}/",
        f"/api/v1/releases/{release.pk}/",
        f"/search/?q={release.pk}",
    ]


def test_a_scheduled_release_leaves_no_trace_anywhere_then_appears_on_every_channel_at_its_moment(client, site):
    before = {path: body_and_headers(r) for path, r in crawl(client, START).items()}
    assert len(before) > 40, "the crawl should reach every public page, feed and release"
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=2)
    canary = hide_canary(site, moment=moment)

    during = crawl(client, START + guessed_urls(canary))
    for path, response in during.items():
        text = body_and_headers(response)
        if CANARY.lower() not in path.lower():  # a search page repeats its query: compared with before instead
            assert CANARY.lower() not in text.lower(), f"{path} leaks the scheduled release"
        if path in before:
            # Counts, pagination, ETags, Last-Modified: the site is byte for byte the site without it.
            assert text == before[path], f"{path} changed while the release was under embargo"
    for path in guessed_urls(canary):
        if not path.startswith("/search/"):
            assert during[path].status_code in (301, 404, 401, 403), path
    missing = body_and_headers(client.get("/releases/no-such-release/"))
    assert body_and_headers(client.get(f"/releases/{canary['release'].slug}/")) == missing

    later = moment + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        release, french, image = canary["release"], canary["french"], canary["image"]
        page = client.get(f"/releases/{release.slug}/")
        assert page.status_code == 200 and CANARY in page.content.decode()
        pdf = client.get(f"/releases/{release.slug}.pdf")
        assert pdf.status_code == 200 and pdf.content == bytes(release.snapshot.pdf)
        assert client.get(f"/fr/releases/{french.slug}/").status_code == 200
        for path in ["/", "/feeds/rss.xml", "/feeds/atom.xml", f"/search/?q={CANARY}", "/api/v1/public/releases/"]:
            response = client.get(path)
            assert response.status_code == 200 and CANARY in response.content.decode(), path
        for path in ["/fr/", "/fr/feeds/rss.xml", "/fr/feeds/atom.xml", f"/fr/search/?q={CANARY}"]:
            assert CANARY in client.get(path).content.decode(), path
        sitemap = client.get("/sitemap-releases.xml").content.decode()
        assert release.slug in sitemap and french.slug in sitemap
        assert "23 releases" in client.get("/").content.decode()
        media = client.get(f"/media/{image.image.name}")
        assert media.status_code == 200 and b"".join(media.streaming_content).endswith(CANARY.encode())
        assert client.get(f"/api/v1/public/releases/{release.pk}/").status_code == 200


def test_a_hidden_release_costs_the_same_queries_as_a_missing_one(client, site):
    hidden = published_release(at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1), slug="hidden-one")
    for hidden_path, missing_path in [
        (f"/releases/{hidden.slug}/", "/releases/nothing-here/"),
        (f"/releases/{hidden.slug}.pdf", "/releases/nothing-here.pdf"),
    ]:
        with CaptureQueriesContext(connection) as for_hidden:
            hidden_response = client.get(hidden_path)
        with CaptureQueriesContext(connection) as for_missing:
            missing_response = client.get(missing_path)
        assert hidden_response.status_code == missing_response.status_code == 404
        assert hidden_response.content == missing_response.content
        assert len(for_hidden) == len(for_missing)


def test_release_images_are_served_only_once_the_release_is_listed(client, media):
    draft = factories.ReleaseFactory()
    image = ReleaseImage.objects.create(release=draft, image=SimpleUploadedFile("chart.png", PNG), alt_text="Chart")
    missing = client.get("/media/release-images/0123456789abcdef/chart.png")
    hidden = client.get(f"/media/{image.image.name}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    Release.objects.filter(pk=draft.pk).update(
        status=Release.Status.PUBLISHED, publication_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    shown = client.get(f"/media/{image.image.name}")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == PNG
    Release.objects.filter(pk=draft.pk).update(status=Release.Status.WITHDRAWN)
    assert client.get(f"/media/{image.image.name}").status_code == 404


def test_path_tricks_do_not_reach_files_outside_the_checked_names(client, media):
    (media / "secret.txt").write_text("secret")
    for path in ["/media/release-images/..%2F/secret.txt", "/media/logos/..%2Fsecret.txt", "/media/secret.txt"]:
        assert client.get(path).status_code == 404, path


def test_company_logos_are_public_but_only_the_files_companies_use(client, media):
    company = factories.CompanyFactory(logo=SimpleUploadedFile("acme.png", PNG))
    (media / "logos" / "unused.png").write_bytes(PNG)
    response = client.get(f"/media/{company.logo.name}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert client.get("/media/logos/unused.png").status_code == 404
