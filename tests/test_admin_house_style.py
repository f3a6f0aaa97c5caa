"""The company's conventions in the admin: house styles with a live preview, names per language, filings."""

import pytest

from releases.models import Company, HouseStyle
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(f.UserFactory(username="root", is_superuser=True))
    return client


def test_the_preview_writes_the_dateline_of_the_options_on_the_form(admin_client):
    company = f.CompanyFactory(city="Espoo", country="Finland", time_zone="Europe/Helsinki")
    response = admin_client.get(
        "/admin/releases/company/house-style-preview/",
        {
            "company": company.pk,
            "language": "en",
            "pattern": "at",
            "date_style": "dmy",
            "time_style": "h.mm A",
            "zone_in_parentheses": "1",
        },
    )
    year = response.json()["datelines"][0].split()[4]
    assert response.json() == {
        "datelines": [
            f"Espoo, Finland, 2 March {year} at 9.00 AM (EET) –",
            f"Espoo, Finland, 1 July {year} at 7.30 AM (EEST) –",
        ]
    }


def test_the_preview_needs_the_admin(client):
    assert client.get("/admin/releases/company/house-style-preview/").status_code == 302


def test_the_company_form_saves_names_per_language_and_house_styles(admin_client):
    company = f.CompanyFactory(city="Geneva", country="Switzerland")
    page = admin_client.get(f"/admin/releases/company/{company.pk}/change/").content.decode()
    assert 'name="translations__de__city"' in page and "admin_ext/house_style.js" in page
    data = {
        "legal_name": company.legal_name,
        "short_name": company.short_name,
        "slug": company.slug,
        "city": "Geneva",
        "country": "Switzerland",
        "time_zone": "Europe/Zurich",
        "labels": '["press_release"]',
        "translations__de__city": "Genf",
        "translations__de__country": "Schweiz",
        "translations__fr__city": "Genève",
        "translations__fr__country": "Suisse",
        "listings-TOTAL_FORMS": "0",
        "listings-INITIAL_FORMS": "0",
        "filings-TOTAL_FORMS": "0",
        "filings-INITIAL_FORMS": "0",
        "house_styles-TOTAL_FORMS": "1",
        "house_styles-INITIAL_FORMS": "0",
        "house_styles-0-language": "de",
        "house_styles-0-pattern": "comma",
        "house_styles-0-zone_style": "abbreviation",
        "_continue": "1",
    }
    response = admin_client.post(f"/admin/releases/company/{company.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    company = Company.objects.get(pk=company.pk)
    assert company.translations == {
        "fr": {"city": "Genève", "country": "Suisse"},
        "de": {"city": "Genf", "country": "Schweiz"},
    }
    assert company.city_in("de") == "Genf"
    assert HouseStyle.objects.get(company=company).pattern == "comma"


def test_a_new_inside_information_legend_starts_from_the_mar_wording(admin_client):
    page = admin_client.get("/admin/releases/disclaimer/add/", {"kind": "inside_information", "language": "de"})
    html = page.content.decode()
    assert 'value="Insiderinformation"' in html
    assert "Insiderinformationen im Sinne von Artikel 7 der Verordnung (EU) Nr. 596/2014" in html


def test_the_migration_moves_french_names_into_translations(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("releases", "0005_distribution_roles")])
    old = executor.loader.project_state([("releases", "0005_distribution_roles")]).apps
    company = old.get_model("releases", "Company").objects.create(
        legal_name="Acme SA", short_name="Acme", slug="acme", city="Geneva", country="Switzerland",
        city_fr="Genève", country_fr="Suisse",
    )  # fmt: skip
    old.get_model("releases", "Contact").objects.create(company_id=company.pk, name="Ann", role="CEO", role_fr="PDG")
    old.get_model("releases", "Listing").objects.create(
        company_id=company.pk, exchange="Euronext Growth Paris", ticker="ALACM", ticker_label="Mnemo", isin=""
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from releases.models import Company, Contact, Listing

    assert Company.objects.get(pk=company.pk).translations == {"fr": {"city": "Genève", "country": "Suisse"}}
    assert Contact.objects.get().role_in("fr") == "PDG"
    assert Listing.objects.get().market == "euronext"
