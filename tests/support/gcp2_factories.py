"""Builders for GCP2 tests (issue 4): concerns as rows, and assessments via the real services."""

from __future__ import annotations

import datetime
import importlib
import itertools

from django.apps import apps
from django.utils import timezone

from assessments.framework import current_framework, framework_areas
from assessments.models import Assessment, FrameworkVersion
from assessments.services import (
    Answers,
    SubAreaAnswer,
    assessment_sign_off,
    assessment_start,
    assessment_submit,
    assessment_update,
)
from cases.codes import Role
from cases.models import Child, Concern, ConcernChild, Practitioner
from tests.support import factories

_counter = itertools.count(1)


def ensure_gcp2_framework() -> None:
    """Load GCP2 (2015) with its own migration's code if a flush removed it.

    Transactional tests (the browser tests) and the seeding tests empty every table when they
    finish, including the framework rows the data migration loaded.
    """
    if not FrameworkVersion.objects.filter(code="gcp2-2015").exists():
        migration = importlib.import_module("assessments.migrations.0002_load_gcp2_2015_framework")
        migration.load(apps, None)


def neglect_concern(
    about: list[Child], author: Practitioner, observed_on: datetime.date | None = None
) -> Concern:
    """A neglect concern about children of one family (rows only: issue 3 owns the service)."""
    assert author.agency is not None
    record = Concern.objects.create(
        author=author,
        author_agency=author.agency,
        family=about[0].family,
        neglect_types=["nutritional"],
        what_was_seen="Little food in the house.",
        severity="medium",
        observed_on=observed_on or timezone.localdate(),
        child_seen=True,
        actions_taken=["advice"],
        consent_to_share="given",
        submission_key=f"gcp2-concern-{next(_counter)}",
    )
    for each in about:
        ConcernChild.objects.create(
            concern=record,
            child=each,
            child_seen=record.child_seen,
            child_seen_alone=record.child_seen_alone,
            child_spoken_to=record.child_spoken_to,
            child_voice=record.child_voice,
        )
    return record


def gcp2_answers(
    grades: int | dict[str, int] = 3,
    assessed_on: datetime.date | None = None,
    area_grades: dict[str, int] | None = None,
) -> Answers:
    """Complete answers for the current framework: every sub-area graded, with evidence.

    `grades` is one grade for everything, or grades by area code (sub-areas take their area's).
    """
    ensure_gcp2_framework()
    areas = framework_areas(current_framework())

    def grade_of(area_code: str) -> int:
        return grades if isinstance(grades, int) else grades[area_code]

    return Answers(
        assessed_on=assessed_on or timezone.localdate(),
        present="Mother and child",
        strengths="Warm relationship",
        child_views="Likes school",
        carer_views="Finding it hard",
        analysis="Needs support",
        next_steps="Review in six months",
        sub_areas={
            sub.key: SubAreaAnswer(grade_of(area.code), "Seen at home")
            for area in areas
            for sub in area.sub_areas.all()
        },
        areas={
            area.code: (area_grades or {}).get(area.code, grade_of(area.code)) for area in areas
        },
    )


def gcp2_assessment(
    child: Child,
    assessor: Practitioner,
    *,
    grades: int | dict[str, int] = 3,
    assessed_on: datetime.date | None = None,
    status: str = "signed_off",
    lead: Practitioner | None = None,
) -> Assessment:
    """An assessment taken through the real services as far as `status`."""
    ensure_gcp2_framework()
    assessment = assessment_start(
        child=child, assessor=assessor, submission_key=f"gcp2-{next(_counter)}"
    )
    answers = gcp2_answers(grades, assessed_on)
    if status == "draft":
        return assessment_update(
            assessment_id=assessment.pk, by=assessor, expected_version=1, answers=answers
        )
    assessment = assessment_submit(
        assessment_id=assessment.pk, by=assessor, expected_version=1, answers=answers
    )
    if status == "submitted":
        return assessment
    reviewer = lead or factories.practitioner(assessor.agency, Role.SAFEGUARDING_LEAD)
    return assessment_sign_off(assessment_id=assessment.pk, by=reviewer)
