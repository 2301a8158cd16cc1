"""Starting, signing off and returning an assessment write chronology entries with the grades."""

from __future__ import annotations

import pytest

from assessments.services import assessment_return, assessment_sign_off, assessment_start
from cases.models import ChronologyEntry
from tests.support.gcp2_factories import gcp2_assessment
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def entries_for(assessment_id: int) -> list[ChronologyEntry]:
    return list(
        ChronologyEntry.objects.filter(
            source_kind="gcp2_assessment", source_id=assessment_id
        ).order_by("recorded_at", "pk")
    )


def test_starting_and_signing_off_write_entries_with_the_area_grades(world: World) -> None:
    submitted = gcp2_assessment(
        world.child,
        world.users["practitioner"],
        status="submitted",
        grades={"physical": 4, "safety": 2, "emotional": 3, "developmental": 1},
    )
    assessment_sign_off(assessment_id=submitted.pk, by=world.users["lead"])
    started, signed = entries_for(submitted.pk)
    assert started.summary == "GCP2 assessment started."
    assert started.event_type == "assessment"
    assert "signed off" in signed.summary
    assert (
        "Area grades: Physical care 4, Safety 2, Emotional care 3, Developmental care 1."
        in signed.summary
    )
    assert signed.significance == "high"
    assert signed.source_agency == world.health
    assert signed.recorded_by == world.users["lead"]


def test_returning_writes_an_entry_with_the_grades_as_submitted(world: World) -> None:
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    assessment_return(assessment_id=submitted.pk, by=world.users["lead"], comments="More on home")
    returned = entries_for(submitted.pk)[-1]
    assert "returned to the assessor" in returned.summary
    assert "Physical care 3, Safety 3, Emotional care 3, Developmental care 3" in returned.summary
    assert returned.significance == "medium"


def test_a_repeat_entry_names_its_starting_grades(world: World) -> None:
    last = gcp2_assessment(world.child, world.users["practitioner"], grades=2)
    repeat = assessment_start(
        child=world.child,
        assessor=world.users["practitioner"],
        submission_key="r",
        start_from=last,
    )
    (entry,) = entries_for(repeat.pk)
    assert "as a repeat of the assessment of" in entry.summary
    assert "starting grades: Physical care 2, Safety 2" in entry.summary
