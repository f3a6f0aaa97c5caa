"""What a reviewer reads, and whether the release is still that when they approve it.

`release_review` composes the release as it is now, keeps that composition (content-addressed, so
reading twice writes nothing new) and returns its version and digest; an approval must name both.
`changes_between` says in words what differs between two compositions; `editors_since` names who
changed the release or any part it is composed from since a moment, for the four-eyes rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from releases.models import (
    AssetSentence,
    BoilerplateBlock,
    Company,
    Composition,
    Contact,
    Disclaimer,
    Listing,
    PipelineAsset,
    Program,
    Reference,
    Release,
    ReleaseContact,
    ReleaseDisclaimer,
    ReleaseTopic,
    WorkflowEvent,
)

from .common import require, require_company


@dataclass(frozen=True)
class Review:
    """The release as a reviewer reads it now: its version, the digest an approval names, the composition."""

    version: int
    digest: str
    composed: object  # releases.rendering.ComposedRelease


def compose_now(release: Release):
    from releases import rendering

    return rendering.compose(rendering.content_from_release(release))


def release_review(*, release: Release, user) -> Review:
    """The release composed as it is now, kept as what `user` read; its version and digest bind an approval."""
    require(user, "releases.view_release", _("You cannot read releases."))
    require_company(user, release.company_id)
    composed = compose_now(release)
    Composition.objects.get_or_create(
        release=release,
        sha256=composed.content_sha256,
        defaults={"version": release.version, "content_json": composed.content_json},
    )
    return Review(version=release.version, digest=composed.content_sha256, composed=composed)


# -- what changed -------------------------------------------------------------------------------------

# The parts of a composed release, as the content names them, and how a reviewer calls them.
PARTS = (
    ("headline", _("the headline")),
    ("subheadline", _("the subheadline")),
    ("category", _("the category")),
    ("place", _("the dateline's place")),
    ("publication_at", _("the publication moment")),
    ("body", _("the text")),
    ("references", _("the references")),
    ("topics", _("a topic About")),
    ("company_about", _("the company About")),
    ("assets", _("the pipeline")),
    ("disclaimers", _("a disclaimer")),
    ("mar_legend", _("the inside-information legend")),
    ("contacts", _("the contacts")),
    ("listings", _("the security identifiers")),
    ("company", _("the company's details")),
    ("corrects", _("what it corrects")),
)


def changes_between(before: dict, after: dict) -> list[str]:
    """The parts of a composed release that differ between two contents, named as a reviewer reads them."""
    return [str(label) for key, label in PARTS if before.get(key) != after.get(key)]


def read_composition(release: Release, digest: str) -> Composition | None:
    return Composition.objects.filter(release=release, sha256=digest).first()


# -- who changed what since submission ----------------------------------------------------------------


def submitted_at(release: Release) -> dt.datetime | None:
    """When the release last went to review."""
    return (
        WorkflowEvent.objects.filter(release=release, action=WorkflowEvent.Action.SUBMITTED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def editors_since(release: Release, since: dt.datetime) -> dict[int, list[str]]:
    """Who changed the release or a part it is composed from since `since`: user id → what they changed.

    The parts are those the composition reads: the company and its listings, the company About and
    the pipeline it prints, the topic Abouts, the disclaimers (and the inside-information legends of
    the company's language), the contacts, the references and the release's own rows.
    """
    uses_about = release.company_about_id is not None
    sources = [
        (Release, Q(id=release.pk), _("the release")),
        (Reference, Q(release_id=release.pk), _("the references")),
        (ReleaseTopic, Q(release_id=release.pk), _("the topic Abouts")),
        (ReleaseDisclaimer, Q(release_id=release.pk), _("the disclaimers")),
        (ReleaseContact, Q(release_id=release.pk), _("the contacts")),
        (Company, Q(id=release.company_id), _("the company")),
        (Listing, Q(company_id=release.company_id), _("the company's listings")),
        (
            BoilerplateBlock,
            Q(id__in=release.topic_links.values("block_id")) | Q(id=release.company_about_id),
            _("a topic or company About"),
        ),
        (
            Disclaimer,
            Q(id__in=release.disclaimer_links.values("disclaimer_id"))
            | Q(kind=Disclaimer.Kind.INSIDE_INFORMATION, language=release.language),
            _("a disclaimer"),
        ),
        (Contact, Q(id__in=release.contact_links.values("contact_id")), _("a contact")),
    ]
    if uses_about:
        assets = PipelineAsset.objects.filter(company_id=release.company_id).values("id")
        sources += [
            (PipelineAsset, Q(company_id=release.company_id), _("the pipeline")),
            (Program, Q(asset_id__in=assets), _("the pipeline")),
            (AssetSentence, Q(asset_id__in=assets), _("the pipeline")),
        ]
    editors: dict[int, list[str]] = {}
    for model, rows, label in sources:
        history = model.history.filter(rows, history_date__gte=since).exclude(history_user_id=None)
        for user_id in history.values_list("history_user_id", flat=True).distinct():
            named = editors.setdefault(user_id, [])
            if str(label) not in named:
                named.append(str(label))
    return editors
