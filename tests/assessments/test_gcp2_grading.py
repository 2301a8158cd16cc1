"""The grade rules: a grade is 1 to 5, a submitted assessment is complete, drafts may not be."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from assessments.models import AssessmentStatus, SubAreaGrade
from assessments.services import (
    AssessmentError,
    SubAreaAnswer,
    assessment_start,
    assessment_submit,
    assessment_update,
)
from tests.support.gcp2_factories import gcp2_answers
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def started(world: World):  # type: ignore[no-untyped-def]
    return assessment_start(
        child=world.child, assessor=world.users["practitioner"], submission_key="k1"
    )


def test_a_draft_can_be_saved_with_nothing_graded(world: World) -> None:
    assessment = started(world)
    answers = replace(gcp2_answers(), sub_areas={}, areas={})
    saved = assessment_update(
        assessment_id=assessment.pk,
        by=world.users["practitioner"],
        expected_version=1,
        answers=answers,
    )
    assert saved.status == AssessmentStatus.DRAFT
    assert saved.version == 2
    assert SubAreaGrade.objects.filter(assessment=saved, grade__isnull=False).count() == 0


@pytest.mark.parametrize("grade", [0, 6, -1])
def test_a_grade_outside_1_to_5_is_refused_and_nothing_is_saved(world: World, grade: int) -> None:
    assessment = started(world)
    answers = gcp2_answers(3)
    answers.sub_areas["physical-nutrition"] = SubAreaAnswer(grade, "x")
    with pytest.raises(AssessmentError) as refused:
        assessment_update(
            assessment_id=assessment.pk,
            by=world.users["practitioner"],
            expected_version=1,
            answers=answers,
        )
    assert refused.value.errors == {
        "grade-physical-nutrition": "Select a grade between 1 and 5 for nutrition"
    }
    assessment.refresh_from_db()
    assert assessment.version == 1
    assert not SubAreaGrade.objects.filter(assessment=assessment, grade__isnull=False).exists()


def test_an_area_grade_outside_1_to_5_is_refused(world: World) -> None:
    assessment = started(world)
    answers = gcp2_answers(3, area_grades={"safety": 9})
    with pytest.raises(AssessmentError) as refused:
        assessment_update(
            assessment_id=assessment.pk,
            by=world.users["practitioner"],
            expected_version=1,
            answers=answers,
        )
    assert "area-safety" in refused.value.errors


def test_submitting_with_an_ungraded_sub_area_or_missing_area_grade_is_refused(
    world: World,
) -> None:
    assessment = started(world)
    answers = gcp2_answers(2)
    answers.sub_areas["safety-traffic"] = SubAreaAnswer(None, "")
    answers.areas["emotional"] = None
    with pytest.raises(AssessmentError) as refused:
        assessment_submit(
            assessment_id=assessment.pk,
            by=world.users["practitioner"],
            expected_version=1,
            answers=answers,
        )
    assert refused.value.errors == {
        "grade-safety-traffic": "Select a grade for safety in traffic",
        "area-emotional": "Select your overall grade for emotional care",
    }
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_submitting_needs_evidence_for_each_grade(world: World) -> None:
    assessment = started(world)
    answers = gcp2_answers(2)
    answers.sub_areas["physical-hygiene"] = SubAreaAnswer(2, "  ")
    with pytest.raises(AssessmentError) as refused:
        assessment_submit(
            assessment_id=assessment.pk,
            by=world.users["practitioner"],
            expected_version=1,
            answers=answers,
        )
    assert list(refused.value.errors) == ["evidence-physical-hygiene"]


def test_online_safety_is_not_needed_for_a_baby(world: World) -> None:
    world.child.date_of_birth = datetime.date.today() - datetime.timedelta(days=300)
    world.child.save()
    assessment = started(world)
    answers = gcp2_answers(2)
    answers.sub_areas["safety-online"] = SubAreaAnswer(None, "")
    submitted = assessment_submit(
        assessment_id=assessment.pk,
        by=world.users["practitioner"],
        expected_version=1,
        answers=answers,
    )
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert submitted.child_age_years == 0


def test_a_complete_assessment_is_submitted_with_the_childs_age(world: World) -> None:
    assessment = started(world)
    submitted = assessment_submit(
        assessment_id=assessment.pk,
        by=world.users["practitioner"],
        expected_version=1,
        answers=gcp2_answers(3, assessed_on=datetime.date(2025, 5, 3)),
    )
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert submitted.child_age_years == 5  # born 4 May 2019
    assert submitted.submitted_at is not None


def test_an_assessment_date_in_the_future_is_refused(world: World) -> None:
    assessment = started(world)
    answers = gcp2_answers(3, assessed_on=datetime.date.today() + datetime.timedelta(days=1))
    with pytest.raises(AssessmentError) as refused:
        assessment_update(
            assessment_id=assessment.pk,
            by=world.users["practitioner"],
            expected_version=1,
            answers=answers,
        )
    assert "assessed_on" in refused.value.errors
