"""Shared builders for the workflow tests: role users, a release ready for review, a fast renderer."""

import datetime as dt
from collections import namedtuple

from django.contrib.auth.models import Group
from django.utils import timezone

from releases import services
from releases.models import Release, WorkflowEvent
from tests import factories

FakeRendered = namedtuple("FakeRendered", "page_html fragment_html plain_text content_json pdf")


def fake_render_all(release):
    """Renders what the real composition reads from the database, so a later edit would show."""
    release = Release.objects.get(pk=release.pk)
    blocks = "".join(f"<section>{link.block.title}{link.block.body}</section>" for link in release.topic_links.all())
    legal = "".join(link.disclaimer.body for link in release.disclaimer_links.all())
    people = "".join(f"<p>{link.contact.name} {link.contact.email}</p>" for link in release.contact_links.all())
    page = f"<h1>{release.headline}</h1><p>{release.company.city}</p>{release.body}{blocks}{legal}{people}"
    return FakeRendered(
        page_html=f"<html>{page}</html>",
        fragment_html=page,
        plain_text=release.headline,
        content_json={"headline": release.headline, "blocks": blocks, "company": release.company.short_name},
        pdf=b"%PDF-1.7 " + page.encode(),
    )


def user_in(role: str, username: str):
    user = factories.UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    # Permissions are cached per user object: reload to see the group's.
    return type(user).objects.get(pk=user.pk)


def ready_release(writer, *, publication_at=None, body=None):
    """A draft written by `writer` that passes every blocking check."""
    company = factories.CompanyFactory()
    contact = factories.ContactFactory(company=company)
    disclaimer = factories.DisclaimerFactory()
    topic = factories.BoilerplateBlockFactory(company=company, body="<p>A disease that matters (1).</p>")
    return services.release_create(
        user=writer,
        fields={
            "company": company,
            "language": "en",
            "headline": "Acme Biotech reports positive Phase 2 results",
            "publication_at": publication_at or timezone.now() + dt.timedelta(days=1),
            "body": body or "<p>Acme Biotech expects to start Phase 3 in 2025 (1).</p>",
        },
        references=[{"citation": "Doe J. A study. 2024.", "url": "https://doi.org/10.1000/x"}],
        topics=[topic],
        disclaimers=[disclaimer],
        contacts=[contact],
    )


def row(release) -> dict:
    """The release's stored values, to compare before and after a refused change."""
    return Release.objects.filter(pk=release.pk).values().get()


def events(release) -> list[str]:
    return list(WorkflowEvent.objects.filter(release=release).values_list("action", flat=True))
