"""Set-based inserts of many plain rows, for imports of tens of thousands of records.

Django's bulk_create builds a model instance and prepares every value through its field for
each row; for narrow rows whose values are already plain (ids, short text, times) that costs
more than the database's own work. `values_insert` sends them as pages of VALUES instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models
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
