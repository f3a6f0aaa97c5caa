"""An agency writing for several issuers: a writer assigned to company A never sees or touches B's drafts."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from releases import services
from releases.models import CompanyAssignment, Release
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]


@pytest.fixture
def two_issuers(writer):
    """Company A's draft and company B's draft, and a writer assigned to A only."""
    draft_a = factories.ready_release(writer)
    draft_b = factories.ready_release(writer)
    agency = factories.user_in("Writer", "agency")
    CompanyAssignment.objects.create(user=agency, company=draft_a.company)
    return agency, draft_a, draft_b


def test_the_admin_shows_an_assigned_writer_only_their_companys_releases_and_parts(client, two_issuers):
    agency, draft_a, draft_b = two_issuers
    client.force_login(agency)

    listed = client.get("/admin/releases/release/").context["cl"].result_list
    assert list(listed) == [draft_a]
    assert client.get(f"/admin/releases/release/{draft_b.pk}/change/").status_code == 302  # "does not exist"
    dashboard = client.get("/admin/").context
    assert [r.pk for r, _returned in dashboard["dash_drafts"]] == []
    assert set(client.get("/admin/releases/contact/").context["cl"].result_list) == set(draft_a.company.contacts.all())
    autocomplete = client.get(
        "/admin/autocomplete/",
        {"app_label": "releases", "model_name": "releasecontact", "field_name": "contact", "term": ""},
    ).json()
    assert {int(item["id"]) for item in autocomplete["results"]} == set(
        draft_a.company.contacts.values_list("pk", flat=True)
    )
    parts = client.get("/admin/releases/release/parts/", {"company": draft_b.company_id, "language": "en"}).json()
    assert parts["block"] == [] and parts["company_about"] == []
    assert list(client.get("/admin/releases/company/").context["cl"].result_list) == [draft_a.company]


def test_the_api_and_the_services_refuse_another_issuers_release(two_issuers):
    agency, draft_a, draft_b = two_issuers
    api = APIClient()
    api.force_authenticate(agency)

    assert [item["id"] for item in api.get("/api/v1/releases/").json()["results"]] == [draft_a.pk]
    assert api.get(f"/api/v1/releases/{draft_b.pk}/").status_code == 404
    assert api.post(f"/api/v1/releases/{draft_b.pk}/submit/", {}, format="json").status_code == 404
    with pytest.raises(PermissionDenied, match="You do not work for this company"):
        services.release_edit(
            release=draft_b, user=agency, expected_version=draft_b.version, fields={"headline": "Taken over"}
        )
    with pytest.raises(PermissionDenied, match="You do not work for this company"):
        services.release_create(user=agency, fields={"company": draft_b.company, "language": "en", "headline": "x"})
    refusal = services.TRANSITIONS["submit"].check(draft_b, agency)
    assert (refusal.code, refusal.permission) == ("other_company", True)
    assert Release.objects.get(pk=draft_b.pk).headline == draft_b.headline


def test_a_writer_assigned_to_no_company_works_for_all(client, writer, two_issuers):
    _agency, draft_a, draft_b = two_issuers
    client.force_login(writer)
    assert set(client.get("/admin/releases/release/").context["cl"].result_list) == {draft_a, draft_b}
