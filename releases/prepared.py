"""Querysets compiled once per process, run many times: for the hottest reads (a release's page and PDF), where
building the queryset and compiling its SQL cost more than the database takes to answer.

    PAGE = Prepared(lambda now, slug, language: Release.objects.published(now).filter(…).values_list(…),
                    now=MOMENT, slug=TEXT, language=TEXT)
    rows = PAGE.rows(now=timezone.now(), slug="results", language="en")

The builder is called once with stand-in values; the SQL it compiles to is kept with the position of each
stand-in among its parameters, and each run puts the real values in their place. The queryset stays the only
statement of what is read (the gate of `querysets.py` included): nothing is written twice in SQL. Rows come
back as the builder's `values_list` gives them, through the same converters.

On PostgreSQL the query's constants are written into its text, so only the stand-ins remain parameters, and
it runs as a server-side prepared statement: parsed once per process, planned once per connection
(DATABASE_PREPARED_STATEMENTS=false turns that off, e.g. behind a PgBouncer older than 1.21 in transaction
mode). It is also its own health check: a connection found dead is replaced and the read, which changes
nothing, asked once more, instead of a `SELECT 1` before it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections


@dataclasses.dataclass(frozen=True)
class Kind:
    """A kind of stand-in: the value the builder sees, and how a value of it becomes a parameter."""

    value: Callable[[str], object]
    adapt: Callable[[object, object], object]  # (value, connection) -> parameter


MOMENT = Kind(
    lambda name: dt.datetime(1901, 2, 3, 4, 5, 6, 7000 + len(name), tzinfo=dt.UTC),
    lambda value, connection: connection.ops.adapt_datetimefield_value(value),
)
TEXT = Kind(lambda name: f"\x1fstand-in for {name}\x1f", lambda value, connection: value)


def prepared_statements() -> bool:
    return bool(getattr(settings, "DATABASE_PREPARED_STATEMENTS", True))


class Prepared:
    def __init__(self, build: Callable, *, binary: bool = False, **kinds: Kind):
        self.build = build
        self.kinds = kinds
        self.binary = binary  # PostgreSQL: results in binary (bytea without hex encoding)
        self._compiled: dict[tuple[str, str], tuple] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str):
        connection = connections[alias]
        key = (alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is not None:
            return compiled
        with self._lock:
            stand_ins = {name: kind.value(name) for name, kind in self.kinds.items()}
            compiler = self.build(**stand_ins).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            adapted = {name: self.kinds[name].adapt(value, connection) for name, value in stand_ins.items()}
            positions: dict[int, str] = {}
            for index, param in enumerate(params):
                for name, value in adapted.items():
                    if param == value:
                        positions[index] = name
            missing = set(stand_ins) - set(positions.values())
            if missing:
                raise ValueError(f"The prepared query does not use {', '.join(sorted(missing))}.")
            fields = [select[0] for select in compiler.select[0 : compiler.col_count]]
            converters = compiler.get_converters(fields)
            if connection.vendor == "postgresql":
                sql, params, positions = _inline_constants(connection, sql, list(params), positions)
            compiled = (sql, list(params), positions, compiler, converters)
            self._compiled[key] = compiled
            return compiled

    def sql(self, using: str = "default") -> str:
        return self._compile(using)[0]

    def rows(self, using: str = "default", **values) -> list[tuple]:
        """The rows of the query with `values` for the stand-ins."""
        sql, params, positions, compiler, converters = self._compile(using)
        connection = connections[using]
        params = list(params)
        for index, name in positions.items():
            params[index] = self.kinds[name].adapt(values[name], connection)
        if connection.vendor == "postgresql" and prepared_statements() and not connection.queries_logged:
            rows = _fetch_prepared(connection, sql, params, self.binary)
        else:
            # Through Django's cursor: every query is logged where queries are (DEBUG, tests that count them).
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        return [tuple(row) for row in rows]


def _inline_constants(connection, sql: str, params: list, positions: dict[int, str]):
    """PostgreSQL: the query's constants (statuses, separators) written into its text as literals, quoted by
    psycopg, so that only the stand-ins remain parameters (psycopg then parses the text once per process)."""
    from psycopg import sql as psycopg_sql

    pieces = sql.split("%s")
    if len(pieces) != len(params) + 1 or "%%" in sql:
        return sql, params, positions
    connection.ensure_connection()
    out, kept, kept_positions = [pieces[0]], [], {}
    for index, param in enumerate(params):
        if index in positions:
            kept_positions[len(kept)] = positions[index]
            kept.append(param)
            out.append("%s")
        else:
            out.append(psycopg_sql.Literal(param).as_string(connection.connection).replace("%", "%%"))
        out.append(pieces[index + 1])
    return "".join(out), kept, kept_positions


def _fetch_prepared(connection, sql: str, params: list, binary: bool) -> list[tuple]:
    """Run as a server-side prepared statement. The read is its own health check: a connection found dead is
    replaced and the read asked once more (outside a transaction only; it changes nothing)."""
    import psycopg
    from django.db import Error as DatabaseError

    for attempt in (1, 2):
        connection.ensure_connection()
        # The read below checks the connection; Django's SELECT 1 before it would cost a round trip more.
        connection.health_check_done = True
        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django leaves psycopg's preparing off; it concerns server-side binding cursors only, which Django
            # does not use (its own are client-side), so turning it on here changes nothing else.
            raw.prepare_threshold = 5
        try:
            with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
                cursor.execute(sql, params, prepare=True, binary=binary)
                return cursor.fetchall()
        except DatabaseError:
            if attempt == 2 or not connection.get_autocommit() or connection.is_usable():
                raise
            connection.close()
    raise AssertionError("unreachable")
