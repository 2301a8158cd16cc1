"""Set-based inserts of many plain rows, for imports of tens of thousands of records.

Django's bulk_create builds a model instance and prepares every value through its field for
each row; for narrow rows whose values are already plain (ids, short text, times) that costs
more than the database's own work. `values_insert` sends them as pages of VALUES instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone
from psycopg2 import sql
from psycopg2.extras import execute_values


def values_insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """INSERT the rows (values in `columns` order; None is NULL) into the model's table."""
    statement = sql.SQL("INSERT INTO {} ({}) VALUES %s").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, statement, rows, page_size=5000)


def change_log_created(rows: Iterable[tuple[int | None, int, models.Model]]) -> None:
    """One change-log row per record created in bulk: (practitioner id, child id, record), with
    the request's id, as `ChangeLogEntry` rows written one at a time would have."""
    from cases.models import ChangeLogEntry
    from cases.request_context import current_request_id

    request_id, now = current_request_id(), timezone.now()
    values_insert(
        ChangeLogEntry,
        (
            "practitioner_id",
            "child_id",
            "record_kind",
            "record_id",
            "action",
            "changed_at",
            "request_id",
        ),
        (
            (
                practitioner_id,
                child_id,
                type(record).__name__,
                record.pk,
                "created",
                now,
                request_id,
            )
            for practitioner_id, child_id, record in rows
        ),
    )
