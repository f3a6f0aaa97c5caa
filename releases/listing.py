"""How many releases a list holds, without counting them on every request.

Lists page through `Release.objects.listed()`. Counting it (`COUNT(*)` over a 100,000-release archive, with
the correction check) on every request would cost more than the page itself, and so would the year facet
(`SELECT DISTINCT year`). Both come instead from one small aggregate: the number of listed releases per
language, year, category, status and company, a few hundred rows at most, computed in one pass and kept
in the cache.

The aggregate is exact, not an estimate: it is keyed by the listing generation, which every save or
deletion of a released release (published, corrected, withdrawn) moves, and it is never kept past the next
scheduled publication, when a release joins the lists by the clock alone. Drafts and edits of unreleased
releases leave it alone. It is kept `LIST_COUNTS_SECONDS` at most (default 300), a bound that matters only
when every process keeps its own cache (no CACHE_URL): another process's change is then seen within it.

Pages are fetched as `page_size + 1` rows: the extra row says whether there is a next page, so paging never
depends on the count being right.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

COUNTS_KEY = "newsroom:list-counts"

# (language, year, category, status, company id) -> number of listed releases
Counts = dict[tuple[str, int, str, str, int], int]


def counts_seconds() -> int:
    return max(0, int(getattr(settings, "LIST_COUNTS_SECONDS", 300)))


def compute(now: dt.datetime | None = None) -> Counts:
    """The aggregate, from the database: one GROUP BY over the listed releases."""
    from .models import Release

    now = now or timezone.now()
    rows = (
        Release.objects.listed(now)
        .annotate(year=ExtractYear("publication_at", tzinfo=dt.UTC))
        .values_list("language", "year", "category", "status", "company_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(language, year, category, status, company): n for language, year, category, status, company, n in rows}


def counts() -> Counts:
    """The aggregate, from the cache when it is still exact, else computed again and kept."""
    from . import caching
    from .selectors import next_scheduled_moment

    seconds = counts_seconds()
    now = timezone.now()
    listing = caching.listing_generation()
    if seconds and listing is not None:
        kept = cache.get(COUNTS_KEY)
        if kept is not None and kept["generation"] == listing and kept["until"] > now:
            return kept["counts"]
    values = compute(now)
    if seconds and listing is not None:
        until = min(filter(None, [now + dt.timedelta(seconds=seconds), next_scheduled_moment(now)]))
        cache.set(COUNTS_KEY, {"generation": listing, "until": until, "counts": values}, timeout=seconds)
    return values


def count(
    languages: Iterable[str] | None = None,
    *,
    year: int | None = None,
    category: str = "",
    status: str = "",
    company: int | None = None,
    values: Counts | None = None,
) -> int:
    """How many listed releases match; None or empty for a filter means any."""
    languages = set(languages) if languages is not None else None
    total = 0
    for (language, y, c, s, co), n in (values if values is not None else counts()).items():
        if languages is not None and language not in languages:
            continue
        if (year and y != year) or (category and c != category) or (status and s != status):
            continue
        if company is not None and co != company:
            continue
        total += n
    return total


def years(languages: Iterable[str], values: Counts | None = None) -> list[int]:
    """The years that have a listed release in one of `languages`, latest first."""
    languages = set(languages)
    found = {y for (language, y, *_rest) in (values if values is not None else counts()) if language in languages}
    return sorted(found, reverse=True)


def languages_listed(values: Counts | None = None) -> set[str]:
    return {language for (language, *_rest) in (values if values is not None else counts())}


# -- pages ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Page:
    """One page of a list: its rows, whether others follow, and the list's size as far as it is known.

    Shaped like Django's `Page` for the templates (`number`, `has_next`, `paginator.num_pages` …).
    """

    object_list: list
    number: int
    per_page: int
    has_next_rows: bool
    total: int | None  # None: not known
    capped: bool = False  # True: `total` is a bound, there are more

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def paginator(self) -> Page:
        return self

    @property
    def count(self) -> int | None:
        return self.total

    @property
    def num_pages(self) -> int:
        known = math.ceil(self.total / self.per_page) if self.total else 1
        # The rows have the last word: a page past a stale count still leads on, never to nothing.
        return max(known, self.number + (1 if self.has_next_rows else 0))

    def has_next(self) -> bool:
        return self.has_next_rows

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value) -> int:
    """A page number from a query string: a whole number from 1; anything else is page 1."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


# Past this many rows a page first finds its rows' ids, then reads them: the database walks the skipped rows
# without joining what only the page's rows need (a snapshot, wide columns).
DEEP_OFFSET = 1000


def rows_of(queryset: QuerySet, start: int, stop: int) -> list:
    """`queryset[start:stop]`, read in two steps when `start` is deep (DEEP_OFFSET)."""
    if start < DEEP_OFFSET:
        return list(queryset[start:stop])
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    return list(queryset.filter(pk__in=ids)) if ids else []


def fetch(queryset: QuerySet, number: int, per_page: int, total: int | None, *, capped: bool = False) -> Page:
    """Page `number` of `queryset` by its rows, `per_page + 1` fetched; a page past the end is the last one."""
    if total is not None and number > 1:
        last = max(1, math.ceil(total / per_page))
        number = min(number, last)
    rows = rows_of(queryset, (number - 1) * per_page, number * per_page + 1)
    if not rows and number > 1 and total is None:
        return fetch(queryset, 1, per_page, total, capped=capped)
    return Page(rows[:per_page], number, per_page, len(rows) > per_page, total, capped)


def bounded_count(queryset: QuerySet, bound: int) -> tuple[int, bool]:
    """The number of rows of `queryset` up to `bound`, and whether there are more: never a count of the whole."""
    found = queryset.order_by()[: bound + 1].count()
    return min(found, bound), found > bound
