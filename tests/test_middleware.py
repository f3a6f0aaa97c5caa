"""HTTP policies applied to every response."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_not_found_answer_is_never_cached(client):
    response = client.get("/releases/no-such-release/")
    assert response.status_code == 404
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


# -- answers that are the same for everyone ---------------------------------------------------------------


SAME_FOR_EVERYONE = {"newsroom:detail", "newsroom:pdf", "newsroom:pdf-fingerprinted", "newsroom:media-kit"}


def marked_routes(patterns=None, namespace=""):
    """The names of the routes whose view is marked @same_for_everyone."""
    from django.urls import URLPattern, get_resolver

    found = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLPattern):
            if getattr(entry.callback, "same_for_everyone", False):
                found.add(f"{namespace}{entry.name}")
        else:
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found |= marked_routes(entry.url_patterns, inner)
    return found


def test_only_a_release_s_frozen_answers_skip_the_session_and_authentication():
    """A view marked here answers before anyone is known: adding one is a decision, not an accident."""
    assert marked_routes() == SAME_FOR_EVERYONE


def test_a_signed_in_reviewer_gets_the_same_page_and_pdf_as_everyone(client, publisher):
    from django.contrib.auth import get_user_model

    from tests.factories import published_release

    release = published_release(slug="results")
    reviewer = get_user_model().objects.create_user("reviewer-2", password="x", is_staff=True)
    for path in (release.get_absolute_url(), "/releases/results.pdf"):
        anonymous = client.get(path)
        client.force_login(reviewer)
        signed_in = client.get(path)
        client.logout()
        assert anonymous.status_code == signed_in.status_code == 200, path
        assert anonymous.content == signed_in.content
        assert dict(anonymous.headers) == dict(signed_in.headers), "no cookie, no Vary: Cookie, nothing per user"
        assert not signed_in.cookies and "Cookie" not in signed_in.get("Vary", "")
        for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Length", "ETag", "Cache-Control"):
            assert signed_in.has_header(header), (path, header)
        assert signed_in["Content-Length"] == str(len(signed_in.content))
    assert client.get(release.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "en"


def test_the_early_answers_keep_their_other_outcomes(client, publisher):
    """Not found, withdrawn, a conditional request, HEAD, and a method the views refuse (a POST goes the
    whole way, through the CSRF check, to the view, which refuses it)."""
    from releases import services
    from tests.factories import published_release

    release = published_release(slug="results")
    page = client.get(release.get_absolute_url())
    again = client.get(release.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304 and again.content == b""
    head = client.head(release.get_absolute_url())
    assert head.status_code == 200 and head["ETag"] == page["ETag"]
    missing = client.get("/releases/no-such-release/")
    assert missing.status_code == 404 and b"</html>" in missing.content.lower()
    assert "no-cache" in missing["Cache-Control"] and missing.has_header("Content-Security-Policy")
    assert client.get("/releases/no-such-release.pdf").status_code == 404
    assert client.post(release.get_absolute_url()).status_code == 405
    services.release_withdraw(release=release, user=publisher, notice="Withdrawn: the results were preliminary.")
    gone = client.get(release.get_absolute_url())
    assert gone.status_code == 410 and "Withdrawn: the results were preliminary." in gone.text
    assert client.get("/releases/results.pdf").status_code == 404
