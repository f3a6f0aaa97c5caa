"""Languages as configuration: every content language has its address, feeds, sitemap, dates, hyphenation and the
words printed on a release in its own catalogue."""

import datetime as dt
import re
from pathlib import Path

import pyphen
import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from releases.models import Contact, Filing, Phase, Release, ReleaseLabel
from releases.rendering import compose, content_from_release, render_page, render_text
from tests import factories as f

LOCALE = Path(settings.BASE_DIR) / "locale"
# Where the words a release prints come from; the preview banner is the admin's, not the release's.
PRINTED_FROM = (
    "releases/rendering/",
    "releases/legal.py",
    "templates/releases/includes/",
    "templates/releases/release_detail.html",
    "templates/releases/pdf/",
    "templates/releases/fragment.html",
)
NOT_PRINTED = {"Preview — not published. This is what the page will show, including unsaved changes."}
PRINTED_CONTEXTS = {"release category", "feed title"}
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")


def placeholders(text: str | tuple[str, ...]) -> set[str]:
    """The named placeholders of a message, or of all the forms of a plural message together."""
    forms = (text,) if isinstance(text, str) else text
    return {name for form in forms for name in PLACEHOLDER_RE.findall(form)}


def catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po)


def printed_msgids() -> set[tuple[str | None, str]]:
    """Every (context, msgid) a release prints: found through the complete French catalogue's locations, and the
    labels of the vocabularies a release prints (phases, contact kinds, labels above the headline)."""
    wanted = set()
    for message in catalogue("fr"):
        if not message.id or message.id in NOT_PRINTED:
            continue
        places = [path for path, _line in message.locations]
        if message.context in PRINTED_CONTEXTS or any(p.startswith(PRINTED_FROM) for p in places):
            wanted.add((message.context, message.id))
    with translation.override("en"):  # English has no catalogue: a label reads as its msgid
        # A filing's kind is printed by a disclaimer's {filing:…} when the filing has no title of its own.
        for choices in (Phase, Contact.Kind, Filing.Kind):
            wanted |= {(None, str(label)) for _value, label in choices.choices}
        wanted |= {("release label", str(label)) for _value, label in ReleaseLabel.choices}
    return wanted


def test_the_printed_words_are_found():
    wanted = printed_msgids()
    assert ("release label", "Regulated information") in wanted
    assert ("release section", "References") in wanted
    assert ("dateline", "%(place)s – %(date)s – %(time)s –") in wanted
    assert ("MAR legend", next(m for c, m in wanted if c == "MAR legend")) in wanted
    assert (None, "Phase 2b") in wanted and (None, "Certified Adviser") in wanted and (None, "Form 20-F") in wanted
    assert len(wanted) >= 45


@pytest.mark.parametrize("language", [code for code in settings.CONTENT_LANGUAGES if code != "en"])
def test_every_content_language_has_every_word_a_release_prints(language):
    """Fails when a configured language lacks a label, a section name, a dateline or identifier pattern."""
    messages = {(m.context, m.id): m for m in catalogue(language) if m.id}
    missing, untranslated, broken = [], [], []
    for key in sorted(printed_msgids(), key=str):
        message = messages.get(key)
        if message is None:
            missing.append(key)
        elif not all(message.string if isinstance(message.string, tuple) else [message.string]) or message.fuzzy:
            untranslated.append(key)
        elif "no-python-format" not in message.flags and placeholders(key[1]) != placeholders(message.string):
            broken.append(key)
    assert not missing, f"{language} lacks: {missing}"
    assert not untranslated, f"{language} leaves untranslated: {untranslated}"
    assert not broken, f"{language} changes the placeholders of: {broken}"


def test_the_content_languages_come_from_settings():
    assert settings.CONTENT_LANGUAGES == ["en", "fr", "de", "it", "es", "nl", "sv", "fi", "da"]
    assert [code for code, _name in settings.LANGUAGES] == settings.CONTENT_LANGUAGES
    assert [code for code, _label in Release._meta.get_field("language").choices] == settings.CONTENT_LANGUAGES


@pytest.mark.parametrize("language", ["de", "it", "es", "nl", "sv", "fi", "da"])
def test_each_language_has_its_newsroom_feeds_and_sitemap(client, db, language):
    release = f.published_release(language=language, slug=f"results-{language}", headline=f"Results {language}")
    index = client.get(f"/{language}/")
    assert index.status_code == 200 and index["Content-Language"] == language
    assert client.get(f"/{language}/releases/results-{language}/").status_code == 200
    assert f"/{language}/releases/results-{language}/" in client.get(f"/{language}/feeds/rss.xml").content.decode()
    assert f"/{language}/releases/results-{language}/" in client.get(f"/{language}/feeds/atom.xml").content.decode()
    index = client.get("/sitemap.xml").content.decode()
    assert f"{settings.SITE_URL}/sitemap-newsroom.xml</loc>" in index
    assert f"{settings.SITE_URL}/{language}/</loc>" in client.get("/sitemap-newsroom.xml").content.decode()
    releases = client.get("/sitemap-releases.xml").content.decode()
    assert f"{settings.SITE_URL}{release.get_absolute_url()}</loc>" in releases


def test_a_hyphenation_dictionary_for_every_content_language():
    """WeasyPrint hyphenates with pyphen's dictionary of the document's `lang`; Finnish is the project's own."""
    import releases  # noqa: F401 - the app registers the dictionaries pyphen lacks

    for language in settings.CONTENT_LANGUAGES:
        assert pyphen.language_fallback(language), language
    assert pyphen.Pyphen(lang="de").inserted("Zulassungsstudie") == "Zu-las-sungs-stu-die"
    assert pyphen.Pyphen(lang="fi").inserted("sisäpiiritieto") == "si-sä-pii-ri-tie-to"


@pytest.mark.django_db
def test_a_german_release_prints_german_words_and_dates():
    company = f.CompanyFactory(city="Mailand", country="Italien", time_zone="Europe/Rome")
    f.ListingFactory(company=company, exchange="SIX Swiss Exchange", ticker="ACME", isin="CH0012032048")
    release = f.ReleaseFactory(
        company=company,
        language="de",
        category=Release.Category.REGULATED,
        publication_at=dt.datetime(2024, 3, 19, 6, 30, tzinfo=dt.UTC),
        body="<p>gab heute bekannt (1).</p>",
    )
    f.ReferenceFactory(release=release, position=1)
    composed = compose(content_from_release(release))
    assert composed.dateline == "Mailand, 19. März 2024 – 07:30 CET –"
    assert composed.identifiers == "(ISIN: CH0012032048; SIX: ACME)"
    assert composed.label == "Pressemitteilung"
    page = render_page(composed)
    assert '<html lang="de">' in page
    assert "Referenzen" in page and "PDF herunterladen" in page
    assert render_text(composed).startswith("PRESSEMITTEILUNG\n")


@pytest.mark.django_db
def test_a_filing_without_a_title_is_named_in_the_releases_language():
    company = f.CompanyFactory(time_zone="Europe/Rome")
    company.filings.create(kind=Filing.Kind.ANNUAL_REPORT, regulator="CONSOB", filed_on=dt.date(2025, 3, 20))
    values = {language: company.placeholder_values(language) for language in ("de", "it", "fi")}
    assert values["de"]["filing:annual_report"] == "Geschäftsbericht"
    assert values["it"]["filing:annual_report"] == "Relazione finanziaria annuale"
    assert values["fi"]["filing:annual_report"] == "Vuosikertomus"
    assert values["de"]["filing_date:annual_report"] == "20. März 2025"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"),
    [("de", "Arzneimittelzulassungsverfahren"), ("fi", "sisäpiiritietoilmoitusvelvollisuus")],
)
def test_the_pdf_says_its_language_and_hyphenates_with_its_dictionary(language, word):
    import io

    from pypdf import PdfReader

    from releases.rendering import render_pdf

    release = f.ReleaseFactory(language=language, body="<p>" + " ".join([word] * 60) + "</p>")
    reader = PdfReader(io.BytesIO(render_pdf(release)))
    assert reader.trailer["/Root"]["/Lang"] == language
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    # WeasyPrint prints the hyphen it inserts as U+2010.
    broken = [line for line in lines if line.endswith(("\u2010", "-")) and word[:4] in line]
    assert len(broken) >= 3, f"no {language} word was hyphenated at a line end"
    assert all(word.startswith(line.split()[-1].rstrip("\u2010-")) for line in broken)


def test_no_code_or_template_branches_on_a_language_code():
    """Languages are configuration: what differs per language lives in catalogues, CLDR data or tables keyed by
    language, never in an `if language == "fr"` branch."""
    root = Path(__file__).resolve().parent.parent
    branch = re.compile(r"""(?:language|lang|LANGUAGE_CODE|get_language\(\))\s*(?:==|!=)\s*['"][a-z]{2}['"]""")
    found = []
    for folder, pattern in (("releases", "*.py"), ("config", "*.py"), ("templates", "*.html"), ("templates", "*.txt")):
        for path in (root / folder).rglob(pattern):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if branch.search(line):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.django_db
def test_the_about_lists_each_asset_in_the_releases_language():
    """Vocabularies per language: the asset's sentence, its program's indication and its phase's name."""
    company = f.CompanyFactory()
    about_en = f.CompanyAboutFactory(company=company, body="<p>{pipeline}</p>")
    about_it = f.CompanyAboutFactory(company=company, language="it", title="Chi siamo", body="<p>{pipeline}</p>")
    asset = f.PipelineAssetFactory(company=company, name="Kidemab", code="KB-201")
    f.ProgramFactory(asset=asset, indication="Ulcerative colitis", phase=Phase.PHASE_2B, translations={
        "it": {"indication": "colite ulcerosa"}
    })  # fmt: skip
    f.AssetSentenceFactory(asset=asset, language="en", text="<p>{code}: {phase:1} in {indication:1}.</p>")
    f.AssetSentenceFactory(asset=asset, language="it", text="<p>{code}: {phase:1} nella {indication:1}.</p>")
    english = compose(content_from_release(f.ReleaseFactory(company=company, company_about=about_en)))
    italian = compose(content_from_release(f.ReleaseFactory(company=company, language="it", company_about=about_it)))
    assert "<li>KB-201: Phase 2b in Ulcerative colitis.</li>" in str(english.company_about.html)
    assert "<li>KB-201: Fase 2b nella colite ulcerosa.</li>" in str(italian.company_about.html)
