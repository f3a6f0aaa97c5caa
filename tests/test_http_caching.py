"""Caching for CDNs: no public answer is fresh past the moment its content changes by the clock (the next
scheduled publication), every one names its surrogate keys, a change of a release that went out is purged
through CDN_PURGE_HOOK, and a PDF at the address naming its bytes is kept a year."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from releases import caching, services
from releases.models import Release
from tests import factories
from tests.factories import published_release

pytestmark = pytest.mark.django_db

PURGED: list[list[str]] = []


def record_purge(keys):
    PURGED.append(sorted(keys))


@pytest.fixture
def cdn(settings):
    settings.CDN_CACHE_SECONDS = 3600
    settings.PUBLIC_CACHE_SECONDS = 30
    PURGED.clear()
    return settings


@pytest.fixture
def release():
    return published_release(headline="Results", slug="results")


def ages(response) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r"(max-age|s-maxage)=(\d+)", response["Cache-Control"])}


def scheduled(seconds: int, **fields) -> Release:
    moment = timezone.now().replace(microsecond=0) + dt.timedelta(seconds=seconds)
    return published_release(at=moment, **fields)


LISTS = ["/", "/fr/", "/?page=2", "/feeds/rss.xml", "/feeds/atom.xml", "/sitemap.xml", "/sitemap-releases.xml"]


@pytest.mark.parametrize("path", [*LISTS, "/search/?q=results", "/api/v1/public/releases/"])
def test_no_list_is_fresh_past_the_next_scheduled_publication(client, cdn, release, path):
    unbounded = ages(client.get(path))
    assert unbounded == {"max-age": 30, "s-maxage": 3600}, path
    cache.clear()
    caching.forget_local()
    scheduled(100, slug="due", company=release.company)
    bounded = ages(client.get(path))
    assert 98 <= bounded["s-maxage"] <= 100, path
    assert bounded["max-age"] == 30


def test_a_kept_index_is_replayed_with_what_is_left_until_the_moment(client, cdn, release):
    due = scheduled(100, slug="due", company=release.company)
    first = client.get("/")
    later = due.publication_at - dt.timedelta(seconds=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        replayed = client.get("/")
    assert replayed.content == first.content, "replayed, not computed again"
    assert ages(replayed) == {"max-age": 10, "s-maxage": 10}
    with mock.patch("django.utils.timezone.now", return_value=due.publication_at):
        now_public = client.get("/")
    assert "due" in now_public.content.decode()
    assert ages(now_public)["s-maxage"] == 3600


def test_a_page_is_bounded_by_its_own_versions_and_corrections_only(client, cdn, release):
    other = published_release(slug="other", company=release.company)
    scheduled(
        300, slug="resultats", language="fr", translation_group=release.translation_group, company=release.company
    )
    page = client.get("/releases/results/")
    assert ages(page)["max-age"] == 0 and "must-revalidate" in page["Cache-Control"]
    assert 298 <= ages(page)["s-maxage"] <= 300, "its French version goes public then: the switch changes"
    assert ages(client.get("/releases/other/"))["s-maxage"] == 3600, "nothing of its own is scheduled"
    assert ages(client.get("/releases/results.pdf"))["s-maxage"] == 3600, "a PDF never changes by the clock"
    assert other.pk


def test_public_answers_name_their_surrogate_keys(client, cdn, release):
    group = release.translation_group
    for path in LISTS[:4]:
        response = client.get(path)
        assert response["Surrogate-Key"] == "newsroom releases", path
        assert response["Cache-Tag"] == "newsroom,releases", path
    for path in ["/releases/results/", "/releases/results.pdf"]:
        response = client.get(path)
        assert response["Surrogate-Key"] == f"newsroom release-{release.pk} group-{group}", path
        assert response["Cache-Tag"] == f"newsroom,release-{release.pk},group-{group}", path
    api = client.get(f"/api/v1/public/releases/{release.pk}/")
    assert api["Surrogate-Key"] == f"newsroom release-{release.pk}"


def test_a_pdf_at_the_address_naming_its_bytes_is_kept_a_year(client, cdn, release, publisher):
    digest = release.snapshot.pdf_sha256[:16]
    url = f"/releases/results/{digest}.pdf"
    assert url in client.get("/").content.decode(), "the list links to it"
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == bytes(release.snapshot.pdf)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Disposition"] == client.get("/releases/results.pdf")["Content-Disposition"]
    assert client.get(f"/releases/results/{'0' * 16}.pdf").status_code == 404
    assert client.get(f"/fr/releases/results/{digest}.pdf").status_code == 404
    services.release_withdraw(release=release, user=publisher, notice="Withdrawn.")
    gone = client.get(url)
    assert gone.status_code == 404 and "no-cache" in gone["Cache-Control"]


def test_a_change_of_a_release_that_went_out_is_purged_once_committed(
    cdn, release, publisher, django_capture_on_commit_callbacks
):
    cdn.CDN_PURGE_HOOK = "tests.test_http_caching.record_purge"
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(release=release, user=publisher, notice="Withdrawn.")
    expected = sorted(["releases", f"release-{release.pk}", f"group-{release.translation_group}"])
    assert expected in PURGED
    PURGED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft = factories.ReleaseFactory(company=release.company, slug="draft")
        draft.headline = "Edited"
        draft.save()
    assert PURGED == [], "a draft was never out: nothing to purge"


def test_a_correction_purges_the_release_it_corrects(cdn, release, django_capture_on_commit_callbacks):
    cdn.CDN_PURGE_HOOK = "tests.test_http_caching.record_purge"
    with django_capture_on_commit_callbacks(execute=True):
        correction = published_release(slug="results-corrected", corrects=release, company=release.company)
    assert any(f"release-{release.pk}" in keys and f"release-{correction.pk}" in keys for keys in PURGED)


def test_a_failing_purge_hook_never_fails_the_change(cdn, release, publisher, django_capture_on_commit_callbacks):
    cdn.CDN_PURGE_HOOK = "tests.test_http_caching.no_such_hook"
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(release=release, user=publisher, notice="Withdrawn.")
    assert Release.objects.get(pk=release.pk).status == Release.Status.WITHDRAWN


def test_a_change_elsewhere_ends_this_process_s_kept_answers(client, cdn, release, django_assert_num_queries):
    first = client.get("/releases/results/")
    with django_assert_num_queries(0):
        assert client.get("/releases/results/").content == first.content
    # Another process saved something: the shared generation moved (PUBLIC_CACHE_SYNC_SECONDS is 0 in tests).
    cache.set(caching.GENERATION_KEY, 1)
    with django_assert_num_queries(1):
        client.get("/releases/results/")


def test_a_kept_answer_never_sets_a_cookie_nor_varies_by_one(client, cdn, release):
    response = client.get("/releases/results/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    client.cookies["sessionid"] = "whatever"
    again = client.get("/releases/results/")
    assert again.content == response.content and not again.cookies


def test_only_a_plain_marked_200_is_kept(cdn, rf):
    from django.http import HttpResponse

    def answer(**headers):
        response = caching.mark(HttpResponse(b"<p>news</p>"), "list", bound=None)
        for name, value in headers.items():
            response[name] = value
        return response

    caching.keep("/kept/", answer())
    assert caching.kept("/kept/").content == b"<p>news</p>"
    refused = {
        "/nonce/": answer(**{"Content-Security-Policy": "script-src 'self' 'nonce-abc'"}),
        "/vary/": answer(Vary="Cookie"),
        "/unmarked/": HttpResponse(b"<p>news</p>"),
        "/search/": caching.mark(HttpResponse(b"<p>hits</p>"), "list", keep=False),
    }
    with_cookie = answer()
    with_cookie.set_cookie("csrftoken", "x")
    refused["/cookie/"] = with_cookie
    for path, response in refused.items():
        caching.keep(path, response)
        assert caching.kept(path) is None, path
