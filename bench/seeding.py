"""Seeding rate and peak memory, against the database's own floor for writing the same rows."""

from __future__ import annotations

import time

import psycopg2

from .harness import Result, manage, manage_measured, recreate_database, report

SEEDED_TABLES = (
    "cases_family",
    "cases_address",
    "cases_adult",
    "cases_child",
    "cases_relationship",
    "cases_involvement",
    "cases_teamaroundfamilymember",
    "cases_legitimaterelationship",
    "cases_chronologyentry",
    "assessments_assessment",
    "assessments_areagrade",
    "assessments_subareagrade",
)


def bench_seeding(database: str, children: int, connect: object) -> None:
    recreate_database(database)
    manage(database, "migrate", "--noinput")
    seconds, peak = manage_measured(
        database, "seed_partnership", "--children", str(children), "--no-progress"
    )
    floor = write_floor_seconds(connect)  # type: ignore[arg-type]
    report(
        Result(
            f"seed {children:,} children: time",
            seconds,
            "s",
            "database write floor (INSERT ... SELECT of the same rows)",
            floor,
            "under 60 s at 10,000" if children == 10_000 else "",
        )
    )
    report(Result(f"seed {children:,} children: rate", children / seconds, "children/s"))
    report(Result(f"seed {children:,} children: peak memory of the seeding process", peak, "MB"))


def write_floor_seconds(connect: object) -> float:
    """How long PostgreSQL alone takes to write the seeded rows again: no Python, no network."""
    connection: psycopg2.extensions.connection = connect()  # type: ignore[operator]
    try:
        with connection.cursor() as cursor:
            start = time.perf_counter()
            for table in SEEDED_TABLES:  # the bench's own table names
                cursor.execute(f"CREATE TEMP TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
                cursor.execute(f"INSERT INTO floor_{table} SELECT * FROM {table}")  # nosec B608
            elapsed = time.perf_counter() - start
        connection.rollback()
    finally:
        connection.close()
    return elapsed
