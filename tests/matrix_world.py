"""A small world with one of everything the project serves, for the permission matrix and the route fuzz.

One company ("Acme") owns releases in every state with all their parts; a second company ("Other") has
nothing but the assignment of the `agency` writer, who must therefore see nothing of Acme's. Every user of
the matrix's roles exists, and each admin model has a row (and a historical record where it keeps history).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from releases import models, services
from releases.distribution import services as distribution
from releases.distribution import tokens
from tests import factories

DATA = Path(__file__).parent / "data"
SHAPES = (DATA / "shapes-640x360.png").read_bytes()
# A 1×1 PNG, the company's logo.
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

ROLES = ("anonymous", "staff", "writer", "reviewer", "publisher", "dual", "agency", "superuser")
STATES = ("draft", "review", "approved", "scheduled", "published", "withdrawn")


@dataclasses.dataclass
class World:
    users: dict[str, object]
    company: models.Company
    other_company: models.Company
    releases: dict[str, models.Release]
    objects: dict[str, object]  # "app_label.model_name" → the row the admin's object routes open
    history_ids: dict[str, int]  # "app_label.model_name" → one of that row's historical records
    approve_with: dict[str, object]  # what a reviewer read of the release in review: version, digest
    draft_image: str  # the draft's uploaded image, as the admin's media view names it
    published_image: str  # the published release's frozen original
    confirm_token: str
    unsubscribe_token: str

    def release(self, state: str) -> models.Release:
        return self.releases[state]


def _user(username: str, *groups: str, **fields):
    user = factories.UserFactory(username=username, **fields)
    if groups:
        user.groups.add(*Group.objects.filter(name__in=groups))
    return type(user).objects.get(pk=user.pk)


def _release(writer, company, *, publication_at=None, image: bool = False) -> models.Release:
    """A draft of `company` passing every blocking check, with the world's parts of that company."""
    images = []
    if image:
        images = [{"file": SimpleUploadedFile("shapes.png", SHAPES), "alt_text": "Mode of action", "caption": ""}]
    return factories.ready_release(
        writer,
        company=company,
        publication_at=publication_at,
        fields={"company_about": company.blocks.filter(kind=models.BoilerplateBlock.Kind.COMPANY_ABOUT).first()},
        topics=[company.blocks.get(kind=models.BoilerplateBlock.Kind.TOPIC_ABOUT)],
        disclaimers=[models.Disclaimer.objects.get(title="Forward-looking statements")],
        contacts=[company.contacts.get()],
        images=images,
    )


def build() -> World:
    users = {
        "staff": _user("staff"),
        "writer": _user("writer", "Writer"),
        "reviewer": _user("reviewer", "Reviewer"),
        "publisher": _user("publisher", "Publisher"),
        "dual": _user("dual", "Writer", "Reviewer"),
        "agency": _user("agency", "Writer"),
        "superuser": _user("root", is_superuser=True),
    }
    writer, reviewer, publisher = users["writer"], users["reviewer"], users["publisher"]

    company = factories.CompanyFactory(short_name="Acme", slug="acme")
    company.logo.save("acme.png", SimpleUploadedFile("acme.png", LOGO))
    factories.ListingFactory(company=company)
    factories.BoilerplateBlockFactory(company=company, title="About ALL")
    factories.CompanyAboutFactory(company=company)
    factories.ContactFactory(company=company)
    factories.DisclaimerFactory()
    asset = factories.PipelineAssetFactory(company=company)
    program = factories.ProgramFactory(asset=asset)
    factories.AssetSentenceFactory(asset=asset)
    other = factories.CompanyFactory(short_name="Other", slug="other")
    models.CompanyAssignment.objects.create(user=users["agency"], company=other)

    def submitted(**kwargs):
        release = _release(writer, company, **kwargs)
        services.release_submit(release=release, user=writer)
        return release

    def approved(**kwargs):
        release = submitted(**kwargs)
        factories.approve(release, reviewer)
        return release

    def published(**kwargs):
        release = approved(**kwargs)
        services.release_publish(release=release, user=publisher)
        return release

    draft = _release(writer, company, image=True)
    review = submitted()
    shown = published(publication_at=factories.PAST, image=True)
    withdrawn = published(publication_at=factories.PAST)
    services.TRANSITIONS["withdraw"].execute(release=withdrawn, user=publisher, notice="Sent in error.")
    releases = {
        "draft": draft,
        "review": review,
        "approved": approved(),
        "scheduled": published(),
        "published": shown,
        "withdrawn": withdrawn,
    }
    releases = {state: models.Release.objects.get(pk=r.pk) for state, r in releases.items()}
    read = services.release_review(release=review, user=users["superuser"])

    _token, _key = services.api_token_issue(user=writer, name="IR website")
    subscriber = models.Subscriber.objects.create(
        email="reader@example.com",
        languages=",en,",
        consent_text="Yes.",
        consent_language="en",
        requested_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    dispatch = models.Dispatch.objects.create(release=shown, kind=models.Dispatch.Kind.RELEASE, recipients=1)
    models.Delivery.objects.create(dispatch=dispatch, release=shown, subscriber=subscriber, kind="release")
    endpoint = models.WebhookEndpoint.objects.create(url="https://ir.example/hook", events=["release.published"])
    webhook = distribution.send_test_event(endpoint=endpoint, user=users["superuser"])

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    attempt = AccessAttempt.objects.create(username="mallory", ip_address="10.0.0.1", failures_since_start=1)
    log = AccessLog.objects.create(username="writer", ip_address="10.0.0.2")
    failure = AccessFailureLog.objects.create(username="mallory", ip_address="10.0.0.1", locked_out=False)

    objects = {
        "releases.release": draft,
        "releases.company": company,
        "releases.contact": company.contacts.get(),
        "releases.pipelineasset": asset,
        "releases.program": program,
        "releases.boilerplateblock": company.blocks.get(kind=models.BoilerplateBlock.Kind.TOPIC_ABOUT),
        "releases.disclaimer": models.Disclaimer.objects.get(),
        "releases.workflowevent": models.WorkflowEvent.objects.filter(release=review).first(),
        "releases.snapshot": models.Snapshot.objects.get(release=releases["approved"]),
        "releases.apitoken": _token,
        "releases.companyassignment": models.CompanyAssignment.objects.get(),
        "releases.subscriber": subscriber,
        "releases.delivery": models.Delivery.objects.get(),
        "releases.webhookendpoint": endpoint,
        "releases.webhookdelivery": webhook,
        "auth.group": Group.objects.get(name="Writer"),
        "auth.user": users["staff"],
        "axes.accessattempt": attempt,
        "axes.accesslog": log,
        "axes.accessfailurelog": failure,
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.order_by("enqueued_at").first(),
    }
    history_ids = {
        label: obj.history.order_by("history_id").first().history_id
        for label, obj in objects.items()
        if hasattr(type(obj), "history")
    }
    from releases.rendering.content import ReleaseContent

    frozen = ReleaseContent.from_json(models.Snapshot.objects.get(release=shown).content_json).images[0]
    return World(
        users=users,
        company=company,
        other_company=other,
        releases=releases,
        objects=objects,
        history_ids=history_ids,
        approve_with={"version": read.version, "digest": read.digest},
        draft_image=draft.images.get().image.name,
        published_image=frozen.original,
        confirm_token=tokens.confirm_token(
            {"e": "new@example.com", "l": ["en"], "c": [], "lang": "en", "at": timezone.now().isoformat()}
        ),
        unsubscribe_token=tokens.unsubscribe_token(subscriber),
    )
