"""The application's database role may add to the access and change logs but never alter or
remove a row of them, and is no superuser (issue 11). The test database is migrated by the
owner, whose post-migrate step grants the role its privileges, as on a real install."""

from __future__ import annotations

import os

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from cases.db_roles import app_role_grants

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_app_role() -> psycopg2.extensions.connection:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [settings.DB_APP_ROLE])
        if cursor.fetchone() is None:
            pytest.fail(f"role {settings.DB_APP_ROLE} is missing: scripts/services.sh makes it")
    db = settings.DATABASES["default"]
    app = psycopg2.connect(
        host=db["HOST"],
        port=db["PORT"],
        dbname=db["NAME"],
        user=settings.DB_APP_ROLE,
        password=os.environ.get("NT_DB_APP_PASSWORD", "neglect-app-local-only"),
        connect_timeout=5,
    )
    yield app
    app.rollback()
    app.close()


@pytest.mark.parametrize("table", ["cases_accesslogentry", "cases_changelogentry"])
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET request_id = 'rewritten'",
        "DELETE FROM {table}",
        "TRUNCATE {table}",
    ],
)
def test_the_app_role_cannot_change_or_remove_log_rows(as_app_role, table, statement) -> None:
    with as_app_role.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cursor.execute(statement.format(table=table))


def test_the_app_role_can_read_and_add_to_the_logs_and_change_case_data(as_app_role) -> None:
    with as_app_role.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False)
        cursor.execute("SELECT count(*) FROM cases_accesslogentry")
        cursor.execute(
            "INSERT INTO cases_changelogentry (record_kind, record_id, action, changed_at, request_id)"
            " VALUES ('Test', 1, 'create', now(), 'x') RETURNING id"
        )
        assert cursor.fetchone()[0] > 0
        cursor.execute("UPDATE cases_child SET first_name = first_name WHERE false")
        cursor.execute("DELETE FROM cases_driftevaluationrequest WHERE false")
        cursor.execute("SELECT pg_try_advisory_lock(42), pg_advisory_unlock(42)")
    as_app_role.rollback()  # nothing the test wrote is kept


def test_the_grants_can_be_applied_again() -> None:
    assert app_role_grants() is True
