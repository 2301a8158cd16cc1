"""Full drift evaluation on the scale database: time, rate per 1,000 children, idempotency.

Baseline, measured in the same run: one sequential read of every table the cases rules read
(SELECT count(*) over each), the floor for any evaluation that looks at all the evidence.
"""

from __future__ import annotations

import json
import time

import psycopg2

from .harness import Result, manage, p95_ms, report, request_timings, use_database

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
            for table in SOURCE_TABLES:  # the bench's own table names
                cursor.execute(f"SELECT count(*) FROM {table}")  # nosec B608
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
    print(f"  seconds by rule: {first['seconds_by_rule']}", flush=True)


def bench_queue_page(database: str, children: int) -> None:
    """The lead's queue page through the whole stack, beside the same user's home page."""
    use_database(database)
    from django.test import Client

    from cases.models import Practitioner

    for username in ("manager", "lead"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(Practitioner.objects.get(username=username))
        home = request_timings(client, "/", repeats=20)
        queue = request_timings(client, "/drift/", repeats=20)
        report(
            Result(
                f"drift queue page, {children:,} children, as the demo {username}: p95",
                p95_ms(queue),
                "ms",
                "their home page p95",
                p95_ms(home),
            )
        )
