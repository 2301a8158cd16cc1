"""Selectors: reading GCP2 assessments, comparing them, and what is due. Read-only.

Comparison is per area (by the area's code, stable across framework versions) and per
sub-area where both assessments graded it: a lower grade is better. Any summary we compute
(the worst sub-area grade) is ours, not a GCP2 score, and is labelled so wherever shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cases import access
from cases.models import Child, Involvement, Practitioner

from .due import Due, gcp2_due_from_settings
from .models import (
    EDITABLE_STATUSES,
    Area,
    AreaGrade,
    Assessment,
    AssessmentStatus,
    SubAreaGrade,
)

BETTER, SAME, WORSE = "better", "same", "worse"
HOME_DUE_WITHIN_DAYS = 28


def _direction(before: int | None, after: int | None) -> str | None:
    if before is None or after is None:
        return None
    if after < before:
        return BETTER
    return SAME if after == before else WORSE


def assessments_with_grades() -> QuerySet[Assessment]:
    """Assessments with their grades, areas and sub-areas loaded in three queries."""
    return Assessment.objects.select_related("assessor", "agency", "framework").prefetch_related(
        Prefetch(
            "area_grades", AreaGrade.objects.select_related("area").order_by("area__ordering")
        ),
        Prefetch(
            "sub_grades",
            SubAreaGrade.objects.select_related("sub_area__area").order_by(
                "sub_area__area__ordering", "sub_area__ordering"
            ),
        ),
    )


def assessment_for_reading(*, user: Practitioner, assessment_id: int, view_name: str) -> Assessment:
    """The assessment, after reading its child through the access policy (which writes the
    access-log row); an unknown id is refused like an unseen child, so ids reveal nothing."""
    child_id = (
        assessments_readable_by(user=user)
        .filter(pk=assessment_id)
        .values_list("child_id", flat=True)
        .first()
    )
    if child_id is None:
        raise access.ChildAccessRefused()
    child = access.child_for_reading(user=user, child_id=child_id, view_name=view_name)
    assessment = assessments_with_grades().get(pk=assessment_id)
    assessment.child = child
    return assessment


def area_grades_by_code(assessment: Assessment) -> dict[str, int | None]:
    return {row.area.code: row.grade for row in assessment.area_grades.all()}


def sub_grades_by_key(assessment: Assessment) -> dict[str, int | None]:
    return {row.sub_area.key: row.grade for row in assessment.sub_grades.all()}


def worst_sub_area_grades(assessment: Assessment) -> dict[str, int | None]:
    """Our own summary per area: the worst (highest) sub-area grade. Not a GCP2 score."""
    worst: dict[str, int | None] = {}
    for row in assessment.sub_grades.all():
        code = row.sub_area.area.code
        if row.grade is not None:
            worst[code] = max(row.grade, worst.get(code) or 0)
        else:
            worst.setdefault(code, None)
    return worst


@dataclass
class SubAreaChange:
    key: str
    label: str
    before: int | None
    after: int | None
    direction: str | None


@dataclass
class AreaChange:
    code: str
    label: str
    before: int | None
    after: int | None
    direction: str | None  # better, same, worse, or None when either is ungraded
    sub_areas: list[SubAreaChange] = field(default_factory=list)


def assessment_compare(before: Assessment, after: Assessment) -> list[AreaChange]:
    """Each area of the later assessment against the earlier one (grades prefetched)."""
    before_areas = area_grades_by_code(before)
    before_subs = sub_grades_by_key(before)
    changes = []
    for row in after.area_grades.all():
        change = AreaChange(
            row.area.code,
            row.area.label,
            before_areas.get(row.area.code),
            row.grade,
            _direction(before_areas.get(row.area.code), row.grade),
        )
        for sub in after.sub_grades.all():
            if sub.sub_area.area.code != row.area.code:
                continue
            earlier = before_subs.get(sub.sub_area.key)
            if earlier is not None and sub.grade is not None:
                change.sub_areas.append(
                    SubAreaChange(
                        sub.sub_area.key,
                        sub.sub_area.label,
                        earlier,
                        sub.grade,
                        _direction(earlier, sub.grade),
                    )
                )
        changes.append(change)
    return changes


@dataclass
class AreaRow:
    code: str
    label: str
    grades: list[int | None]  # one per assessment, oldest first
    worst_sub_area: list[int | None]
    changes: list[str | None]  # one per assessment after the first: against the one before


@dataclass
class Profile:
    assessments: list[Assessment]  # compared: every assessment not superseded, oldest first
    superseded: list[Assessment]
    rows: list[AreaRow]
    comparisons: list[list[AreaChange]]  # between each consecutive pair
    chart: dict[str, object]


def assessments_readable_by(*, user: Practitioner) -> QuerySet[Assessment]:
    """Assessments (with grades) the user may read once the policy lets them see the child: a
    draft, or a returned one being reworked, stays within the assessor's agency until it is
    submitted."""
    return assessments_with_grades().exclude(
        Q(status__in=EDITABLE_STATUSES) & ~Q(agency_id=user.agency_id)
    )


def child_assessments(*, user: Practitioner, child: Child) -> QuerySet[Assessment]:
    return assessments_readable_by(user=user).filter(child=child).order_by("assessed_on", "pk")


def gcp2_profile(*, user: Practitioner, child: Child) -> Profile:
    """Everything the child's GCP2 page shows, side by side, in a handful of queries."""
    everything = list(child_assessments(user=user, child=child))
    compared = [a for a in everything if a.status != AssessmentStatus.SUPERSEDED]
    superseded = [a for a in everything if a.status == AssessmentStatus.SUPERSEDED]
    areas: dict[str, str] = {}
    for assessment in compared:
        for row in assessment.area_grades.all():
            areas.setdefault(row.area.code, row.area.label)
    comparisons = [
        assessment_compare(compared[i - 1], compared[i]) for i in range(1, len(compared))
    ]
    by_assessment = [area_grades_by_code(a) for a in compared]
    worst = [worst_sub_area_grades(a) for a in compared]
    rows = []
    for code, label in areas.items():
        changes: list[str | None] = []
        for comparison in comparisons:
            match = next((c for c in comparison if c.code == code), None)
            changes.append(match.direction if match else None)
        rows.append(
            AreaRow(
                code,
                label,
                [grades.get(code) for grades in by_assessment],
                [w.get(code) for w in worst],
                changes,
            )
        )
    chart = {
        "labels": [f"{a.assessed_on:%-d %b %Y}" for a in compared],
        "dates": [a.assessed_on.isoformat() for a in compared],
        "datasets": [{"label": row.label, "data": row.grades} for row in rows],
    }
    return Profile(compared, superseded, rows, comparisons, chart)


def latest_signed_off(*, child: Child) -> Assessment | None:
    return (
        assessments_with_grades()
        .filter(child=child, status=AssessmentStatus.SIGNED_OFF)
        .order_by("-assessed_on", "-pk")
        .first()
    )


def family_profiles(*, user: Practitioner, child: Child) -> list[tuple[Child, Assessment | None]]:
    """The child and each sibling the user may see, with their latest signed-off assessment.

    The caller logs the read of each child shown.
    """
    family = (
        access.children_visible_to(user=user)
        .filter(family_id=child.family_id)
        .order_by("date_of_birth", "pk")
    )
    latest: dict[int, Assessment] = {}
    for assessment in (
        assessments_with_grades()
        .filter(child__in=family, status=AssessmentStatus.SIGNED_OFF)
        .order_by("child_id", "-assessed_on", "-pk")
        .distinct("child_id")
    ):
        latest[assessment.child_id] = assessment
    return [(member, latest.get(member.pk)) for member in family]


def framework_area_labels(assessments: list[Assessment]) -> list[Area]:
    """The areas to show as rows for a set of assessments, in framework order."""
    seen: dict[str, Area] = {}
    for assessment in assessments:
        for row in assessment.area_grades.all():
            seen.setdefault(row.area.code, row.area)
    return list(seen.values())


@dataclass
class HomeGCP2:
    due: list[tuple[Child, Due]]
    drafts: list[Assessment]
    awaiting_sign_off: list[Assessment]
    today: datetime.date


# The home page's GCP2 lists in one statement, by hand (compiling the policy probes through the
# ORM cost more than running them): the user's drafts and, for a lead, the agency's assessments
# awaiting sign-off, for anyone else the children whose GCP2 due dates to work out (lead
# professional for, or last assessed). Each list is limited before its names are joined.
_GCP2_DRAFTS = f"""
    (SELECT json_agg(json_build_array(draft.id, draft.child_id, child.first_name,
                                      child.last_name, child.is_unborn, child.is_restricted,
                                      draft.status)
                     ORDER BY draft.updated_at DESC, draft.id DESC)
     FROM (SELECT * FROM {Assessment._meta.db_table} assessment
           WHERE assessment.assessor_id = %(user)s AND assessment.status IN %(editable)s
             AND {access.visible_child_sql("assessment.child_id")}
           ORDER BY assessment.updated_at DESC, assessment.id DESC
           LIMIT %(limit)s) draft
     JOIN {Child._meta.db_table} child ON child.id = draft.child_id
    ) AS drafts"""  # noqa: S608  # nosec B608
_GCP2_AWAITING = f"""
    (SELECT json_agg(json_build_array(submitted.id, submitted.child_id, child.first_name,
                                      child.last_name, child.is_unborn, child.is_restricted,
                                      submitted.assessed_on, assessor.id,
                                      assessor.username, assessor.first_name,
                                      assessor.last_name, assessor.role, assessor.job_title)
                     ORDER BY submitted.submitted_at, submitted.id)
     FROM (SELECT * FROM {Assessment._meta.db_table} assessment
           WHERE assessment.status = %(submitted)s
             AND assessment.agency_id = %(agency)s AND assessment.assessor_id <> %(user)s
             AND {access.visible_child_sql("assessment.child_id")}
           ORDER BY assessment.submitted_at, assessment.id
           LIMIT %(limit)s) submitted
     JOIN {Child._meta.db_table} child ON child.id = submitted.child_id
     JOIN {Practitioner._meta.db_table} assessor ON assessor.id = submitted.assessor_id
    ) AS awaiting, NULL AS candidates"""  # noqa: S608  # nosec B608
_GCP2_CANDIDATES = f"""
    NULL AS awaiting,
    (SELECT array_agg(candidate.child_id) FROM (
        SELECT involvement.child_id FROM {Involvement._meta.db_table} involvement
        WHERE involvement.ended_on IS NULL AND involvement.lead_professional_id = %(user)s
        UNION
        SELECT assessed.child_id FROM {Assessment._meta.db_table} assessed
        WHERE assessed.status = %(signed_off)s AND assessed.assessor_id = %(user)s) candidate
    ) AS candidates"""  # noqa: S608  # nosec B608
# Each in its model's field order: `from_db` takes a subset of fields' values in that order.
_CHILD_NAME_FIELDS = ["id", "first_name", "last_name", "is_unborn", "is_restricted"]
_ASSESSOR_FIELDS = ["id", "username", "first_name", "last_name", "role", "job_title"]


def gcp2_for_home(*, user: Practitioner, limit: int = 20) -> HomeGCP2:
    """Due and overdue GCP2s for the user's own work, their drafts and, for leads, sign-offs.

    A practitioner sees the children they are lead professional for or last assessed. A lead's
    team and agency overdue GCP2s are a figure on their home page from the drift engine's
    GCP2_OVERDUE flags, linking to the queue filtered by that rule: computing every due date
    of a county team's caseload on each visit to the home page costs more than the page.
    """
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_GCP2_DRAFTS}, "
            f"{_GCP2_AWAITING if access.is_lead(user) else _GCP2_CANDIDATES}",
            {
                **access.visible_child_params(user),
                "editable": tuple(EDITABLE_STATUSES),
                "submitted": AssessmentStatus.SUBMITTED,
                "signed_off": AssessmentStatus.SIGNED_OFF,
                "limit": limit,
            },
        )
        drafts, awaiting, candidates = cursor.fetchone()
    due: list[Due] = []
    if candidates:
        # The policy on the candidates only: given them as a subquery, PostgreSQL checks
        # every child.
        due = gcp2_due_from_settings(
            access.children_visible_to(user=user).filter(pk__in=candidates),
            due_by=today + datetime.timedelta(days=HOME_DUE_WITHIN_DAYS),
            limit=limit,
        )
    children = Child.objects.in_bulk([item.child_id for item in due]) if due else {}
    return HomeGCP2(
        [(children[item.child_id], item) for item in due],
        [_draft_from(row) for row in drafts or []],
        [_awaiting_from(row) for row in awaiting or []],
        today,
    )


def _draft_from(row: list[Any]) -> Assessment:
    pk, child_id, *child, status = row
    draft = Assessment.from_db(
        connection.alias, ["id", "child_id", "status"], [pk, child_id, status]
    )
    draft.child = Child.from_db(connection.alias, _CHILD_NAME_FIELDS, [child_id, *child])
    return draft


def _awaiting_from(row: list[Any]) -> Assessment:
    pk, child_id, first, last, unborn, restricted, assessed_on, *assessor = row
    submitted = Assessment.from_db(
        connection.alias,
        ["id", "child_id", "assessor_id", "assessed_on"],
        [pk, child_id, assessor[0], datetime.date.fromisoformat(assessed_on)],
    )
    submitted.child = Child.from_db(
        connection.alias, _CHILD_NAME_FIELDS, [child_id, first, last, unborn, restricted]
    )
    submitted.assessor = Practitioner.from_db(connection.alias, _ASSESSOR_FIELDS, assessor)
    return submitted
