"""The API answers like the pages: same policy, same services, field errors as 400."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import DriftFlag, LegitimateRelationship, SupervisionRecord
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    school = factories.agency("School", AgencyType.EDUCATION)
    manager = factories.practitioner(social_care, Role.SOCIAL_CARE_MANAGER, "manager")
    teacher = factories.practitioner(school, Role.PRACTITIONER, "teacher")
    child = factories.child(known_to=[social_care, school], first_name="Api")
    factories.involvement(
        child, NeedLevel.CHILD_IN_NEED, social_care, TODAY - datetime.timedelta(days=60)
    )
    drift_evaluate()
    lead_client, teacher_client = Client(), Client()
    lead_client.force_login(manager)
    teacher_client.force_login(teacher)
    concern = factories.concern_observed([child], teacher)
    return {
        "lead": lead_client,
        "teacher": teacher_client,
        "child": child,
        "concern": concern,
        "school": school,
    }


def test_the_flag_list_filters_by_rule(scene) -> None:  # type: ignore[no-untyped-def]
    everything = scene["lead"].get("/api/drift/flags/").json()
    only = scene["lead"].get("/api/drift/flags/?rule=NO_LEAD_PROFESSIONAL").json()
    assert everything["count"] == 2
    assert [f["rule_code"] for f in only["results"]] == ["NO_LEAD_PROFESSIONAL"]
    assert only["results"][0]["level"] == NeedLevel.CHILD_IN_NEED


def test_a_decision_through_the_api_is_recorded_and_field_errors_are_400(scene) -> None:  # type: ignore[no-untyped-def]
    flag = DriftFlag.objects.get(rule_code="NO_LEAD_PROFESSIONAL")
    url = f"/api/drift/flags/{flag.pk}/decision/"
    bad = scene["lead"].post(
        url,
        {
            "decision": "accept_risk",
            "reason": "ok",
            "next_review_on": TODAY.isoformat(),
            "submission_key": "a",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "next_review_on" in bad.json()
    good = scene["lead"].post(
        url,
        {
            "decision": "escalate",
            "reason": "Escalated to the service manager.",
            "next_review_on": (TODAY + datetime.timedelta(days=5)).isoformat(),
            "submission_key": "b",
        },
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["drift_decision"] == "escalate"
    assert SupervisionRecord.objects.count() == 1
    assert scene["lead"].get("/api/drift/flags/").json()["count"] == 1


def test_outcomes_are_created_by_the_lead_and_listed_for_the_referrer(scene) -> None:  # type: ignore[no-untyped-def]
    body = {
        "concern": scene["concern"].pk,
        "child": scene["child"].pk,
        "outcome": "no_further_action",
        "reason": "",
    }
    missing_reason = scene["lead"].post(
        "/api/concern-outcomes/", body, content_type="application/json"
    )
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()
    body["reason"] = "Needs met by universal services."
    created = scene["lead"].post("/api/concern-outcomes/", body, content_type="application/json")
    assert created.status_code == 201
    listed = scene["teacher"].get("/api/concern-outcomes/").json()
    assert listed[0]["child"] == scene["child"].pk and listed[0]["outcome"] == "no_further_action"
    LegitimateRelationship.objects.filter(agency=scene["school"]).delete()
    hidden = scene["teacher"].get("/api/concern-outcomes/").json()
    assert hidden[0]["child"] is None and hidden[0]["reason"] == ""


def test_a_practitioner_cannot_record_an_outcome(scene) -> None:  # type: ignore[no-untyped-def]
    response = scene["teacher"].post(
        "/api/concern-outcomes/",
        {"concern": scene["concern"].pk, "child": scene["child"].pk, "outcome": "acknowledged"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_filter_value_that_is_not_one_is_refused_not_ignored(scene) -> None:  # type: ignore[no-untyped-def]
    response = scene["lead"].get("/api/drift/flags/?team=abc&level=sideways")
    assert response.status_code == 400
    assert set(response.json()) == {"team", "level"}
