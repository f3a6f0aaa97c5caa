"""French and English: the French demo release on the page, in the PDF and the feeds; the interface in French."""

import io
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from releases import models
from releases.models import Release, WorkflowEvent
from releases.rendering import served

EN_SLUG = "ose-immunotherapeutics-lusvertikimab-blood-publication"
FR_SLUG = "ose-immunotherapeutics-publication-lusvertikimab-blood"
PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
JS_PO = PO.with_name("djangojs.po")


def ensure_compiled() -> None:
    """Compile the French catalogues (the interface's and its scripts') when `make messages` has not (e.g.
    pytest run directly).

    Written to a temporary file and moved into place, so parallel workers never read half a file;
    the translation cache is then reset so this process reads the new catalogue.
    """
    stale = [
        po
        for po in (PO, JS_PO)
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    for po in stale:
        fd, tmp = tempfile.mkstemp(dir=MO.parent, suffix=".mo")
        os.close(fd)
        subprocess.run(["msgfmt", "--check-format", "-o", tmp, str(po)], check=True)  # noqa: S603, S607
        os.replace(tmp, po.with_suffix(".mo"))
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = trans_real.Local()


ensure_compiled()


@pytest.fixture
def demo_pair(db):
    call_command("load_demo", verbosity=0)
    return Release.objects.get(language="en", slug=EN_SLUG), Release.objects.get(language="fr", slug=FR_SLUG)


def po_entries() -> list[tuple[str, str, list[str]]]:
    """(msgid, msgstr, flags) of every entry of the French catalogue, the header left out."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = [f for line in lines if line.startswith("#,") for f in line[2:].replace(",", " ").split()]
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            match = re.match(r"^(msgid|msgstr|msgid_plural|msgstr\[0\]|msgctxt) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = eval(match.group(2))  # noqa: S307 - a quoted string of our own file
            elif line.startswith('"') and key:
                fields[key] += eval(line)  # noqa: S307
        if fields.get("msgid"):
            entries.append((fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", "")), flags))
    return entries


# -- the French release, as the public sees it ----------------------------------------------------


def test_the_french_demo_is_a_published_translation_of_the_english_one(demo_pair):
    english, french = demo_pair
    assert french.translation_group == english.translation_group
    assert french.status == english.status == Release.Status.PUBLISHED
    assert french.publication_at == english.publication_at
    assert [(e.action, e.actor.username) for e in french.events.order_by("at", "id")] == [
        ("created", "writer"),
        ("edited", "writer"),
        ("submitted", "writer"),
        ("approved", "reviewer"),
        ("published", "publisher"),
    ]
    created = french.events.get(action=WorkflowEvent.Action.CREATED)
    assert created.details["translation_of"] == english.pk
    # Composed from French parts only.
    assert french.company_about.language == "fr"
    assert {b.language for b in french.topic_abouts.all()} == {"fr"}
    assert {d.language for d in french.disclaimers.all()} == {"fr"}
    assert models.AssetSentence.objects.filter(language="fr").count() == 10


def test_the_french_page(client, demo_pair):
    response = client.get(f"/fr/releases/{FR_SLUG}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Nantes, le 1er juillet 2024 – 7h30 CEST –" in page
    assert "(ISIN\u00a0: FR0012127173\u00a0; Mnemo\u00a0: OSE)" in page
    assert "OSE Immunotherapeutics annonce la publication" in page
    for heading in (
        "À propos de la leucémie aiguë lymphoblastique (LAL)",
        "À propos d’OSE Immunotherapeutics",
        "Déclarations prospectives",
        "Références",
    ):
        assert heading in page
    assert "déposé auprès de l’AMF le 30 avril 2024, incluant le rapport financier annuel de l’exercice 2023" in page
    assert "26&nbsp;482 cas en 2029" in page and "85&nbsp;% des patients" in page
    assert "consulté en octobre 2022" in page
    assert "Relations presse" in page and "Télécharger le PDF" in page
    # No English part slipped in.
    words = re.sub(r"<[^>]+>", " ", page)
    for english in ("About Acute", "Forward-looking", "Additional information", "Download PDF", "accessed"):
        assert english not in words


def test_the_english_page_keeps_the_english_dateline(client, demo_pair):
    page = client.get(f"/releases/{EN_SLUG}/").content.decode()
    assert '<html lang="en">' in page
    assert "Nantes, France – July 1, 2024 – 7:30 am CEST –" in page
    assert "(ISIN: FR0012127173; Mnemo: OSE)" in page


def test_each_page_links_its_other_version_with_hreflang(client, demo_pair):
    french_page = client.get(f"/fr/releases/{FR_SLUG}/").content.decode()
    english_page = client.get(f"/releases/{EN_SLUG}/").content.decode()
    assert re.search(
        rf'<nav class="language-switch" aria-label="Ce communiqué dans d’autres langues">.*?'
        rf'<a href="{re.escape(settings.SITE_URL)}/releases/{EN_SLUG}/" hreflang="en" lang="en" rel="alternate">'
        r"English</a>",
        french_page,
        re.DOTALL,
    )
    assert re.search(
        rf'<a href="{re.escape(settings.SITE_URL)}/fr/releases/{FR_SLUG}/" hreflang="fr" lang="fr" rel="alternate">'
        r"Français</a>",
        english_page,
    )
    assert "Also in" in english_page and "Aussi disponible en" in french_page


def test_the_switch_names_only_public_versions(client, demo_pair):
    english, french = demo_pair
    # The frozen page holds only the marker; a hidden French version is never named.
    assert served.slot("language-switch") in english.snapshot.page_html
    assert FR_SLUG not in english.snapshot.page_html
    Release.objects.filter(pk=french.pk).update(status=Release.Status.APPROVED)
    page = client.get(f"/releases/{EN_SLUG}/").content.decode()
    assert FR_SLUG not in page and 'class="language-switch"' not in page


def test_french_urls_carry_the_prefix(client, demo_pair):
    assert client.get(f"/releases/{FR_SLUG}/").status_code == 404
    assert client.get(f"/fr/releases/{EN_SLUG}/").status_code == 404
    assert client.get(f"/fr/releases/{FR_SLUG}.pdf").status_code == 200


def test_the_french_pdf(client, demo_pair):
    _english, french = demo_pair
    from releases.rendering.outputs import pdf_html

    html = pdf_html(french)
    assert '<html lang="fr">' in html
    css = (Path(settings.BASE_DIR) / "static" / "css" / "pdf.css").read_text()
    assert re.search(r"\bp\s*\{[^}]*hyphens:\s*auto", css)

    response = client.get(f"/fr/releases/{FR_SLUG}.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Nantes, le 1er juillet 2024 – 7h30 CEST" in text
    assert "Déclarations prospectives" in text
    assert "30 avril 2024" in text
    assert reader.metadata.title.startswith("OSE Immunotherapeutics annonce la publication")
    # WeasyPrint hyphenates with the dictionary of the document's language.
    import pyphen

    assert pyphen.language_fallback("fr")
    assert pyphen.Pyphen(lang="fr").inserted("thérapeutiques") == "thé-ra-peu-tiques"


def test_feeds_per_language(client, demo_pair):
    fr_feed = client.get("/fr/feeds/rss.xml").content.decode()
    en_feed = client.get("/feeds/rss.xml").content.decode()
    assert "OSE Immunotherapeutics annonce la publication" in fr_feed
    assert f"/fr/releases/{FR_SLUG}/" in fr_feed and EN_SLUG not in fr_feed
    assert "OSE Immunotherapeutics Announces Publication" in en_feed
    assert FR_SLUG not in en_feed
    atom = client.get("/fr/feeds/atom.xml").content.decode()
    assert FR_SLUG in atom and EN_SLUG not in atom


# -- dates and numbers per language ----------------------------------------------------------------


def test_datelines_per_language(demo_pair):
    from releases.rendering.compose import dateline, format_date
    from releases.rendering.content import content_from_release

    english, french = demo_pair
    assert dateline(content_from_release(english)) == "Nantes, France – July 1, 2024 – 7:30 am CEST –"
    assert dateline(content_from_release(french)) == "Nantes, le 1er juillet 2024 – 7h30 CEST –"
    import datetime as dt

    assert format_date(dt.date(2024, 12, 2), "fr") == "2 décembre 2024"
    assert format_date(dt.date(2024, 12, 2), "en") == "December 2, 2024"


def test_numbers_per_locale():
    from django.utils import formats

    with translation.override("fr"):
        assert formats.number_format(26482, use_l10n=True, force_grouping=True) in ("26\u202f482", "26\xa0482")
        assert formats.number_format(2.5, decimal_pos=1, use_l10n=True) == "2,5"
    with translation.override("en"):
        assert formats.number_format(26482, use_l10n=True, force_grouping=True) == "26,482"


# -- the interface in French -------------------------------------------------------------------------


def test_the_catalogue_is_complete():
    entries = po_entries()
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstr, _flags in entries if not msgstr]
    fuzzy = [msgid for msgid, _msgstr, flags in entries if "fuzzy" in flags]
    assert not untranslated, f"Untranslated: {untranslated[:10]}"
    assert not fuzzy, f"Fuzzy: {fuzzy[:10]}"


def test_every_label_and_help_text_of_our_models_is_translated():
    """What the admin shows a writer comes from these: each must be in the French catalogue."""
    from django.apps import apps

    msgids = {msgid for msgid, _msgstr, _flags in po_entries()}
    missing = []
    for model in apps.get_app_config("releases").get_models():
        if model.__name__.startswith("Historical"):
            continue
        opts = model._meta
        texts = [opts.verbose_name, opts.verbose_name_plural]
        for f in opts.get_fields():
            if getattr(f, "auto_created", False) and not getattr(f, "concrete", False):
                continue
            texts += [getattr(f, "verbose_name", ""), getattr(f, "help_text", "")]
            texts += [label for _value, label in (getattr(f, "choices", None) or [])]
        for text in texts:
            source = getattr(text, "_proxy____args", None)
            if source and source[0] not in msgids:
                missing.append(f"{model.__name__}: {source[0]}")
    assert not missing, "Not in locale/fr: " + "; ".join(missing)


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Forward-looking statements", "Déclarations prospectives"),
        ("publication moment", "moment de publication"),
        ("In review", "En relecture"),
        ("preclinical", "préclinique"),
        ("Write a headline.", "Rédigez un titre."),
    ],
)
def test_strings_read_in_french(english, french):
    with translation.override("fr"):
        assert translation.gettext(english) == french


def test_check_messages_in_french():
    import datetime as dt

    from releases.checks import run_checks
    from releases.rendering.content import ContactData, ReleaseContent, company_data
    from tests import factories

    content = ReleaseContent(
        company=company_data(factories.CompanyFactory.build(), "fr"),
        language="fr",
        headline="Acme annonce des résultats",
        publication_at=dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC),
        body="<p>annonce qu’elle prévoit de déposer un dossier.</p>",
        contacts=[ContactData(kind="media", kind_label="Presse", name="Camille")],
    )
    with translation.override("fr"):
        messages = [c.message for c in run_checks(content)]
    assert len(messages) == 1
    assert messages[0].startswith("Le communiqué emploie des termes prospectifs (“prévoit”)")


def test_the_admin_speaks_french_to_a_french_browser(client, demo_pair):
    from django.contrib.auth import get_user_model

    writer = get_user_model().objects.get(username="writer")
    client.force_login(writer)
    _english, french = demo_pair
    headers = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
    index = client.get("/admin/", **headers)
    assert index.status_code == 200
    html = index.content.decode()
    assert '<html lang="fr"' in html
    assert "Communiqués" in html or "communiqués" in html
    add = client.get("/admin/releases/release/add/", **headers)
    assert add.status_code == 200
    html = add.content.decode()
    for label in ("Titre", "Moment de publication", "Lieu du chapeau de date", "Rubriques «\u00a0À propos\u00a0»"):
        assert label in html, label
    for english_label in ("Publication moment", "Dateline place", "Headline", "Topic Abouts", "Disclaimers"):
        assert english_label not in html, english_label
    change = client.get(f"/admin/releases/release/{french.pk}/change/", **headers)
    assert change.status_code == 200
    assert "Ce communiqué est figé." in change.content.decode()


def test_the_admin_follows_the_language_cookie_before_the_browser(client, demo_pair):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="writer"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "fr"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_public_pages_take_their_language_from_the_address(client, demo_pair):
    # French URLs carry /fr/: an address without the prefix is English whatever the browser says.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "en"
    assert client.get("/fr/")["Content-Language"] == "fr"


# -- the whole interface in French ---------------------------------------------------------------------

# Where the interface's own words live: an English one of these on a French page was not translated.
INTERFACE_SOURCES = (
    "templates/admin/",
    "releases/admin/",
    "releases/templatetags/admin_moments.py",
    "releases/checks.py",
)
ENGLISH_DATES = re.compile(
    r"\b(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan|Feb|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b\.?\s+\d|\d\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|"
    r"\b(?:minutes?|hours?|days?|weeks?|months?|years?) ago\b|\bin \d\d:\d\d:\d\d\b|"
    # French shaped by English formats: abbreviations title-cased ("1 Déc"), an age of nothing ("0 minutes").
    r"\d (?:Janv?|Févr?|Avr|Juil|Sept?|Oct|Nov|Déc)\b|\b0 minutes?\b"
)


def interface_words() -> list[str]:
    """The interface's own English phrases (two words or more, outside placeholders) that French says otherwise."""
    from babel.messages.pofile import read_po

    phrases = set()
    for po in (PO, JS_PO):
        for message in read_po(po.open("rb")):
            if not message.id or not message.string:
                continue
            if po == PO and not any(path.startswith(INTERFACE_SOURCES) for path, _line in message.locations):
                continue
            english = message.id[0] if isinstance(message.id, tuple) else message.id
            french = message.string[0] if isinstance(message.string, tuple) else message.string
            if english == french:
                continue
            for fragment in re.split(r"%\(\w+\)s|%s|\{\w+\}|<[^>]+>", english):
                fragment = fragment.strip(" .,:;()“”")
                if len(fragment.split()) >= 2 and len(fragment) >= 10 and fragment not in french:
                    phrases.add(fragment)
    return sorted(phrases)


def visible_words(html: str) -> str:
    """What a reader sees and hears of a page: its text, titles, placeholders and labels, scripts left out."""
    import html as htmllib

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    attributes = re.findall(r'\b(?:title|placeholder|aria-label|alt|value)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(htmllib.unescape(" ".join([text, *attributes])).split())


def test_the_interface_in_french_says_none_of_its_own_english_words(client, demo_pair):
    """Every admin screen a French team uses, rendered in French: none of the interface's English phrases, no
    English date, countdown or age, on pages that show the French release (its words are French too)."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from releases import services

    phrases = interface_words()
    assert len(phrases) > 120  # the list is the interface's own catalogue, not a hand-picked few
    users = get_user_model().objects
    writer, reviewer = users.get(username="writer"), users.get(username="reviewer")
    _english, french = demo_pair

    def french_release(headline: str, hours: int, **parts):
        return services.release_create(
            user=writer,
            fields={
                "company": french.company,
                "language": "fr",
                "headline": headline,
                "body": "<p>annonce aujourd’hui des résultats (1).</p>",
                "publication_at": timezone.now() + dt.timedelta(hours=hours),
            },
            references=[{"citation": "Étude de référence, 2024.", "url": "https://doi.org/10.1000/x"}],
            **parts,
        )

    draft = french_release("Brouillon de communiqué", 2)
    services.release_edit(
        release=draft, user=writer, expected_version=draft.version, fields={"headline": "Brouillon, deuxième version"}
    )
    waiting = french_release(
        "Communiqué en relecture",
        3,
        disclaimers=[link.disclaimer for link in french.disclaimer_links.all()],
        contacts=[link.contact for link in french.contact_links.all()],
    )
    services.release_submit(release=waiting, user=writer, comment="Prêt pour relecture.")
    headers = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}
    pages = {
        "review": ("reviewer", f"/admin/releases/release/{waiting.pk}/review/"),
        "dashboard": ("writer", "/admin/"),
        "releases": ("writer", "/admin/releases/release/?language__exact=fr"),
        "draft": ("writer", f"/admin/releases/release/{draft.pk}/change/"),
        "frozen": ("reviewer", f"/admin/releases/release/{french.pk}/change/"),
        "history": ("writer", f"/admin/releases/release/{draft.pk}/history/"),
        "topic popup": (
            "writer",
            f"/admin/releases/boilerplateblock/add/?_popup=1&company={french.company_id}&language=fr&kind=topic_about",
        ),
        "new release": ("writer", "/admin/releases/release/add/?language=fr"),
    }
    for name, (who, path) in pages.items():
        client.force_login(writer if who == "writer" else reviewer)
        response = client.get(path, **headers)
        assert response.status_code == 200, name
        words = visible_words(response.content.decode())
        english = [phrase for phrase in phrases if phrase in words]
        assert english == [], f"{name} says in English: {english}"
        assert not ENGLISH_DATES.search(words), f"{name}: {ENGLISH_DATES.search(words).group(0)!r}"
    client.force_login(writer)
    catalogue = client.get("/admin/jsi18n/newsroom/", **headers).content.decode()
    for french_words in ("dans %s", "public maintenant", "Le chapeau tel que les lecteurs le verront", "Monter"):
        assert french_words in catalogue, french_words


def test_the_header_names_the_person_once_and_their_role_in_french(client, demo_pair):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    users = get_user_model().objects
    writer = users.get(username="writer")
    client.force_login(writer)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span class="who">writer</span>' in html and "role-chip" not in html  # not "WRITER WRITER"
    colleague = users.create_user("camille", password="x-pass-12345", first_name="Camille", last_name="Martin")
    colleague.is_staff = True
    colleague.save()
    colleague.groups.add(Group.objects.get(name="Writer"), Group.objects.get(name="Reviewer"))
    client.force_login(colleague)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span class="who">Camille Martin</span>' in html
    assert re.findall(r'<span class="role-chip">([^<]*)</span>', html) == ["Relecture", "Rédaction"]
