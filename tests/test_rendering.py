"""The one composition: dateline, lead, identifiers, citations, Abouts, legends, metadata and the text outputs."""

import datetime as dt
import difflib
import html
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from releases.models import Disclaimer, Phase, Release
from releases.rendering import (
    compose,
    content_from_data,
    content_from_release,
    render_fragment,
    render_page,
    render_text,
)
from releases.rendering.compose import Citations
from releases.rendering.outputs import composed_from
from tests import factories
from tests import factories as f

# A copy of ../shared/reference/ose-lusvertikimab-2024-07-01.txt, so a bare clone can run the suite.
REFERENCE = Path(__file__).parent / "data" / "ose-lusvertikimab-2024-07-01.txt"


PARIS_SUMMER = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)  # 7:30 in Paris, CEST


PARIS_WINTER = dt.datetime(2024, 1, 15, 17, 5, tzinfo=dt.UTC)  # 18:05 in Paris, CET


def reference_words() -> list[str]:
    """The reference release's words, the bare URL lines (link targets, not text) left out."""
    lines = [line for line in REFERENCE.read_text().splitlines() if not line.strip().startswith("http")]
    return words("\n".join(lines))


def words(text: str) -> list[str]:
    return re.findall(r"[\w®]+", text.lower())


def share_in_order(reference: list[str], output: str) -> float:
    """Share of the reference's words that the output says, in the same order."""
    matcher = difflib.SequenceMatcher(None, reference, words(output), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(reference)


@pytest.fixture
def company(db):
    company = f.CompanyFactory(
        legal_name="OSE Immunotherapeutics SA",
        short_name="OSE Immunotherapeutics",
        city="Nantes",
        country="France",
        website="https://www.ose-immuno.com",
        twitter_url="https://twitter.com/OSEImmuno",
    )
    f.ListingFactory(company=company, exchange="Euronext Paris", ticker="OSE", isin="FR0012127173")
    return company


def release_for(company, **kwargs):
    kwargs.setdefault("publication_at", PARIS_SUMMER)
    kwargs.setdefault("body", "<p>today announced results.</p>")
    return f.ReleaseFactory(company=company, **kwargs)


def test_english_dateline_names_city_country_and_the_summer_zone(company):
    composed = compose(content_from_release(release_for(company)))
    assert composed.dateline == "Nantes, France – July 1, 2024 – 7:30 am CEST –"


def test_winter_dateline_uses_cet_and_afternoon_time(company):
    composed = compose(content_from_release(release_for(company, publication_at=PARIS_WINTER)))
    assert composed.dateline == "Nantes, France – January 15, 2024 – 6:05 pm CET –"


def test_french_dateline_writes_premier_and_24_hour_time(company):
    company.translations = {"fr": {"city": "Nantes"}}
    company.save()
    composed = compose(content_from_release(release_for(company, language="fr")))
    assert composed.dateline == "Nantes, le 1er juillet 2024 – 7h30 CEST –"


def test_french_winter_dateline(company):
    composed = compose(content_from_release(release_for(company, language="fr", publication_at=PARIS_WINTER)))
    assert composed.dateline == "Nantes, le 15 janvier 2024 – 18h05 CET –"


def test_release_place_replaces_the_company_city(company):
    composed = compose(content_from_release(release_for(company, place="Boston, MA")))
    assert composed.dateline == "Boston, MA – July 1, 2024 – 7:30 am CEST –"


def test_dateline_follows_the_company_time_zone(company):
    company.time_zone = "America/New_York"
    company.save()
    composed = compose(content_from_release(release_for(company)))
    assert composed.dateline == "Nantes, France – July 1, 2024 – 1:30 am EDT –"


def test_lead_goes_inside_a_first_paragraph_that_starts_with_the_verb(company):
    composed = compose(content_from_release(release_for(company)))
    assert str(composed.body_html) == (
        '<p><span class="dateline">Nantes, France – July 1, 2024 – 7:30 am CEST –</span> '
        '<span class="issuer">OSE Immunotherapeutics SA</span> '
        '<span class="identifiers">(ISIN: FR0012127173; Mnemo: OSE)</span> today announced results.</p>'
    )


def test_lead_is_its_own_line_before_a_first_paragraph_with_a_capital(company):
    composed = compose(content_from_release(release_for(company, body="<p>The company reports.</p>")))
    body = str(composed.body_html)
    assert body.startswith('<p class="lead-line"><span class="dateline">')
    assert body.endswith("</p><p>The company reports.</p>")


def test_every_listing_is_named_with_its_exchange_when_there_are_several(company):
    f.ListingFactory(
        company=company, exchange="Nasdaq", ticker="OSEI", ticker_label="Ticker", isin="US0378331005", position=1
    )
    composed = compose(content_from_release(release_for(company)))
    assert (
        composed.identifiers == "(Euronext Paris: ISIN FR0012127173, Mnemo OSE; Nasdaq: ISIN US0378331005, Ticker OSEI)"
    )


def test_mar_legend_of_inside_information_sits_above_the_dateline(company):
    f.DisclaimerFactory(
        kind=Disclaimer.Kind.INSIDE_INFORMATION,
        title="MAR",
        body="<p>This press release contains inside information within the meaning of Article 7(1) of "
        "Regulation (EU) No 596/2014.</p>",
    )
    release = release_for(company, category=Release.Category.INSIDE_INFORMATION)
    f.ReferenceFactory(release=release, position=1)
    page = render_page(release)
    legend = page.index("Article 7(1) of Regulation")
    assert legend < page.index('class="dateline"')
    assert 'href="#ref-1">(1)' not in page[legend - 200 : legend + 200]  # "7(1)" is not a citation


def test_company_own_mar_legend_wins_over_the_shared_one(company):
    f.DisclaimerFactory(kind=Disclaimer.Kind.INSIDE_INFORMATION, title="Shared", body="<p>Shared legend.</p>")
    f.DisclaimerFactory(
        company=company, kind=Disclaimer.Kind.INSIDE_INFORMATION, title="Own", body="<p>Own legend of {company}.</p>"
    )
    composed = compose(content_from_release(release_for(company, category=Release.Category.INSIDE_INFORMATION)))
    assert str(composed.mar_legend) == "<p>Own legend of OSE Immunotherapeutics.</p>"


def test_the_legend_chosen_among_the_disclaimers_too_is_printed_once(company):
    legend = f.DisclaimerFactory(kind=Disclaimer.Kind.INSIDE_INFORMATION, title="MAR", body="<p>The MAR legend.</p>")
    other = f.DisclaimerFactory(kind=Disclaimer.Kind.INSIDE_INFORMATION, title="Nordic", body="<p>Disclosed at …</p>")
    release = release_for(company, category=Release.Category.INSIDE_INFORMATION)
    release.disclaimer_links.create(disclaimer=legend, position=0)
    release.disclaimer_links.create(disclaimer=other, position=1)
    composed = compose(content_from_release(release))
    assert str(composed.mar_legend) == "<p>The MAR legend.</p>"
    assert [d.title for d in composed.disclaimers] == ["Nordic"]  # a different text stays where it was chosen
    assert render_page(release).count("The MAR legend.") == 1
    assert render_text(release).count("The MAR legend.") == 1
    # The public API lists the disclaimers the release printed, with their kinds.
    release.status, release.publication_at = Release.Status.PUBLISHED, dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
    release.save()
    f.snapshot_for(release)
    public = Client().get(f"/api/v1/public/releases/{release.pk}/")
    assert public.status_code == 200
    assert [(d["kind"], d["title"]) for d in public.json()["disclaimers"]] == [("inside_information", "Nordic")]


def test_no_mar_legend_outside_the_inside_information_category(company):
    f.DisclaimerFactory(kind=Disclaimer.Kind.INSIDE_INFORMATION, title="Shared", body="<p>Shared legend.</p>")
    composed = compose(content_from_release(release_for(company)))
    assert composed.mar_legend == ""


def test_citation_markers_link_to_existing_references_and_back_from_the_first():
    cites = Citations({1, 3})
    out = cites.link("<p>A (1) b (1) c (2) d Article 7(1) e (2022) f (3)</p>")
    assert out == (
        '<p>A <a class="cite" href="#ref-1" id="cite-1">(1)</a> b <a class="cite" href="#ref-1">(1)</a> '
        'c (2) d Article 7(1) e (2022) f <a class="cite" href="#ref-3" id="cite-3">(3)</a></p>'
    )


def test_a_marker_right_after_a_year_is_linked_as_in_the_reference():
    out = Citations({5, 7}).link("<p>in the United States in 2022(5). Cases in 2029(7). Article 7(5).</p>")
    assert out == (
        '<p>in the United States in 2022<a class="cite" href="#ref-5" id="cite-5">(5)</a>. '
        'Cases in 2029<a class="cite" href="#ref-7" id="cite-7">(7)</a>. Article 7(5).</p>'
    )


def test_markers_inside_links_and_attributes_are_left_alone():
    out = Citations({1}).link('<p><a href="https://x.example/(1)">see (1)</a></p>')
    assert out == '<p><a href="https://x.example/(1)">see (1)</a></p>'


def test_topic_about_markers_link_to_the_references(company):
    topic = f.BoilerplateBlockFactory(company=company, title="About ALL", body="<p>Lineages (3) in blood.</p>")
    release = release_for(company)
    release.topic_links.create(block=topic, position=0)
    f.ReferenceFactory(release=release, position=3, citation="DeVita", url="")
    page = render_page(release)
    assert 'Lineages <a class="cite" href="#ref-3" id="cite-3">(3)</a> in blood.' in page
    assert '<li id="ref-3" value="3">' in page
    assert 'href="#cite-3"' in page


def test_company_about_lists_are_generated_from_the_pipeline_in_display_order(company):
    late = f.PipelineAssetFactory(company=company, name="Second", code="S-2", display_order=2)
    early = f.PipelineAssetFactory(company=company, name="First", code="F-1", display_order=1, inn="firstmab")
    gone = f.PipelineAssetFactory(company=company, name="Gone", code="G-0", display_order=0, active=False)
    platform = f.PipelineAssetFactory(company=company, name="BiCKI®", code="", kind="platform")
    f.ProgramFactory(asset=early, indication="colitis", phase=Phase.PHASE_2, sponsor="OSE")
    f.ProgramFactory(asset=early, indication="leukemia", phase=Phase.PRECLINICAL, sponsor="OSE", position=1)
    f.AssetSentenceFactory(
        asset=early, text="<p>{code} - {inn}: {phase:1} in {indication:1}; {phase:2} in {indication:2}.</p>"
    )
    f.AssetSentenceFactory(asset=late, text="<p>{name} by {sponsor:1}</p>")
    f.AssetSentenceFactory(asset=gone)
    f.AssetSentenceFactory(asset=platform, text="<p>{name} platform</p>")
    about = f.CompanyAboutFactory(company=company)
    composed = compose(content_from_release(release_for(company, company_about=about)))
    assert str(composed.company_about.html) == (
        "<p>OSE Immunotherapeutics develops medicines.</p>"
        '<ul class="pipeline"><li>F-1 - firstmab: Phase 2 in colitis; preclinical in leukemia.</li>'
        "<li>Second by </li></ul>"
        '<ul class="platforms"><li>BiCKI® platform</li></ul>'
    )


def test_disclaimer_placeholders_are_filled_with_the_company_values(company):
    disclaimer = f.DisclaimerFactory()
    release = release_for(company)
    release.disclaimer_links.create(disclaimer=disclaimer, position=0)
    composed = compose(content_from_release(release))
    assert str(composed.disclaimers[0].html) == (
        "<p>Read the registration document of OSE Immunotherapeutics filed with the AMF on April 30, 2024.</p>"
    )


def test_placeholder_values_are_escaped(company):
    company.short_name = "<b>Evil</b>"
    company.save()
    disclaimer = f.DisclaimerFactory(body="<p>{company}</p>")
    release = release_for(company)
    release.disclaimer_links.create(disclaimer=disclaimer, position=0)
    assert "<p>&lt;b&gt;Evil&lt;/b&gt;</p>" in render_page(release)


def test_content_from_release_costs_a_constant_number_of_queries(company):
    about = f.CompanyAboutFactory(company=company)
    release = release_for(company, company_about=about)
    for i in range(5):
        asset = f.PipelineAssetFactory(company=company)
        f.ProgramFactory(asset=asset)
        f.AssetSentenceFactory(asset=asset)
        f.ReferenceFactory(release=release, position=i + 1)
        release.contact_links.create(contact=f.ContactFactory(company=company), position=i)
    with CaptureQueriesContext(connection) as few:
        content_from_release(release)
    for i in range(5):
        asset = f.PipelineAssetFactory(company=company)
        f.ProgramFactory(asset=asset)
        f.ReferenceFactory(release=release, position=i + 6)
        release.contact_links.create(contact=f.ContactFactory(company=company), position=i + 5)
    with CaptureQueriesContext(connection) as many:
        content_from_release(release)
    assert len(few) == len(many) <= 12


def test_unsaved_form_data_renders_and_is_sanitised(company):
    content = content_from_data(
        company=company,
        language="en",
        headline="Preview",
        publication_at=PARIS_SUMMER,
        body='<p>today said <script>alert(1)</script><a href="javascript:alert(1)">x</a>.</p>',
        references=[{"position": 1, "citation": "A", "url": "https://doi.org/1"}],
    )
    page = render_page(content)
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "Nantes, France – July 1, 2024 – 7:30 am CEST –" in page


def test_page_and_text_are_deterministic(company):
    release = release_for(company)
    assert render_page(release) == render_page(release)
    assert render_text(release) == render_text(release)
    assert render_fragment(release) == render_fragment(release)


def test_to_json_is_plain_json(company):
    import json

    data = content_from_release(release_for(company)).to_json()
    assert json.loads(json.dumps(data))["publication_at"] == "2024-07-01T05:30:00+00:00"
    assert data["company"]["legal_name"] == "OSE Immunotherapeutics SA"


def test_page_reproduces_the_reference_release(demo):
    page = render_page(demo)
    text = html.unescape(strip_tags(page))
    assert share_in_order(reference_words(), text) >= 0.97
    assert page.count("<h1") == 1
    assert '<html lang="en">' in page
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in page
    assert "Download PDF" in page
    assert "Nantes, France – July 1, 2024 – 7:30 am CEST – OSE Immunotherapeutics SA" in text
    assert "(ISIN: FR0012127173; Mnemo: OSE) today announced" in text


def test_plain_text_reproduces_the_reference_release_in_72_columns(demo):
    text = render_text(demo)
    assert share_in_order(reference_words(), text) >= 0.97
    long_lines = [line for line in text.splitlines() if len(line) > 72 and " " in line.strip()]
    assert long_lines == []
    assert "https://www.cancer.org/cancer/acute-lymphocytic-leukemia/about/key-statistics.html" in text


def test_fragment_has_no_page_chrome_and_inline_styles(demo):
    fragment = render_fragment(demo)
    assert "<html" not in fragment and "<nav" not in fragment and "<link" not in fragment
    assert fragment.startswith('<article class="press-release" lang="en" style="')
    assert "<script" not in fragment
    assert share_in_order(reference_words(), html.unescape(strip_tags(fragment))) >= 0.97


def test_frozen_content_composes_again_into_the_same_outputs(company):
    release = f.ReleaseFactory(
        company=company,
        publication_at=PARIS_SUMMER,
        body="<p>today announced results (1).</p>",
        category=Release.Category.INSIDE_INFORMATION,
    )
    f.ReferenceFactory(release=release, position=1, accessed_on=dt.date(2022, 10, 3))
    f.DisclaimerFactory(kind=Disclaimer.Kind.INSIDE_INFORMATION, body="<p>Inside information of {company}.</p>")
    release.topic_links.create(block=f.BoilerplateBlockFactory(company=company), position=0)
    original = content_from_release(release)

    again = type(original).from_json(original.to_json())

    assert again == original
    assert render_page(again) == render_page(original)
    assert render_text(again) == render_text(original)
    assert render_fragment(again) == render_fragment(original)


def test_what_is_not_frozen_content_is_refused_in_plain_words():
    from releases.rendering import ReleaseContent

    with pytest.raises(ValueError, match="Not the frozen content of a release"):
        ReleaseContent.from_json({"headline": "Only a headline"})


def fill(page_html: str, additions: dict[str, str]) -> str:
    """The page as served with `additions`: cut at its slots, joined, as text."""
    from releases.rendering import served

    return served.join(served.cut(page_html), additions).decode()


def test_a_served_addition_finds_its_slot_and_is_never_dropped_without_one():
    from releases.rendering import served

    page = f"<html><body><main id=main>{served.slot('notices')}<h1>Title</h1></main></body></html>"
    assert fill(page, {"notices": "<p>Corrected</p>"}) == (
        "<html><body><main id=main><p>Corrected</p><h1>Title</h1></main></body></html>"
    )
    # A page frozen by a template whose slot was renamed or removed still shows the notice, first in <main>.
    renamed = "<html><body><main class=site-main><!-- served:notice --><h1>Title</h1></main></body></html>"
    assert fill(renamed, {"notices": "<p>Corrected</p>"}) == (
        "<html><body><main class=site-main><p>Corrected</p><!-- served:notice --><h1>Title</h1></main></body></html>"
    )
    no_main = "<html><body class=x><h1>Title</h1></body></html>"
    assert fill(no_main, {"notices": "<p>Corrected</p>"}).startswith("<html><body class=x><p>Corrected</p>")
    with pytest.raises(ValueError, match="No served slot named"):
        served.slot("notice")


def test_a_page_is_cut_at_its_slots_once_and_joined_per_request():
    from releases.rendering import served

    page = (
        f"<html><body><main>{served.slot('language-switch')}<h1>Études</h1>{served.slot('notices')}"
        "<p>Text</p></main></body></html>"
    )
    parts = served.cut(page)
    assert parts == (
        b"<html><body><main>",
        "language-switch",
        "<h1>Études</h1>".encode(),
        "notices",
        b"<p>Text</p></main></body></html>",
    )
    assert served.join(parts, {"notices": "<p>Corrigé</p>"}) == (
        "<html><body><main><h1>Études</h1><p>Corrigé</p><p>Text</p></main></body></html>".encode()
    )
    # No slot at all (a page frozen before slots): both additions at the top of <main>, the notice first.
    bare = "<html><body><main class=x><h1>T</h1></main></body></html>"
    assert fill(bare, {"language-switch": "<nav>fr</nav>", "notices": "<p>N</p>"}) == (
        "<html><body><main class=x><p>N</p><nav>fr</nav><h1>T</h1></main></body></html>"
    )


pytestmark = pytest.mark.django_db


@pytest.fixture
def composed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    company = factories.CompanyFactory(
        legal_name="Acme Biotech SA",
        short_name="Acme",
        logo=SimpleUploadedFile("acme.png", b"\x89PNG"),
        twitter_url="https://x.com/acme",
    )
    factories.ListingFactory(company=company, ticker="ACME", isin="FR0012127173", exchange="Euronext Paris")
    release = factories.ReleaseFactory(
        company=company,
        headline="Acme </script><b>results",
        subheadline="Phase 2 met its endpoint",
        slug="acme-results",
        publication_at=dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC),
    )
    return release, composed_from(release)


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_release_metadata_has_canonical_opengraph_twitter_and_news_article(composed):
    release, r = composed
    html = render_to_string("newsroom/includes/release_meta.html", {"r": r})
    url = "http://127.0.0.1:8000/releases/acme-results/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Acme &lt;/script&gt;&lt;b&gt;results">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'<meta property="og:image" content="http://127.0.0.1:8000/media/{release.company.logo.name}">' in html
    assert html.count("</script>") == 1, "the headline cannot close the JSON-LD script"
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Acme </script><b>results"
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == data["dateModified"] == "2024-07-01T07:30:00+02:00"
    assert data["mainEntityOfPage"]["@id"] == url
    publisher = data["publisher"]
    assert publisher["name"] == "Acme Biotech SA"
    assert publisher["logo"]["url"] == f"http://127.0.0.1:8000/media/{release.company.logo.name}"
    assert publisher["tickerSymbol"] == ["Euronext Paris ACME"]
    assert {"@type": "PropertyValue", "propertyID": "ISIN", "value": "FR0012127173"} in publisher["identifier"]
    assert publisher["sameAs"] == ["https://x.com/acme"]


def test_a_correction_is_modified_at_its_moment_and_published_at_the_first(composed):
    earlier, _ = composed
    Release.objects.filter(pk=earlier.pk).update(status=Release.Status.CORRECTED)
    correction = factories.ReleaseFactory(
        company=earlier.company,
        corrects=earlier,
        headline="Acme results (corrected)",
        slug="acme-results-corrected",
        translation_group=earlier.translation_group,
        publication_at=dt.datetime(2024, 7, 2, 6, 0, tzinfo=dt.UTC),
    )
    data = json_ld(render_to_string("newsroom/includes/release_meta.html", {"r": composed_from(correction)}))
    assert data["datePublished"] == "2024-07-01T07:30:00+02:00"
    assert data["dateModified"] == "2024-07-02T08:00:00+02:00"
