"""The child's GCP2 page for a child with six assessments, on the 100,000-child partnership.

The six assessments are made through the real services (start, save, submit, sign off) for a
child with none, so the page shows six columns, five comparisons and the chart. The baseline is
a trivial signed-in page (the API docs page: a template, no case data) timed the same way.
"""

from __future__ import annotations

import datetime

from .harness import (
    Result,
    ensure_scale_database,
    p95_ms,
    report,
    request_timings,
    signed_in,
    use_database,
)

ASSESSMENTS = 6
REPEATS = 60


def bench_gcp2_page(scale_children: int) -> None:
    database = ensure_scale_database(scale_children)
    use_database(database)
    from django.test import Client

    child, assessor = _six_assessments()
    client = Client(HTTP_HOST="localhost")
    signed_in(client, assessor)
    page = request_timings(client, f"/children/{child.pk}/gcp2/", REPEATS)
    baseline = request_timings(client, "/api/docs/", REPEATS)
    report(
        Result(
            f"GCP2 page p95, child with {ASSESSMENTS} assessments ({scale_children:,} children)",
            p95_ms(page),
            "ms",
            "trivial signed-in page p95",
            p95_ms(baseline),
            "under 150 ms",
        )
    )


def _six_assessments():  # type: ignore[no-untyped-def]
    """A child at child protection level with no assessment yet, and six signed-off ones."""
    from django.utils import timezone

    from assessments.services import (
        answers_of,
        assessment_sign_off,
        assessment_start,
        assessment_submit,
    )
    from cases.codes import NeedLevel, Role
    from cases.models import Child, LegitimateRelationship, Practitioner

    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=183 * (ASSESSMENTS - 1) + 30)
    child = (
        Child.objects.filter(
            is_unborn=False,
            is_restricted=False,
            date_of_birth__lt=first_day,
            gcp2_assessments__isnull=True,
            involvements__ended_on__isnull=True,
            involvements__level=NeedLevel.CHILD_PROTECTION,
        )
        .order_by("pk")
        .first()
    )
    assert child is not None, "the scale database has no child to assess"
    agency_id = LegitimateRelationship.objects.filter(child=child).values_list(
        "agency_id", flat=True
    )[0]
    assessor = Practitioner.objects.filter(agency_id=agency_id, role=Role.PRACTITIONER).first()
    lead, _ = Practitioner.objects.get_or_create(
        username=f"bench-gcp2-lead-{agency_id}",
        defaults={
            "agency_id": agency_id,
            "role": Role.SAFEGUARDING_LEAD,
            # A new account reads nothing until its agency confirms it (issue 11).
            "confirmed_for_agency_id": agency_id,
            "confirmed_at": timezone.now(),
        },
    )
    assert assessor is not None
    for n in range(ASSESSMENTS):
        day = first_day + datetime.timedelta(days=183 * n)
        draft = assessment_start(
            child=child, assessor=assessor, submission_key=f"bench-{child.pk}-{n}"
        )
        answers = answers_of(draft)
        answers.assessed_on = day
        grade = max(1, 5 - n) if n % 2 == 0 else max(1, 4 - n)
        answers.present = answers.analysis = answers.next_steps = "Bench"
        for key in answers.sub_areas:
            answers.sub_areas[key] = type(answers.sub_areas[key])(grade, "Bench evidence")
        answers.areas = dict.fromkeys(answers.areas, grade)
        assessment_submit(
            assessment_id=draft.pk, by=assessor, expected_version=draft.version, answers=answers
        )
        assessment_sign_off(assessment_id=draft.pk, by=lead)
    return child, assessor
