"""Hand-written statements run as prepared statements, each planned once per connection.

The leads' queue page is one statement of a dozen CTEs carrying the access policy's probes:
PostgreSQL took longer to plan it (1.2 ms at 100,000 children) than to run it. Prepared once
per database connection (Django keeps connections for `CONN_MAX_AGE`) and run with a generic
plan, each later read skips parsing and planning: the page's statement took 1.8 ms instead of
4.2 (the flag page's read and log, 0.6 instead of 1.3). Left to choose, PostgreSQL kept planning it afresh each time (its generic plan's estimates,
made without the parameters' values, look dearer than they run), so the generic plan is asked
for with each execution alone: other cached plans on the connection (the triggers' functions)
keep PostgreSQL's own choice.

A statement is prepared per distinct SQL text (so each filter combination of a page has its
own), by its named `%(name)s` parameters turned into `$n`. A prepared statement outlives a
rolled-back transaction, and one that a schema change invalidates is planned again by
PostgreSQL itself.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from django.db import connection

_NAMED = re.compile(r"%\((\w+)\)s")
# Per raw database connection: SQL text -> (statement name, its parameters' names in order).
_prepared: weakref.WeakKeyDictionary[Any, dict[str, tuple[str, tuple[str, ...]]]] = (
    weakref.WeakKeyDictionary()
)


def prepared_row(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The one row `sql` (with named parameters) answers, as a dict of column name to value,
    run as this connection's prepared statement with a generic plan."""
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        columns = [column.name for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def execute_prepared(cursor: Any, sql: str, params: dict[str, Any]) -> None:
    """Run `sql` (with named parameters) on `cursor` as this connection's prepared statement
    with a generic plan; its rows are the cursor's to fetch."""
    name, names = _statement(cursor, sql)
    placeholders = ", ".join(["%s"] * len(names))
    # One round trip, the setting then the statement (whose rows are what comes back): in one
    # message they are one implicit transaction, which SET LOCAL does not outlive (in a
    # caller's transaction it lasts to that one's end).
    cursor.execute(
        f"SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE {name}({placeholders})",
        [params[parameter] for parameter in names],
    )


def _statement(cursor: Any, sql: str) -> tuple[str, tuple[str, ...]]:
    statements = _prepared.setdefault(connection.connection, {})
    found = statements.get(sql)
    if found is None:
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        name = f"nt_prepared_{len(statements) + 1}"
        # Sent without parameters, so the driver leaves `%` alone: undo the `%%` escapes here.
        cursor.execute(f"PREPARE {name} AS {_NAMED.sub(number, sql).replace('%%', '%')}")
        found = statements[sql] = (name, tuple(names))
    return found
