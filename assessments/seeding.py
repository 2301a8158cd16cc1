"""Synthetic GCP2 assessments for the seeded partnership, written with COPY per batch.

Most children at early help or above have between one and four signed-off assessments about
six months apart: mostly improving, some stuck at 4-5, some getting worse, some mixed. The last
one is up to about six and a half months old, so a few repeats are overdue (by days to weeks);
children without one are mostly new cases whose initial assessment is not due yet.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections import defaultdict

from cases.access import LEAD_ROLES
from cases.codes import NeedLevel
from cases.models import Practitioner
from cases.seeding import CHRONOLOGY_COLUMNS, SeedBatch, SeedChild, reserve_ids

from .models import AssessmentStatus, SubArea
from .services import SOURCE_KIND

SHARE_ASSESSED = 0.97  # of children whose case opened more than NEW_CASE_DAYS ago
NEW_CASE_DAYS = 25  # an initial GCP2 is due 20 days after a neglect concern
LAST_ASSESSED_DAYS = (10, 188)  # repeats are due after six months: a few are overdue
SUB_AREA_JITTER = (-1, 0, 0, 0, 1)
TRAJECTORIES = (("improving", 91), ("stuck", 4), ("worsening", 2), ("mixed", 3))
ASSESSMENT_COLUMNS = (
    "id",
    "child_id",
    "framework_id",
    "assessor_id",
    "agency_id",
    "status",
    "version",
    "assessed_on",
    "child_age_years",
    "present",
    "strengths",
    "child_views",
    "carer_views",
    "analysis",
    "next_steps",
    "started_from_id",
    "supersedes_id",
    "created_at",
    "updated_at",
    "updated_by_id",
    "submitted_at",
    "reviewed_by_id",
    "reviewed_at",
    "return_comments",
    "signed_off_at",
    "submission_key",
)


def _age(born: datetime.date | None, day: datetime.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _next_grades(rng: random.Random, grades: list[int], trajectory: str) -> list[int]:
    def step(grade: int) -> int:
        if trajectory == "improving":
            change = rng.choice((-1, -1, 0))
        elif trajectory == "worsening":
            change = rng.choice((1, 0, 0))
        elif trajectory == "stuck":
            return max(4, min(5, grade + rng.choice((-1, 0, 1))))
        else:
            change = rng.choice((-1, 0, 1))
        return max(1, min(5, grade + change))

    return [step(grade) for grade in grades]


def _leads_by_agency() -> dict[int, list[int]]:
    leads: dict[int, list[int]] = defaultdict(list)
    for pk, agency_id in Practitioner.objects.filter(role__in=LEAD_ROLES).values_list(
        "pk", "agency_id"
    ):
        leads[agency_id].append(pk)
    return leads


def seed_gcp2_assessments(batch: SeedBatch) -> None:
    rng, today = batch.rng, batch.today
    sub_areas = batch.once(
        "gcp2 sub-areas",
        lambda: list(
            SubArea.objects.filter(area__framework__is_current=True)
            .select_related("area")
            .order_by("area__ordering", "ordering")
        ),
    )
    if not sub_areas:
        return
    framework_id = sub_areas[0].area.framework_id
    areas = list(dict.fromkeys(sub.area for sub in sub_areas))
    area_ids, labels = [a.pk for a in areas], [a.label for a in areas]

    @functools.cache
    def subs_at(age: int | None) -> list[tuple[int, int, bool]]:
        return [(sub.pk, sub.area_id, sub.applies_at(age)) for sub in sub_areas]

    leads = batch.once("gcp2 leads by agency", _leads_by_agency)

    plans: list[tuple[SeedChild, int, int, list[datetime.date]]] = []
    for child in batch.children:
        if child.level == NeedLevel.UNIVERSAL or child.is_unborn:
            continue
        started = child.involvement_started
        if started is not None and (today - started).days < NEW_CASE_DAYS:
            continue
        if rng.random() >= SHARE_ASSESSED:
            continue
        last = today - datetime.timedelta(days=rng.randrange(*LAST_ASSESSED_DAYS))
        dates = [
            last - datetime.timedelta(days=182 * n + rng.randrange(-20, 20))
            for n in range(rng.randint(1, 4))
        ]
        dates = sorted(d for d in dates if child.date_of_birth is None or d > child.date_of_birth)
        if not dates:
            continue
        with_lead = [i for i, a in enumerate(child.agency_ids) if leads.get(a)]
        index = rng.choice(with_lead) if with_lead else rng.randrange(len(child.agency_ids))
        plans.append((child, child.agency_ids[index], child.practitioner_ids[index], dates))

    total = sum(len(dates) for *_rest, dates in plans)
    if not total:
        return
    next_id = reserve_ids("assessments_assessment", total)
    assessments: list[tuple[object, ...]] = []
    area_rows, entries = [], []
    sub_rows: list[tuple[int, int, int | None, str]] = []
    for child, agency_id, assessor_id, dates in plans:
        trajectory = rng.choices([t for t, _ in TRAJECTORIES], [w for _, w in TRAJECTORIES])[0]
        # Improving families start below the stuck grade (4), so only the others drift.
        start = {"stuck": 4, "improving": 3}.get(trajectory) or rng.choice((2, 3, 3, 4))
        jitter = (-1, 0, 0) if trajectory == "improving" else (-1, 0, 0, 1)
        grades = [max(1, min(5, start + rng.choice(jitter))) for _ in areas]
        previous_id: int | None = None
        reviewer = rng.choice(leads[agency_id]) if leads.get(agency_id) else None
        for n, day in enumerate(dates):
            if n:
                grades = _next_grades(rng, grades, trajectory)
            age = _age(child.date_of_birth, day)
            signed = datetime.datetime.combine(
                day + datetime.timedelta(days=rng.randrange(2, 10)),
                datetime.time(12),
                tzinfo=datetime.UTC,
            )
            assessments.append(
                (
                    next_id,
                    child.id,
                    framework_id,
                    assessor_id,
                    agency_id,
                    AssessmentStatus.SIGNED_OFF.value,
                    3,
                    day,
                    age,
                    "Parent and child at home.",
                    "Child attends school regularly; warm relationship with grandparent.",
                    "Says home is OK but sometimes there is no breakfast.",
                    "Mother agrees things have been difficult.",
                    "Synthetic analysis for the demo partnership.",
                    "Review in six months; continue the plan.",
                    previous_id,
                    None,
                    signed,
                    signed,
                    reviewer or assessor_id,
                    signed,
                    reviewer,
                    signed,
                    "",
                    signed,
                    f"seed-{next_id}",
                )
            )
            by_area = dict(zip(area_ids, grades, strict=True))
            for area_id in area_ids:
                area_rows.append((next_id, area_id, by_area[area_id]))
            for sub_id, area_id, applies in subs_at(age):
                if applies:
                    grade = max(1, min(5, by_area[area_id] + rng.choice(SUB_AREA_JITTER)))
                    sub_rows.append((next_id, sub_id, grade, "Seen at the home visit."))
                else:
                    sub_rows.append((next_id, sub_id, None, ""))
            summary = ", ".join(f"{label} {g}" for label, g in zip(labels, grades, strict=True))
            entries.append(
                (
                    child.id,
                    child.family_id,
                    min(signed.date(), today),
                    "assessment",
                    "high" if max(grades) >= 4 else "medium" if max(grades) == 3 else "low",
                    f"GCP2 assessment of {day:%-d %B %Y} signed off. Area grades: {summary}.",
                    agency_id,
                    reviewer or assessor_id,
                    signed,
                    SOURCE_KIND,
                    next_id,
                )
            )
            previous_id = next_id
            next_id += 1

    batch.copy_rows("assessments_assessment", ASSESSMENT_COLUMNS, assessments)
    batch.copy_rows("assessments_areagrade", ("assessment_id", "area_id", "grade"), area_rows)
    batch.copy_rows(
        "assessments_subareagrade", ("assessment_id", "sub_area_id", "grade", "evidence"), sub_rows
    )
    batch.copy_rows(
        "cases_chronologyentry",
        CHRONOLOGY_COLUMNS,
        entries,
    )
