"""When a child's next GCP2 is due, computed in SQL so a whole caseload is one query.

* A repeat is due `repeat_months` calendar months after the last signed-off assessment.
  PostgreSQL's month arithmetic clamps to the month's end (31 August + 6 months is
  28 February, or 29 in a leap year), which is what practitioners expect of "six months".
* An initial assessment is due `initial_days` days after the child first had a neglect concern
  while at early help or above: the later of the first concern and the start of the open
  involvement at that level.
* Only children with an open involvement at early help or above are due anything; an
  assessment counts once it is signed off.

The children are read once (into the open involvements) and each fact is one grouped scan
joined to those by child, rather than correlated subqueries that Django would repeat in WHERE
and ORDER BY. Joins, not `IN` over a materialised set: for a whole partnership PostgreSQL then
hashes each table once instead of probing an index per child (7 s against 2.5 s for the drift
rule at 300,000 children); for one child or a caseload it still probes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from cases.codes import NeedLevel
from cases.models import Child, Concern, ConcernChild, Involvement

from .models import Assessment, AssessmentStatus

EARLY_HELP_OR_ABOVE = (
    NeedLevel.EARLY_HELP,
    NeedLevel.CHILD_IN_NEED,
    NeedLevel.CHILD_PROTECTION,
    NeedLevel.LOOKED_AFTER,
)
INITIAL, REPEAT = "initial", "repeat"


def repeat_months_setting() -> int:
    return int(settings.NT_GCP2_REPEAT_MONTHS)


def initial_days_setting() -> int:
    return int(settings.NT_GCP2_INITIAL_DAYS)


@dataclass(frozen=True)
class Due:
    child_id: int
    due_on: datetime.date
    kind: str  # INITIAL or REPEAT


def gcp2_due_sql(
    children: QuerySet[Child], *, initial_days: int, repeat_months: int
) -> tuple[str, list[Any]]:
    """SQL selecting (child_id, due_on, kind) for the children that are due anything: the
    whole caseload in one query (the page's list, the drift rule)."""
    children_sql, children_params = children.order_by().values("pk").query.sql_with_params()
    levels = ", ".join(["%s"] * len(EARLY_HELP_OR_ABOVE))
    # Only table names and Django's own compiled SQL are interpolated; every value is a param.
    sql = f"""
        WITH c AS ({children_sql}),
        inv AS (
            SELECT child_id, MIN(started_on) AS started_on FROM {Involvement._meta.db_table}
            WHERE ended_on IS NULL AND level IN ({levels}) AND child_id IN (SELECT * FROM c)
            GROUP BY child_id
        ),
        last AS (
            SELECT assessment.child_id, MAX(assessment.assessed_on) AS signed_off
            FROM {Assessment._meta.db_table} assessment JOIN inv USING (child_id)
            WHERE assessment.status = %s
            GROUP BY assessment.child_id
        ),
        concerned AS (
            SELECT link.child_id, MIN(concern.observed_on) AS first_concern
            FROM {ConcernChild._meta.db_table} link
            JOIN {Concern._meta.db_table} concern ON concern.id = link.concern_id
            JOIN inv ON inv.child_id = link.child_id
            GROUP BY link.child_id
        )
        SELECT inv.child_id,
            CASE WHEN last.signed_off IS NOT NULL
                THEN (last.signed_off + make_interval(months => %s))::date
                ELSE (GREATEST(concerned.first_concern, inv.started_on) + %s)::date
            END AS due_on,
            CASE WHEN last.signed_off IS NOT NULL THEN %s ELSE %s END AS kind
        FROM inv
        LEFT JOIN last ON last.child_id = inv.child_id
        LEFT JOIN concerned ON concerned.child_id = inv.child_id
        WHERE last.signed_off IS NOT NULL OR concerned.first_concern IS NOT NULL
    """  # noqa: S608  # nosec B608
    params = [
        *children_params,
        *[str(level) for level in EARLY_HELP_OR_ABOVE],
        AssessmentStatus.SIGNED_OFF.value,
        int(repeat_months),
        int(initial_days),
        REPEAT,
        INITIAL,
    ]
    return sql, params


def gcp2_due(
    children: QuerySet[Child],
    *,
    initial_days: int,
    repeat_months: int,
    due_by: datetime.date | None = None,
    limit: int | None = None,
) -> list[Due]:
    """What is due for these children, soonest first; optionally only up to a date."""
    sql, params = gcp2_due_sql(children, initial_days=initial_days, repeat_months=repeat_months)
    query = f"SELECT child_id, due_on, kind FROM ({sql}) due"  # noqa: S608  # nosec B608
    if due_by is not None:
        query += " WHERE due_on <= %s"
        params.append(due_by)
    query += " ORDER BY due_on, child_id"
    if limit is not None:
        query += " LIMIT %s"
        params.append(int(limit))
    with transaction.atomic(), connection.cursor() as cursor:
        # A page-sized query: compiling it (PostgreSQL's JIT) would cost more than running it.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(query, params)
        return [Due(*row) for row in cursor.fetchall()]


def gcp2_due_for_child(child: Child) -> Due | None:
    """The child's next due assessment under the partnership's settings, if any."""
    found = gcp2_due(
        Child.objects.filter(pk=child.pk),
        initial_days=initial_days_setting(),
        repeat_months=repeat_months_setting(),
    )
    return found[0] if found else None


def gcp2_due_from_settings(
    children: QuerySet[Child], *, due_by: datetime.date | None = None, limit: int | None = None
) -> list[Due]:
    return gcp2_due(
        children,
        initial_days=initial_days_setting(),
        repeat_months=repeat_months_setting(),
        due_by=due_by,
        limit=limit,
    )
