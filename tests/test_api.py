"""The REST API: what anyone may read, what each role may do, and bad input that changes nothing."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from releases import services
from releases.models import ApiToken, Release, Snapshot, WorkflowEvent
from releases.placeholders import PLACEHOLDER_RE
from releases.services import api_token_issue, api_token_revoke
from tests import factories
from tests.factories import ready_release, row, user_in

pytestmark = pytest.mark.django_db


Status = Release.Status


PUBLIC = "/api/v1/public/releases/"


STAFF = "/api/v1/releases/"


PAST = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    """Throttling has its own test; elsewhere it must never make a test flaky."""
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "token": "100000/minute"}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def quick_pdf(request):
    """WeasyPrint's seconds are spared, except where a test asks for `real_rendering`."""
    if "real_rendering" not in request.fixturenames:
        request.getfixturevalue("fast_rendering")


@pytest.fixture
def real_rendering(settings, tmp_path):
    """The real composition, PDF included, for tests that read what approval froze (ask for it before `demo`)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def anon():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def writer():
    return user_in("Writer", "writer")


@pytest.fixture
def reviewer():
    return user_in("Reviewer", "reviewer")


@pytest.fixture
def publisher():
    return user_in("Publisher", "publisher")


def test_anonymous_list_shows_a_published_release_with_its_parts_and_no_private_field(anon):
    acme = factories.CompanyFactory(slug="acme", short_name="Acme Biotech")
    release = factories.published_release(
        parts=True, company=acme, headline="Acme reports", slug="acme-reports", body="<p>Results (1).</p>"
    )
    factories.ReleaseFactory(status=Status.DRAFT, headline="Secret draft")

    response = anon.get(PUBLIC)

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "count_exact": True,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": release.pk,
                "status": "published",
                "company": {
                    "id": release.company_id,
                    "short_name": "Acme Biotech",
                    "legal_name": release.company.legal_name,
                    "slug": "acme",
                    "website": "https://www.acme-bio.example",
                    "city": "Lyon",
                    "country": "France",
                    "listings": [],
                },
                "language": "en",
                "category": "non_regulated",
                "label": "press_release",
                "headline": "Acme reports",
                "subheadline": "",
                "slug": "acme-reports",
                "place": "",
                "publication_at": "2024-07-01T05:30:00Z",
                "body": "<p>Results (1).</p>",
                "company_about": None,
                "topic_abouts": [{"title": "About ALL", "body": "<p>A leukemia.</p>"}],
                "disclaimers": [],
                "contacts": [
                    {
                        "kind": "media",
                        "name": "Camille Martin",
                        "role": "Head of Communications",
                        "organisation": "",
                    }
                ],
                "references": [
                    {
                        "position": 1,
                        "citation": "Doe J. et al. A study. J. Example. 2024.",
                        "url": "https://doi.org/10.1000/example",
                        "accessed_on": None,
                        "accessed_label": "",
                    }
                ],
                "corrects": None,
                "correction_note": "",
                "withdrawal_notice": "",
                "withdrawn_at": None,
                "translation_group": str(release.translation_group),
                "public_url": "http://testserver/releases/acme-reports/",
                "renders": {
                    name: f"http://testserver/api/v1/public/releases/{release.pk}/{name}/"
                    for name in ("page", "fragment", "text", "pdf")
                },
            }
        ],
    }
    assert "camille@acme.example" not in response.content.decode()
    assert "Mobile after 6pm" not in response.content.decode()


def test_anonymous_reads_nothing_unpublished_by_id_slug_filter_search_or_ordering(anon):
    factories.published_release(parts=True, slug="public-one")
    draft = factories.ReleaseFactory(status=Status.DRAFT, slug="secret-draft", headline="Zeta secret draft")
    future = factories.ReleaseFactory(
        status=Status.PUBLISHED,
        slug="embargoed",
        headline="Zeta embargoed",
        publication_at=timezone.now() + dt.timedelta(hours=1),
    )
    approved = factories.ReleaseFactory(status=Status.APPROVED, slug="approved-one", publication_at=PAST)

    for hidden in (draft, future, approved):
        assert anon.get(f"{PUBLIC}{hidden.pk}/").status_code == 404
        assert anon.get(f"{PUBLIC}{hidden.pk}/pdf/").status_code == 404
        assert anon.get(f"{PUBLIC}{hidden.pk}/page/").status_code == 404
        assert anon.get(f"{STAFF}{hidden.pk}/").status_code == 401
        assert anon.get(f"{STAFF}{hidden.pk}/history/").status_code == 401
        assert anon.get(f"{PUBLIC}{hidden.pk}/history/").status_code == 404
    for query in (
        {"slug": "secret-draft"},
        {"slug": "embargoed"},
        {"status": "draft"},
        {"status": "approved"},
        {"search": "Zeta"},
        {"search": "secret"},
        {"ordering": "-headline"},
        {"published_from": "2000-01-01", "ordering": "-publication_at"},
    ):
        slugs = [item["slug"] for item in anon.get(PUBLIC, query).json()["results"]]
        assert slugs in ([], ["public-one"]), query
        assert "secret-draft" not in slugs and "embargoed" not in slugs
    assert anon.get(PUBLIC, {"status": "draft"}).json()["count"] == 0


def test_anonymous_cannot_order_by_a_field_outside_the_whitelist(anon):
    factories.published_release(parts=True)
    for ordering in ("status", "created_at", "-updated_at", "company__contacts__email", "body"):
        response = anon.get(PUBLIC, {"ordering": ordering})
        assert response.status_code == 400
        assert response.json() == {
            "ordering": ["Order by one of: publication_at, headline, id (prefix - for descending)."]
        }


def test_anonymous_gets_no_contact_company_or_part_endpoint(anon):
    contact = factories.ContactFactory(private_notes="Never published")
    for url in (
        "/api/v1/contacts/",
        f"/api/v1/contacts/{contact.pk}/",
        "/api/v1/companies/",
        "/api/v1/pipeline-assets/",
        "/api/v1/boilerplate-blocks/",
        "/api/v1/disclaimers/",
        STAFF,
    ):
        response = anon.get(url)
        assert response.status_code == 401, url
        assert response.json() == {
            "detail": "Authentication credentials were not provided.",
            "code": "not_authenticated",
        }
        assert response["WWW-Authenticate"] == "Token"


def test_withdrawn_release_keeps_only_its_notice(anon):
    release = factories.published_release(parts=True, headline="Old news", body="<p>Gone (1).</p>")
    Release.objects.filter(pk=release.pk).update(
        status=Status.WITHDRAWN, withdrawal_notice="Withdrawn at the AMF's request.", withdrawn_at=PAST
    )

    data = anon.get(f"{PUBLIC}{release.pk}/").json()
    assert (data["status"], data["headline"], data["body"], data["withdrawal_notice"]) == (
        "withdrawn",
        "Old news",
        "",
        "Withdrawn at the AMF's request.",
    )
    assert data["references"] == data["topic_abouts"] == data["contacts"] == []
    assert anon.get(PUBLIC).json()["count"] == 0
    assert anon.get(f"{PUBLIC}{release.pk}/pdf/").json() == {
        "detail": "Withdrawn at the AMF's request.",
        "code": "withdrawn",
    }


def test_public_renders_serve_the_frozen_snapshot(anon):
    release = factories.published_release(parts=True)

    pdf = anon.get(f"{PUBLIC}{release.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    page = anon.get(f"{PUBLIC}{release.pk}/page/")
    text = anon.get(f"{PUBLIC}{release.pk}/text/")
    fragment = anon.get(f"{PUBLIC}{release.pk}/fragment/")

    frozen = release.snapshot
    assert (pdf.status_code, pdf["Content-Type"], pdf.content) == (200, "application/pdf", bytes(frozen.pdf))
    assert pdf["Content-Disposition"] == f'inline; filename="{release.slug}.pdf"'
    assert (page["Content-Type"], page.content) == ("text/html; charset=utf-8", frozen.page_html.encode())
    assert (text["Content-Type"], text.content) == ("text/plain; charset=utf-8", frozen.plain_text.encode())
    assert fragment.content == frozen.fragment_html.encode()


def test_public_json_is_what_approval_froze_whatever_is_edited_later(real_rendering, demo, anon):
    """The demo release went out through the services; its parts edited afterwards change nothing public."""
    detail, listing = f"{PUBLIC}{demo.pk}/", PUBLIC
    before_detail, before_list = anon.get(detail), anon.get(listing)
    assert (before_detail.status_code, before_list.status_code) == (200, 200)
    data = before_detail.json()
    assert data["topic_abouts"] and data["disclaimers"] and data["contacts"] and data["company_about"]

    topic = demo.topic_links.first().block
    topic.body = "<p>Rewritten after publication.</p>"
    topic.save()
    disclaimer = demo.disclaimer_links.first().disclaimer
    disclaimer.body = "<p>A new legal text by {company}.</p>"
    disclaimer.save()
    about = demo.company_about
    about.title = "About someone else"
    about.save()
    company = demo.company
    company.short_name = "Renamed Pharma"
    company.save()
    contact = demo.contact_links.first().contact
    contact.name = "Somebody Else"
    contact.save()
    asset = company.assets.filter(active=True, archived=False).first()
    asset.name = "Renamed asset"
    asset.save()

    assert anon.get(detail).content == before_detail.content
    assert anon.get(listing).content == before_list.content
    # …while the staff view, which shows the live parts, does see the edits.
    staff = client_for(user_in("Writer", "api-writer")).get(f"{STAFF}{demo.pk}/").json()
    assert staff["contacts"][0]["name"] == "Somebody Else"


def test_public_json_fills_placeholders_as_the_frozen_page_shows_them(real_rendering, demo, anon):
    data = anon.get(f"{PUBLIC}{demo.pk}/").json()
    text = anon.get(f"{PUBLIC}{demo.pk}/").content.decode()
    page = demo.snapshot.page_html

    assert not PLACEHOLDER_RE.search(text)
    assert all("{" not in value and "}" not in value for value in _strings(data))
    # The disclaimers and the company About (with its generated pipeline lists) as the page prints them.
    assert "OSE Immunotherapeutics" in data["disclaimers"][0]["body"]
    for html in [d["body"] for d in data["disclaimers"]] + [data["company_about"]["body"]]:
        assert html in page
    assert '<ul class="pipeline">' in data["company_about"]["body"]
    frozen = demo.snapshot.content_json
    assert data["headline"] == frozen["headline"] and data["body"] == frozen["body"]
    assert data["company"]["short_name"] == frozen["company"]["short_name"]


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_anonymous_json_never_carries_a_contacts_email_phone_or_notes(real_rendering, demo, anon):
    contacts = [link.contact for link in demo.contact_links.all()]
    for contact in contacts:
        contact.private_notes = "Private: call her mobile"
        contact.save()
    frozen = demo.snapshot.content_json["contacts"]
    assert frozen[0]["email"] and frozen[0]["phone"]  # the snapshot holds them; the public JSON must not

    for url in (PUBLIC, f"{PUBLIC}{demo.pk}/"):
        text = anon.get(url).content.decode()
        for contact in contacts:
            for private in (contact.email, contact.phone, contact.private_notes):
                assert private not in text, (url, private)
    public = anon.get(f"{PUBLIC}{demo.pk}/").json()["contacts"]
    assert [set(c) for c in public] == [{"kind", "name", "role", "organisation"}] * len(contacts)


def test_a_released_release_without_frozen_content_shows_no_live_part(anon):
    """Only the services publish, and they freeze first; should a snapshot lack its content, nothing live leaks."""
    release = factories.published_release(parts=True, headline="Half frozen")
    release.snapshot.content_json = {"headline": "Half frozen"}
    release.snapshot.save()

    data = anon.get(f"{PUBLIC}{release.pk}/").json()

    assert data["headline"] == "Half frozen"
    assert (data["topic_abouts"], data["contacts"], data["references"], data["company_about"]) == ([], [], [], None)
    assert data["company"]["short_name"] == ""


@pytest.mark.parametrize("bad_id", ["-1", "1abc", "0", "99999999999999999999", "x" * 10_240, "1.5", "%00"])
def test_bad_ids_are_404_for_everyone(anon, writer, bad_id):
    factories.published_release(parts=True)
    for url in (f"{PUBLIC}{bad_id}/", f"{PUBLIC}{bad_id}/pdf/"):
        assert anon.get(url).status_code == 404, url
    for url in (f"{PUBLIC}{bad_id}/", f"{STAFF}{bad_id}/", f"{STAFF}{bad_id}/checks/", f"{STAFF}{bad_id}/page/"):
        assert client_for(writer).get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"published_from": "2024-13-45"}, {"published_from": ["Enter a valid date."]}),
        ({"published_to": "yesterday"}, {"published_to": ["Enter a valid date."]}),
        ({"company": "1abc"}, {"company": ["Enter a whole number."]}),
        ({"status": "secret"}, {"status": ["Select a valid choice. secret is not one of the available choices."]}),
        ({"language": "xx"}, {"language": ["Select a valid choice. xx is not one of the available choices."]}),
        ({"search": "x" * 10_240}, {"search": ["Search for at most 200 characters."]}),
        ({"search": "a b c d e f g h i j k"}, {"search": ["Search for at most 10 words."]}),
        ({"search": "nul\x00byte"}, {"search": ["Search for at most 200 characters."]}),
    ],
)
def test_bad_query_parameters_are_400_with_messages_per_field(anon, query, errors):
    factories.published_release(parts=True)
    response = anon.get(PUBLIC, query)
    assert (response.status_code, response.json()) == (400, errors)


@pytest.mark.parametrize("page", ["2", "999999999999999999999999", "-1", "abc"])
def test_a_page_past_the_end_is_404(anon, page):
    factories.published_release(parts=True)
    response = anon.get(PUBLIC, {"page": page})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_unknown_company_id_matches_nothing_and_one_out_of_range_is_400(anon):
    factories.published_release(parts=True)
    for company in ("-1", "0", "9223372036854775807"):
        assert anon.get(PUBLIC, {"company": company}).json()["count"] == 0
    response = anon.get(PUBLIC, {"company": "99999999999999999999"})
    assert (response.status_code, response.json()) == (
        400,
        {"company": ["Ensure this value is less than or equal to 9223372036854775807."]},
    )


def test_writer_calling_approve_is_403_and_nothing_is_written(writer):
    release = ready_release(writer)
    services.release_submit(release=release, user=writer)
    before, events = row(release), WorkflowEvent.objects.count()

    response = client_for(writer).post(f"{STAFF}{release.pk}/approve/", {}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert row(release) == before
    assert WorkflowEvent.objects.count() == events
    assert not Snapshot.objects.filter(release=release).exists()


def test_reviewer_approving_own_last_edit_is_400_with_the_services_words(writer):
    both = user_in("Reviewer", "both")
    both.groups.add(*writer.groups.all())
    both = type(both).objects.get(pk=both.pk)
    release = ready_release(both)
    services.release_submit(release=release, user=both)
    read = client_for(both).get(f"{STAFF}{release.pk}/review/").json()

    response = client_for(both).post(
        f"{STAFF}{release.pk}/approve/", {"version": read["version"], "digest": read["digest"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "You cannot approve this release: you made its last edit. Another reviewer must approve it."
        ]
    }
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_a_body_with_script_is_stored_cleaned(writer):
    company = factories.CompanyFactory()

    response = client_for(writer).post(
        STAFF,
        {
            "company": company.pk,
            "language": "en",
            "headline": "Acme starts a trial",
            "body": '<p onclick="steal()">Hello<script>alert(1)</script> <a href="javascript:x()">x</a></p>',
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    stored = Release.objects.get(pk=response.json()["id"]).body
    assert stored == '<p>Hello <a rel="noopener">x</a></p>'
    assert response.json()["body"] == stored


def test_a_block_of_only_script_is_400_because_its_text_is_required(writer):
    company = factories.CompanyFactory()
    response = client_for(writer).post(
        "/api/v1/boilerplate-blocks/",
        {
            "company": company.pk,
            "kind": "topic_about",
            "language": "en",
            "title": "About X",
            "body": "<script>1</script>",
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"body": ["This field cannot be blank."]})


def test_model_validation_runs_on_api_writes(writer):
    company = factories.CompanyFactory()
    client = client_for(writer)

    block = client.post(
        "/api/v1/boilerplate-blocks/",
        {"company": company.pk, "kind": "topic_about", "language": "en", "title": "T", "body": "<p>{pipeline}</p>"},
        format="json",
    )
    asset = client.post(
        "/api/v1/pipeline-assets/",
        {"company": company.pk, "name": "Tedopi®", "sentences": [{"language": "en", "text": "<p>{nope}</p>"}]},
        format="json",
    )

    assert block.status_code == 400
    assert block.json()["body"][0].startswith("Unknown placeholder {pipeline}.")
    assert asset.status_code == 400
    assert asset.json()["sentences"]["0"]["text"][0].startswith("Unknown placeholder {nope}.")
    assert not company.blocks.exists() and not company.assets.exists()


def test_admin_creates_a_company_with_listings_and_a_bad_isin_is_refused():
    admin = factories.UserFactory(username="root", is_superuser=True)
    client = client_for(admin)
    payload = {
        "legal_name": "OSE Immunotherapeutics SA",
        "short_name": "OSE Immunotherapeutics",
        "slug": "ose",
        "city": "Nantes",
        "country": "France",
        "listings": [{"exchange": "Euronext Paris", "ticker": "OSE", "isin": "FR0012127174"}],
    }

    refused = client.post("/api/v1/companies/", payload, format="json")
    payload["listings"][0]["isin"] = "FR0012127173"
    created = client.post("/api/v1/companies/", payload, format="json")

    assert refused.status_code == 400
    assert refused.json() == {"listings": {"0": {"isin": ["The ISIN FR0012127174 fails its check digit."]}}}
    assert created.status_code == 201
    assert created.json()["listings"] == [
        {
            "exchange": "Euronext Paris",
            "market": "euronext",
            "ticker": "OSE",
            "ticker_label": "",
            "isin": "FR0012127173",
            "identifier_format": "",
        }
    ]


def test_writers_may_not_create_companies_or_disclaimers(writer):
    client = client_for(writer)
    assert client.post("/api/v1/companies/", {}, format="json").status_code == 403
    assert client.post("/api/v1/disclaimers/", {}, format="json").status_code == 403


def test_a_stale_version_is_409_and_nothing_is_overwritten(writer):
    release = ready_release(writer)
    client = client_for(writer)
    version = release.version

    first = client.patch(f"{STAFF}{release.pk}/", {"version": version, "subheadline": "First"}, format="json")
    second = client.patch(f"{STAFF}{release.pk}/", {"version": version, "subheadline": "Second"}, format="json")
    missing = client.patch(f"{STAFF}{release.pk}/", {"subheadline": "Third"}, format="json")

    assert first.status_code == 200
    assert first.json()["version"] == version + 1
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    assert "Someone else saved this release since you opened it" in second.json()["detail"]
    assert missing.status_code == 400
    assert missing.json() == {"version": ["Send the version you read."]}
    assert Release.objects.get(pk=release.pk).subheadline == "First"


def test_contacts_endpoint_shows_private_fields_to_staff_only(writer):
    contact = factories.ContactFactory(private_notes="Mobile after 6pm")
    data = client_for(writer).get(f"/api/v1/contacts/{contact.pk}/").json()
    assert (data["email"], data["private_notes"]) == (contact.email, "Mobile after 6pm")


def test_a_part_a_release_used_is_archived_not_deleted():
    admin = factories.UserFactory(username="root", is_superuser=True)
    release = factories.published_release(parts=True)
    topic = release.topic_links.get().block
    unused = factories.BoilerplateBlockFactory()
    client = client_for(admin)

    archived = client.delete(f"/api/v1/boilerplate-blocks/{topic.pk}/")
    deleted = client.delete(f"/api/v1/boilerplate-blocks/{unused.pk}/")

    assert archived.status_code == 200
    assert archived.json()["deleted"] is False
    topic.refresh_from_db()
    assert topic.archived is True
    assert deleted.status_code == 204


def test_a_token_authenticates_until_it_is_revoked(writer):
    token, key = api_token_issue(user=writer, name="IR website")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    before = client.get(STAFF)
    api_token_revoke(token=token)
    after = client.get(STAFF)
    public_after = client.get(PUBLIC)

    assert before.status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert (after.status_code, after.json()) == (
        401,
        {"detail": "Invalid or revoked token.", "code": "authentication_failed"},
    )
    assert public_after.status_code == 401
    assert token.key_hash != key and key not in str(ApiToken.objects.values().get())


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token nope", "Token \u00e9t\u00e9"])
def test_a_malformed_or_unknown_token_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(PUBLIC).status_code == 401


def test_a_writer_token_cannot_approve(writer):
    release = ready_release(writer)
    services.release_submit(release=release, user=writer)
    _token, key = api_token_issue(user=writer, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(f"{STAFF}{release.pk}/approve/", {}, format="json").status_code == 403
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_session_writes_need_the_csrf_token(writer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(writer)
    response = client.post(STAFF, {"headline": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_anonymous_and_token_clients_are_throttled(settings, writer):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "token": "2/minute"}
    anon = APIClient()
    statuses = [anon.get(PUBLIC).status_code for _ in range(4)]
    _token, key = api_token_issue(user=writer, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    token_statuses = [client.get(STAFF).status_code for _ in range(3)]
    session = client_for(writer)

    assert statuses == [200, 200, 200, 429]
    assert token_statuses == [200, 200, 429]
    assert [session.get(STAFF).status_code for _ in range(5)] == [200] * 5
    throttled = anon.get(PUBLIC)
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    # A client's own X-Forwarded-For does not make it another client (no proxy is trusted by default).
    assert anon.get(PUBLIC, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_guessing_tokens_is_paused_after_ten_failures(writer):
    _token, key = api_token_issue(user=writer, name="script")
    guesser = APIClient()
    statuses = []
    for attempt in range(11):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token nr_guess-{attempt:04d}")
        statuses.append(guesser.get(STAFF).status_code)
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    locked = guesser.get(STAFF, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert statuses == [401] * 9 + [429] * 2  # the tenth failure pauses this client
    assert locked.status_code == 429
    assert locked.json()["code"] in {"throttled", "locked_out"}


def _releases_with_references(count: int):
    company = factories.CompanyFactory()
    factories.ListingFactory(company=company)
    topic = factories.BoilerplateBlockFactory(company=company)
    contact = factories.ContactFactory(company=company)
    disclaimer = factories.DisclaimerFactory()
    for _ in range(count):
        release = factories.ReleaseFactory(company=company, status=Status.PUBLISHED, publication_at=PAST)
        factories.ReferenceFactory(release=release, position=1)
        factories.ReferenceFactory(release=release, position=2)
        release.topic_links.create(block=topic)
        release.contact_links.create(contact=contact)
        release.disclaimer_links.create(disclaimer=disclaimer)
        factories.snapshot_for(release)


@pytest.mark.parametrize("count", [5, 50])
def test_listing_public_releases_costs_two_queries_whatever_their_number(anon, django_assert_num_queries, count):
    _releases_with_references(count)
    anon.get(PUBLIC)  # the list's counts are computed once (releases.listing), then kept
    # releases with their snapshots, and the next scheduled moment (bounds s-maxage): no COUNT, and every part is
    # read from the frozen content, no live row
    with django_assert_num_queries(2):
        response = anon.get(PUBLIC, {"page_size": 50})
    results = response.json()["results"]
    assert len(results) == count
    assert all(len(item["references"]) == 2 for item in results)
    assert all(
        (len(item["topic_abouts"]), len(item["disclaimers"]), len(item["contacts"]), len(item["company"]["listings"]))
        == (1, 1, 1, 1)
        for item in results
    )


@pytest.mark.parametrize("count", [5, 50])
def test_listing_staff_releases_costs_seven_queries_whatever_their_number(writer, django_assert_num_queries, count):
    _releases_with_references(count)
    client = client_for(writer)
    client.get(STAFF)  # load the user's permissions once (2 queries), as authentication does per request
    with django_assert_num_queries(7):
        # count, releases, listings, references, topic links, disclaimer links, contact links
        response = client.get(STAFF, {"page_size": 50})
    assert len(response.json()["results"]) == count


def test_the_whole_workflow_through_the_api(writer, reviewer, publisher, anon):
    company = factories.CompanyFactory()
    contact = factories.ContactFactory(company=company)
    disclaimer = factories.DisclaimerFactory()
    topic = factories.BoilerplateBlockFactory(company=company, body="<p>A disease that matters (1).</p>")
    moment = timezone.now() - dt.timedelta(minutes=1)
    as_writer, as_reviewer, as_publisher = client_for(writer), client_for(reviewer), client_for(publisher)

    created = as_writer.post(
        STAFF,
        {
            "company": company.pk,
            "language": "en",
            "headline": "Acme Biotech expects Phase 3 in 2025",
            "publication_at": moment.isoformat(),
            "body": "<p>Acme Biotech expects to start Phase 3 in 2025 (1).</p>",
            "topic_abouts": [topic.pk],
            "disclaimers": [disclaimer.pk],
            "contacts": [contact.pk],
            "references": [{"citation": "Doe J. A study. 2024.", "url": "https://doi.org/10.1000/x"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    release_id = created.json()["id"]
    assert created.json()["slug"] == "acme-biotech-expects-phase-3-in-2025"
    assert [t["id"] for t in created.json()["topic_abouts"]] == [topic.pk]
    assert created.json()["references"][0]["position"] == 1
    # One request, one change: version 1 and one "created" event that names the parts it brought.
    assert created.json()["version"] == 1
    assert list(WorkflowEvent.objects.filter(release_id=release_id).values_list("action", "details")) == [
        ("created", {"parts": ["topic_abouts", "disclaimers", "contacts", "references"]})
    ]

    checks = as_writer.get(f"{STAFF}{release_id}/checks/")
    assert checks.status_code == 200
    assert [c for c in checks.json() if c["level"] == "blocking"] == []

    assert anon.get(f"{PUBLIC}{release_id}/").status_code == 404
    assert as_writer.get(f"{STAFF}{release_id}/page/").status_code == 200  # live preview for staff
    assert as_writer.post(f"{STAFF}{release_id}/submit/", {}, format="json").json()["status"] == "in_review"
    read = as_reviewer.get(f"{STAFF}{release_id}/review/").json()
    assert read["text"].startswith("PRESS RELEASE\n\nACME BIOTECH EXPECTS PHASE 3 IN 2025\n")
    approval = {"version": read["version"], "digest": read["digest"]}
    assert as_reviewer.post(f"{STAFF}{release_id}/approve/", approval, format="json").json()["status"] == "approved"
    published = as_publisher.post(f"{STAFF}{release_id}/publish/", {}, format="json")
    assert (published.status_code, published.json()["status"], published.json()["is_public"]) == (
        200,
        "published",
        True,
    )

    public = anon.get(f"{PUBLIC}{release_id}/")
    assert public.status_code == 200
    pdf = anon.get(f"{PUBLIC}{release_id}/pdf/")
    assert pdf.content == bytes(Snapshot.objects.get(release_id=release_id).pdf)
    history = as_writer.get(f"{STAFF}{release_id}/history/").json()
    assert [(e["action"], e["actor"]) for e in history][-3:] == [
        ("submitted", "writer"),
        ("approved", "reviewer"),
        ("published", "publisher"),
    ]

    # Once published it cannot be edited; a correction is a new draft linked to it.
    version = published.json()["version"]
    edit = as_writer.patch(f"{STAFF}{release_id}/", {"version": version, "headline": "Changed"}, format="json")
    assert edit.status_code == 400
    correction = as_publisher.post(f"{STAFF}{release_id}/correct/", {"note": "Fixed a date."}, format="json")
    assert correction.status_code == 201
    assert (correction.json()["status"], correction.json()["corrects"]) == ("draft", release_id)


def test_a_refused_step_is_400_with_the_reason(writer, publisher):
    release = ready_release(writer)
    response = client_for(publisher).post(f"{STAFF}{release.pk}/publish/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "You cannot publish this release: it has not been approved. A reviewer must approve it first."
        ]
    }
    return_without_comment = client_for(user_in("Reviewer", "rev")).post(
        f"{STAFF}{release.pk}/return/", {}, format="json"
    )
    assert return_without_comment.json() == {"comment": ["This field is required."]}


def test_the_schema_and_docs_are_served(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = anon.get("/api/docs/")
    assert schema.status_code == 200
    spec = schema.json()
    assert set(spec["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    assert f"{STAFF}{{id}}/approve/" in spec["paths"]
    approve = spec["paths"][f"{STAFF}{{id}}/approve/"]["post"]
    assert set(approve["responses"]) == {"200", "400", "401", "403", "404", "409", "422", "429", "503"}
    assert "releases.review_release" in approve["description"]
    assert docs.status_code == 200


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
