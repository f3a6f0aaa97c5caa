"""The public side's reads, phrased once: each starts from the gate (`Release.objects.published()` or
`.listed()`, defined in `querysets.py`), so a release that is not public yet answers exactly like one that
never existed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import zoneinfo

from django.db.models import (
    Aggregate,
    BooleanField,
    ExpressionWrapper,
    Func,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone, translation

from . import prepared
from .lru import SizedLRU
from .models import Company, Release, ReleaseImage, Snapshot
from .prepared import Prepared
from .querysets import published_q, scheduled_q
from .rendering.served import cut

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
    "snapshot__pdf_sha256",
)
# The characters of a SHA-256 a fingerprinted PDF address carries.
PDF_FINGERPRINT = 16


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


# -- the page and the PDF: a query or two, compiled once per process ---------------------------------------

_PREFIXES: dict[str, str] = {}


def release_path(language: str, slug: str) -> str:
    """`Release.get_absolute_url()` without a reverse() per call: each language's prefix is looked up once."""
    prefix = _PREFIXES.get(language)
    if prefix is None:
        with translation.override(language):
            prefix = reverse("newsroom:detail", kwargs={"slug": "slug"}).removesuffix("slug/")
        _PREFIXES[language] = prefix
    return f"{prefix}{slug}/"


def fingerprinted_pdf_url(language: str, slug: str, pdf_sha256: str) -> str:
    """The PDF at the address that names its bytes (served with a year's `immutable` caching)."""
    return f"{release_path(language, slug)}{pdf_sha256[:PDF_FINGERPRINT]}.pdf"


@dataclasses.dataclass
class Version:
    """Another public version of a release, or its correction: what the page links to."""

    pk: int
    language: str
    slug: str
    headline: str = ""

    def get_absolute_url(self) -> str:
        return release_path(self.language, self.slug)


@dataclasses.dataclass
class Served:
    """A public release as its page or PDF serves it: the release's few columns, one output of its snapshot."""

    pk: int
    slug: str
    language: str
    status: str
    publication_at: dt.datetime
    translation_group: object
    output: tuple[bytes | str, ...] | bytes  # the page cut at its slots, or the PDF's bytes
    sha256: str
    created_at: dt.datetime
    time_zone: str
    # The page's releases around it as the query gave them (JSON text): the input of what follows.
    around: str | None = None

    @functools.cached_property
    def _placed(self) -> tuple[list[Version], Version | None, dt.datetime | None]:
        return _place(self, json.loads(self.around) if self.around else [])

    @property
    def translations(self) -> list[Version]:
        """The other language versions public now (the latest public revision of each)."""
        return self._placed[0]

    @property
    def correction(self) -> Version | None:
        """The correction public now, on a corrected release's page."""
        return self._placed[1]

    @property
    def bound(self) -> dt.datetime | None:
        """The next moment a version or a correction of it goes public."""
        return self._placed[2]

    def get_absolute_url(self) -> str:
        return release_path(self.language, self.slug)

    @property
    def modified(self) -> dt.datetime:
        return max(self.created_at, self.publication_at)

    def local_date(self) -> dt.date:
        return self.publication_at.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()


_HASHES = {"page_html": "snapshot__page_sha256", "pdf": "snapshot__pdf_sha256"}


# What the page links to of a release's other revisions, language versions and corrections, in this order.
AROUND_FIELDS = ("id", "language", "slug", "headline", "status", "publication_at", "translation_group", "corrects_id")


class JSONRows(Aggregate):
    """The aggregated rows as one JSON array (an empty group gives NULL on PostgreSQL, [] on SQLite)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # json, not jsonb: the array is only ever printed, and json is built without a binary form.
        return super().as_sql(compiler, connection, function="JSON_AGG", **extra_context)


class JSONRow(Func):
    """Its values as one JSON array, types as they are (no casts, unlike JSONArray's jsonb on PostgreSQL)."""

    function = "JSON_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_BUILD_ARRAY", **extra_context)


def _around(now):
    """The other revisions and language versions of the outer release, and its corrections, as one JSON array
    of rows: AROUND_FIELDS, then whether each is public now and whether it is scheduled."""
    rows = (
        Release.objects.filter(Q(translation_group=OuterRef("translation_group")) | Q(corrects_id=OuterRef("pk")))
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(
            rows=JSONRows(
                JSONRow(
                    *AROUND_FIELDS,
                    ExpressionWrapper(published_q(now), output_field=BooleanField()),
                    ExpressionWrapper(scheduled_q(now), output_field=BooleanField()),
                )
            )
        )
        .values("rows")
    )
    # As text: the row it is part of stays comparable, and the view keeps what it builds of a row it has seen.
    return Cast(Subquery(rows), output_field=TextField())


DIGEST = 6  # where a served row holds the SHA-256 of its bytes (the columns of _served_query)


def _served_query(now, slug, language, *, output: str, with_bytes: bool = True):
    """The public release at this address: its few columns and, `with_bytes`, one output of its snapshot,
    nothing else; for the page, the releases around it in the same row."""
    columns = [
        "id", "slug", "language", "status", "publication_at", "translation_group",
        _HASHES[output], "snapshot__created_at", "snapshot__time_zone",
    ]  # fmt: skip
    releases = Release.objects.published(now).filter(slug=slug, language=language, snapshot__isnull=False)
    if output == "page_html":
        releases = releases.annotate(around=_around(now))
        columns.append("around")
    if with_bytes:
        columns.append(f"snapshot__{output}")
    return releases.order_by().values_list(*columns)[:1]


def _served_statements(with_bytes: bool) -> dict[str, Prepared]:
    return {
        output: Prepared(
            functools.partial(_served_query, output=output, with_bytes=with_bytes),
            binary=output == "pdf",
            now=prepared.MOMENT,
            slug=prepared.TEXT,
            language=prepared.TEXT,
        )
        for output in ("page_html", "pdf")
    }


_SERVED = _served_statements(with_bytes=True)
_SERVED_HELD = _served_statements(with_bytes=False)  # the bytes are held by this process (FROZEN)

# The frozen pages and PDFs this process has served, by address, with the SHA-256 of their bytes: at most
# FROZEN_BYTES_MEMORY bytes of them, the most recently served. Their bytes never change, so a held one is
# served when the database, asked on every request, names the same SHA-256.
FROZEN = SizedLRU("FROZEN_BYTES_MEMORY", 32 * 1024 * 1024)


def served(slug: str, language: str, *, output: str, now: dt.datetime | None = None) -> Served | None:
    """The public release at this address as its page (`output="page_html"`) or PDF (`"pdf"`) serves it; None:
    no such public release (one without a snapshot never goes out). The page comes cut at its slots
    (`rendering.served.cut`), the PDF as bytes.

    One query, which reads no other output of the snapshot and no other column of the release. For the page it
    also reads, in a subquery over the few releases of its translation group and its corrections, the
    language versions and the correction public now, and the next moment one of them goes public.

    Whether the release is public, and which bytes it serves, is read from the database every time. The bytes
    themselves are read only when this process does not hold the bytes of that SHA-256 already (`FROZEN`).
    """
    now = now or timezone.now()
    key = (output, slug, language)
    held = FROZEN.get(key)
    statements = _SERVED_HELD if held is not None else _SERVED
    rows = statements[output].rows(now=now, slug=slug, language=language)
    if rows and held is not None and rows[0][DIGEST] != held[0]:  # other bytes at this address now
        held, rows = None, _SERVED[output].rows(now=now, slug=slug, language=language)
    if not rows:
        return None
    pk, slug, language, status, moment, group, sha, created, zone, *rest = rows[0]
    if held is not None:
        data = held[1]
    else:
        raw = rest[-1]
        data = bytes(raw) if output == "pdf" else cut(raw)
        if sha:
            FROZEN.put(key, (sha, data), len(data) if output == "pdf" else sum(map(len, data)))
        else:
            sha = Snapshot.sha256(raw)
    return Served(
        pk=pk,
        slug=slug,
        language=language,
        status=status,
        publication_at=moment,
        translation_group=group,
        output=data,
        sha256=sha,
        created_at=created,
        time_zone=zone,
        around=rest[0] if output == "page_html" and status != Release.Status.WITHDRAWN else None,
    )


def _moment(value: str) -> dt.datetime:
    """A moment as a JSON row holds it: ISO 8601 (PostgreSQL, with its offset) or SQLite's naive UTC text."""
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _place(release: Served, rows: list[list]) -> tuple[list[Version], Version | None, dt.datetime | None]:
    """The page's language versions (the latest public revision of each other language, as
    `public_translations` chooses them), its public correction, and the next moment either changes."""
    latest: dict[str, tuple] = {}
    corrections = []
    bound = None
    group = release.translation_group.hex if release.translation_group else None
    for pk, language, slug, headline, status, moment, other_group, corrects, public, due in rows:
        moment = _moment(moment) if moment else None
        if due:
            bound = moment if bound is None else min(bound, moment)
        if not public:
            continue
        if corrects == release.pk:
            corrections.append(((moment, pk), Version(pk, language, slug, headline)))
        # A UUID as the JSON holds it: with hyphens on PostgreSQL, 32 hex digits on SQLite.
        in_group = group is not None and other_group is not None and other_group.replace("-", "") == group
        is_version = in_group and language != release.language and status != "withdrawn"
        if is_version and (language not in latest or (moment, pk) > latest[language][0]):
            latest[language] = ((moment, pk), Version(pk, language, slug))
    correction = None
    if release.status == Release.Status.CORRECTED and corrections:
        correction = max(corrections, key=lambda item: item[0])[1]
    return [latest[code][1] for code in sorted(latest)], correction, bound


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


def searchable() -> QuerySet:
    """What search may find: the listed releases (with their body where the excerpt is cut in Python)."""
    from .search import uses_full_text_search

    fields = LIST_FIELDS if uses_full_text_search() else (*LIST_FIELDS, "body")
    return Release.objects.listed().select_related("snapshot").only(*fields)


# What a feed item prints: a list's columns, the body (its lead when there is no subheadline), the headline of
# the release a correction corrects, the company's labels.
FEED_FIELDS = (*LIST_FIELDS, "body", "label", "corrects__headline", "company__labels", "snapshot__label")


def feed_items(language: str, size: int) -> QuerySet:
    """The latest listed releases in `language`, with the label each snapshot printed."""
    return (
        Release.objects.listed()
        .filter(language=language)
        .select_related("snapshot", "corrects", "company")
        .only(*FEED_FIELDS)
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
