"""`manage.py load_demo`: the reference release rebuilt from structured parts, idempotently."""

import datetime as dt
import re
import zoneinfo
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.html import strip_tags
from PIL import Image

from releases.models import (
    AssetSentence,
    BoilerplateBlock,
    Company,
    Contact,
    Disclaimer,
    Listing,
    Phase,
    PipelineAsset,
    Program,
    Reference,
    Release,
    ReleaseContact,
    ReleaseDisclaimer,
    ReleaseTopic,
    Snapshot,
    WorkflowEvent,
)
from releases.placeholders import fill

REFERENCE_FILE = Path(__file__).parent / "data" / "ose-lusvertikimab-2024-07-01.txt"
SLUG = "ose-immunotherapeutics-lusvertikimab-blood-publication"

# What the renderer generates in front of the body, removed from the reference before comparing.
DATELINE = "Nantes, France – July 1st, 2024 – 7:30 am CET – "
IDENTIFIERS = " (ISIN: FR0012127173; Mnemo: OSE)"
# Lines of the reference that stand alone (headings, a link line without final punctuation).
STANDALONE_LINES = {
    "About Acute Lymphoblastic Leukemia (ALL)",
    "ABOUT OSE IMMUNOTHERAPEUTICS",
    "Forward-looking statements",
    "Click and follow us on Twitter and LinkedIn",
}
# Full stops that do not end a sentence.
ABBREVIATION_END = re.compile(r"(^|\s)(Pr|Dr|Jr|al|Eur|J)\.$")
# Slips of the original that the structured parts do not reproduce.
SLIPS = {
    # A stray full stop after the URL of reference (5): the renderer writes "Available at: <url>, accessed …".
    "key-statistics.html#references., accessed": "key-statistics.html#references, accessed",
}

COUNTED_MODELS = [
    Company,
    Listing,
    Contact,
    PipelineAsset,
    Program,
    AssetSentence,
    BoilerplateBlock,
    Disclaimer,
    Release,
    Reference,
    ReleaseTopic,
    ReleaseDisclaimer,
    ReleaseContact,
    get_user_model(),
    Group,
    WorkflowEvent,
    Snapshot,
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep the generated logo out of the shared media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def load(**options):
    call_command("load_demo", verbosity=0, **options)


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_lines(html: str) -> list[str]:
    """The text of rich HTML, one line per block element, entities decoded."""
    html = re.sub(r"</(p|li|blockquote|h[2-4]|ul|ol)>|<br\s*/?>", "\n", html)
    return [normalize(line) for line in unescape(strip_tags(html)).splitlines() if line.strip()]


def filled_sentence(asset: PipelineAsset, language: str = "en") -> str:
    """The asset's sentence with its placeholders filled, as the About prints it (HTML)."""
    programs = list(asset.programs.order_by("position", "id"))
    with translation.override(language):
        indexed = {
            "phase": [str(p.get_phase_display()) for p in programs],
            "indication": [p.indication for p in programs],
            "sponsor": [p.sponsor for p in programs],
        }
    values = asset.company.placeholder_values(language) | {"name": asset.name, "code": asset.code, "inn": asset.inn}
    return fill(asset.sentences.get(language=language).text, values, indexed)


def filled_about(block: BoilerplateBlock) -> str:
    company = block.company
    lists = {}
    for kind, placeholder in ((PipelineAsset.Kind.CANDIDATE, "pipeline"), (PipelineAsset.Kind.PLATFORM, "platforms")):
        assets = company.assets.filter(kind=kind, active=True).order_by("display_order")
        lists[placeholder] = "".join(filled_sentence(a, block.language) for a in assets)
    body = block.body
    for placeholder, html in lists.items():
        body = body.replace("<p>{" + placeholder + "}</p>", html)
    return fill(body, company.placeholder_values(block.language))


def reference_sentences() -> list[str]:
    """The sentences of the reference release, less what the renderer generates."""
    lines = [line.strip() for line in REFERENCE_FILE.read_text(encoding="utf-8").splitlines()]
    # Bare URL lines are the targets of links, not text.
    lines = [line for line in lines if line and not re.fullmatch(r"https?://\S+", line)]
    start = next(i for i, line in enumerate(lines) if line.startswith("Nantes, France"))
    units = [" ".join(lines[:start])]  # the headline
    current = ""
    for line in lines[start:]:
        starts_unit = (
            line in STANDALONE_LINES or current in STANDALONE_LINES or re.match(r"(•|-|\(\d+\)) ", line) is not None
        )
        if starts_unit and current:
            units.append(current)
            current = ""
        line = re.sub(r"^[•-] ", "", line)
        if not current:
            current = line
        elif current.endswith("-"):  # a word broken across lines: "Non-" + "Small"
            current += line
        else:
            current += " " + line
    units.append(current)

    text = "\n".join(normalize(unit) for unit in units)
    assert DATELINE in text and IDENTIFIERS in text, "the reference's dateline or identifiers moved"
    text = text.replace(DATELINE, "").replace(IDENTIFIERS, "")
    for slip, fixed in SLIPS.items():
        text = text.replace(slip, fixed)
    sentences = []
    for unit in text.splitlines():
        pieces = []
        for piece in re.split(r"(?<=[.!?:”])\s+(?=[A-Z“‘(])", unit):
            if pieces and ABBREVIATION_END.search(pieces[-1]):
                pieces[-1] += " " + piece  # "Pr. Denis", "et al. Rare": not the end of a sentence
            else:
                pieces.append(piece)
        sentences += [p for p in pieces if p.strip()]
    return sentences


def haystack(release: Release) -> str:
    """Every text of the release's structured parts, one block element per line."""
    company = release.company
    body = html_lines(release.body)
    # The lead convention: the legal name (and identifiers) go in front of a body starting with a verb.
    body[0] = f"{company.legal_name} {body[0]}"
    pieces = [release.headline, *body]
    for block in release.topic_abouts.order_by("topic_links__position"):
        pieces += [block.title, *html_lines(block.body)]
    for ref in release.references.order_by("position"):
        line = f"({ref.position}) {ref.citation}"
        if ref.url:
            line += f" Available at: {ref.url}"
        if ref.accessed_label:
            line += f", accessed {ref.accessed_label}"
        pieces.append(line)
    about = release.company_about
    # The PDF sets the company About heading in capitals.
    pieces += [about.title, about.title.upper(), *html_lines(filled_about(about))]
    for disclaimer in release.disclaimers.order_by("release_links__position"):
        pieces += [disclaimer.title, *html_lines(fill(disclaimer.body, company.placeholder_values(release.language)))]
    return "\n".join(pieces)


def database_state() -> dict:
    state = {}
    for model in COUNTED_MODELS:
        state[model._meta.label] = list(model.objects.order_by("pk").values())
        if hasattr(model, "history"):
            state[f"{model._meta.label} history"] = model.history.count()
    return state


def test_running_twice_changes_nothing(db, media_root):
    load()
    first = database_state()
    logo = media_root / "logos" / "ose-immunotherapeutics.png"
    logo_bytes, logo_mtime = logo.read_bytes(), logo.stat().st_mtime_ns

    load()

    second = database_state()
    assert {label: len(rows) for label, rows in second.items() if isinstance(rows, list)} == {
        label: len(rows) for label, rows in first.items() if isinstance(rows, list)
    }
    assert second == first
    assert (logo.read_bytes(), logo.stat().st_mtime_ns) == (logo_bytes, logo_mtime)
    assert sorted(p.name for p in logo.parent.iterdir()) == ["ose-immunotherapeutics.png"]


def test_counts_of_the_demo(demo):
    company = demo.company
    # OSE, and the invented second issuer (Kide Biotherapeutics) of issue 13.
    assert list(Company.objects.order_by("slug").values_list("slug", flat=True)) == [
        "kide-biotherapeutics",
        "ose-immunotherapeutics",
    ]
    assert company.assets.filter(kind=PipelineAsset.Kind.CANDIDATE).count() == 6
    assert company.assets.filter(kind=PipelineAsset.Kind.PLATFORM).count() == 4
    assert AssetSentence.objects.filter(language="en", asset__company=company).count() == 10
    assert all(asset.programs.exists() for asset in company.assets.all())
    assert list(demo.references.order_by("position").values_list("position", flat=True)) == list(range(1, 8))
    assert [c.kind for c in demo.contacts.order_by("release_links__position")] == ["media", "investors"]
    assert all(c.role and c.translations["fr"]["role"] for c in demo.contacts.all())
    assert list(demo.topic_abouts.values_list("title", flat=True)) == ["About Acute Lymphoblastic Leukemia (ALL)"]
    assert list(demo.disclaimers.values_list("kind", flat=True)) == ["forward_looking"]
    assert Disclaimer.objects.get(kind="inside_information", language="en").company is None
    assert demo.category == Release.Category.NON_REGULATED
    assert demo.subheadline == "" and demo.place == ""


def test_every_sentence_of_the_reference_is_in_the_parts(demo):
    text = haystack(demo)
    sentences = reference_sentences()
    assert len(sentences) > 60
    missing = [s for s in sentences if s not in text]
    assert not missing, "Sentences of the reference missing from the demo parts:\n" + "\n".join(missing)


def test_the_generated_lead_comes_from_the_company(demo):
    company = demo.company
    listing = company.listings.get()
    assert (company.city, company.country) == ("Nantes", "France")
    assert (listing.isin, listing.ticker_label, listing.ticker) == ("FR0012127173", "Mnemo", "OSE")
    assert company.legal_name == "OSE Immunotherapeutics SA"
    # The body starts where the generated lead ends.
    assert demo.body.startswith("<p>today announced the publication of an article")


def test_the_links_of_the_body_and_references(demo):
    assert 'href="https://www.sciencedirect.com/journal/blood"' in demo.body
    assert 'href="https://ashpublications.org/blood/article-abstract/doi/10.1182/blood.2023021088/515436/' in demo.body
    assert "<blockquote><p>“Treatment options" in demo.body
    assert "<blockquote><p>“We are very pleased" in demo.body
    assert demo.body.count("<li>") == 2
    first, fifth = demo.references.get(position=1), demo.references.get(position=5)
    assert first.url == "https://doi.org/10.1182/blood-2022-162261"
    assert fifth.citation == "American Cancer Society. Key 2022 Statistics for Acute Lymphocytic Leukemia (ALL)."
    assert fifth.accessed_label == "October 2022"
    assert demo.references.get(position=4).accessed_label == "October 2022"


def test_the_disclaimer_is_filled_from_the_company(demo):
    disclaimer = demo.disclaimers.get()
    text = " ".join(html_lines(fill(disclaimer.body, demo.company.placeholder_values("en"))))
    assert (
        "Universal Registration Document filed with the AMF on April 30, 2024, including the annual financial "
        "report for the fiscal year 2023" in text
    )
    assert "{" not in text
    disclaimer.full_clean()


def test_sentences_name_phases_through_placeholders(demo):
    for sentence in AssetSentence.objects.all():
        sentence.full_clean()
        assert not re.search(r"Phase \d", sentence.text), sentence.asset.name


def test_a_phase_change_changes_the_sentence(demo):
    tedopi = PipelineAsset.objects.get(name="Tedopi®")
    assert tedopi.programs.filter(phase=Phase.PHASE_3).exists()
    assert "positive results from the Phase 3 trial (Atalante 1)" in filled_sentence(tedopi)

    lusvertikimab = PipelineAsset.objects.get(code="OSE-127")
    assert filled_sentence(lusvertikimab) == (
        "<p>OSE-127 - lusvertikimab (humanized monoclonal antibody antagonist of IL-7 receptor); ongoing Phase 2 in "
        "Ulcerative Colitis (sponsor OSE Immunotherapeutics); ongoing preclinical research in leukemia "
        "(OSE Immunotherapeutics).</p>"
    )
    program = lusvertikimab.programs.get(position=1)
    program.phase = Phase.PHASE_3
    program.save()
    assert "ongoing Phase 3 in Ulcerative Colitis" in filled_sentence(lusvertikimab)


def test_the_publication_moment(demo):
    assert demo.status == Release.Status.PUBLISHED
    assert demo.publication_at == dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)
    local = demo.local_publication_at
    assert (local.date(), local.hour, local.minute) == (dt.date(2024, 7, 1), 7, 30)
    assert local.tzinfo == zoneinfo.ZoneInfo("Europe/Paris")
    assert demo.is_public


def test_the_logo(demo):
    logo = demo.company.logo
    assert logo.name == "logos/ose-immunotherapeutics.png"
    with Image.open(logo.path) as image:
        assert (image.format, image.size) == ("PNG", (600, 160))


def test_demo_users_exist_in_their_groups(demo):
    users = get_user_model().objects
    for username, group in (("writer", "Writer"), ("reviewer", "Reviewer"), ("publisher", "Publisher")):
        user = users.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.check_password(f"{username}-demo-2024")
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("admin-demo-2024")


def test_passwords_are_set_on_creation_only(demo):
    writer = get_user_model().objects.get(username="writer")
    writer.set_password("changed-by-the-user-123")
    writer.save()
    load()
    writer.refresh_from_db()
    assert writer.check_password("changed-by-the-user-123")


def test_the_audit_trail_is_real(demo):
    steps = [(e.action, e.actor.username) for e in demo.events.order_by("at", "id")]
    assert steps == [
        ("created", "writer"),
        ("submitted", "writer"),
        ("approved", "reviewer"),
        ("published", "publisher"),
    ]
    assert (demo.approved_by.username, demo.published_by.username) == ("reviewer", "publisher")
    assert demo.snapshot.pdf_sha256


def test_no_demo_users_where_not_allowed(db, settings, capsys):
    settings.ALLOW_DEMO_USERS = False
    call_command("load_demo", verbosity=1)
    assert not get_user_model().objects.exists()
    # A release needs its writer, and two other people to approve and publish it: none is made here.
    assert not Release.objects.exists()
    out, err = capsys.readouterr()
    assert "ALLOW_DEMO_USERS" in err
    assert "Demo data ready: 1 company, 10 pipeline assets" in out
    assert "no release (a release needs its writer, reviewer and publisher: the demo accounts)" in out
    with pytest.raises(CommandError):
        load(users=True)
    assert not get_user_model().objects.exists()


def test_quiet_at_verbosity_zero(db, capsys):
    load()
    out, _err = capsys.readouterr()
    assert out == ""


def test_the_second_demo_company_shows_other_conventions(client, demo):
    """An invented Finnish issuer: two growth markets, Helsinki time, UK-style English, Finnish, inside information."""
    kide = Company.objects.get(slug="kide-biotherapeutics")
    english = Release.objects.get(company=kide, language="en")
    finnish = Release.objects.get(company=kide, language="fi")
    assert english.status == finnish.status == Release.Status.PUBLISHED
    assert english.translation_group == finnish.translation_group
    assert [c.kind for c in english.contacts.order_by("release_links__position")] == ["investors", "certified_adviser"]

    page = client.get(english.get_absolute_url()).content.decode()
    assert '<p class="release-kicker"><span class="kicker-label">Inside information</span> · <time' in page
    assert "Espoo, Finland, 3 March 2025 at 9.00 AM (EET) –" in page
    assert (
        "(ISIN: FI4000512348; Nasdaq First North Growth Market Finland: KIDE; "
        "Nasdaq First North Growth Market Sweden: KIDE)" in page
    )
    assert "inside information within the meaning of Article 7" in page
    # The body's superscript cites the release's reference (1); the topic About's own sources follow as (2), (3).
    assert '<sup><a class="cite" href="#ref-1" id="cite-1">1</a></sup>' in page
    assert 'in adults <a class="cite" href="#ref-2" id="cite-2">(2)</a>' in page
    assert '<li id="ref-3" value="3">' in page
    assert "published on 27 February 2025 for the fiscal year 2024" in page

    sivu = client.get(finnish.get_absolute_url()).content.decode()
    assert '<html lang="fi">' in sivu and "Sisäpiiritieto" in sivu
    assert "Espoo 3.3.2025 klo 9.00 –" in sivu
    assert "markkinoiden väärinkäyttöasetuksen ((EU) N:o 596/2014) 7 artiklassa tarkoitettua sisäpiiritietoa" in sivu
    assert "Lähteet" in sivu and "Yhteystiedot" in sivu
