"""Seeding rate and peak memory, against the database's own write of exactly the rows seeded.

The floor replays what the seed wrote: every table the seed filled is copied out (`COPY … TO`,
to files), then copied into a freshly migrated database the way the seed writes (one
transaction, `COPY … FROM`, each table's foreign keys checked in bulk when added back, the
rows the database derives written once at the end) and analysed, as the seed's last step does. No Python makes a row; what remains is PostgreSQL's
own cost of writing, indexing and checking the same rows.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable
from typing import IO

import psycopg2

from cases.seeding import (
    derived_rows_defer,
    derived_rows_write,
    foreign_keys_defer,
    foreign_keys_restore,
)

from .harness import Result, manage, manage_measured, recreate_database, report

Connect = Callable[[], psycopg2.extensions.connection]


def bench_seeding(
    database: str, children: int, connect: Connect, floor_database: str, connect_floor: Connect
) -> None:
    recreate_database(database)
    manage(database, "migrate", "--noinput")
    seconds, peak = manage_measured(
        database, "seed_partnership", "--children", str(children), "--no-progress"
    )
    recreate_database(floor_database)
    manage(floor_database, "migrate", "--noinput")
    floor, rows = write_floor_seconds(connect, connect_floor)
    report(
        Result(
            f"seed {children:,} children: time",
            seconds,
            "s",
            f"database's own COPY of the same {rows:,} rows",
            floor,
            "within 2x",
        )
    )
    report(
        Result(
            f"seed {children:,} children: rate", children / seconds, "children/s", target="1,000+"
        )
    )
    report(Result(f"seed {children:,} children: peak memory of the seeding process", peak, "MB"))
    recreate_database(floor_database)  # leave it empty: it is only a scratch database


# Filled by the database itself, in the floor as in the seed: child names as the children are
# written (triggers, cases migration 0016), concerns awaiting an outcome once at the end
# (`derived_rows_write`, cases migration 0018). Copying them too would write them twice.
DERIVED_TABLES = {"cases_childname", "cases_concernawaitingoutcome"}


def seeded_tables(connect_fresh: Connect) -> list[str]:
    """Tables a freshly migrated database leaves empty: the ones seeding fills (less those the
    database derives from others)."""
    connection = connect_fresh()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            empty = []
            for table in sorted(set(tables) - DERIVED_TABLES):
                cursor.execute(f'SELECT NOT EXISTS (SELECT 1 FROM "{table}")')  # nosec B608
                if cursor.fetchone()[0]:  # type: ignore[index]
                    empty.append(table)
        return sorted(empty)
    finally:
        connection.close()


def write_floor_seconds(connect_seeded: Connect, connect_fresh: Connect) -> tuple[float, int]:
    """Seconds PostgreSQL takes to write the seeded rows again into a freshly migrated database
    (the seed's way: one transaction, foreign keys checked and derived rows written in bulk, then
    ANALYZE); and the
    number of rows."""
    with contextlib.ExitStack() as files_open:
        files: dict[str, IO[bytes]] = {}
        rows = 0
        source = connect_seeded()
        try:
            with source.cursor() as cursor:
                for table in seeded_tables(connect_fresh):
                    dump = files_open.enter_context(tempfile.TemporaryFile())
                    cursor.copy_expert(f'COPY "{table}" TO STDOUT', dump)
                    if cursor.rowcount > 0:
                        rows += cursor.rowcount
                        dump.seek(0)
                        files[table] = dump
        finally:
            source.close()
        target = connect_fresh()
        try:
            with target.cursor() as cursor:
                start = time.perf_counter()
                derived_rows_defer(cursor)
                deferred = []
                for table, written in files.items():
                    deferred += foreign_keys_defer(cursor, table)
                    cursor.copy_expert(f'COPY "{table}" FROM STDIN', written)
                foreign_keys_restore(cursor, deferred)
                derived_rows_write(cursor)
                target.commit()
                target.autocommit = True
                cursor.execute("ANALYZE")
                elapsed = time.perf_counter() - start
        finally:
            target.close()
    return elapsed, rows
