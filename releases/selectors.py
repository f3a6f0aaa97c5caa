"""The public side's reads, phrased once: each starts from the gate (`Release.objects.published()` or
`.listed()`, defined in `querysets.py`), so a release that is not public yet answers exactly like one that
never existed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from .models import Company, Release, ReleaseImage, Snapshot

# The frozen outputs a read leaves in the database unless it serves them (a snapshot holds ~150 KB).
SNAPSHOT_OUTPUTS = ("page_html", "pdf", "fragment_html", "plain_text", "content_json")

# The columns a list needs: never the body, so a long archive stays cheap to page through.
LIST_FIELDS = (
    "id",
    "slug",
    "language",
    "headline",
    "subheadline",
    "category",
    "publication_at",
    "status",
    "corrects",
    "snapshot__company_name",
    "snapshot__time_zone",
)


def public_release(slug: str, language: str, *, output: str) -> Release | None:
    """The public release at this address with its snapshot's `output` only; None when there is none.

    The services freeze a snapshot before anything is published; a release without one never goes out.
    """
    release = (
        Release.objects.published()
        .filter(slug=slug, language=language)
        .select_related("snapshot")
        .defer(*(f"snapshot__{column}" for column in SNAPSHOT_OUTPUTS if column != output))
        .first()
    )
    if release is None or not hasattr(release, "snapshot"):
        return None
    return release


def public_correction_of(release: Release) -> Release | None:
    """The public correction of a corrected release."""
    if release.status != Release.Status.CORRECTED:
        return None
    return Release.objects.published().filter(corrects=release).only("id", "slug", "language", "headline").first()


def public_translations(release: Release) -> list[Release]:
    """The other language versions of `release` that are public now (the latest revision of each language).

    The query filters on the indexed translation group only, without an ordering, so it stays a few rows
    whatever the size of the archive. published() less withdrawn ones is enough: of each language only the
    latest revision is kept, which is the correction when one is public.
    """
    versions = (
        Release.objects.published()
        .exclude(status=Release.Status.WITHDRAWN)
        .filter(translation_group=release.translation_group)
        .exclude(language=release.language)
        .order_by()
        .only("id", "slug", "language", "publication_at")
    )
    latest: dict[str, Release] = {}
    for version in versions:
        kept = latest.get(version.language)
        if kept is None or (version.publication_at, version.pk) > (kept.publication_at, kept.pk):
            latest[version.language] = version
    return [latest[code] for code in sorted(latest)]


def listed(languages: list[str], *, year: int | None = None, category: str = "") -> QuerySet:
    """The releases a list shows, newest first, with only the columns a list prints."""
    releases = Release.objects.listed().filter(language__in=languages)
    if year:
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        releases = releases.filter(publication_at__gte=start, publication_at__lt=start.replace(year=year + 1))
    if category:
        releases = releases.filter(category=category)
    return releases.select_related("snapshot").only(*LIST_FIELDS)


def listed_years(languages: list[str]) -> list[int]:
    """The years that have a listed release, latest first."""
    dates = Release.objects.listed().filter(language__in=languages).dates("publication_at", "year", order="DESC")
    return [day.year for day in dates]


def searchable() -> QuerySet:
    """What search may find: the listed releases."""
    return Release.objects.listed().select_related("snapshot").only(*LIST_FIELDS, "body")


def feed_items(language: str, size: int) -> QuerySet:
    """The latest listed releases in `language`, each with the label its snapshot printed (`frozen_label`)."""
    return (
        Release.objects.listed()
        .filter(language=language)
        .select_related("snapshot", "corrects")
        .defer(*(f"snapshot__{column}" for column in SNAPSHOT_OUTPUTS))
        .annotate(frozen_label=KeyTextTransform("label", "snapshot__content_json"))
        .order_by("-publication_at", "-id")[:size]
    )


def image_is_public(path: str) -> bool:
    """True when the file is an image of a listed release: an upload of it, or a frozen copy its snapshot names."""
    from .rendering.images import release_of_frozen

    release_id = release_of_frozen(path)
    if release_id is not None:
        # Frozen copies live in their release's folder; the snapshot's content names each one it prints.
        return Snapshot.objects.filter(
            release__in=Release.objects.listed().filter(pk=release_id), content_json__icontains=f'"{path}"'
        ).exists()
    return ReleaseImage.objects.filter(image=path, release__in=Release.objects.listed()).exists()


def media_kit_images(release: Release) -> list:
    """The frozen originals of a public release's images, from the snapshot that went out."""
    from .rendering.content import ReleaseContent

    return ReleaseContent.from_json(release.snapshot.content_json).images


def logo_exists(path: str) -> bool:
    """Company logos are public: a company's `logo`, or one a published release printed; nothing else."""
    from .models import Snapshot

    return (
        Company.objects.filter(logo=path).exists()
        or Snapshot.objects.filter(logo=path, release__in=Release.objects.published()).exists()
    )


def next_scheduled_moment(now: dt.datetime | None = None) -> dt.datetime | None:
    """The next moment a release goes public, if one is scheduled."""
    now = now or timezone.now()
    return Release.objects.scheduled(now).order_by("publication_at").values_list("publication_at", flat=True).first()
