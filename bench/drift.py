"""Full drift evaluation on the scale database: time, rate per 1,000 children, idempotency.

Baseline, measured in the same run: the floor for any evaluation that looks at all the evidence,
one sequential read (COPY TO, the rows streamed to this process and discarded) of the columns
the evaluation reads from every table it reads: each registered rule's tables, and the
relationships and involvements the lead's queue rows are built from. The flags and queue rows it
writes are its output, not its evidence, so they are not read. A `count(*)` is no such floor:
PostgreSQL answers it from the smallest index or the visibility map without reading the rows.
No sorting and no work beyond the fetch: the floor is what reading the evidence once costs.
tests/bench/test_drift_floor.py fails when a rule reads a table the floor does not.
"""

from __future__ import annotations

import io
import json
import time

import psycopg2

from .harness import Result, manage, p95_ms, report, request_timings, signed_in, use_database

# The columns the rules and the queue refresh read, table by table.
SOURCE_COLUMNS = {
    "cases_child": "id",
    "cases_involvement": "child_id, level, started_on, ended_on, lead_professional_id,"
    " lead_agency_id, team_id",
    "cases_concernchild": "id, concern_id, child_id",
    "cases_concern": "id, observed_on, author_agency_id",
    "cases_agency": "id, agency_type",
    "cases_chronologyentry": "child_id, event_type, occurred_on",
    "cases_visit": "id, child_id, occurred_on, child_seen, child_seen_alone, child_voice",
    "cases_referral": "child_id, received_on, decision_on, assessment_started_on,"
    " assessment_completed_on",
    "cases_protectionmeeting": "id, child_id, kind, held_on, conference_needed",
    "cases_planaction": "id, child_id, plan_id, status, due_on",
    "cases_plan": "id, ended_on",
    "assessments_assessment": "id, child_id, status, assessed_on",
    "assessments_areagrade": "id, assessment_id, area_id, grade",
    "assessments_area": "id, code",
    "cases_legitimaterelationship": "child_id, agency_id",
    "cases_driftflagreview": "flag_id, agency_id, review_on",
}


class _Discard(io.RawIOBase):
    def write(self, data: object) -> int:
        return len(data)  # type: ignore[arg-type]


def sequential_read_seconds(cursor: object) -> float:
    """Seconds to stream the source columns of every table once, through a DB-API cursor."""
    start = time.perf_counter()
    for table, columns in SOURCE_COLUMNS.items():  # the bench's own constants
        sql = f"COPY (SELECT {columns} FROM {table}) TO STDOUT"  # nosec B608
        cursor.copy_expert(sql, _Discard())  # type: ignore[attr-defined]
    return time.perf_counter() - start


def bench_drift(database: str, children: int, connect: object) -> None:
    connection: psycopg2.extensions.connection = connect()  # type: ignore[operator]
    try:
        with connection, connection.cursor() as cursor:
            # Start from no flags, so the first run opens every flag the rules find.
            cursor.execute("TRUNCATE cases_supervisionrecord, cases_driftflag CASCADE")
        with connection.cursor() as cursor:
            baseline = sequential_read_seconds(cursor)
    finally:
        connection.close()
    first = json.loads(manage(database, "drift_evaluate", "--json").stdout)
    second = json.loads(manage(database, "drift_evaluate", "--json").stdout)
    # The hourly run after the full one, nothing changed; then again after one child changed.
    unchanged = json.loads(manage(database, "drift_evaluate", "--scheduled", "--json").stdout)
    connection = connect()  # type: ignore[operator]
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cases_driftevaluationrequest (child_id, requested_at) "
                "SELECT child_id, now() FROM cases_driftflag ORDER BY id LIMIT 1"
            )
    finally:
        connection.close()
    one_child = json.loads(manage(database, "drift_evaluate", "--scheduled", "--json").stdout)
    report(
        Result(
            f"drift evaluation, {children:,} children: time",
            first["seconds"],
            "s",
            "one sequential read (COPY TO) of the columns of every table the rules read",
            baseline,
            "under 60 s, within 10x",
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
    report(
        Result(
            "drift evaluation: scheduled run, nothing changed (incremental)",
            unchanged["seconds"],
            "s",
            "full evaluation",
            first["seconds"],
            "under 10% of the full run",
        )
    )
    report(
        Result(
            "drift evaluation: scheduled run, one child changed (incremental)",
            one_child["seconds"] * 1000,
            "ms",
            "full evaluation",
            first["seconds"] * 1000,
            "under 200 ms",
        )
    )
    print(f"  flags opened by rule: {first['by_rule']}", flush=True)
    print(f"  seconds by rule: {first['seconds_by_rule']}", flush=True)
    connection = connect()  # type: ignore[operator]
    try:
        drift_shape(connection)
        # The pages below read the flags just written, as they would after autovacuum has
        # seen the bulk change (a fresh table has no visibility map for index-only scans).
        connection.rollback()  # end drift_shape's read-only transaction
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_driftflag")
            cursor.execute("VACUUM ANALYZE cases_driftqueueentry")
            cursor.execute("VACUUM ANALYZE cases_driftqueuetally")  # kept by the entries' triggers
    finally:
        connection.close()


# Open cases by level of need, and how many of them carry an open flag: the seed's drift shape.
FLAGGED_SHARE_SQL = """
    SELECT coalesce(open_case.level, 'all levels'), count(*),
           count(flagged.child_id), round(100.0 * count(flagged.child_id) / count(*), 1)
    FROM cases_involvement open_case
    LEFT JOIN (SELECT DISTINCT child_id FROM cases_driftflag WHERE resolved_at IS NULL) flagged
        ON flagged.child_id = open_case.child_id
    WHERE open_case.ended_on IS NULL
    GROUP BY ROLLUP (open_case.level) ORDER BY open_case.level NULLS LAST
"""
# Open flags by rule, and how long ago their condition first held.
FLAG_AGES_SQL = """
    SELECT rule_code, count(*),
           count(*) FILTER (WHERE condition_since > current_date - 30),
           count(*) FILTER (WHERE condition_since BETWEEN current_date - 89 AND current_date - 30),
           count(*) FILTER (WHERE condition_since <= current_date - 90)
    FROM cases_driftflag WHERE resolved_at IS NULL GROUP BY rule_code ORDER BY rule_code
"""


def drift_shape(connection: psycopg2.extensions.connection) -> None:
    """Print the share of open cases flagged per level, and each rule's flags by age."""
    with connection.cursor() as cursor:
        cursor.execute(FLAGGED_SHARE_SQL)
        print("  open cases flagged, by level of need (level: open, flagged, %):", flush=True)
        for level, open_cases, flagged, share in cursor.fetchall():
            print(f"    {level}: {open_cases:,}, {flagged:,}, {share}%", flush=True)
        cursor.execute(FLAG_AGES_SQL)
        print("  open flags by rule (all; under 30 days, 30-89, 90+ since):", flush=True)
        for rule, total, recent, middle, old in cursor.fetchall():
            print(f"    {rule}: {total:,}; {recent:,}, {middle:,}, {old:,}", flush=True)


def bench_queue_pages(database: str, children: int) -> None:
    """The lead's and the manager's home, queue (first and a later page) and a flag page, each
    p95 through the whole stack with its SQL query count, beside the trivial signed-in page
    (the empty search form) timed the same way; then the busiest team's queue query plans."""
    use_database(database)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cases.models import Practitioner
    from cases.oversight.selectors import drift_queue_children

    for username in ("lead", "manager"):
        user = Practitioner.objects.get(username=username)
        client = Client(HTTP_HOST="localhost")
        signed_in(client, user)
        trivial = p95_ms(request_timings(client, "/children/search/", repeats=TIMED_REQUESTS))
        queue = drift_queue_children(user=user)
        pages = max(1, -(-queue.count() // 25))
        first_child = queue.first()
        flag_id = _open_flag_of(first_child["child_id"]) if first_child else None
        paths = {
            "home page": "/",
            "queue, first page": "/drift/",
            f"queue, page {min(pages, 10)} of {pages}": f"/drift/?page={min(pages, 10)}",
            "queue, my team": "/drift/?scope=team",
        }
        if flag_id:
            paths["a flag's page"] = f"/drift/flags/{flag_id}/"
        for name, path in paths.items():
            timings = request_timings(client, path, repeats=TIMED_REQUESTS)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            report(
                Result(
                    f"{username}'s {name}, {children:,} children: p95 ({len(queries)} queries)",
                    p95_ms(timings),
                    "ms",
                    "trivial signed-in page p95",
                    trivial,
                    "under 150 ms, within 3x",
                )
            )
    _explain_busiest_team()


TIMED_REQUESTS = 30


def _open_flag_of(child_id: int) -> int | None:
    from cases.models import DriftFlag

    return (
        DriftFlag.objects.filter(child_id=child_id, resolved_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def _explain_busiest_team() -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement the queue page runs for its counts, its first
    page and its tenth page (one prepared statement each, with its generic plan), for the team
    with most children on the manager's queue."""
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from cases.models import DriftQueueEntry, Practitioner
    from cases.oversight.selectors import QueueFilters, drift_queue_page

    manager = Practitioner.objects.get(username="manager")
    busiest = (
        DriftQueueEntry.objects.filter(agency=manager.agency, flag_count__gt=0, team__isnull=False)
        .values("team_id")
        .annotate(children=Count("child_id"))
        .order_by("-children")
        .first()
    )
    if busiest is None:
        return
    filters = QueueFilters(team=busiest["team_id"])
    print(f"  busiest team: {busiest['children']:,} children on the manager's queue", flush=True)
    statements = {}
    for label, number in (("counts and first page", "1"), ("counts and page 10", "10")):
        # The statement exactly as the page sends it (values bound by the driver).
        with CaptureQueriesContext(connection) as captured:
            drift_queue_page(user=manager, view_name="drift_queue", filters=filters, number=number)
        statements[label] = captured.captured_queries[-1]["sql"]
    # Rolled back: the statement also writes the page's access-log rows. The page runs it as a
    # prepared statement with a generic plan ("SET LOCAL ...; EXECUTE ..."): explain that.
    with transaction.atomic(), connection.cursor() as cursor:
        for label, statement in statements.items():
            setting, _, execute = statement.partition("; ")
            cursor.execute(setting)
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {execute}")  # nosec B608
            print(f"  EXPLAIN ANALYZE, the busiest team's queue, {label}:", flush=True)
            for (line,) in cursor.fetchall():
                print(f"    {line}", flush=True)
        transaction.set_rollback(True)
