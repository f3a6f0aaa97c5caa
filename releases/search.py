"""Full-text search over public releases: PostgreSQL's text search per language, a portable fallback elsewhere.

Every search starts from `Release.objects.listed()`, so nothing that is not public can match or be counted.

On PostgreSQL each release stores its text vector, in its own language's configuration, in the generated
column `search_document` with a GIN index (migrations 0008 and 0012): matching reads the index, ranking reads the
stored vector, nothing is recomputed per row. Only the newest MAX_CANDIDATES matches are ranked, so a word
found in every release of a 100,000-release archive costs the same as one found in a thousand: the best of
the recent matches come first, and older matches are found with a more precise query.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Expression, F, Func, Q, QuerySet, Value, When
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# One text-search configuration per release language (PostgreSQL's stemmers); "simple" for any other.
# The stored document (migrations 0008 and 0012) is built with these: a language added later needs a migration.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "es": "spanish",
    "nl": "dutch",
    "sv": "swedish",
    "fi": "finnish",
    "da": "danish",
}


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, "simple")


# The fields a release is found by, in the order the vector joins them.
SEARCH_FIELDS = ("headline", "subheadline", "body")
# A query longer than this is cut: nobody types more, and a 100 KB query must stay cheap.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# At most this many matches, the newest, are ranked; the count of results stops there too ("1,000+").
MAX_CANDIDATES = 1000
# The generated column of migrations 0008 and 0012 (PostgreSQL only; not a model field).
DOCUMENT_COLUMN = "search_document"
# Private-use characters mark matches inside the database's output; they are swapped for <mark> after escaping.
_START, _STOP = "\ue000", "\ue001"


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters dropped, whitespace folded, at most MAX_QUERY_CHARS and MAX_TERMS."""
    if not raw:
        return ""
    text = raw[: MAX_QUERY_CHARS * 4]
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    terms = text.split()[:MAX_TERMS]
    return " ".join(terms)[:MAX_QUERY_CHARS].strip()


class StoredDocument(Expression):
    """The release's stored text vector: `<table alias>.search_document`, following the alias into subqueries."""

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    @property
    def output_field(self):
        from django.contrib.postgres.search import SearchVectorField

        return SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name(self.alias)}.{compiler.quote_name(DOCUMENT_COLUMN)}", []

    def get_group_by_cols(self):
        return [self]


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Hit:
    release: object
    headline: SafeString
    excerpt: SafeString


def search(releases: QuerySet, query: str, languages: list[str]) -> QuerySet:
    """The releases of `releases` (already gated) in `languages` that match `query`, best first."""
    query = clean_query(query)
    if not query:
        return releases.none()
    releases = releases.filter(language__in=languages)
    if uses_full_text_search():
        return _search_postgres(releases, query, languages)
    return _matches_portable(releases, query).order_by("-publication_at", "-id")


def count(releases: QuerySet, query: str, languages: list[str], bound: int | None = None) -> tuple[int, bool]:
    """How many releases match, counted up to `bound` (MAX_CANDIDATES), and whether more do ("1,000+")."""
    bound = MAX_CANDIDATES if bound is None else bound
    query = clean_query(query)
    if not query:
        return 0, False
    releases = releases.filter(language__in=languages)
    if uses_full_text_search():
        matches = releases.filter(_match_postgres(query, languages)[0])
    else:
        matches = _matches_portable(releases, query)
    found = matches.order_by().values("pk")[: bound + 1].count()
    return min(found, bound), found > bound


def _match_postgres(query: str, languages: list[str]) -> tuple[Q, list]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorExact

    match = Q()
    ranks = []
    for language in languages:
        sq = SearchQuery(query, config=search_config(language), search_type="websearch")
        match |= Q(language=language) & Q(SearchVectorExact(StoredDocument(), sq))
        ranks.append(When(language=language, then=SearchRank(StoredDocument(), sq)))
    return match, ranks


def _search_postgres(releases: QuerySet, query: str, languages: list[str]) -> QuerySet:
    match, ranks = _match_postgres(query, languages)
    # The newest matches, found through the GIN index (or the date index for a common word), then ranked.
    candidates = releases.filter(match).order_by("-publication_at", "-id").values("pk")[:MAX_CANDIDATES]
    return (
        releases.filter(pk__in=candidates)
        .annotate(rank=Case(*ranks, default=Value(0.0)))
        .order_by("-rank", "-publication_at", "-id")
    )


def _matches_portable(releases: QuerySet, query: str) -> QuerySet:
    for term in query.split():
        term_q = Q()
        for field in SEARCH_FIELDS:
            term_q |= Q(**{f"{field}__icontains": term})
        releases = releases.filter(term_q)
    return releases


def highlight(releases: list, query: str) -> list[Hit]:
    """Each release with its headline and an excerpt, the matched words in <mark>; everything else escaped."""
    query = clean_query(query)
    if not releases:
        return []
    if uses_full_text_search():
        return _highlight_postgres(releases, query)
    return [
        Hit(r, _mark_terms(r.headline, query), _mark_terms(_excerpt(_plain(r.body), query), query)) for r in releases
    ]


def _highlight_postgres(releases: list, query: str) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    from .models import Release

    hits = {}
    by_language: dict[str, list] = {}
    for r in releases:
        by_language.setdefault(r.language, []).append(r.pk)
    for language, pks in by_language.items():
        config = search_config(language)
        sq = SearchQuery(query, config=config, search_type="websearch")
        plain_body = Func(F("body"), Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace")
        rows = (
            Release.objects.filter(pk__in=pks)
            .annotate(
                hl_headline=SearchHeadline(
                    "headline", sq, config=config, start_sel=_START, stop_sel=_STOP, highlight_all=True
                ),
                hl_body=SearchHeadline(
                    plain_body,
                    sq,
                    config=config,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=40,
                    min_words=20,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .values_list("pk", "hl_headline", "hl_body")
        )
        for pk, hl_headline, hl_body in rows:
            hits[pk] = (_safe_marked(hl_headline), _safe_marked(" ".join(html.unescape(hl_body or "").split())))
    return [Hit(r, *hits.get(r.pk, (escape(r.headline), ""))) for r in releases]


def _safe_marked(text: str) -> SafeString:
    """Escape the database's output, then turn the private-use markers into <mark> elements."""
    escaped = escape(text or "")
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _plain(body_html: str) -> str:
    return " ".join(html.unescape(strip_tags(body_html or "")).split())


def _terms_pattern(query: str) -> re.Pattern | None:
    terms = sorted({t for t in query.split() if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def _excerpt(text: str, query: str, width: int = 240) -> str:
    pattern = _terms_pattern(query)
    found = pattern.search(text) if pattern else None
    if not found:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, found.start() - width // 3)
    if start:  # begin on a word, not inside one
        space = text.find(" ", start, found.start())
        start = space + 1 if space != -1 else found.start()
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", found.end(), end)
        end = space if space != -1 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _mark_terms(text: str, query: str) -> SafeString:
    """Wrap each occurrence of a query term in <mark>, escaping every piece of the text."""
    pattern = _terms_pattern(query)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
