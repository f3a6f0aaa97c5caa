"""Factories for the release's parts. Each builds valid rows; override what a test is about."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from releases import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pass-for-tests-123")
    is_staff = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Company

    legal_name = factory.Sequence(lambda n: f"Acme Biotech {n} SA")
    short_name = factory.Sequence(lambda n: f"Acme Biotech {n}")
    slug = factory.Sequence(lambda n: f"acme-{n}")
    website = "https://www.acme-bio.example"
    city = "Lyon"
    country = "France"
    time_zone = "Europe/Paris"
    regulator = "AMF"
    registration_document_filed_on = dt.date(2024, 4, 30)
    registration_document_fiscal_year = 2023


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Listing

    company = factory.SubFactory(CompanyFactory)
    exchange = "Euronext Paris"
    ticker = "ACME"
    isin = "FR0012127173"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contact

    company = factory.SubFactory(CompanyFactory)
    kind = models.Contact.Kind.MEDIA
    name = factory.Sequence(lambda n: f"Camille Martin {n}")
    role = "Head of Communications"
    email = factory.Sequence(lambda n: f"press{n}@acme-bio.example")
    phone = "+33 1 23 45 67 89"


class PipelineAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PipelineAsset

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Asset {n}")
    code = factory.Sequence(lambda n: f"AC-{n:03d}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Program

    asset = factory.SubFactory(PipelineAssetFactory)
    indication = "Ulcerative colitis"
    phase = models.Phase.PHASE_2
    sponsor = "Acme Biotech"


class AssetSentenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AssetSentence

    asset = factory.SubFactory(PipelineAssetFactory)
    language = "en"
    text = "<p>{name}: ongoing {phase:1} in {indication:1}.</p>"


class BoilerplateBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BoilerplateBlock

    company = factory.SubFactory(CompanyFactory)
    kind = models.BoilerplateBlock.Kind.TOPIC_ABOUT
    language = "en"
    title = factory.Sequence(lambda n: f"About Topic {n}")
    body = "<p>A topic that matters to patients.</p>"


class CompanyAboutFactory(BoilerplateBlockFactory):
    kind = models.BoilerplateBlock.Kind.COMPANY_ABOUT
    title = factory.LazyAttribute(lambda b: f"About {b.company.short_name}")
    body = "<p>{company} develops medicines.</p><p>{pipeline}</p><p>{platforms}</p>"


class DisclaimerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Disclaimer

    company = None
    kind = models.Disclaimer.Kind.FORWARD_LOOKING
    language = "en"
    title = "Forward-looking statements"
    body = (
        "<p>Read the registration document of {company} filed with the {regulator} on {registration_document_date}.</p>"
    )


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Release

    company = factory.SubFactory(CompanyFactory)
    language = "en"
    headline = factory.Sequence(lambda n: f"Acme Biotech reports progress number {n}")
    slug = factory.Sequence(lambda n: f"acme-progress-{n}")
    publication_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    body = "<p>Acme Biotech today reported results.</p>"


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Reference

    release = factory.SubFactory(ReleaseFactory)
    position = factory.Sequence(lambda n: n + 1)
    citation = "Doe J. et al. A study. J. Example. 2024."
    url = "https://doi.org/10.1000/example"


# -- builders on top of the factories: role users, releases in a given state ------------------------------

PAST = dt.datetime(2024, 7, 1, 5, 30, tzinfo=dt.UTC)


def future(**delta) -> dt.datetime:
    return timezone.now() + dt.timedelta(**(delta or {"days": 1}))


def user_in(role: str, username: str):
    """A staff user in one of the editorial groups (Writer, Reviewer, Publisher)."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    # Permissions are cached per user object: reload to see the group's.
    return type(user).objects.get(pk=user.pk)


def published_archive(count: int, *, first_year: int, regulated_every: int):
    """An archive of one company: `count` English releases, one a month over `first_year` and the next
    (releases n and n + 2 share a year), every `regulated_every`-th regulated, and one French release."""
    company = CompanyFactory()
    for n in range(count):
        published_release(
            company=company,
            headline=f"News {n:02d}",
            slug=f"news-{n}",
            at=dt.datetime(first_year + n % 2, 1 + n % 12, 1, 8, tzinfo=dt.UTC),
            category=(
                models.Release.Category.REGULATED if n % regulated_every == 0 else models.Release.Category.NON_REGULATED
            ),
        )
    published_release(company=company, headline="Nouvelle", slug="nouvelle", language="fr")
    return company


def ready_release(writer, *, company=None, publication_at=None, body=None, fields=None, **parts):
    """A draft written by `writer` through the services, passing every blocking check.

    `company` defaults to a new one; `fields` are added to the release's; each part (`references`, `topics`,
    `disclaimers`, `contacts`, `images`) not given is a new one that passes the checks.
    """
    from releases import services

    company = company or CompanyFactory()
    parts.setdefault("references", [{"citation": "Doe J. A study. 2024.", "url": "https://doi.org/10.1000/x"}])
    if "topics" not in parts:
        parts["topics"] = [BoilerplateBlockFactory(company=company, body="<p>A disease that matters (1).</p>")]
    if "disclaimers" not in parts:
        parts["disclaimers"] = [DisclaimerFactory()]
    if "contacts" not in parts:
        parts["contacts"] = [ContactFactory(company=company)]
    return services.release_create(
        user=writer,
        fields={
            "company": company,
            "language": "en",
            "headline": "Acme Biotech reports positive Phase 2 results",
            "publication_at": publication_at or timezone.now() + dt.timedelta(days=1),
            "body": body or "<p>Acme Biotech expects to start Phase 3 in 2025 (1).</p>",
            **(fields or {}),
        },
        **parts,
    )


def snapshot_for(release, *, page_html: str | None = None, pdf: bytes | None = None):
    """What approval would freeze for `release`, written directly: the real composition, and PDF bytes
    that stand in for WeasyPrint's (tests of the PDF itself render the real one)."""
    from releases import rendering
    from releases.services import canonical_json

    composed = rendering.compose(rendering.content_from_release(release))
    page_html = page_html or rendering.render_page(composed)
    fragment, text = rendering.render_fragment(composed), rendering.render_text(composed)
    pdf = pdf or b"%PDF-1.7\n% " + release.headline.encode() + b"\n%%EOF\n"
    return models.Snapshot.objects.create(
        release=release,
        page_html=page_html,
        fragment_html=fragment,
        plain_text=text,
        content_json=composed.content_json,
        pdf=pdf,
        page_sha256=models.Snapshot.sha256(page_html),
        pdf_sha256=models.Snapshot.sha256(pdf),
        text_sha256=models.Snapshot.sha256(text),
        fragment_sha256=models.Snapshot.sha256(fragment),
        content_sha256=models.Snapshot.sha256(canonical_json(composed.content_json)),
        company_name=composed.content.company.short_name,
        time_zone=composed.content.company.time_zone,
        logo=composed.content.company.logo,
        label=composed.content.label,
    )


def published_release(*, at: dt.datetime | None = None, snapshot: bool = True, parts: bool = False, **fields):
    """A release in the published state whose moment is `at` (default: 1 July 2024, public now).

    With `parts`, it cites a reference, prints a topic About and names a contact with private notes.
    """
    fields.setdefault("status", models.Release.Status.PUBLISHED)
    release = ReleaseFactory(publication_at=at or PAST, **fields)
    if parts:
        company = release.company
        ReferenceFactory(release=release, position=1)
        topic = BoilerplateBlockFactory(company=company, title="About ALL", body="<p>A leukemia.</p>")
        release.topic_links.create(block=topic, position=0)
        contact = ContactFactory(
            company=company, name="Camille Martin", email="camille@acme.example", private_notes="Mobile after 6pm"
        )
        release.contact_links.create(contact=contact, position=0)
    if snapshot:
        snapshot_for(release)
    return release


# -- reading back --------------------------------------------------------------------------------------


def row(release) -> dict:
    """The release's stored values, to compare before and after a refused change."""
    return models.Release.objects.filter(pk=release.pk).values().get()


def events(release) -> list[str]:
    """The actions of the release's audit trail, oldest first."""
    return list(models.WorkflowEvent.objects.filter(release=release).values_list("action", flat=True))


def approved(writer, reviewer, release):
    """`release` submitted by `writer` and approved by `reviewer` through the transitions, read again."""
    from releases import services

    services.release_submit(release=release, user=writer)
    approve(release, reviewer)
    return models.Release.objects.get(pk=release.pk)


def approve(release, reviewer, **arguments):
    """`reviewer` reads `release` for review and approves what they read."""
    from releases import services

    review = services.release_review(release=release, user=reviewer)
    return services.release_approve(
        release=release, user=reviewer, version=review.version, digest=review.digest, **arguments
    )


def published(writer, reviewer, publisher, release):
    """`release` approved, then published by `publisher` at its moment, read again."""
    from releases import services

    approved(writer, reviewer, release)
    services.release_publish(release=release, user=publisher)
    return models.Release.objects.get(pk=release.pk)


def refused(exc_info) -> str:
    """The words of a refusal caught by pytest.raises."""
    return " ".join(exc_info.value.messages) if hasattr(exc_info.value, "messages") else str(exc_info.value)
