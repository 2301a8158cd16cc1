"""The drift queue's rows (DriftQueueEntry): one per child with open flags and per agency with a
relationship to the child, each summing up the flags that agency has not put aside.

`drift_queue_entries_refresh` recomputes the rows of some children (or of everyone) from the
flags, the agencies' decisions and the open involvement, in one statement: call it in the
transaction of any change to those (the drift evaluation, a decision, a step up or down, a new
relationship). A decision's review date passing changes a row without any write, so the rows
whose `returns_on` has come are refreshed by the scheduled run and before a queue is read
(`drift_queue_entries_refresh_due`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from cases.models import (
    DriftFlag,
    DriftFlagReview,
    DriftQueueEntry,
    Involvement,
    LegitimateRelationship,
)

GCP2_OVERDUE = "GCP2_OVERDUE"  # assessments' rule: the lead's home page counts it apart

_KEYS = ("child_id", "agency_id")
_VALUES = (
    "flag_count",
    "worst_rank",
    "drifting_since",
    "rule_codes",
    "gcp2_overdue",
    "returns_on",
    "level",
    "holding_agency_id",
    "team_id",
    "worker_id",
)
_COLUMNS = ", ".join(_KEYS + _VALUES)
# The rows as they should be: a flag is shown to an agency unless that agency's review date is
# still ahead. Table names come from the models; every value is a parameter.
_COMPUTED = f"""
    SELECT flag.child_id, relationship.agency_id,
        count(*) FILTER (WHERE shown) AS flag_count,
        min(flag.severity_rank) FILTER (WHERE shown) AS worst_rank,
        min(flag.condition_since) FILTER (WHERE shown) AS drifting_since,
        coalesce(array_agg(flag.rule_code ORDER BY flag.rule_code) FILTER (WHERE shown),
                 ARRAY[]::varchar(40)[]) AS rule_codes,
        coalesce(bool_or(flag.rule_code = %(gcp2)s) FILTER (WHERE shown), false) AS gcp2_overdue,
        min(review_on) FILTER (WHERE NOT shown) AS returns_on,
        coalesce(min(involvement.level), '') AS level,
        min(involvement.lead_agency_id) AS holding_agency_id,
        min(involvement.team_id) AS team_id,
        min(involvement.lead_professional_id) AS worker_id
    FROM {DriftFlag._meta.db_table} flag
    JOIN {LegitimateRelationship._meta.db_table} relationship
        ON relationship.child_id = flag.child_id
    LEFT JOIN {DriftFlagReview._meta.db_table} review
        ON review.flag_id = flag.id AND review.agency_id = relationship.agency_id
    LEFT JOIN {Involvement._meta.db_table} involvement
        ON involvement.child_id = flag.child_id AND involvement.ended_on IS NULL
    CROSS JOIN LATERAL (
        SELECT review.review_on IS NULL OR review.review_on <= %(as_of)s AS shown
    ) decided
    WHERE flag.resolved_at IS NULL {{children}}
    GROUP BY flag.child_id, relationship.agency_id
"""  # noqa: S608  # nosec B608
_TABLE = DriftQueueEntry._meta.db_table
# Upsert only what changed (an unchanged row keeps its page all-visible, so the queue's scans
# stay index-only), then delete the rows no longer computed.
_REFRESH = f"""
    WITH computed AS ({_COMPUTED}),
    upserted AS (
        INSERT INTO {_TABLE} AS entry ({_COLUMNS})
        -- In key order, so two refreshes touching the same children lock rows in one order.
        SELECT {_COLUMNS} FROM computed ORDER BY child_id, agency_id
        ON CONFLICT (child_id, agency_id) DO UPDATE SET
            {", ".join(f"{column} = EXCLUDED.{column}" for column in _VALUES)}
        WHERE ({", ".join(f"entry.{column}" for column in _VALUES)})
            IS DISTINCT FROM ({", ".join(f"EXCLUDED.{column}" for column in _VALUES)})
        RETURNING 1
    ),
    deleted AS (
        DELETE FROM {_TABLE} entry
        WHERE NOT EXISTS (
            SELECT 1 FROM computed
            WHERE computed.child_id = entry.child_id AND computed.agency_id = entry.agency_id
        ) {{entries}}
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM upserted) + (SELECT count(*) FROM deleted)
"""  # noqa: S608  # nosec B608


def drift_queue_entries_refresh(
    *, child_ids: Iterable[int] | None = None, as_of: datetime.date | None = None
) -> int:
    """Bring the queue rows of these children (of every child when None) up to date; returns
    how many rows changed. Run it inside the transaction that changed their flags, decisions,
    involvement or relationships."""
    params: dict[str, Any] = {
        "gcp2": GCP2_OVERDUE,
        "as_of": as_of or timezone.localdate(),
    }
    if child_ids is None:
        sql = _REFRESH.format(children="", entries="")
    else:
        params["ids"] = sorted(set(child_ids))
        if not params["ids"]:
            return 0
        sql = _REFRESH.format(
            children="AND flag.child_id = ANY(%(ids)s)", entries="AND entry.child_id = ANY(%(ids)s)"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (changed,) = cursor.fetchone()  # type: ignore[misc]
    return int(changed)


def drift_queue_entries_refresh_due(
    *, as_of: datetime.date | None = None, agency_id: int | None = None
) -> int:
    """Refresh the rows whose put-aside flags come back by `as_of` (one agency's, or all): one
    index probe when, as nearly always, there are none."""
    as_of = as_of or timezone.localdate()
    due = DriftQueueEntry.objects.filter(returns_on__lte=as_of)
    if agency_id is not None:
        due = due.filter(agency_id=agency_id)
    child_ids = list(due.values_list("child_id", flat=True).distinct())
    return drift_queue_entries_refresh(child_ids=child_ids, as_of=as_of) if child_ids else 0
