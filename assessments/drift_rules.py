"""The two GCP2 drift rules, registered with the drift engine in AssessmentsConfig.ready.

Both are set-based: each returns the queryset of the children under evaluation that breach
it, with the per-child work done by correlated subqueries in PostgreSQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery

from cases.codes import DriftSeverity
from cases.drift import DriftContext, DriftRule
from cases.models import Child

from .due import gcp2_overdue_children
from .models import AreaGrade, Assessment, AssessmentStatus


def gcp2_overdue_matching(context: DriftContext) -> QuerySet[Child]:
    """No GCP2 within the initial days of a neglect concern at early help or above, or a
    repeat not done within the repeat months of the last signed-off one."""
    return gcp2_overdue_children(
        context.children,
        as_of=context.as_of,
        initial_days=context.thresholds["initial_days"],
        repeat_months=context.thresholds["repeat_months"],
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
    return compared.filter(
        (~Exists(better) & Exists(still_unmet)) | Exists(worse) | Exists(stayed_high)
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
)
