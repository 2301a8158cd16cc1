"""Shared pieces: bench databases, timing, and the report table."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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

    @property
    def ratio(self) -> str:
        return f"{self.value / self.baseline_value:.2f}x" if self.baseline_value else "-"


RESULTS: list[Result] = []


def report(result: Result) -> None:
    RESULTS.append(result)
    baseline = (
        f"  vs {result.baseline_name} {result.baseline_value:,.2f} -> {result.ratio}"
        if result.baseline_name
        else ""
    )
    target = f"  [target {result.target}]" if result.target else ""
    print(f"  {result.name}: {result.value:,.2f} {result.unit}{baseline}{target}", flush=True)


def admin_connection() -> psycopg2.extensions.connection:
    connection = psycopg2.connect(
        host=os.environ["NT_DB_HOST"],
        port=os.environ["NT_DB_PORT"],
        user=os.environ["NT_DB_USER"],
        password=os.environ["NT_DB_PASSWORD"],
        dbname="postgres",
    )
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


def child_peak_rss_mb() -> float:
    """Peak resident memory of the largest child process waited for so far, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000
