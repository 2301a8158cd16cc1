"""The container deployment (docker-compose.yml, Dockerfile) keeps the same trust rules as
`make run`: migrate runs as the owner, everything else as the application role that the
postgres container's first start creates. Docker is not available here, so the files are read
and the role script is run against the test PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import uuid
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
ROLE_SCRIPT = ROOT / "deploy" / "postgres-init" / "10-app-role.sh"


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_long_running_services_connect_as_the_app_role_and_migrate_as_the_owner() -> None:
    services = compose()["services"]
    for name in ("web", "worker", "builds-worker", "beat"):
        environment = services[name]["environment"]
        assert environment["NT_DB_APP_USER"] == environment["NT_DB_APP_ROLE"], name
    assert "NT_DB_APP_USER" not in services["migrate"]["environment"]


def test_the_postgres_container_runs_the_role_script_on_first_start() -> None:
    postgres = compose()["services"]["postgres"]
    assert "./deploy/postgres-init:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]
    assert postgres["environment"]["NT_DB_APP_ROLE"] == "neglect_app"


def test_every_project_package_is_installed_by_the_image() -> None:
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("neglect_tracker", "cases", "assessments", "learning", "reporting"):
        assert f"{package}*" in include
        assert f"COPY {package} ./{package}" in dockerfile


@pytest.mark.django_db
def test_the_role_script_creates_a_login_role_that_is_no_superuser() -> None:
    psql = shutil.which("psql") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/psql")))
    )
    db = settings.DATABASES["default"]
    role = f"probe_{uuid.uuid4().hex[:8]}"
    env: dict[str, str] = {
        **os.environ,
        "PATH": f"{Path(psql).parent}:{os.environ['PATH']}",
        "PGHOST": str(db["HOST"]),
        "PGPORT": str(db["PORT"]),
        "PGPASSWORD": os.environ.get("NT_DB_PASSWORD", "neglect-local-only"),
        "POSTGRES_USER": settings.DB_OWNER_USER,
        "POSTGRES_DB": str(db["NAME"]),
        "NT_DB_APP_ROLE": role,
        "NT_DB_APP_PASSWORD": "o'quoted",
    }
    try:
        subprocess.run(["sh", str(ROLE_SCRIPT)], env=env, check=True, capture_output=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles "
                "WHERE rolname = %s",
                [role],
            )
            assert cursor.fetchone() == (False, False, False, True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
