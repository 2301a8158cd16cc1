"""Feedback to the referrer: recorded by the holding agency's lead, seen on the author's home."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cases.codes import AgencyType, NeedLevel, Role
from cases.models import ConcernChild, ConcernOutcome, LegitimateRelationship
from cases.oversight.services import concern_outcome_record
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    school = factories.agency("School", AgencyType.EDUCATION)
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    teacher = factories.practitioner(school, Role.PRACTITIONER, "teacher")
    school_dsl = factories.practitioner(school, Role.SAFEGUARDING_LEAD, "school-dsl")
    csc_lead = factories.practitioner(social_care, Role.SOCIAL_CARE_MANAGER, "csc")
    child = factories.child(known_to=[school, social_care], first_name="Referred")
    factories.involvement(child, NeedLevel.CHILD_IN_NEED, social_care)
    concern = factories.concern_observed([child], teacher)
    return {
        "teacher": teacher,
        "school_dsl": school_dsl,
        "csc_lead": csc_lead,
        "child": child,
        "concern": concern,
        "school": school,
    }


def test_a_lead_of_the_agency_holding_the_case_records_the_outcome(scene) -> None:  # type: ignore[no-untyped-def]
    outcome = concern_outcome_record(
        concern=scene["concern"],
        child=scene["child"],
        lead=scene["csc_lead"],
        outcome="assessment_started",
        reason="",
    )
    assert outcome.recording_agency == scene["csc_lead"].agency


def test_a_lead_of_another_agency_cannot(scene) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        concern_outcome_record(
            concern=scene["concern"],
            child=scene["child"],
            lead=scene["school_dsl"],
            outcome="acknowledged",
            reason="",
        )


def test_no_further_action_needs_a_reason_and_a_double_submit_records_once(scene) -> None:  # type: ignore[no-untyped-def]
    kwargs = {"concern": scene["concern"], "child": scene["child"], "lead": scene["csc_lead"]}
    with pytest.raises(ValidationError):
        concern_outcome_record(**kwargs, outcome="no_further_action", reason="")
    concern_outcome_record(**kwargs, outcome="acknowledged", reason="")
    concern_outcome_record(**kwargs, outcome="acknowledged", reason="")
    assert ConcernOutcome.objects.count() == 1


def test_the_referrer_sees_the_outcome_on_their_home_page(scene) -> None:  # type: ignore[no-untyped-def]
    concern_outcome_record(
        concern=scene["concern"],
        child=scene["child"],
        lead=scene["csc_lead"],
        outcome="escalated",
        reason="Strategy discussion held.",
    )
    client = Client()
    client.force_login(scene["teacher"])
    page = client.get("/").content.decode()
    assert "Escalated" in page and scene["child"].full_name in page
    assert "Strategy discussion held." in page


def test_the_referrer_is_not_told_the_childs_name_once_their_agency_may_not_see_the_child(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    concern_outcome_record(
        concern=scene["concern"],
        child=scene["child"],
        lead=scene["csc_lead"],
        outcome="no_further_action",
        reason="Family moved out of area; details with the receiving authority.",
    )
    LegitimateRelationship.objects.filter(child=scene["child"], agency=scene["school"]).delete()
    client = Client()
    client.force_login(scene["teacher"])
    page = client.get("/").content.decode()
    assert "No further action" in page
    assert scene["child"].last_name not in page
    assert "receiving authority" not in page


def test_the_holding_leads_queue_lists_concerns_awaiting_an_outcome(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["csc_lead"])
    link = ConcernChild.objects.get(concern=scene["concern"])
    page = client.get("/drift/").content.decode()
    assert f"/drift/concern-outcomes/{link.pk}/" in page
    response = client.post(
        f"/drift/concern-outcomes/{link.pk}/", {"outcome": "acknowledged", "reason": ""}
    )
    assert response.status_code == 302
    assert f"/drift/concern-outcomes/{link.pk}/" not in client.get("/drift/").content.decode()
