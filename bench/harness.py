"""Shared pieces: bench databases, timing, and the report table."""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline_value: float = 0.0
    target: str = ""
    size: int = 0  # children in the partnership measured; 0 when not applicable

    @property
    def ratio(self) -> str:
        return f"{self.value / self.baseline_value:.2f}x" if self.baseline_value else "-"

    def as_record(self, measured_on: str) -> dict[str, object]:
        return {
            "name": self.name,
            "size": self.size,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline_name,
            "baseline_value": self.baseline_value,
            "ratio": round(self.value / self.baseline_value, 3) if self.baseline_value else None,
            "target": self.target,
            "date": measured_on,
        }


RESULTS: list[Result] = []
# The partnership size the group being run measures, stamped on each result it reports.
current_size = 0

# Bench database names derive from the configured database name, read once: use_database()
# later points NT_DB_NAME at a bench database for Django.
DATABASE_PREFIX = os.environ.get("NT_DB_NAME", "neglect_tracker")


def report(result: Result) -> None:
    if not result.size:
        result.size = current_size
    RESULTS.append(result)
    baseline = (
        f"  vs {result.baseline_name} {result.baseline_value:,.2f} -> {result.ratio}"
        if result.baseline_name
        else ""
    )
    target = f"  [target {result.target}]" if result.target else ""
    print(f"  {result.name}: {result.value:,.2f} {result.unit}{baseline}{target}", flush=True)


def results_write(folder: Path) -> Path:
    """Write this run's figures as JSON, for `python -m bench compare` and other machines."""
    now = datetime.datetime.now(datetime.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{now:%Y%m%dT%H%M%SZ}.json"
    records = [result.as_record(now.isoformat(timespec="seconds")) for result in RESULTS]
    path.write_text(json.dumps(records, indent=2) + "\n")
    return path


def results_compare(before_path: Path, after_path: Path) -> list[str]:
    """One line per figure present in either run: before, after and the change."""
    before = {(r["name"], r["size"]): r for r in json.loads(before_path.read_text())}
    after = {(r["name"], r["size"]): r for r in json.loads(after_path.read_text())}
    lines = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (str(k[0]), int(k[1]))):
        name, size = key
        old, new = before.get(key), after.get(key)
        label = f"{name} ({int(size):,} children)" if size else str(name)
        if old is None or new is None:
            present = "after only" if old is None else "before only"
            lines.append(f"  {label}: {present}")
            continue
        change = (new["value"] - old["value"]) / old["value"] * 100 if old["value"] else 0.0
        ratios = f"; ratio {old['ratio']} -> {new['ratio']}" if old["ratio"] or new["ratio"] else ""
        lines.append(
            f"  {label}: {old['value']:,.2f} -> {new['value']:,.2f} {new['unit']} "
            f"({change:+.1f}%){ratios}"
        )
    return lines


def connect_to(database: str) -> psycopg2.extensions.connection:
    """A connection to one of the bench databases (or "postgres" to administer them)."""
    return psycopg2.connect(
        host=os.environ["NT_DB_HOST"],
        port=os.environ["NT_DB_PORT"],
        user=os.environ["NT_DB_USER"],
        password=os.environ["NT_DB_PASSWORD"],
        dbname=database,
        # As the application's own connections (settings.DB_OPTIONS): a baseline read with
        # JIT would be slowed by its compiling, and flatter every ratio taken against it.
        options=f"-c jit={os.environ.get('NT_DB_JIT', 'off')}",
    )


def admin_connection() -> psycopg2.extensions.connection:
    connection = connect_to("postgres")
    connection.autocommit = True
    return connection


def recreate_database(name: str) -> None:
    connection = admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def database_exists(name: str) -> bool:
    connection = admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def manage(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a manage.py command against a bench database, in its own process."""
    env = {**os.environ, "NT_DB_NAME": database}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def manage_measured(database: str, *args: str) -> tuple[float, float]:
    """Run a manage.py command in its own process; returns (seconds, its peak memory in MB)."""
    env = {**os.environ, "NT_DB_NAME": database}
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        # wait4 gives this one process's own resource usage, including its peak memory.
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            errors.seek(0)
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {errors.read()!r}")
    return seconds, usage.ru_maxrss / 1024


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


SCALE_MARKER_TABLE = "bench_scale_marker"
_seeding_reported: set[str] = set()  # bench databases whose seeding rate this run reported


def ensure_scale_database(children: int) -> str:
    """A database holding a seeded partnership of `children` children, seeded once and reused.

    Every app's registered seed steps run, so page and build benchmarks see realistic data.
    Reseeds when the code's migrations or the size differ from what the marker records.
    """
    name = f"{DATABASE_PREFIX}_bench_{children}"
    fingerprint = _migrations_fingerprint()
    marker = _marker(name) if database_exists(name) else None
    if marker and marker.split("|")[0] == f"{children}:{fingerprint}":
        print(f"  (reusing {name})", flush=True)
        if "|" in marker and name not in _seeding_reported:
            _seeding_reported.add(name)
            seconds = float(marker.split("|")[1])
            report(
                Result(
                    f"seed {children:,} children: rate (when this database was built)",
                    children / seconds,
                    "children/s",
                )
            )
        return name
    print(f"  (seeding {children:,} children into {name}; this takes a few minutes)", flush=True)
    recreate_database(name)
    manage(name, "migrate", "--noinput")
    seconds, peak = manage_measured(
        name, "seed_partnership", "--children", str(children), "--no-progress"
    )
    report(Result(f"seed {children:,} children: rate", children / seconds, "children/s"))
    report(Result(f"seed {children:,} children: peak memory of the seeding process", peak, "MB"))
    _seeding_reported.add(name)
    settle_after_bulk_load(name)
    connection = connect_to(name)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {SCALE_MARKER_TABLE} (marker text)")
            # The marker table's name is a constant; the value is a parameter.
            cursor.execute(
                f"INSERT INTO {SCALE_MARKER_TABLE} VALUES (%s)",  # nosec B608
                [f"{children}:{fingerprint}|{seconds:.3f}"],
            )
    finally:
        connection.close()
    return name


def settle_after_bulk_load(name: str) -> None:
    """VACUUM a freshly seeded bench database, as autovacuum would have on a live one, untimed.

    Rows written in bulk carry no hint bits and no visibility map: the first query to read each
    row pays to set them (measured: the first full drift run at 100,000 children 9.6 s, 3.0 s
    once settled), and autovacuum starts on the new tables mid-benchmark on the same two cores.
    """
    print(f"  (vacuuming {name} after its bulk load; not timed)", flush=True)
    connection = connect_to(name)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    finally:
        connection.close()


def _marker(name: str) -> str | None:
    connection = connect_to(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [SCALE_MARKER_TABLE])
            if cursor.fetchone()[0] is None:  # type: ignore[index]
                return None
            # A constant table name.
            cursor.execute(f"SELECT marker FROM {SCALE_MARKER_TABLE}")  # nosec B608
            row = cursor.fetchone()
            return str(row[0]) if row else None
    finally:
        connection.close()


def fingerprinted_paths() -> list[Path]:
    """The files whose change makes a bench database stale: migrations and every seed step
    (they live in every app, some in sub-packages such as cases/census/seeding.py)."""
    apps = ("neglect_tracker", "cases", "assessments", "learning", "reporting")
    seeding = {
        path
        for app in apps
        for pattern in ("**/seed*.py", "**/seeding/*.py")
        for path in (ROOT / app).glob(pattern)
    }
    return sorted(ROOT.glob("*/migrations/0*.py")) + sorted(seeding)


def _migrations_fingerprint() -> str:
    """Changes whenever a migration or the seeding code changes, so stale data is rebuilt."""
    import hashlib

    digest = hashlib.sha256()
    for path in fingerprinted_paths():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def use_database(name: str) -> None:
    """Point this process's Django at a bench database (again when `--sizes` moves on)."""
    os.environ["NT_DB_NAME"] = name
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
        return
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def signed_in(client: Any, user: Any) -> None:
    """Sign the test client in as `user` with the second factor given, as a person would be
    after the password and their authenticator's code (every signed-in page needs both)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from cases.accounts.demo import demo_second_factor_ensure
    from cases.accounts.middleware import LAST_ACTIVITY
    from cases.accounts.second_factor import AUTHENTICATED_AT

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = demo_second_factor_ensure(user).persistent_id
    session[AUTHENTICATED_AT] = session[LAST_ACTIVITY] = time.time()
    session.save()


def request_timings(client: object, path: str, repeats: int, warmup: int = 3) -> list[float]:
    """Seconds per GET of `path` through the whole Django stack (middleware, ORM, templates)."""
    for _ in range(warmup):
        response = client.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 200, (path, response.status_code)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return samples
