"""The two GCP2 drift rules, registered with the drift engine in AssessmentsConfig.ready.

Both are set-based: each returns the queryset of the children under evaluation that breach
it, with the per-child work done by correlated subqueries in PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from cases.codes import DriftSeverity
from cases.drift import DriftContext, DriftRule, children_in, children_sql
from cases.drift.wording import day_in, plural, short_date, working_days_after

from .due import gcp2_due_sql
from .models import Area, AreaGrade, Assessment, AssessmentStatus


def gcp2_overdue_rows(context: DriftContext) -> tuple[str, list[Any]]:
    """No GCP2 within the initial days of a neglect concern at early help or above, or a
    repeat not done within the repeat months of the last signed-off one: the children whose
    assessment was due before the evaluation date, overdue from the day after."""
    t = context.thresholds
    due, params = gcp2_due_sql(
        context.children, initial_days=t["initial_days"], repeat_months=t["repeat_months"]
    )
    # The due dates' SQL from gcp2_due_sql; every value is a parameter.
    sql = (
        "SELECT child_id, (due_on + 1)::date, "  # noqa: S608  # nosec B608
        "jsonb_build_object('due', due_on, 'kind', kind) "
        f"FROM ({due}) AS due WHERE due_on < %s"
    )
    return sql, [*params, context.as_of]


def describe_gcp2_overdue(figures: Mapping[str, Any], today: datetime.date) -> str:
    due = day_in(figures, "due")
    return (
        f"{figures.get('kind', '')} GCP2 due {short_date(due, today)}, "
        f"{plural(working_days_after(due, today), 'working day')} overdue"
    )


def gcp2_not_improving_rows(context: DriftContext) -> tuple[str, list[Any]]:
    """Two or more signed-off assessments where, between the last two, no area got better while
    some area still needs it (graded worse than the met grade, 2), any area got worse, or any
    area stayed at the stuck grade (4) or worse.

    The met-grade condition is ours: a child whose every area is at 1 or 2 has nothing left to
    improve, so an unchanged profile is not drift.

    Set-based: each child's last two signed-off assessments from one ranked scan, the previous
    one's grades by area (highest and lowest, so "any previous grade of the area was higher"
    is one comparison), then the latest one's grades counted against them. The latest
    assessment is when the comparison first showed no progress."""
    children, children_params = children_sql(context.children)
    assessment = Assessment._meta.db_table
    grade = AreaGrade._meta.db_table
    area = Area._meta.db_table
    # Table names from the models, the children's SQL from the ORM; every value is a parameter.
    sql = f"""
        WITH ranked AS (
            SELECT id, child_id, assessed_on, row_number() OVER (
                PARTITION BY child_id ORDER BY assessed_on DESC, id DESC) AS n
            FROM {assessment}
            WHERE status = %s AND child_id IN ({children})
        ),
        compared AS (
            SELECT child_id,
                max(id) FILTER (WHERE n = 1) AS latest,
                max(assessed_on) FILTER (WHERE n = 1) AS latest_on,
                max(id) FILTER (WHERE n = 2) AS previous,
                max(assessed_on) FILTER (WHERE n = 2) AS previous_on
            FROM ranked WHERE n <= 2 GROUP BY child_id HAVING count(*) = 2
        ),
        previous_by_area AS (
            SELECT compared.child_id, area.code,
                max(grade.grade) AS highest, min(grade.grade) AS lowest
            FROM compared
            JOIN {grade} grade ON grade.assessment_id = compared.previous
            JOIN {area} area ON area.id = grade.area_id
            GROUP BY compared.child_id, area.code
        ),
        counted AS (
            SELECT compared.child_id, compared.latest_on, compared.previous_on,
                count(*) FILTER (WHERE previous.highest > grade.grade) AS better,
                count(*) FILTER (WHERE previous.lowest < grade.grade) AS worse,
                count(*) FILTER (
                    WHERE grade.grade >= %s AND previous.highest >= %s) AS stuck,
                count(*) FILTER (WHERE grade.grade > %s) AS unmet
            FROM compared
            JOIN {grade} grade
                ON grade.assessment_id = compared.latest AND grade.grade IS NOT NULL
            JOIN {area} area ON area.id = grade.area_id
            LEFT JOIN previous_by_area previous
                ON previous.child_id = compared.child_id AND previous.code = area.code
            GROUP BY compared.child_id, compared.latest_on, compared.previous_on
        )
        SELECT child_id, latest_on, jsonb_build_object(
            'latest', latest_on, 'previous', previous_on,
            'better', better, 'worse', worse, 'stuck', stuck)
        FROM counted
        WHERE (better = 0 AND unmet > 0) OR worse > 0 OR stuck > 0
    """  # noqa: S608  # nosec B608
    stuck = int(context.thresholds["stuck_grade"])
    met = int(context.thresholds["met_grade"])
    return sql, [AssessmentStatus.SIGNED_OFF.value, *children_params, stuck, stuck, met]


def describe_gcp2_not_improving(figures: Mapping[str, Any], today: datetime.date) -> str:
    parts = [f"{plural(int(figures.get('better') or 0), 'area')} better"]
    if figures.get("worse"):
        parts.append(f"{figures['worse']} worse")
    if figures.get("stuck"):
        parts.append(f"{figures['stuck']} still at grade 4 or 5")
    return (
        f"GCP2 of {short_date(day_in(figures, 'latest'), today)} against "
        f"{short_date(day_in(figures, 'previous'), today)}: " + ", ".join(parts)
    )


GCP2_OVERDUE = DriftRule(
    code="GCP2_OVERDUE",
    title="GCP2 overdue",
    reason=(
        "No GCP2 signed off within {initial_days} days of a neglect concern at early help or "
        "above, or no repeat within {repeat_months} months of the last one"
    ),
    severity=DriftSeverity.MEDIUM,
    default_thresholds={
        "initial_days": settings.NT_GCP2_INITIAL_DAYS,
        "repeat_months": settings.NT_GCP2_REPEAT_MONTHS,
    },
    matching_children=children_in(gcp2_overdue_rows),
    rows=gcp2_overdue_rows,
    describe=describe_gcp2_overdue,
)

GCP2_NOT_IMPROVING = DriftRule(
    code="GCP2_NOT_IMPROVING",
    title="GCP2 not improving",
    reason=(
        "Between the last two signed-off GCP2s no area got better while one is still worse "
        "than grade {met_grade}, an area got worse, or an area stayed at grade {stuck_grade} "
        "or worse"
    ),
    severity=DriftSeverity.HIGH,
    default_thresholds={"stuck_grade": 4, "met_grade": 2},
    matching_children=children_in(gcp2_not_improving_rows),
    rows=gcp2_not_improving_rows,
    describe=describe_gcp2_not_improving,
)
