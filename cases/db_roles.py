"""The application's database role: it reads and writes case data but can only add to the
access and change logs, never alter or remove a row of them.

The owner (NT_DB_USER) runs migrations; after every migrate (test databases included) the
grants below are applied again, so tables added later are covered. scripts/services.sh
creates the role (NT_DB_APP_ROLE, password NT_DB_APP_PASSWORD); where it does not exist,
nothing is granted.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db import connections

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY_MODELS = ("AccessLogEntry", "ChangeLogEntry", "SearchLogEntry", "AccessLogExport")


def app_role_grants(*, using: str = "default") -> bool:
    """Grant the application role what it needs; False if the role does not exist."""
    from django.apps import apps

    role = settings.DB_APP_ROLE
    if not _ROLE_NAME.match(role):
        raise ValueError("NT_DB_APP_ROLE must be a plain lower-case PostgreSQL role name")
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None or connection.settings_dict["USER"] == role:
            return False
        if found[0]:
            raise ValueError(f"The application role {role} must not be a superuser")
        quoted = connection.ops.quote_name(role)
        append_only = ", ".join(
            connection.ops.quote_name(apps.get_model("cases", name)._meta.db_table)
            for name in APPEND_ONLY_MODELS
        )
        # Identifiers are checked above or come from the models: nothing from outside.
        for statement in (
            f"GRANT USAGE ON SCHEMA public TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {quoted}",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {append_only} FROM {quoted}",
        ):
            cursor.execute(statement)
    return True


def app_role_grants_after_migrate(sender: AppConfig, using: str = "default", **_: Any) -> None:
    app_role_grants(using=using)
