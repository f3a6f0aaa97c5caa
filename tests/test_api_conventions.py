"""The API's strictness: unknown fields named in a 400, moments without an offset read in the company's zone,
the admin's defaults (the company About), and the conventions of issue 13 through the API."""

import datetime as dt

import pytest

from releases.checks import run_checks
from releases.models import Company, Release
from tests import factories
from tests.test_api import STAFF, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    return client_for(factories.UserFactory(username="root", is_superuser=True))


def draft_payload(company, **extra):
    contact = factories.ContactFactory(company=company)
    return {"company": company.pk, "language": "en", "headline": "Kide reports", "contacts": [contact.pk], **extra}


def test_an_unknown_field_is_refused_by_name(writer):
    company = factories.CompanyFactory()
    response = client_for(writer).post(STAFF, draft_payload(company, headlin="typo", colour="blue"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"headlin", "colour"}
    assert body["headlin"][0].startswith("Unknown field. The fields you can send here: version, company, language,")
    assert not Release.objects.exists()


def test_an_unknown_field_of_a_nested_item_is_refused_by_name(admin_client):
    payload = {
        "legal_name": "Kide Biotherapeutics Oyj",
        "short_name": "Kide",
        "slug": "kide",
        "city": "Espoo",
        "country": "Finland",
        "listings": [{"exchange": "Nasdaq First North Growth Market Finland", "ticker": "KIDE", "segment": "x"}],
    }
    response = admin_client.post("/api/v1/companies/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["listings"]["0"]) == ["segment"]
    assert not Company.objects.exists()


def test_fields_read_back_may_be_sent_again(admin_client):
    company = factories.CompanyFactory()
    read = admin_client.get(f"/api/v1/companies/{company.pk}/").json()
    response = admin_client.patch(f"/api/v1/companies/{company.pk}/", read | {"short_name": "Renamed"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["short_name"] == "Renamed"


def test_a_moment_without_an_offset_is_read_in_the_companys_zone(writer):
    company = factories.CompanyFactory(time_zone="Europe/Helsinki", city="Espoo", country="Finland")
    response = client_for(writer).post(
        STAFF, draft_payload(company, publication_at="2025-03-03T09:00:00"), format="json"
    )
    assert response.status_code == 201, response.json()
    release = Release.objects.get()
    assert release.publication_at == dt.datetime(2025, 3, 3, 7, 0, tzinfo=dt.UTC)
    assert response.json()["publication_at"] == "2025-03-03T07:00:00Z"


def test_a_moment_with_an_offset_is_that_moment(writer):
    company = factories.CompanyFactory(time_zone="Europe/Helsinki")
    client_for(writer).post(STAFF, draft_payload(company, publication_at="2025-03-03T09:00:00Z"), format="json")
    assert Release.objects.get().publication_at == dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def test_a_local_time_the_zone_skips_is_refused(writer):
    company = factories.CompanyFactory(time_zone="Europe/Paris")
    response = client_for(writer).post(
        STAFF, draft_payload(company, publication_at="2025-03-30T02:30:00"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["publication_at"] == [
        "2025-03-30T02:30:00 does not exist in Europe/Paris or happens twice there (a daylight-saving change). "
        "Send the moment with its offset, e.g. 2025-03-30T02:30:00+01:00."
    ]


def test_the_api_chooses_the_company_about_as_the_admin_does_and_a_check_flags_its_absence(writer):
    company = factories.CompanyFactory()
    about = factories.CompanyAboutFactory(company=company)
    created = client_for(writer).post(STAFF, draft_payload(company), format="json").json()
    assert created["company_about"]["id"] == about.pk
    without = client_for(writer).post(
        STAFF, draft_payload(company, headline="No About", company_about=None), format="json"
    )
    release = Release.objects.get(pk=without.json()["id"])
    assert ("company_about_missing", "warning") in [(c.code, c.level) for c in run_checks(release)]


def test_a_release_label_must_be_one_of_the_companys(writer):
    company = factories.CompanyFactory(labels=["company_announcement", "inside_information"])
    client = client_for(writer)
    refused = client.post(STAFF, draft_payload(company, label="press_release"), format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "label": [f"{company} does not use this label. Use one of: company_announcement, inside_information."]
    }
    created = client.post(STAFF, draft_payload(company, category="inside_information"), format="json")
    assert created.json()["label"] == ""
    assert Release.objects.get(pk=created.json()["id"]).printed_label == "inside_information"


def test_a_phase_outside_the_list_is_refused_with_the_allowed_values(writer):
    company = factories.CompanyFactory()
    response = client_for(writer).post(
        "/api/v1/pipeline-assets/",
        {"company": company.pk, "name": "Kidemab", "programs": [{"indication": "AML", "phase": 23}]},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["programs"]["0"]["phase"][0]
    assert message.startswith("“23” is not one of the allowed values: 0 (preclinical), 10 (Phase 1), 11 (Phase 1a),")
    assert "22 (Phase 2b), 25 (Phase 2/3), 30 (Phase 3)" in message


def test_a_topic_about_carries_its_own_references_through_the_api_as_in_the_admin(writer):
    """ "About ALL" cites its own sources wherever it is used: the API writes them, as the admin's inline does."""
    company = factories.CompanyFactory()
    client = client_for(writer)
    payload = {
        "company": company.pk,
        "kind": "topic_about",
        "language": "en",
        "title": "About Acute Lymphoblastic Leukemia (ALL)",
        "body": "<p>ALL is rare (1) and treatable (2).</p>",
        "references": [{"citation": "Registry 2022."}, {"citation": "Review 2023.", "url": "https://doi.org/10.1/x"}],
    }
    refused = client.post(
        "/api/v1/boilerplate-blocks/", payload | {"references": [{"citation": "A", "page": 3}]}, format="json"
    )
    assert refused.status_code == 400 and list(refused.json()["references"]["0"]) == ["page"]
    block = client.post("/api/v1/boilerplate-blocks/", payload, format="json")
    assert block.status_code == 201, block.json()
    assert [(r["position"], r["citation"]) for r in block.json()["references"]] == [
        (1, "Registry 2022."),
        (2, "Review 2023."),
    ]
    created = client.post(
        STAFF,
        draft_payload(
            company,
            body="<p>Kide reports (1).</p>",
            topic_abouts=[block.json()["id"]],
            references=[{"citation": "The release's own."}],
        ),
        format="json",
    )
    release = Release.objects.get(pk=created.json()["id"])
    assert not [c for c in run_checks(release) if c.code.startswith(("citation", "reference"))]
    page = client.get(f"{STAFF}{release.pk}/text/").content.decode()
    assert "(1) The release's own." in page and "(2) Registry 2022." in page and "(3) Review 2023." in page
    kept = client.patch(f"/api/v1/boilerplate-blocks/{block.json()['id']}/", {"title": "About ALL"}, format="json")
    assert len(kept.json()["references"]) == 2  # a write that does not send them leaves them as they are
