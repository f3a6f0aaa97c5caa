"""OSE Immunotherapeutics, 1er juillet 2024: the French version of the reference release.

Written the way OSE's French communications team writes its releases ("OSE Immunotherapeutics
annonce …", "À propos d’OSE Immunotherapeutics", "Déclarations prospectives"), with French
typography: a non-breaking space before « : ; % » and inside « guillemets », a space as thousands
separator ("26 482"). The renderer writes the French dateline ("Nantes, le 1er juillet 2024 – 7h30
CEST –") and the security identifiers in front of the body, as in English.

The article's title and the bibliographic references stay in English, as French releases quote
them. Pipeline sentences use {name}, {code}, {inn}, {phase:N} and {sponsor:N} where the value reads
the same in French (phases are translated by the interface); indications are written in French in
the sentence, since a program's indication is stored once, in English.
"""

import datetime as dt
import zoneinfo

from . import ose

NB = "\u00a0"  # non-breaking space: before : ; % ! ? », after «, between thousands

# French pipeline sentences, by the asset's code (or name for platforms without a code).
SENTENCES = {
    "OSE2101": (
        f"<p>{{name}} (immunothérapie activant les lymphocytes T spécifiques des tumeurs, prête à l’emploi, à base "
        f"de néo-épitopes){NB}: ce vaccin thérapeutique contre le cancer est le produit le plus avancé de la "
        f"Société{NB}; résultats positifs de l’essai de {{phase:1}} (Atalante 1) chez des patients atteints d’un "
        "cancer du poumon non à petites cellules en résistance secondaire après échec d’un traitement par "
        "inhibiteur de point de contrôle immunitaire. D’autres essais de {phase:2} de {name} en association, "
        "promus par des groupes d’oncologie clinique, sont en cours dans les tumeurs solides.</p>"
    ),
    "OSE-279": (
        f"<p>{{code}} (anti-PD1){NB}: premiers résultats positifs de l’essai de {{phase:1}} en cours dans les "
        "tumeurs solides.</p>"
    ),
    "OSE-127": (
        f"<p>{{code}} - {{inn}} (anticorps monoclonal humanisé antagoniste du récepteur de l’IL-7){NB}; essai de "
        f"{{phase:1}} en cours dans la rectocolite hémorragique (promoteur {{sponsor:1}}){NB}; recherche "
        "{phase:2} en cours dans la leucémie ({sponsor:2}).</p>"
    ),
    "FR-104": (
        f"<p>{{name}} (anticorps monoclonal anti-CD28){NB}: développé en partenariat avec Veloxis "
        f"Pharmaceuticals, Inc. dans la transplantation{NB}; essai de {{phase:1}} en cours dans la "
        f"transplantation rénale (promoteur CHU de Nantes){NB}; essai de {{phase:2}} réussi aux États-Unis "
        "(promoteur {sponsor:2}).</p>"
    ),
    "BI 765063": (
        "<p>Anticorps monoclonal anti-SIRPα développé en partenariat avec Boehringer Ingelheim dans les tumeurs "
        f"solides avancées et les maladies cardio-rénales et métaboliques (CRM){NB}; résultats positifs de "
        f"l’escalade de dose de {{phase:1}} en monothérapie et en association{NB}; essai de {{phase:2}} dans les "
        "maladies CRM dont le lancement est prévu fin 2024.</p>"
    ),
    "ABBV-230": (
        "<p>{code} (anticorps monoclonal agoniste de ChemR23) développé en partenariat avec AbbVie dans "
        "l’inflammation chronique.</p>"
    ),
    "Pro-resolutive mAb platform": (
        "<p>Plateforme d’anticorps monoclonaux pro-résolutifs, visant à cibler et à favoriser la résolution de "
        "l’inflammation et à optimiser le potentiel thérapeutique du ciblage des neutrophiles et des macrophages "
        f"en I&amp;I. ABBV-230 (licencié à AbbVie) est le premier candidat issu de la plateforme{NB}; d’autres "
        "programmes de découverte sont en cours sur de nouveaux RCPG pro-résolutifs.</p>"
    ),
    "Myeloid Checkpoint platform": (
        "<p>Plateforme Myeloid Checkpoint, visant à optimiser le potentiel thérapeutique des cellules myéloïdes "
        "en IO en ciblant des récepteurs immunorégulateurs exprimés par les macrophages et les cellules "
        "dendritiques. BI 765063 et BI 770371 (licenciés à Boehringer Ingelheim) sont les candidats les plus "
        "avancés issus de la plateforme. D’autres programmes de découverte sont en cours, avec notamment des "
        "résultats précliniques positifs obtenus en monothérapie avec de nouveaux anticorps anti-CLEC-1.</p>"
    ),
    "BiCKI®": (
        "<p>Plateforme {name}, plateforme de protéines de fusion bifonctionnelles construite autour d’un "
        "composant clé anti-PD1 associé à une nouvelle cible d’immunothérapie, afin d’accroître l’efficacité "
        f"antitumorale par «{NB}cis-potentialisation{NB}» des lymphocytes T spécifiques des tumeurs. Un premier "
        "programme a été acquis par Boehringer Ingelheim.</p>"
    ),
    "mRNA Therapeutic platform": (
        "<p>Plateforme ARNm thérapeutique, qui permet d’administrer localement, au site de l’inflammation, des "
        "immunothérapies innovantes codées par l’ARN afin de contrôler et/ou de supprimer localement les "
        "réponses immunitaires et l’inflammation.</p>"
    ),
}

COMPANY_ABOUT = {
    "language": "fr",
    "title": "À propos d’OSE Immunotherapeutics",
    "body": (
        "<p>OSE Immunotherapeutics est une société de biotechnologie qui développe des actifs first-in-class en "
        "immuno-oncologie (IO) et en immuno-inflammation (I&amp;I).</p>"
        f"<p>Le portefeuille clinique first-in-class de la Société, actuellement bien équilibré, comprend{NB}:</p>"
        "<p>{pipeline}</p>"
        "<p>OSE Immunotherapeutics entend créer une valeur significative supplémentaire à partir de ses trois "
        "plateformes propriétaires de découverte de médicaments, au cœur de son ambition de développer la "
        f"prochaine génération d’immunothérapies first-in-class{NB}:</p>"
        "<p>{platforms}</p>"
        "<p>Plus d’informations sur les actifs d’OSE Immunotherapeutics sont disponibles sur le site Internet de "
        f'la Société{NB}: <a href="https://www.ose-immuno.com">www.ose-immuno.com</a></p>'
        '<p>Cliquez et suivez-nous sur <a href="https://twitter.com/OSEImmuno">Twitter</a> et '
        '<a href="https://www.linkedin.com/company/ose-immunotherapeutics/">LinkedIn</a></p>'
    ),
}

TOPIC_ABOUTS = [
    {
        "language": "fr",
        "title": "À propos de la leucémie aiguë lymphoblastique (LAL)",
        "body": (
            "<p>La leucémie aiguë lymphoblastique (LAL) est un groupe hétérogène d’hémopathies lymphoïdes "
            "résultant de la prolifération clonale de lymphocytes immatures de lignée B (85{NB}%) ou T "
            "(15{NB}%) (3) dans le sang, la moelle osseuse et d’autres organes lymphoïdes.</p>"
            "<p>Bien qu’il s’agisse de l’un des cancers les plus fréquents chez l’enfant, puisqu’elle représente "
            "environ 25{NB}% des diagnostics de cancer chez les enfants de moins de 15{NB}ans (4), la LAL peut "
            "également toucher l’adulte. Environ 40{NB}% des cas de LAL diagnostiqués concernent des adultes, "
            "dont environ 50{NB}% présentent une maladie réfractaire ou rechutent sous les traitements "
            "conventionnels actuels (4).</p>"
            "<p>Selon les estimations de l’American Cancer Society, près de 6{NB}660 nouveaux cas de LAL devaient "
            "être diagnostiqués aux États-Unis en 2022 (5). En Europe, 7{NB}000 cas de LAL sont diagnostiqués "
            "chaque année (6). Au Japon, le nombre de patients s’élevait à environ 5{NB}000 selon une enquête du "
            "ministère japonais de la Santé, du Travail et des Affaires sociales (MHLW) menée en 2017. Le nombre "
            "de cas incidents diagnostiqués de leucémie aiguë lymphoblastique (LAL) en Europe, aux États-Unis, au "
            "Japon et en Chine devrait atteindre 26{NB}482 cas en 2029 (7).</p>"
        ).replace("{NB}", NB),
    },
]

DISCLAIMERS = [
    {
        "company_slug": ose.COMPANY["slug"],
        "kind": "forward_looking",
        "language": "fr",
        "title": "Déclarations prospectives",
        "body": (
            "<p>Ce communiqué contient de manière implicite ou expresse des informations et déclarations pouvant "
            "être considérées comme prospectives concernant {company}. Elles ne constituent pas des faits "
            "historiques. Ces informations et déclarations comprennent des projections financières reposant sur "
            "des hypothèses ou suppositions formulées par les dirigeants d’{company} à la lumière de leur "
            "expérience et de leur perception des tendances historiques, de la situation économique et sectorielle "
            "actuelle, des développements futurs et d’autres facteurs qu’ils jugent opportuns.</p>"
            "<p>Ces déclarations prospectives peuvent souvent être identifiées par l’usage du conditionnel et par "
            f"les verbes «{NB}s’attendre à{NB}», «{NB}anticiper{NB}», «{NB}croire{NB}», «{NB}planifier{NB}» ou "
            f"«{NB}estimer{NB}», leurs déclinaisons et conjugaisons et par d’autres termes similaires. Bien que la "
            "direction d’{company} estime que ces déclarations prospectives sont raisonnables, les actionnaires "
            "de {company} et les autres investisseurs sont alertés sur le fait que leur réalisation est par nature "
            "soumise à un certain nombre de risques, connus ou inconnus, et d’incertitudes difficilement "
            "prévisibles et en dehors du contrôle d’{company}. Ces risques peuvent impliquer que les résultats "
            "réels et les développements effectivement réalisés diffèrent significativement de ceux indiqués ou "
            "induits dans ces déclarations prospectives. Ces risques comprennent notamment ceux développés ou "
            "identifiés dans les documents publics déposés par {company} auprès de l’{regulator}. De telles "
            "déclarations prospectives ne constituent en rien la garantie de performances futures. Ce communiqué "
            "n’inclut que des éléments résumés et doit être lu avec le Document d’Enregistrement Universel de "
            "{company}, déposé auprès de l’{regulator} le {registration_document_date}, incluant le rapport "
            "financier annuel de l’exercice {fiscal_year}, disponible sur le site Internet d’{company}. Sauf "
            "obligation légale applicable, {company} publie ce communiqué à sa date et ne prend aucun engagement "
            "de mettre à jour ou de réviser les informations ou déclarations prospectives qu’il contient.</p>"
        ),
    },
]

# The body opens on the verb: the renderer writes the dateline, the legal name and the identifiers
# in front of it ("Nantes, le 1er juillet 2024 – 7h30 CEST – OSE Immunotherapeutics SA (ISIN …) annonce …").
RELEASE_BODY = (
    "<p>annonce aujourd’hui la publication d’un article présentant les dernières données d’efficacité "
    "précliniques de son antagoniste du récepteur de l’IL-7 (IL-7R), Lusvertikimab (OSE-127), dans le traitement "
    f"de la leucémie aiguë lymphoblastique à cellules B et T (LAL-B et LAL-T), dans «{NB}"
    f'<a href="{ose.BLOOD_URL}">Blood</a>{NB}», revue médicale à comité de lecture publiée par l’American Society '
    "of Hematology.</p>"
    f"<p>Les données précliniques sur Lusvertikimab publiées dans «{NB}Blood{NB}» sont issues d’un programme de "
    "recherche collaboratif entre OSE Immunotherapeutics et le Centre médical universitaire du Schleswig-Holstein "
    "à Kiel (Allemagne). Cette collaboration s’appuie sur des échantillons de patients et des modèles de "
    "xénogreffe in vivo pour évaluer le potentiel thérapeutique de l’antagoniste anti-IL-7R Lusvertikimab à "
    f"cibler et à bloquer l’expression élevée et dérégulée de l’IL-7R observée chez près de 85{NB}% des patients "
    "atteints de leucémie aiguë lymphoblastique (LAL) B ou T.</p>"
    "<p>Le Pr Denis Schewe (récemment nommé chef du service d’hématologie et d’oncologie pédiatriques de "
    "l’hôpital universitaire de Dresde et du National Center for Tumor Diseases, site partenaire de Dresde, "
    "précédemment au Centre médical universitaire du Schleswig-Holstein à Kiel) et le Dr Lennart Lenk "
    "(département de pédiatrie I, Université Christian-Albrechts de Kiel et Centre médical universitaire du "
    "Schleswig-Holstein, Kiel), qui dirigent le programme de recherche en collaboration avec OSE "
    f"Immunotherapeutics, déclarent{NB}:</p>"
    f"<blockquote><p>«{NB}Les options thérapeutiques restent très limitées dans la LAL-T et il existe un besoin "
    "urgent de nouvelles approches d’immunothérapie permettant de réduire la toxicité et de cibler les formes "
    "récidivantes ou réfractaires de la maladie chez les patients atteints de LAL. Grâce à son double mode "
    "d’action, qui associe le blocage de la signalisation de l’IL-7R et l’induction de la phagocytose cellulaire "
    "dépendante des anticorps, Lusvertikimab pourrait constituer une nouvelle option d’immunothérapie "
    "prometteuse pour les patients atteints de LAL CD127 positive, en particulier en association avec la "
    "polychimiothérapie standard. Une fois transposé en clinique, Lusvertikimab pourrait améliorer "
    "significativement le traitement de la LAL et le pronostic des formes récidivantes ou réfractaires de la "
    f"maladie.{NB}»</p></blockquote>"
    f"<p>Nicolas Poirier, Directeur Général d’OSE Immunotherapeutics, conclut{NB}:</p>"
    f"<blockquote><p>«{NB}Nous sommes très heureux de cette publication sur Lusvertikimab dans “Blood”, une "
    "revue de référence en hématologie dont les manuscrits sont évalués par d’éminents spécialistes. Les "
    "patients atteints de LAL-B et de LAL-T ont un besoin urgent de nouvelles options d’immunothérapie ciblée, "
    "et nous sommes heureux de collaborer avec les leaders de la recherche en hématologie de l’Université de Kiel "
    f"pour relever ce défi clinique.{NB}»</p></blockquote>"
    f'<p>Le résumé de l’article, intitulé «{NB}<a href="{ose.ARTICLE_URL}">The IL-7R antagonist Lusvertikimab '
    "reduces leukemic burden in xenograft-ALL via antibody-dependent cellular phagocytosis</a>" + NB + "», "
    "montre que l’immunothérapie anti-IL-7R par Lusvertikimab présente une efficacité in vivo significative "
    "dans des modèles précliniques établis à partir d’échantillons de LAL-B et de LAL-T.</p>"
    f"<p>Sur le plan mécanistique, Lusvertikimab cible les cellules de LAL selon un double mode d’action{NB}:</p>"
    "<ul>"
    "<li><p>d’une part, il bloque la signalisation du récepteur de l’IL-7 et donc les signaux de prolifération "
    f"et de survie induits par l’interleukine-7{NB};</p></li>"
    "<li><p>d’autre part, il induit l’élimination des cellules leucémiques par les macrophages (phagocytose "
    "dépendante des anticorps), en forte corrélation avec le niveau d’expression de l’IL-7R à la surface des "
    "cellules leucémiques.</p></li>"
    "</ul>"
)

RELEASE = {
    "language": "fr",
    "slug": "ose-immunotherapeutics-publication-lusvertikimab-blood",
    "headline": (
        f"OSE Immunotherapeutics annonce la publication dans la revue «{NB}Blood{NB}» de résultats d’efficacité "
        "précliniques de Lusvertikimab dans la leucémie aiguë lymphoblastique"
    ),
    "subheadline": "",
    "place": "",
    "category": "non_regulated",
    # The same moment as the English version: 7h30 à Paris, en CEST.
    "publication_at": dt.datetime(2024, 7, 1, 7, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
    "body": RELEASE_BODY,
}

RELEASE_TOPICS = ["À propos de la leucémie aiguë lymphoblastique (LAL)"]
RELEASE_DISCLAIMERS = ["Déclarations prospectives"]
RELEASE_CONTACTS = ose.RELEASE_CONTACTS

# The references as French releases cite them: the works keep their titles, "consulté en octobre 2022".
REFERENCES = [
    {**ref, "accessed_label": "octobre 2022" if ref["accessed_label"] == "October 2022" else ref["accessed_label"]}
    for ref in ose.REFERENCES
]
