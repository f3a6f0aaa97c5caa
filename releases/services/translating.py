"""A release's version in another language, started from the one that exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from releases.models import BoilerplateBlock, Disclaimer, Release, ReleaseDisclaimer, ReleaseTopic

from .common import WorkflowError, require
from .editing import create, parts_of, unique_slug


def _only(queryset) -> Any:
    """The one row of `queryset`, or None when it has none or several."""
    rows = list(queryset[:2])
    return rows[0] if len(rows) == 1 else None


def release_translate(*, release: Release, user, language: str) -> Release:
    """A draft version of `release` in `language`, in the same translation group, for a writer to translate.

    The text is copied as it is (headline, body: the writer translates them); the moment, the
    category, the contacts and the references are copied; the company About, the topic Abouts and
    the disclaimers are replaced by their versions in `language`. A part whose version cannot be
    told is left out and named in the event's details, and the missing-part check blocks the draft
    until the writer chooses it: an English block is never carried into a French release.
    """
    require(user, "releases.add_release", _("You cannot create releases: ask for the Writer role."))
    languages = dict(settings.LANGUAGES)
    if language not in languages:
        raise WorkflowError(
            _("“%(language)s” is not a language of this site.") % {"language": language}, code="language"
        )
    with transaction.atomic():
        source = Release.objects.select_related("company", "company_about").get(pk=release.pk)
        if language == source.language:
            raise WorkflowError(
                _("This release is already in %(language)s.") % {"language": languages[language]},
                code="same_language",
            )
        existing = Release.objects.filter(
            translation_group=source.translation_group, language=language, corrects__isnull=True
        ).first()
        if existing is not None:
            raise WorkflowError(
                _("This release already has a version in %(language)s (“%(headline)s”, %(status)s). Work on that one.")
                % {
                    "language": languages[language],
                    "headline": existing.headline,
                    "status": existing.get_status_display().lower(),
                },
                code="translation_exists",
            )
        about, topics, disclaimers, missing = _parts_in(source, language)
        return create(
            user=user,
            fields={
                "company": source.company,
                "language": language,
                "translation_group": source.translation_group,
                "category": source.category,
                "headline": source.headline,
                "subheadline": source.subheadline,
                "slug": unique_slug(source.slug, language=language),
                "publication_at": source.publication_at,
                "body": source.body,
                "company_about": about,
            },
            parts={
                **parts_of(source),
                # The parts in the source's language give way to their versions in `language`.
                "topics": topics,
                "disclaimers": list(dict.fromkeys(disclaimers)),
                "images": [],
            },
            comment=_("Translation of “%(headline)s” (%(language)s).")
            % {"headline": source.headline, "language": languages[source.language]},
            details={"translation_of": source.pk, "language": language, "parts_to_choose": missing},
        )


def _parts_in(source: Release, language: str):
    """The source's company About, topic Abouts and disclaimers in `language`, and those that cannot be told.

    A part's version in `language` is the one an earlier translation paired with it at the same place,
    else the company's only part of that kind in `language`; never a guess between several.
    """
    pairs = list(
        Release.objects.filter(company=source.company, language=language)
        .exclude(translation_group=source.translation_group)
        .values_list("translation_group", "pk", "company_about_id")
    )
    pair_of = {group: (pk, about) for group, pk, about in pairs}
    same_language_versions = dict(
        Release.objects.filter(
            company=source.company, language=source.language, translation_group__in=pair_of
        ).values_list("pk", "translation_group")
    )

    def paired_link(model, field: str, obj, position: int):
        for link in model.objects.filter(release_id__in=same_language_versions, **{field: obj}).order_by("-id"):
            group = same_language_versions[link.release_id]
            other = model.objects.filter(release_id=pair_of[group][0], position=link.position).first()
            if other is not None:
                return getattr(other, field)
        return None

    def paired_about(obj):
        for pk, group in same_language_versions.items():
            if Release.objects.filter(pk=pk, company_about=obj).exists() and pair_of[group][1]:
                return BoilerplateBlock.objects.filter(pk=pair_of[group][1], archived=False).first()
        return None

    missing: list[str] = []
    about = None
    if source.company_about_id:
        about = paired_about(source.company_about) or _only(
            BoilerplateBlock.objects.filter(
                company=source.company, kind=BoilerplateBlock.Kind.COMPANY_ABOUT, language=language, archived=False
            )
        )
        if about is None:
            missing.append(str(source.company_about))
    topics = []
    for link in ReleaseTopic.objects.filter(release=source).select_related("block"):
        block = paired_link(ReleaseTopic, "block", link.block, link.position)
        if block is None or block.archived:
            missing.append(str(link.block))
        else:
            topics.append(block)
    disclaimers = []
    for link in ReleaseDisclaimer.objects.filter(release=source).select_related("disclaimer"):
        kind = link.disclaimer.kind
        chosen = paired_link(ReleaseDisclaimer, "disclaimer", link.disclaimer, link.position)
        if chosen is None and kind != Disclaimer.Kind.OTHER:
            same_kind = Disclaimer.objects.filter(kind=kind, language=language, archived=False)
            chosen = _only(same_kind.filter(company=source.company)) or _only(same_kind.filter(company__isnull=True))
        if chosen is None or chosen.archived:
            missing.append(str(link.disclaimer))
        else:
            disclaimers.append(chosen)
    return about, topics, disclaimers, missing
