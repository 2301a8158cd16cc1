"""Sign-off: only a lead (or social-care manager) of the assessor's agency, never the assessor.
Signed-off assessments cannot be edited, only superseded by a signed-off correction."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from assessments.models import AssessmentStatus
from assessments.services import (
    AssessmentError,
    assessment_return,
    assessment_sign_off,
    assessment_start,
    assessment_submit,
    assessment_update,
)
from cases.codes import AgencyType, Role
from tests.support import factories
from tests.support.gcp2_factories import gcp2_answers, gcp2_assessment
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def test_a_lead_of_the_assessors_agency_signs_it_off(world: World) -> None:
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    signed = assessment_sign_off(assessment_id=submitted.pk, by=world.users["lead"])
    assert signed.status == AssessmentStatus.SIGNED_OFF
    assert signed.reviewed_by == world.users["lead"]
    assert signed.signed_off_at is not None


def test_a_social_care_manager_of_the_same_agency_signs_it_off(world: World) -> None:
    assessor = factories.practitioner(world.social_care, Role.PRACTITIONER)
    submitted = gcp2_assessment(world.child, assessor, status="submitted")
    signed = assessment_sign_off(assessment_id=submitted.pk, by=world.users["manager"])
    assert signed.status == AssessmentStatus.SIGNED_OFF


@pytest.mark.parametrize("who", ["practitioner", "unrelated_practitioner", "manager", "analyst"])
def test_anyone_else_is_refused(world: World, who: str) -> None:
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    with pytest.raises(PermissionDenied):
        assessment_sign_off(assessment_id=submitted.pk, by=world.users[who])
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED


def test_a_lead_of_another_agency_is_refused(world: World) -> None:
    other_lead = factories.practitioner(
        factories.agency(agency_type=AgencyType.HEALTH), Role.SAFEGUARDING_LEAD
    )
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    with pytest.raises(PermissionDenied):
        assessment_sign_off(assessment_id=submitted.pk, by=other_lead)


def test_a_lead_cannot_sign_off_their_own_assessment(world: World) -> None:
    submitted = gcp2_assessment(world.child, world.users["lead"], status="submitted")
    with pytest.raises(PermissionDenied):
        assessment_sign_off(assessment_id=submitted.pk, by=world.users["lead"])
    with pytest.raises(PermissionDenied):
        assessment_return(assessment_id=submitted.pk, by=world.users["lead"], comments="Mine")


def test_a_draft_cannot_be_signed_off(world: World) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft")
    with pytest.raises(AssessmentError):
        assessment_sign_off(assessment_id=draft.pk, by=world.users["lead"])


def test_a_signed_off_assessment_cannot_be_edited(world: World) -> None:
    signed = gcp2_assessment(world.child, world.users["practitioner"], lead=world.users["lead"])
    with pytest.raises(AssessmentError) as refused:
        assessment_update(
            assessment_id=signed.pk,
            by=world.users["practitioner"],
            expected_version=signed.version,
            answers=gcp2_answers(1),
        )
    assert "can no longer be changed" in refused.value.errors["__all__"]


def test_returning_needs_comments_and_makes_it_editable_again(world: World) -> None:
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    with pytest.raises(AssessmentError) as refused:
        assessment_return(assessment_id=submitted.pk, by=world.users["lead"], comments=" ")
    assert "comments" in refused.value.errors
    returned = assessment_return(
        assessment_id=submitted.pk, by=world.users["lead"], comments="Say more about housing"
    )
    assert returned.status == AssessmentStatus.RETURNED
    assert returned.return_comments == "Say more about housing"
    resubmitted = assessment_submit(
        assessment_id=returned.pk,
        by=world.users["practitioner"],
        expected_version=returned.version,
        answers=gcp2_answers(3),
    )
    assert resubmitted.status == AssessmentStatus.SUBMITTED


def test_a_signed_off_correction_supersedes_the_original(world: World) -> None:
    original = gcp2_assessment(world.child, world.users["practitioner"], lead=world.users["lead"])
    correction = assessment_start(
        child=world.child,
        assessor=world.users["practitioner"],
        submission_key="correction",
        supersedes=original,
    )
    assert correction.sub_grades.filter(evidence="Seen at home").count() == 16
    assessment_submit(
        assessment_id=correction.pk,
        by=world.users["practitioner"],
        expected_version=correction.version,
    )
    assessment_sign_off(assessment_id=correction.pk, by=world.users["lead"])
    original.refresh_from_db()
    assert original.status == AssessmentStatus.SUPERSEDED


def test_the_same_start_submission_twice_creates_one_assessment(world: World) -> None:
    first = assessment_start(
        child=world.child, assessor=world.users["practitioner"], submission_key="same"
    )
    again = assessment_start(
        child=world.child, assessor=world.users["practitioner"], submission_key="same"
    )
    assert first.pk == again.pk
    assert world.child.gcp2_assessments.count() == 1


def test_a_repeat_copies_grades_but_not_evidence(world: World) -> None:
    last = gcp2_assessment(world.child, world.users["practitioner"], grades=4)
    repeat = assessment_start(
        child=world.child,
        assessor=world.users["practitioner"],
        submission_key="repeat",
        start_from=last,
    )
    assert set(repeat.sub_grades.values_list("grade", flat=True)) == {4}
    assert set(repeat.area_grades.values_list("grade", flat=True)) == {4}
    assert set(repeat.sub_grades.values_list("evidence", flat=True)) == {""}
    assert repeat.started_from == last
