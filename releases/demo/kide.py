"""Kide Biotherapeutics Oyj: an invented Finnish issuer, so a newcomer sees the range of conventions.

Not a real company. It is listed on two growth markets (Nasdaq First North Finland and Sweden) under one
ISIN, printed once; it lives in Helsinki time (EET/EEST); its English house style is British with the
Nasdaq Helsinki habit of "3 March 2025 at 9.00 AM (EET)"; it publishes in English and Finnish; its
release is inside information, labelled as MAR names it, with the MAR legend in each language; its
forward-looking statements name its annual report through {filing:annual_report}; its topic About
carries its own references, numbered into the release's list after the release's own; its contacts
include a Certified Adviser, as First North requires.
"""

import datetime as dt
import zoneinfo

from releases.legal import mar_legend_html
from releases.models import Contact, Phase

KIDE = "Kide Biotherapeutics"
NB = "\u00a0"

COMPANY = {
    "slug": "kide-biotherapeutics",
    "short_name": KIDE,
    "legal_name": "Kide Biotherapeutics Oyj",
    "website": "https://www.kide-bio.example",
    "city": "Espoo",
    "country": "Finland",
    "translations": {"fi": {"city": "Espoo", "country": "Suomi"}},
    "time_zone": "Europe/Helsinki",
    "regulator": "Finanssivalvonta",
    "labels": ["company_announcement", "inside_information"],
    "twitter_url": "",
    "linkedin_url": "",
}

LISTINGS = [
    {
        "exchange": "Nasdaq First North Growth Market Finland",
        "market": "nasdaq_nordic",
        "ticker": "KIDE",
        "ticker_label": "",
        "isin": "FI4000512348",
        "position": 0,
    },
    {
        "exchange": "Nasdaq First North Growth Market Sweden",
        "market": "nasdaq_nordic",
        "ticker": "KIDE",
        "ticker_label": "",
        "isin": "FI4000512348",
        "position": 1,
    },
]

FILINGS = [
    {
        "kind": "annual_report",
        "regulator": "Finanssivalvonta",
        "title": "Annual Report 2024",
        "translations": {"fi": {"title": "vuosikertomus 2024"}},
        "filed_on": dt.date(2025, 2, 27),
        "fiscal_year": 2024,
    },
]

# English as a Helsinki issuer writes it: "Espoo, Finland, 3 March 2025 at 9.00 AM (EET) –";
# Finnish: "Espoo 3.3.2025 klo 9.00 –".
HOUSE_STYLES = [
    {
        "language": "en",
        "place": "",
        "pattern": "at",
        "date_style": "dmy",
        "time_style": "h.mm A",
        "zone_style": "abbreviation",
        "zone_in_parentheses": True,
        "punctuation_spacing": "",
    },
    {
        "language": "fi",
        "place": "",
        "pattern": "",
        "date_style": "numeric",
        "time_style": "",
        "zone_style": "none",
        "zone_in_parentheses": False,
        "punctuation_spacing": "",
    },
]

CONTACTS = [
    {
        "kind": Contact.Kind.INVESTORS,
        "name": "Aino Virtanen (demo)",
        "role": "Chief Executive Officer",
        "translations": {"fi": {"role": "toimitusjohtaja"}},
        "organisation": KIDE,
        "email": "ir.demo@kide-bio.example",
        "phone": "+358 40 000 0001",
        "private_notes": "Demo contact created by manage.py load_demo.",
    },
    {
        "kind": Contact.Kind.CERTIFIED_ADVISER,
        "name": "Revontuli Corporate Finance Oy (demo)",
        "role": "Certified Adviser",
        "translations": {"fi": {"role": "hyväksytty neuvonantaja"}},
        "organisation": "",
        "email": "ca.demo@revontuli-cf.example",
        "phone": "+358 40 000 0002",
        "private_notes": "Demo contact created by manage.py load_demo.",
    },
]


def _program(indication: str, indication_fi: str, phase: Phase, sponsor: str = KIDE) -> dict:
    return {
        "indication": indication,
        "translations": {"fi": {"indication": indication_fi}},
        "phase": phase,
        "sponsor": sponsor,
        "status_note": "",
    }


CANDIDATES = [
    {
        "name": "Kidelimab",
        "code": "KB-201",
        "inn": "kidelimab",
        "modality": "Humanised monoclonal antibody",
        "mechanism": "Anti-CLEVER-1 macrophage checkpoint",
        "partners": "",
        "programs": [
            _program("acute myeloid leukaemia (AML)", "akuutti myelooinen leukemia (AML)", Phase.PHASE_2A),
            _program("solid tumours", "kiinteät kasvaimet", Phase.PHASE_1B),
        ],
        "sentences": {
            "en": "<p>{code} – {inn} (anti-CLEVER-1): {phase:1} in {indication:1}; {phase:2} in {indication:2}.</p>",
            "fi": "<p>{code} – {inn} (anti-CLEVER-1): {phase:1}, {indication:1}; {phase:2}, {indication:2}.</p>",
        },
    },
    {
        "name": "Frostane®",
        "code": "KB-110",
        "inn": "",
        "modality": "Interferon beta-1a, intravenous",
        "mechanism": "Endothelial protection",
        "partners": "",
        "programs": [
            _program("acute respiratory distress syndrome", "akuutti hengitysvaikeusoireyhtymä", Phase.PHASE_2_3)
        ],
        "sentences": {
            "en": "<p>{name} ({code}): {phase:1} in {indication:1}.</p>",
            "fi": "<p>{name} ({code}): {phase:1}, {indication:1}.</p>",
        },
    },
]
PLATFORMS: list[dict] = []

COMPANY_ABOUTS = [
    {
        "language": "en",
        "title": "About Kide Biotherapeutics",
        "body": (
            "<p>Kide Biotherapeutics Oyj is an invented clinical-stage biotechnology company based in Espoo, Finland, "
            "shown here as the newsroom's second demo issuer. Its pipeline:</p><p>{pipeline}</p>"
        ),
    },
    {
        "language": "fi",
        "title": "Kide Biotherapeutics lyhyesti",
        "body": (
            "<p>Kide Biotherapeutics Oyj on keksitty kliinisen vaiheen bioteknologiayhtiö Espoosta, uutishuoneen "
            "toinen esimerkkiyhtiö. Sen kehitysohjelmat:</p><p>{pipeline}</p>"
        ),
    },
]

# The topic About carries its own references: it cites them as (1) and (2), and every release that uses it
# numbers them after its own.
TOPIC_ABOUTS = [
    {
        "language": "en",
        "title": "About acute myeloid leukaemia (AML)",
        "body": (
            "<p>Acute myeloid leukaemia is the most common acute leukaemia in adults (1). Fewer than one in three "
            "patients is alive five years after diagnosis (2).</p>"
        ),
        "references": [
            {"citation": "Döhner H. et al. Acute myeloid leukemia. N Engl J Med. 2015;373:1136-1152."},
            {
                "citation": "Finnish Cancer Registry. Cancer statistics.",
                "url": "https://cancerregistry.fi/statistics/",
                "accessed_label": "February 2025",
            },
        ],
    },
    {
        "language": "fi",
        "title": "Akuutti myelooinen leukemia (AML) lyhyesti",
        "body": (
            "<p>Akuutti myelooinen leukemia on aikuisten yleisin akuutti leukemia (1). Alle kolmasosa potilaista "
            "on elossa viisi vuotta diagnoosin jälkeen (2).</p>"
        ),
        "references": [
            {"citation": "Döhner H. et al. Acute myeloid leukemia. N Engl J Med. 2015;373:1136-1152."},
            {
                "citation": "Suomen Syöpärekisteri. Syöpätilastot.",
                "url": "https://cancerregistry.fi/statistics/",
                "accessed_label": "helmikuu 2025",
            },
        ],
    },
]

DISCLAIMERS = [
    {
        "company_slug": COMPANY["slug"],
        "kind": "forward_looking",
        "language": "en",
        "title": "Forward-looking statements",
        "body": (
            "<p>This announcement contains forward-looking statements, which are based on the current expectations "
            "of {company}’s management and involve risks and uncertainties. Actual results may differ materially. "
            "The risks are described in {company}’s {filing:annual_report}, published on "
            "{filing_date:annual_report} for the fiscal year {filing_year:annual_report}.</p>"
        ),
    },
    {
        "company_slug": COMPANY["slug"],
        "kind": "forward_looking",
        "language": "fi",
        "title": "Tulevaisuutta koskevat lausumat",
        "body": (
            "<p>Tämä tiedote sisältää tulevaisuutta koskevia lausumia, jotka perustuvat yhtiön {company} johdon "
            "nykyisiin odotuksiin ja sisältävät riskejä ja epävarmuustekijöitä. Toteutuvat tulokset voivat poiketa "
            "olennaisesti. Riskit on kuvattu yhtiön vuosikertomuksessa ({filing:annual_report}), joka julkaistiin "
            "{filing_date:annual_report}.</p>"
        ),
    },
    {
        "company_slug": COMPANY["slug"],
        "kind": "inside_information",
        "language": "fi",
        "title": "Sisäpiiritieto",
        "body": mar_legend_html("fi"),
    },
]

RELEASE_BODY = (
    "<p>announces positive topline results from its Phase 2a trial of kidelimab (KB-201) in relapsed or refractory "
    "acute myeloid leukaemia<sup>1</sup>. The trial met its primary endpoint: 11 of 24 patients (46%) responded, "
    "against 15% expected with standard salvage therapy.</p>"
    "<p>“These results are what we hoped for: kidelimab reprograms the macrophages that shield leukaemic cells,” "
    "says Aino Virtanen, Chief Executive Officer of Kide Biotherapeutics. “We expect to start a randomised Phase 2b "
    "trial in the first half of 2026.”</p>"
)
RELEASE_BODY_FI = (
    "<p>julkistaa kidelimabin (KB-201) vaiheen 2a tutkimuksen positiiviset päätulokset uusiutuneessa tai "
    "hoitoon reagoimattomassa akuutissa myelooisessa leukemiassa<sup>1</sup>. Tutkimus saavutti ensisijaisen "
    f"päätetapahtumansa: 11 potilasta 24:stä (46{NB}%) vastasi hoitoon, kun tavanomaisella hoidolla "
    f"odotettu osuus on 15{NB}%.</p>"
    "<p>”Tulokset ovat juuri sitä, mitä toivoimme: kidelimabi ohjelmoi uudelleen makrofagit, jotka suojaavat "
    "leukemiasoluja”, sanoo Kide Biotherapeuticsin toimitusjohtaja Aino Virtanen. ”Odotamme aloittavamme "
    "satunnaistetun vaiheen 2b tutkimuksen vuoden 2026 ensimmäisellä puoliskolla.”</p>"
)

MOMENT = dt.datetime(2025, 3, 3, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Helsinki"))

RELEASE = {
    "language": "en",
    "slug": "kide-biotherapeutics-kidelimab-phase-2a-topline-results",
    "headline": "Kide Biotherapeutics reports positive topline results from the Phase 2a trial of kidelimab in AML",
    "subheadline": "",
    "place": "",
    "category": "inside_information",
    "label": "inside_information",
    "publication_at": MOMENT,
    "body": RELEASE_BODY,
}
RELEASE_FI = {
    "language": "fi",
    "slug": "kide-biotherapeutics-kidelimab-vaihe-2a-paatulokset",
    "headline": "Kide Biotherapeutics raportoi kidelimabin vaiheen 2a tutkimuksen positiiviset päätulokset AML:ssä",
    "subheadline": "",
    "place": "",
    "category": "inside_information",
    "label": "inside_information",
    "publication_at": MOMENT,
    "body": RELEASE_BODY_FI,
}

RELEASE_TOPICS = ["About acute myeloid leukaemia (AML)"]
RELEASE_TOPICS_FI = ["Akuutti myelooinen leukemia (AML) lyhyesti"]
RELEASE_DISCLAIMERS = ["Forward-looking statements"]
RELEASE_DISCLAIMERS_FI = ["Tulevaisuutta koskevat lausumat"]
RELEASE_CONTACTS = ["Aino Virtanen (demo)", "Revontuli Corporate Finance Oy (demo)"]

REFERENCES = [
    {
        "citation": "Kide Biotherapeutics. KIDE-AML-201 trial, topline analysis, data cut-off 14 February 2025.",
        "url": "",
        "accessed_on": None,
        "accessed_label": "",
    }
]
