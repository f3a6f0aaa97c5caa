"""OSE Immunotherapeutics, 1 July 2024: the reference release rebuilt from structured parts.

Source: /work/shared/reference/ose-lusvertikimab-2024-07-01.txt (the text of the published PDF).
Every sentence of that file is found here, word for word, except what the renderer generates:
the dateline ("Nantes, France – July 1st, 2024 – 7:30 am CET – "), the security identifiers
("(ISIN: FR0012127173; Mnemo: OSE)") and the pipeline and platform lists of the company About,
which are generated from `CANDIDATES` and `PLATFORMS`.

Typographic quotes (‘ ’ “ ”) and apostrophes (’) are the release's own and are kept.
"""

import datetime as dt
import zoneinfo

from releases.models import Contact, Phase

OSE = "OSE Immunotherapeutics"

COMPANY = {
    "slug": "ose-immunotherapeutics",
    "short_name": OSE,
    "legal_name": "OSE Immunotherapeutics SA",
    "website": "https://www.ose-immuno.com",
    "city": "Nantes",
    "country": "France",
    "translations": {"fr": {"city": "Nantes", "country": "France"}},
    "time_zone": "Europe/Paris",
    "twitter_url": "https://twitter.com/OSEImmuno",
    "linkedin_url": "https://www.linkedin.com/company/ose-immunotherapeutics/",
    "regulator": "AMF",
    "registration_document_filed_on": dt.date(2024, 4, 30),
    "registration_document_fiscal_year": 2023,
}

LOGO_NAME = "logos/ose-immunotherapeutics.png"

LISTINGS = [
    {"exchange": "Euronext Paris", "ticker": "OSE", "ticker_label": "Mnemo", "isin": "FR0012127173", "position": 0},
]

# The reference has no contact block; these are demo cards, recognisable as such.
CONTACTS = [
    {
        "kind": Contact.Kind.MEDIA,
        "name": "Media relations (demo)",
        "role": "Media relations",
        "translations": {"fr": {"role": "Relations presse"}},
        "organisation": "Demo Communications Agency",
        "email": "media.demo@ose-immuno.com",
        "phone": "+33 1 00 00 00 01",
        "private_notes": "Demo contact created by manage.py load_demo.",
    },
    {
        "kind": Contact.Kind.INVESTORS,
        "name": "Investor relations (demo)",
        "role": "Investor relations",
        "translations": {"fr": {"role": "Relations investisseurs"}},
        "organisation": OSE,
        "email": "investors.demo@ose-immuno.com",
        "phone": "+33 1 00 00 00 02",
        "private_notes": "Demo contact created by manage.py load_demo.",
    },
]


def _program(indication: str, phase: Phase, sponsor: str, status_note: str = "") -> dict:
    return {"indication": indication, "phase": phase, "sponsor": sponsor, "status_note": status_note}


# Drug candidates, in the order of the About section. Sentences are per language; {phase:N},
# {indication:N} and {sponsor:N} read the asset's N-th program, so a phase change shows in the
# next release's About without anyone editing a text.
CANDIDATES = [
    {
        "name": "Tedopi®",
        "code": "OSE2101",
        "inn": "",
        "modality": "Cancer vaccine (off-the-shelf, neoepitope-based)",
        "mechanism": "Immunotherapy activating tumor specific T-cells",
        "partners": "",
        "programs": [
            _program(
                "Non-Small Cell Lung Cancer",
                Phase.PHASE_3,
                OSE,
                "Positive results (Atalante 1), secondary resistance after checkpoint inhibitor failure",
            ),
            _program("solid tumors", Phase.PHASE_2, "clinical oncology groups", "Ongoing, in combination"),
        ],
        "sentences": {
            "en": (
                "<p>{name} (immunotherapy activating tumor specific T-cells, off-the-shelf, neoepitope-based): "
                "this cancer vaccine is the Company’s most advanced product; positive results from the {phase:1} "
                "trial (Atalante 1) in {indication:1} patients in secondary resistance after checkpoint inhibitor "
                "failure. Other {phase:2} trials, sponsored by {sponsor:2}, of {name} in combination are ongoing "
                "in {indication:2}.</p>"
            ),
        },
    },
    {
        "name": "OSE-279",
        "code": "OSE-279",
        "inn": "",
        "modality": "Monoclonal antibody",
        "mechanism": "Anti-PD1",
        "partners": "",
        "programs": [_program("solid tumors", Phase.PHASE_1_2, OSE, "Ongoing; first positive results")],
        "sentences": {
            "en": "<p>{code} (anti-PD1): first positive results in the ongoing {phase:1} in {indication:1}.</p>",
        },
    },
    {
        "name": "Lusvertikimab",
        "code": "OSE-127",
        "inn": "lusvertikimab",
        "modality": "Humanized monoclonal antibody",
        "mechanism": "Antagonist of IL-7 receptor (IL-7R)",
        "partners": "",
        "programs": [
            _program("Ulcerative Colitis", Phase.PHASE_2, OSE, "Ongoing"),
            _program("Acute Lymphoblastic Leukemia (B- and T-ALL)", Phase.PRECLINICAL, OSE, "Ongoing research"),
        ],
        "sentences": {
            "en": (
                "<p>{code} - {inn} (humanized monoclonal antibody antagonist of IL-7 receptor); ongoing {phase:1} "
                "in {indication:1} (sponsor {sponsor:1}); ongoing {phase:2} research in leukemia ({sponsor:2}).</p>"
            ),
        },
    },
    {
        "name": "FR-104/VEL-101",
        "code": "FR-104",
        "inn": "",
        "modality": "Monoclonal antibody",
        "mechanism": "Anti-CD28",
        # The partner's legal name is "Veloxis Pharmaceuticals, Inc."; the field is comma-separated.
        "partners": "Veloxis Pharmaceuticals",
        "programs": [
            _program("renal transplant", Phase.PHASE_1_2, "Nantes University Hospital", "Ongoing"),
            _program("transplantation (US trial)", Phase.PHASE_1, "Veloxis Pharmaceuticals, Inc.", "Successful"),
        ],
        "sentences": {
            "en": (
                "<p>{name} (anti-CD28 monoclonal antibody): developed in partnership with Veloxis Pharmaceuticals, "
                "Inc. in transplantation; ongoing {phase:1} in {indication:1} (sponsor {sponsor:1}); successful "
                "{phase:2} in the US (sponsor {sponsor:2}).</p>"
            ),
        },
    },
    {
        "name": "Anti-SIRPα",
        "code": "BI 765063",
        "inn": "",
        "modality": "Monoclonal antibody",
        "mechanism": "Anti-SIRPα",
        "partners": "Boehringer Ingelheim",
        "programs": [
            _program(
                "advanced solid tumors",
                Phase.PHASE_1,
                "Boehringer Ingelheim",
                "Positive dose escalation results in monotherapy and in combination",
            ),
            _program(
                "cardiovascular-renal-metabolic diseases (CRM)",
                Phase.PHASE_2,
                "Boehringer Ingelheim",
                "Planned to be initiated end of 2024",
            ),
        ],
        "sentences": {
            "en": (
                "<p>{name} monoclonal antibody developed in partnership with Boehringer Ingelheim in {indication:1} "
                "and {indication:2}; positive {phase:1} dose escalation results in monotherapy and in combination; "
                "{phase:2} in CRM diseases planned to be initiated end of 2024.</p>"
            ),
        },
    },
    {
        "name": "ABBV-230",
        "code": "ABBV-230",
        "inn": "",
        "modality": "Monoclonal antibody (mAb)",
        "mechanism": "ChemR23 agonist",
        "partners": "AbbVie",
        # The reference gives no phase for ABBV-230; Phase 1 (sponsored by AbbVie) is an assumption.
        "programs": [_program("chronic inflammation", Phase.PHASE_1, "AbbVie", "Licensed to AbbVie")],
        "sentences": {
            "en": "<p>{code} (ChemR23 agonist mAb) developed in partnership with AbbVie in {indication:1}.</p>",
        },
    },
]

PLATFORMS = [
    {
        "name": "Pro-resolutive mAb platform",
        "code": "",
        "inn": "",
        "modality": "Monoclonal antibodies",
        "mechanism": "Inflammation resolution: targeting Neutrophils and Macrophages (pro-resolutive GPCRs)",
        "partners": "AbbVie",
        "programs": [_program("I&I (new pro-resolutive GPCRs)", Phase.PRECLINICAL, OSE, "Discovery programs ongoing")],
        "sentences": {
            "en": (
                "<p>{name} focused on targeting and advancing inflammation resolution and optimizing the "
                "therapeutic potential of targeting Neutrophils and Macrophages in I&amp;I. ABBV-230 (licensed to "
                "AbbVie) is the first candidate generated by the platform, additional discovery programs ongoing on "
                "new pro-resolutive GPCRs.</p>"
            ),
        },
    },
    {
        "name": "Myeloid Checkpoint platform",
        "code": "",
        "inn": "",
        "modality": "Monoclonal antibodies",
        "mechanism": "Immune regulatory receptors expressed by Macrophages and Dendritic cells",
        "partners": "Boehringer Ingelheim",
        "programs": [
            _program("IO (new anti-CLEC-1 mAbs)", Phase.PRECLINICAL, OSE, "Positive preclinical results in monotherapy")
        ],
        "sentences": {
            "en": (
                "<p>{name} focused on optimizing the therapeutic potential of myeloid cells in IO by targeting "
                "immune regulatory receptors expressed by Macrophages and Dendritic cells. BI 765063 and BI 770371 "
                "(licensed to Boehringer Ingelheim) are the most advanced candidates generated by the platform. "
                "Ongoing additional discovery programs, in particular with positive {phase:1} results obtained in "
                "monotherapy with new anti-CLEC-1 mAbs.</p>"
            ),
        },
    },
    {
        "name": "BiCKI®",
        "code": "",
        "inn": "",
        "modality": "Bifunctional fusion proteins",
        "mechanism": "Anti-PD1 backbone combined with a new immunotherapy target (cis-potentiation)",
        "partners": "Boehringer Ingelheim",
        "programs": [_program("IO", Phase.PRECLINICAL, OSE, "A first program acquired by Boehringer Ingelheim")],
        "sentences": {
            "en": (
                "<p>{name} Platform is a bifunctional fusion protein platform built on the key backbone component "
                "of anti-PD1 combined with a new immunotherapy target to increase anti-tumor efficacy by "
                "“cis-potentiating” tumor-specific T cells. A first program has been acquired by Boehringer "
                "Ingelheim.</p>"
            ),
        },
    },
    {
        "name": "mRNA Therapeutic platform",
        "code": "",
        "inn": "",
        "modality": "mRNA-encoded immunotherapies",
        "mechanism": "Local delivery into the inflammatory site",
        "partners": "",
        "programs": [_program("inflammation", Phase.PRECLINICAL, OSE, "Discovery")],
        "sentences": {
            "en": (
                "<p>{name} allows local delivery into the inflammatory site of innovative immunotherapies encoded "
                "by RNA to locally controls and/or suppress immune responses and inflammation.</p>"
            ),
        },
    },
]

# The company About: the {pipeline} and {platforms} paragraphs become the lists generated from
# the assets' sentences when a release is rendered.
COMPANY_ABOUT = {
    "language": "en",
    "title": "About OSE Immunotherapeutics",
    "body": (
        "<p>OSE Immunotherapeutics is a biotech company dedicated to developing first-in-class assets in "
        "immuno-oncology (IO) and immuno-inflammation (I&amp;I).</p>"
        "<p>The Company’s current well-balanced first-in-class clinical pipeline includes:</p>"
        "<p>{pipeline}</p>"
        "<p>OSE Immunotherapeutics expects to generate further significant value from its three proprietary drug "
        "discovery platforms, which are central to its ambitious goal to deliver next-generation first-in-class "
        "immunotherapies:</p>"
        "<p>{platforms}</p>"
        "<p>Additional information about OSE Immunotherapeutics assets is available on the Company’s website: "
        '<a href="https://www.ose-immuno.com">www.ose-immuno.com</a></p>'
        '<p>Click and follow us on <a href="https://twitter.com/OSEImmuno">Twitter</a> and '
        '<a href="https://www.linkedin.com/company/ose-immunotherapeutics/">LinkedIn</a></p>'
    ),
}

TOPIC_ABOUTS = [
    {
        "language": "en",
        "title": "About Acute Lymphoblastic Leukemia (ALL)",
        "body": (
            "<p>Acute lymphoblastic leukemia (ALL) is a heterogeneous group of lymphoid disorders resulting from "
            "clonal proliferation of immature lymphocytes of B-cell (85%) or T-cell (15%) lineages (3) in the blood, "
            "bone marrow, and other lymphoid organs.</p>"
            "<p>Although it is one of the most common cancers in children, accounting for approximately 25% of all "
            "childhood cancer diagnoses among children under 15 years of age (4), adults can also develop ALL. "
            "About 40% cases of ALL diagnosed are in adults and among them about 50% present refractory disease or "
            "undergo relapse under current conventional therapies (4).</p>"
            "<p>The American Cancer Society estimates that almost 6,660 new cases of ALL will be diagnosed in the "
            "United States in 2022(5). In Europe, 7,000 cases of ALL are diagnosed each year (6). The number of "
            "patients in Japan was reported to be about 5,000 in a survey by the Japanese MHLW in 2017. The number "
            "of diagnosed incident cases of acute lymphocytic leukemia (ALL) in Europe, US, Japan and China is "
            "estimated to achieve 26,482 cases in 2029(7).</p>"
        ),
    },
]

# Disclaimers: `company_slug` None makes a text every company may use.
DISCLAIMERS = [
    {
        "company_slug": COMPANY["slug"],
        "kind": "forward_looking",
        "language": "en",
        "title": "Forward-looking statements",
        "body": (
            "<p>This press release contains express or implied information and statements that might be deemed "
            "forward-looking information and statements in respect of {company}. They do not constitute "
            "historical facts. These information and statements include financial projections that are based upon "
            "certain assumptions and assessments made by {company}’ management in light of its experience and its "
            "perception of historical trends, current economic and industry conditions, expected future "
            "developments and other factors they believe to be appropriate.</p>"
            "<p>These forward-looking statements include statements typically using conditional and containing "
            "verbs such as “expect”, “anticipate”, “believe”, “target”, “plan”, or “estimate”, their declensions "
            "and conjugations and words of similar import. Although the {company} management believes that the "
            "forward-looking statements and information are reasonable, the {company}’ shareholders and other "
            "investors are cautioned that the completion of such expectations is by nature subject to various "
            "risks, known or not, and uncertainties which are difficult to predict and generally beyond the control "
            "of {company}. These risks could cause actual results and developments to differ materially from those "
            "expressed in or implied or projected by the forward-looking statements. These risks include those "
            "discussed or identified in the public filings made by {company} with the {regulator}. Such "
            "forward-looking statements are not guarantees of future performance. This press release includes only "
            "summary information and should be read with the {company} Universal Registration Document filed with "
            "the {regulator} on {registration_document_date}, including the annual financial report for the fiscal "
            "year {fiscal_year}, available on the {company}’ website. Other than as required by applicable law, "
            "{company} issues this press release at the date hereof and does not undertake any obligation to "
            "update or revise the forward-looking information or statements.</p>"
        ),
    },
    {
        "company_slug": None,
        "kind": "inside_information",
        "language": "en",
        "title": "Inside information",
        "body": (
            "<p>This press release contains inside information within the meaning of Article 7(1) of Regulation "
            "(EU) No 596/2014 (Market Abuse Regulation).</p>"
        ),
    },
]

BLOOD_URL = "https://www.sciencedirect.com/journal/blood"
ARTICLE_URL = (
    "https://ashpublications.org/blood/article-abstract/doi/10.1182/blood.2023021088/515436/"
    "The-IL-7R-antagonist-Lusvertikimab-reduces?redirectedFrom=fulltext"
)

# The body starts with a lower-case verb: the renderer puts the dateline, the company's legal
# name and its security identifiers in front of it (see load_demo's docstring).
RELEASE_BODY = (
    "<p>today announced the publication of an article on latest preclinical efficacy data on the use of its "
    "anti-IL-7 receptor (IL-7R) antagonist Lusvertikimab (OSE-127) for the treatment of B- and T-Cell Acute "
    f'Lymphoblastic Leukemia (B- and T-ALL) in ‘<a href="{BLOOD_URL}">Blood</a>’, a peer-reviewed medical '
    "journal published by the American Society of Hematology.</p>"
    "<p>The preclinical data on Lusvertikimab published in ‘Blood’ was generated from a collaborative research "
    "program between OSE Immunotherapeutics and the University Medical Center Schleswig-Holstein in Kiel "
    "(Germany). This collaboration is using patient-derived samples and in-vivo xenograft models to evaluate the "
    "therapeutic potential of anti-IL-7R antagonist Lusvertikimab in targeting and blocking the high and "
    "dysregulated IL-7R-expression observed in nearly 85% of B- or T-Acute Lymphoblastic Leukemia (ALL) "
    "patients.</p>"
    "<p>Pr. Denis Schewe (newly appointed Head of Pediatric Hematology/Oncology, University Hospital Dresden and "
    "National Center for Tumor Diseases, Partner Site Dresden, and formerly from the University Medical Center "
    "Schleswig-Holstein of Kiel) and Dr. Lennart Lenk (Department of Pediatrics I, Christian-Albrechts University "
    "Kiel and University Medical Center Schleswig-Holstein, Kiel), leading the research program in collaboration "
    "with OSE Immunotherapeutics, comment:</p>"
    "<blockquote><p>“Treatment options for T-ALL remain very limited and there is an urgent need for novel "
    "immunotherapy approaches to reduce toxicity and to target relapsed or refractory disease in ALL patients. "
    "Through its dual mode of action comprising both IL-7R signaling blockade and antibody-dependent cellular "
    "phagocytosis induction, Lusvertikimab may represent a promising novel immunotherapy option for CD127 "
    "positive ALL patients, particularly in combination with polychemotherapy standard of care. When translated "
    "into the clinic, Lusvertikimab could significantly improve ALL-therapy and the outcome of relapsed/refractory "
    "disease.”</p></blockquote>"
    "<p>Nicolas Poirier, Chief Executive Officer of OSE Immunotherapeutics, concludes:</p>"
    "<blockquote><p>“We are very pleased with this publication on Lusvertikimab in ‘Blood’, a high-level journal "
    "within the field of hematology whose manuscripts are reviewed by prominent specialists. Novel targeted "
    "immunotherapy options are urgently needed for B-ALL and T-ALL patients and we are happy to collaborate with "
    "the research leaders in hematology from the University of Kiel to face this clinical challenge.”</p>"
    "</blockquote>"
    f'<p>The abstract, titled: “<a href="{ARTICLE_URL}">The IL-7R antagonist Lusvertikimab reduces leukemic '
    "burden in xenograft-ALL via antibody-dependent cellular phagocytosis</a>” reported that IL-7R immunotherapy "
    "with Lusvertikimab shows significant in vivo efficacy in preclinical models using samples from B-ALL and "
    "T-ALL.</p>"
    "<p>Mechanistically, Lusvertikimab targeted ALL cells via a dual mode:</p>"
    "<ul>"
    "<li><p>On one hand it blocks IL-7 receptor signaling and hence block proliferative and pro-survival signals "
    "induced by Interleukin-7.</p></li>"
    "<li><p>In parallel, it induces leukemic cells elimination by macrophages (antibody-dependent phagocytosis), "
    "in particular with strong correlation with the level of IL-7R surface expression on leukemic cells.</p></li>"
    "</ul>"
)

RELEASE = {
    "language": "en",
    "slug": "ose-immunotherapeutics-lusvertikimab-blood-publication",
    "headline": (
        "OSE Immunotherapeutics Announces Publication of Preclinical Efficacy Results with Lusvertikimab in "
        "Acute Lymphoblastic Leukemia in the Journal ‘Blood’"
    ),
    "subheadline": "",
    "place": "",
    "category": "non_regulated",
    # 7:30 am in Paris, on CEST in July: 05:30 UTC.
    "publication_at": dt.datetime(2024, 7, 1, 7, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
    "body": RELEASE_BODY,
}

# The release's links, by natural key: blocks and disclaimers by title, contacts by name.
RELEASE_TOPICS = ["About Acute Lymphoblastic Leukemia (ALL)"]
RELEASE_DISCLAIMERS = ["Forward-looking statements"]
RELEASE_CONTACTS = ["Media relations (demo)", "Investor relations (demo)"]


def _reference(citation: str, url: str = "", accessed_label: str = "") -> dict:
    return {"citation": citation, "url": url, "accessed_on": None, "accessed_label": accessed_label}


# References (1) to (7), in order; the list position is the number cited as "(n)".
REFERENCES = [
    _reference(
        "ASH Publication – Blood (2022) 140 (Supplement 1): 1045 - 1047",
        url="https://doi.org/10.1182/blood-2022-162261",
    ),
    _reference(
        "Lennart Lenk, PhD, Irène Baccelli, PhD, Dorothee Winterberg, PhD, Anna Dietterle, Frédérique Corallo, MD, "
        "Julien Taurelle, Emma Narbeburu*, Anna Laqua, PhD, Beat Bornhauser, PhD, Jean-Pierre Bourquin, MD, PhD, "
        "Fotini Vogiatzi, PhD, Martin Schrappe, MD, Gunnar Cario, Monika Brüggemann, MD, Nicolas Poirier, PhD and "
        "Denis Martin Schewe, MD"
    ),
    _reference(
        "DeVita, Jr. VT, Hellman S, Rosenberg SA, eds.; Cancer: Principles and Practice of Oncology, 10th ed.; "
        "Lippincott-Raven, Philadelphia, PA; 2014."
    ),
    _reference(
        "Childhood Acute Lymphoblastic Leukemia Treatment (PDQ®)–Health Professional Version",
        accessed_label="October 2022",
    ),
    _reference(
        "American Cancer Society. Key 2022 Statistics for Acute Lymphocytic Leukemia (ALL).",
        url="https://www.cancer.org/cancer/acute-lymphocytic-leukemia/about/key-statistics.html#references",
        accessed_label="October 2022",
    ),
    _reference(
        "Gatta G, van der Zwan JM, Casali P, et al. Rare cancers are not so rare: The rare cancer burden in Europe. "
        "Eur. J. Cancer. 2011; 47: 2493-2511."
    ),
    _reference("Global Data"),
]

# Demo accounts: created only where settings.ALLOW_DEMO_USERS is true; passwords set on creation only.
USERS = [
    {"username": "writer", "password": "writer-demo-2024", "group": "Writer", "superuser": False},
    {"username": "reviewer", "password": "reviewer-demo-2024", "group": "Reviewer", "superuser": False},
    {"username": "publisher", "password": "publisher-demo-2024", "group": "Publisher", "superuser": False},
    {"username": "admin", "password": "admin-demo-2024", "group": None, "superuser": True},
]
