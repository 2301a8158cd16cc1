"""Full drift evaluation on the scale database: time, rate per 1,000 children, idempotency.

Baseline, measured in the same run: one sequential read of every table the cases rules read
(SELECT count(*) over each), the floor for any evaluation that looks at all the evidence.
"""

from __future__ import annotations

import json
import time

import psycopg2

from .harness import Result, manage, report

SOURCE_TABLES = (
    "cases_child",
    "cases_involvement",
    "cases_visit",
    "cases_referral",
    "cases_protectionmeeting",
    "cases_planaction",
    "cases_plan",
    "cases_concernchild",
    "cases_chronologyentry",
)


def bench_drift(database: str, children: int, connect: object) -> None:
    connection: psycopg2.extensions.connection = connect()  # type: ignore[operator]
    try:
        with connection, connection.cursor() as cursor:
            # Start from no flags, so the first run opens every flag the rules find.
            cursor.execute("TRUNCATE cases_supervisionrecord, cases_driftflag")
        with connection.cursor() as cursor:
            start = time.perf_counter()
            for table in SOURCE_TABLES:
                cursor.execute(f"SELECT count(*) FROM {table}")
                cursor.fetchone()
            baseline = time.perf_counter() - start
    finally:
        connection.close()
    first = json.loads(manage(database, "drift_evaluate", "--json").stdout)
    second = json.loads(manage(database, "drift_evaluate", "--json").stdout)
    report(
        Result(
            f"drift evaluation, {children:,} children: time",
            first["seconds"],
            "s",
            "sequential read of the source tables",
            baseline,
            "under 60 s",
        )
    )
    report(
        Result(
            f"drift evaluation, {children:,} children: per 1,000 children",
            first["seconds"] / children * 1000 * 1000,
            "ms",
        )
    )
    report(Result("drift evaluation: flags opened on the first run", first["opened"], "flags"))
    report(
        Result(
            "drift evaluation: second run (idempotent, nothing changes)",
            second["seconds"],
            "s",
            "flags changed",
            float(second["changed"]),
        )
    )
    print(f"  flags opened by rule: {first['by_rule']}", flush=True)
