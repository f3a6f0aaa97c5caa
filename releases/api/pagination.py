import math

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from releases import listing


class Pagination(PageNumberPagination):
    """`?page=` from 1 and `?page_size=` up to 100; a page past the end is 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


# Filters the kept aggregate of `releases.listing` answers exactly; with any other, the count is bounded.
COUNTED_FILTERS = {"language", "category", "status", "company"}
# Past this many rows no database pages (and no archive has that many releases).
MAX_OFFSET = 2**40
# Parameters that change the page, not what is counted.
PAGING_PARAMETERS = {"page", "page_size", "ordering", "format"}


class PublicPagination(Pagination):
    """The public list without a COUNT over the archive on each request.

    A page is read as `page_size + 1` rows: the extra one says whether `next` is given. `count` comes from
    the kept aggregate (`releases.listing`) when the list is filtered by nothing but language, category,
    status and company; otherwise the matches are counted up to COUNT_BOUND and `count_exact` is false
    when there are more.
    """

    COUNT_BOUND = 10_000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_now = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param) or "1"
        self.count, self.count_exact = self._count(queryset, request)
        if raw in self.last_page_strings:
            raw = str(max(1, math.ceil(self.count / self.page_size_now)))
        try:
            self.number = int(raw)
        except ValueError:
            self.number = 0
        start = (self.number - 1) * self.page_size_now
        past_the_end = self.count_exact and start >= max(self.count, 1)
        if self.number < 1 or past_the_end or start > MAX_OFFSET:
            raise NotFound(self.invalid_page_message.format(page_number=raw, message=""))
        rows = listing.rows_of(queryset, start, start + self.page_size_now + 1)
        if not rows and self.number > 1:
            raise NotFound(self.invalid_page_message.format(page_number=raw, message=""))
        self.more = len(rows) > self.page_size_now
        return rows[: self.page_size_now]

    def _count(self, queryset, request) -> tuple[int, bool]:
        given = {name: value for name, value in request.query_params.items() if value != ""}
        filters = set(given) - PAGING_PARAMETERS
        if filters <= COUNTED_FILTERS:
            company = given.get("company")
            return (
                listing.count(
                    [given["language"]] if "language" in given else None,
                    category=given.get("category", ""),
                    status=given.get("status", ""),
                    company=int(company) if company is not None else None,
                ),
                True,
            )
        found, more = listing.bounded_count(queryset, self.COUNT_BOUND)
        return found, not more

    def get_next_link(self):
        if not self.more:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        paged["required"] = ["count", "count_exact", "next", "previous", "results"]
        properties = paged["properties"]
        properties["count"]["description"] = (
            f"How many releases match. Exact when `count_exact` is true; otherwise the matches were counted up "
            f"to {self.COUNT_BOUND:,} and there are more (follow `next`)."
        )
        properties["count_exact"] = {
            "type": "boolean",
            "example": True,
            "description": "False when `count` is a lower bound. The list filtered by nothing but language, "
            "category, status and company always has an exact count.",
        }
        properties["next"]["description"] = "The next page; null on the last one (known without counting)."
        ordered = {name: properties[name] for name in ("count", "count_exact", "next", "previous", "results")}
        paged["properties"] = ordered
        return paged
