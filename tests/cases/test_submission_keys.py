"""Issue 11, failure 2: a submission key is looked up with its caller and the object it is for.

A key reused by another caller, or for another object, is a 409 (API) or a form error (page),
never someone else's row.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from assessments.services import assessment_start
from cases.codes import AgencyType, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import DriftFlag, SupervisionRecord
from cases.oversight.services import drift_flag_decide, involvement_step, supervision_record
from cases.plans import services as plans
from cases.services import SubmissionKeyReused
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=7)


@pytest.fixture
def scene() -> dict:
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    school = factories.agency("School", AgencyType.EDUCATION)
    manager = factories.practitioner(social_care, Role.SOCIAL_CARE_MANAGER, "manager")
    school_lead = factories.practitioner(school, Role.SAFEGUARDING_LEAD, "dsl")
    theirs = factories.child(known_to=[social_care], first_name="Secret")
    ours = factories.child(known_to=[school], first_name="Own")
    for child, agency in ((theirs, social_care), (ours, school)):
        factories.involvement(
            child, NeedLevel.CHILD_IN_NEED, agency, TODAY - datetime.timedelta(days=60)
        )
    drift_evaluate()
    return {"manager": manager, "school_lead": school_lead, "theirs": theirs, "ours": ours}


def flag_of(child) -> DriftFlag:  # type: ignore[no-untyped-def]
    return DriftFlag.objects.filter(child=child, rule_code="NO_LEAD_PROFESSIONAL").get()


def test_another_agencys_key_on_my_own_flag_is_409_and_discloses_nothing(scene: dict) -> None:
    secret = drift_flag_decide(
        flag=flag_of(scene["theirs"]),
        lead=scene["manager"],
        decision="escalate",
        reason="Mother disclosed a new partner with convictions.",
        next_review_on=LATER,
        submission_key="their-key",
    )
    client = Client()
    client.force_login(scene["school_lead"])
    own_flag = flag_of(scene["ours"])
    answer = client.post(
        f"/api/drift/flags/{own_flag.pk}/decision/",
        {
            "decision": "accept_risk",
            "reason": "Known to school; attendance good.",
            "next_review_on": LATER.isoformat(),
            "submission_key": "their-key",
        },
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert "submission_key" in answer.json()
    assert b"convictions" not in answer.content and str(secret.pk).encode() not in answer.content
    assert not SupervisionRecord.objects.filter(child=scene["ours"]).exists()
    own_flag.refresh_from_db()
    assert own_flag.decided_at is None
    retry = client.post(
        f"/api/drift/flags/{own_flag.pk}/decision/",
        {
            "decision": "accept_risk",
            "reason": "Known to school; attendance good.",
            "next_review_on": LATER.isoformat(),
            "submission_key": "my-key",
        },
        content_type="application/json",
    )
    assert retry.status_code == 201


def test_the_page_shows_a_reused_key_as_a_form_error(scene: dict) -> None:
    drift_flag_decide(
        flag=flag_of(scene["theirs"]),
        lead=scene["manager"],
        decision="escalate",
        reason="Escalated.",
        next_review_on=LATER,
        submission_key="their-key",
    )
    client = Client()
    client.force_login(scene["school_lead"])
    own_flag = flag_of(scene["ours"])
    answer = client.post(
        f"/drift/flags/{own_flag.pk}/",
        {
            "decision": "accept_risk",
            "reason": "Fine.",
            "next_review_on-day": LATER.day,
            "next_review_on-month": LATER.month,
            "next_review_on-year": LATER.year,
            "submission_key": "their-key",
        },
    )
    assert answer.status_code == 200
    assert b"This form was already used for another record" in answer.content
    assert b"govuk-error-summary" in answer.content


def test_a_retry_by_the_same_lead_on_the_same_flag_returns_the_first_decision(scene: dict) -> None:
    kwargs = {
        "flag": flag_of(scene["ours"]),
        "lead": scene["school_lead"],
        "decision": "accept_risk",
        "reason": "Fine.",
        "next_review_on": LATER,
        "submission_key": "twice",
    }
    assert drift_flag_decide(**kwargs).pk == drift_flag_decide(**kwargs).pk  # type: ignore[arg-type]


def test_a_supervision_key_is_scoped_to_its_supervisor_and_child(scene: dict) -> None:
    fields: dict[str, Any] = {
        "practitioner": None,
        "held_on": TODAY,
        "reflection": "",
        "decisions": "Plan.",
        "actions": "",
    }
    supervision_record(
        child=scene["theirs"], supervisor=scene["manager"], submission_key="sup", **fields
    )
    with pytest.raises(SubmissionKeyReused):
        supervision_record(
            child=scene["ours"], supervisor=scene["school_lead"], submission_key="sup", **fields
        )
    with pytest.raises(SubmissionKeyReused):
        supervision_record(
            child=scene["ours"], supervisor=scene["manager"], submission_key="sup", **fields
        )


def test_a_level_change_key_is_scoped_to_its_lead_and_child(scene: dict) -> None:
    fields: dict[str, Any] = {
        "to_level": NeedLevel.EARLY_HELP,
        "protection_category": "",
        "reason": "Stepping down",
        "submission_key": "step",
    }
    involvement_step(
        child=scene["theirs"],
        lead=scene["manager"],
        receiving_team=factories.team(scene["manager"].agency),
        **fields,
    )
    with pytest.raises(SubmissionKeyReused):
        involvement_step(
            child=scene["ours"],
            lead=scene["school_lead"],
            receiving_team=factories.team(scene["school_lead"].agency),
            **fields,
        )


@pytest.mark.parametrize("kind", ["plan", "visit", "referral", "meeting", "plan_action"])
def test_plan_visit_referral_meeting_and_action_keys_are_scoped(scene: dict, kind: str) -> None:
    manager, school_lead = scene["manager"], scene["school_lead"]
    theirs, ours = scene["theirs"], scene["ours"]

    def record(by, child, key):  # type: ignore[no-untyped-def]
        if kind == "plan":
            return plans.plan_record(
                child=child,
                recorded_by=by,
                level=NeedLevel.CHILD_IN_NEED,
                summary="Meals",
                started_on=TODAY,
                review_due_on=None,
                submission_key=key,
            )
        if kind == "visit":
            return plans.visit_record(
                child=child,
                recorded_by=by,
                occurred_on=TODAY,
                kind="home_visit",
                child_seen=True,
                child_seen_alone=False,
                child_voice="",
                submission_key=key,
            )
        if kind == "referral":
            return plans.referral_record(
                child=child,
                recorded_by=by,
                received_on=TODAY,
                source="2A",
                decision="",
                decision_on=None,
                assessment_started_on=None,
                assessment_completed_on=None,
                submission_key=key,
            )
        if kind == "meeting":
            return plans.protection_meeting_record(
                child=child,
                recorded_by=by,
                kind="strategy_discussion",
                held_on=TODAY,
                conference_needed=False,
                notes="",
                submission_key=key,
            )
        plan = factories.plan(child, NeedLevel.CHILD_IN_NEED, by.agency, TODAY)
        return plans.plan_action_record(
            plan=plan,
            recorded_by=by,
            description="Breakfast club",
            owner_agency=by.agency,
            due_on=LATER,
            submission_key=key,
        )

    first = record(manager, theirs, "shared")
    if kind != "plan_action":  # an action's retry is matched to its plan, made afresh here
        assert record(manager, theirs, "shared").pk == first.pk
    with pytest.raises(SubmissionKeyReused):
        record(school_lead, ours, "shared")
    with pytest.raises(SubmissionKeyReused):
        record(school_lead, theirs, "shared")


def test_a_gcp2_key_used_by_someone_else_is_409(scene: dict, gcp2_framework: None) -> None:
    assessment_start(child=scene["theirs"], assessor=scene["manager"], submission_key="gcp2-key")
    client = Client()
    client.force_login(scene["school_lead"])
    answer = client.post(
        f"/api/children/{scene['ours'].pk}/gcp2/",
        {"submission_key": "gcp2-key"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert str(scene["theirs"].pk).encode() not in answer.content


def test_a_concern_key_used_by_someone_else_is_409(scene: dict) -> None:
    factories.concern(scene["manager"], [scene["theirs"]], submission_key="concern-key")
    client = Client()
    client.force_login(scene["school_lead"])
    answer = client.post(
        "/api/concerns/",
        {
            **{
                k: v
                for k, v in factories.concern_fields(submission_key="concern-key").items()
                if k != "observed_on"
            },
            "observed_on": TODAY.isoformat(),
            "children": [scene["ours"].pk],
        },
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert b"Secret" not in answer.content


def test_a_delivery_evidence_key_is_scoped_to_its_author_and_action(scene: dict) -> None:
    from reporting.models import DeliveryAction
    from reporting.services import delivery_evidence_add

    actions = [
        DeliveryAction.objects.create(
            reference=f"T{n}",
            priority="recognise",
            activity="Train every agency",
            responsible="Training lead",
            due_date=LATER,
            rag_status="green",
        )
        for n in (1, 2)
    ]
    analyst = factories.practitioner(scene["manager"].agency, Role.ANALYST)
    fields: dict[str, Any] = {"recorded_on": TODAY, "text": "Done.", "submission_key": "evidence"}
    first = delivery_evidence_add(author=analyst, action=actions[0], **fields)
    assert delivery_evidence_add(author=analyst, action=actions[0], **fields).pk == first.pk
    with pytest.raises(SubmissionKeyReused):
        delivery_evidence_add(author=analyst, action=actions[1], **fields)
