"""The two GCP2 drift rules, registered with the drift engine in AssessmentsConfig.ready.

Both are set-based: each returns the queryset of the children under evaluation that breach
it, with the per-child work done by correlated subqueries in PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, JSONObject

from cases.codes import DriftSeverity
from cases.drift import DriftContext, DriftRule
from cases.drift.wording import day_in, plural, short_date, working_days_after
from cases.models import Child

from .due import gcp2_due_annotations, gcp2_overdue_children
from .models import AreaGrade, Assessment, AssessmentStatus


def gcp2_overdue_matching(context: DriftContext) -> QuerySet[Child]:
    """No GCP2 within the initial days of a neglect concern at early help or above, or a
    repeat not done within the repeat months of the last signed-off one."""
    t = context.thresholds
    overdue = gcp2_overdue_children(
        context.children,
        as_of=context.as_of,
        initial_days=t["initial_days"],
        repeat_months=t["repeat_months"],
    )
    due = gcp2_due_annotations(initial_days=t["initial_days"], repeat_months=t["repeat_months"])
    return overdue.annotate(**due).annotate(
        drift_since=Cast(F("gcp2_due_on") + datetime.timedelta(days=1), DateField()),
        drift_figures=JSONObject(due=F("gcp2_due_on"), kind=F("gcp2_due_kind")),
    )


def describe_gcp2_overdue(figures: Mapping[str, Any], today: datetime.date) -> str:
    due = day_in(figures, "due")
    return (
        f"{figures.get('kind', '')} GCP2 due {short_date(due, today)}, "
        f"{plural(working_days_after(due, today), 'working day')} overdue"
    )


def _signed_off_id(offset: int) -> Subquery:
    """The id of the child's latest (offset 0) or previous (offset 1) signed-off assessment."""
    return Subquery(
        Assessment.objects.filter(child=OuterRef("pk"), status=AssessmentStatus.SIGNED_OFF)
        .order_by("-assessed_on", "-pk")
        .values("pk")[offset : offset + 1],
        output_field=IntegerField(),
    )


def gcp2_not_improving_matching(context: DriftContext) -> QuerySet[Child]:
    """Two or more signed-off assessments where, between the last two, no area got better while
    some area still needs it (graded worse than the met grade, 2), any area got worse, or any
    area stayed at the stuck grade (4) or worse.

    The met-grade condition is ours: a child whose every area is at 1 or 2 has nothing left to
    improve, so an unchanged profile is not drift."""
    stuck = context.thresholds["stuck_grade"]
    met = context.thresholds["met_grade"]
    latest = AreaGrade.objects.filter(assessment_id=OuterRef("gcp2_latest"), grade__isnull=False)

    def previous_of_same_area(condition: Q) -> Exists:
        return Exists(
            AreaGrade.objects.filter(
                condition,
                assessment_id=OuterRef(OuterRef("gcp2_previous")),
                area__code=OuterRef("area__code"),
            )
        )

    better = latest.filter(previous_of_same_area(Q(grade__gt=OuterRef("grade"))))
    worse = latest.filter(previous_of_same_area(Q(grade__lt=OuterRef("grade"))))
    stayed_high = latest.filter(grade__gte=stuck).filter(previous_of_same_area(Q(grade__gte=stuck)))
    compared = context.children.annotate(
        gcp2_latest=_signed_off_id(0), gcp2_previous=_signed_off_id(1)
    ).filter(gcp2_previous__isnull=False)
    still_unmet = latest.filter(grade__gt=met)
    matching = compared.filter(
        (~Exists(better) & Exists(still_unmet)) | Exists(worse) | Exists(stayed_high)
    )

    def areas(grades: QuerySet[AreaGrade]) -> Coalesce:
        return Coalesce(
            Subquery(
                grades.order_by().values("assessment_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    def assessed_on(field: str) -> Subquery:
        return Subquery(
            Assessment.objects.filter(pk=OuterRef(field)).values("assessed_on")[:1],
            output_field=DateField(),
        )

    # The latest assessment is when the comparison first showed no progress.
    return matching.annotate(
        drift_since=assessed_on("gcp2_latest"),
        drift_figures=JSONObject(
            latest=assessed_on("gcp2_latest"),
            previous=assessed_on("gcp2_previous"),
            better=areas(better),
            worse=areas(worse),
            stuck=areas(stayed_high),
        ),
    )


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
    matching_children=gcp2_overdue_matching,
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
    matching_children=gcp2_not_improving_matching,
    describe=describe_gcp2_not_improving,
)
