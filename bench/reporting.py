"""Dashboard builds and pages on the 100,000-child partnership.

* a full build of every metric in the catalogue, against the floor for any build: one
  sequential read (COPY TO) of the columns the metrics read from each source table;
* a dashboard page served from the snapshot (p95), against a trivial signed-in page.
"""

from __future__ import annotations

import io
import time

from .harness import (
    Result,
    ensure_scale_database,
    p95_ms,
    report,
    request_timings,
    signed_in,
    use_database,
)

# The columns the metrics read, table by table: every table any metric's facts query reads.
SOURCE_COLUMNS = {
    "cases_involvement": "id, child_id, level, protection_category, primary_need, lead_agency_id,"
    " team_id, started_on, ended_on",
    "cases_child": "id, date_of_birth, is_unborn",
    "cases_concern": "id, author_id, author_agency_id, submitted_at, observed_on, child_seen,"
    " child_voice",
    "cases_concernchild": "concern_id, child_id",
    "cases_practitioner": "id, team_id",
    "cases_team": "id, agency_id",
    "cases_agency": "id",
    "cases_visit": "child_id, occurred_on, child_seen, child_seen_alone",
    "cases_driftflag": "rule_code, opened_on, resolved_at",
    "cases_attendancerecord": "id, child_id, agency_id, period_end, sessions_possible,"
    " sessions_attended",
    "cases_exclusionrecord": "child_id, agency_id, excluded_on, permanent",
    "assessments_assessment": "id, child_id, assessor_id, agency_id, status, assessed_on,"
    " signed_off_at, supersedes_id",
    "assessments_areagrade": "assessment_id, area_id, grade",
    "assessments_area": "id, framework_id, code, label",
    "assessments_frameworkversion": "id, is_current, loaded_at",
    "learning_feedback": "id, child_id, agency_id, given_on, scale",
    "learning_feedbackanswer": "feedback_id, question, score",
    "learning_caseaudit": "id, moderated_at",
    "learning_auditquestion": "id, text",
    "learning_auditsample": "id, audit_id, swapped_out_at",
    "learning_agreedgrade": "sample_id, question_id, agency_id, grade",
}


class _Discard(io.RawIOBase):
    def write(self, data: object) -> int:
        return len(data)  # type: ignore[arg-type]


def sequential_read_seconds() -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for table, columns in SOURCE_COLUMNS.items():  # the bench's own constants
            sql = f"COPY (SELECT {columns} FROM {table}) TO STDOUT"  # nosec B608
            cursor.copy_expert(sql, _Discard())
    return time.perf_counter() - start


def bench_reporting(children: int = 100_000) -> None:
    database = ensure_scale_database(children)
    use_database(database)
    from django.test import Client

    from cases.codes import Role
    from cases.models import Child, Concern, Involvement, Practitioner
    from reporting.metrics import METRICS
    from reporting.services import snapshot_build_run

    print(
        f"  ({Child.objects.count():,} children, {Involvement.objects.count():,} involvements,"
        f" {Concern.objects.count():,} concerns)",
        flush=True,
    )
    floor = sequential_read_seconds()
    start = time.perf_counter()
    build = snapshot_build_run(trigger="command")
    seconds = time.perf_counter() - start
    assert build.status == "finished", build.error
    report(
        Result(
            f"full dashboard build, {len(METRICS)} metrics, {children:,} children",
            seconds,
            "s",
            "one sequential read (COPY TO) of the rows of every table the build reads",
            floor,
            "under 30 s, within 5x",
        )
    )

    executive = Client(HTTP_HOST="localhost")
    signed_in(executive, Practitioner.objects.filter(role=Role.EXECUTIVE).earliest("pk"))
    admin = Client(HTTP_HOST="localhost")
    signed_in(admin, Practitioner.objects.filter(role=Role.ADMINISTRATOR).earliest("pk"))
    trivial = p95_ms(request_timings(admin, "/", repeats=100))
    for name, path in (
        ("dashboard overview", "/dashboards/"),
        ("metric page", "/dashboards/metrics/cp_neglect_share/?period_type=month&breakdown=team"),
    ):
        report(
            Result(
                f"{name} from the snapshot p95",
                p95_ms(request_timings(executive, path, repeats=100)),
                "ms",
                "a trivial signed-in page (administrator's home) p95",
                trivial,
                "under 100 ms",
            )
        )
