"""Hand-written statements run as prepared statements: the same rows as running the text, one
PREPARE per connection and text, a generic plan, and the setting asked for gone afterwards."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.prepared import _prepared, prepared_row

SQL = "SELECT %(n)s::int + %(n)s::int AS doubled, 'a%%b' AS text, %(word)s::text AS word"


def plans_of(sql: str) -> tuple[int, int]:
    """How often PostgreSQL ran the prepared statement of `sql` with a generic plan and with a
    custom one."""
    name = _prepared[connection.connection][sql][0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [name],
        )
        return cursor.fetchone()  # type: ignore[return-value]


@pytest.mark.django_db
def test_the_row_is_the_texts_and_the_statement_is_prepared_once() -> None:
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"n": 4, "word": "it's"})
        expected = dict(zip([c.name for c in cursor.description], cursor.fetchone(), strict=True))
    with CaptureQueriesContext(connection) as first:
        assert (
            prepared_row(SQL, {"n": 4, "word": "it's"})
            == expected
            == {
                "doubled": 8,
                "text": "a%b",  # the %% escape undone, as the driver does with parameters
                "word": "it's",
            }
        )
    with CaptureQueriesContext(connection) as second:
        assert prepared_row(SQL, {"n": 5, "word": "x"})["doubled"] == 10
    assert [q["sql"].split()[0] for q in first.captured_queries] == ["PREPARE", "SET"]
    assert [q["sql"].split()[0] for q in second.captured_queries] == ["SET"]
    assert plans_of(SQL) == (2, 0)


@pytest.mark.django_db(transaction=True)
def test_the_generic_plan_setting_ends_with_the_statement_and_a_rollback_keeps_it() -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        prepared_row(SQL, {"n": 1, "word": "in a transaction"})
        raise ZeroDivisionError  # the transaction rolls back; the prepared statement stays
    assert prepared_row(SQL, {"n": 2, "word": "after"})["doubled"] == 4
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)
