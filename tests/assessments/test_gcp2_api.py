"""The GCP2 API: the same services and access policy as the pages, 400/409 on bad input."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from assessments.models import AssessmentStatus
from cases.models import AccessLogEntry, Practitioner
from tests.support.gcp2_factories import gcp2_answers, gcp2_assessment
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def client_as(user: Practitioner) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def full_answers_json(grade: int = 3) -> dict[str, object]:
    answers = gcp2_answers(grade)
    return {
        "present": answers.present,
        "analysis": answers.analysis,
        "next_steps": answers.next_steps,
        "sub_area_grades": {
            key: {"grade": a.grade, "evidence": a.evidence} for key, a in answers.sub_areas.items()
        },
        "area_grades": answers.areas,
    }


def test_an_assessment_goes_from_create_to_sign_off_through_the_api(world: World) -> None:
    hv = client_as(world.users["practitioner"])
    created = hv.post(
        f"/api/children/{world.child.pk}/gcp2/", {"submission_key": "api-1"}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["version"], body["framework"]) == ("draft", 1, "gcp2-2015")
    again = hv.post(
        f"/api/children/{world.child.pk}/gcp2/", {"submission_key": "api-1"}, format="json"
    )
    assert again.json()["id"] == body["id"]  # a retried call creates nothing new

    updated = hv.patch(
        f"/api/gcp2/{body['id']}/", {"version": 1, **full_answers_json(4)}, format="json"
    )
    assert updated.status_code == 200
    assert updated.json()["version"] == 2
    assert updated.json()["area_grades"]["physical"] == 4
    assert updated.json()["our_summary_worst_sub_area_grade"]["safety"] == 4

    submitted = hv.post(f"/api/gcp2/{body['id']}/submit/", {"version": 2}, format="json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == AssessmentStatus.SUBMITTED

    assert hv.post(f"/api/gcp2/{body['id']}/sign-off/").status_code == 403  # the assessor
    signed = client_as(world.users["lead"]).post(f"/api/gcp2/{body['id']}/sign-off/")
    assert signed.status_code == 200
    assert signed.json()["status"] == AssessmentStatus.SIGNED_OFF

    listed = hv.get(f"/api/children/{world.child.pk}/gcp2/")
    assert [a["id"] for a in listed.json()] == [body["id"]]


def test_a_stale_version_answers_409_with_the_differences(world: World) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft")
    lead = client_as(world.users["lead"])
    assert (
        lead.patch(
            f"/api/gcp2/{draft.pk}/",
            {"version": draft.version, "analysis": "Lead's"},
            format="json",
        ).status_code
        == 200
    )
    stale = client_as(world.users["practitioner"]).patch(
        f"/api/gcp2/{draft.pk}/",
        {"version": draft.version, "analysis": "Mine"},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == draft.version + 1
    assert {
        "field": "analysis",
        "label": "Analysis",
        "saved": "Lead's",
        "yours": "Mine",
    } in stale.json()["differences"]


def test_a_grade_outside_the_scale_answers_400_on_its_field(world: World) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft")
    response = client_as(world.users["practitioner"]).patch(
        f"/api/gcp2/{draft.pk}/",
        {"version": draft.version, "sub_area_grades": {"physical-housing": {"grade": 7}}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "grade-physical-housing": ["Select a grade between 1 and 5 for housing"]
    }


def test_submitting_an_incomplete_assessment_answers_400_with_each_missing_field(
    world: World,
) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft")
    response = client_as(world.users["practitioner"]).post(
        f"/api/gcp2/{draft.pk}/submit/",
        {"version": draft.version, "area_grades": {"safety": None}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"area-safety": ["Select your overall grade for safety"]}


def test_return_needs_comments(world: World) -> None:
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    lead = client_as(world.users["lead"])
    refused = lead.post(f"/api/gcp2/{submitted.pk}/return/", {"comments": ""}, format="json")
    assert refused.status_code == 400
    returned = lead.post(f"/api/gcp2/{submitted.pk}/return/", {"comments": "More"}, format="json")
    assert returned.json()["status"] == AssessmentStatus.RETURNED


def test_compare_gives_each_area_better_same_or_worse(world: World) -> None:
    user = world.users["practitioner"]
    gcp2_assessment(world.child, user, assessed_on=datetime.date(2025, 1, 1), grades=4)
    gcp2_assessment(
        world.child,
        user,
        assessed_on=datetime.date(2025, 7, 1),
        grades={"physical": 2, "safety": 4, "emotional": 5, "developmental": 4},
    )
    before = AccessLogEntry.objects.count()
    response = client_as(user).get(f"/api/children/{world.child.pk}/gcp2/compare/")
    assert response.status_code == 200
    assert {a["code"]: a["direction"] for a in response.json()["areas"]} == {
        "physical": "better",
        "safety": "same",
        "emotional": "worse",
        "developmental": "same",
    }
    assert AccessLogEntry.objects.count() == before + 1


def test_starting_from_the_last_needs_a_signed_off_one(world: World) -> None:
    response = client_as(world.users["practitioner"]).post(
        f"/api/children/{world.child.pk}/gcp2/",
        {"submission_key": "k", "start_from_last": True},
        format="json",
    )
    assert response.status_code == 400
    assert "start_from_last" in response.json()


def test_compare_takes_two_named_assessments_and_names_what_is_wrong(world: World) -> None:
    user = world.users["practitioner"]
    first = gcp2_assessment(world.child, user, assessed_on=datetime.date(2025, 1, 1), grades=4)
    second = gcp2_assessment(world.child, user, assessed_on=datetime.date(2025, 7, 1), grades=3)
    path = f"/api/children/{world.child.pk}/gcp2/compare/"
    client = client_as(user)
    chosen = client.get(path, {"before": first.pk, "after": second.pk}).json()
    assert (chosen["before"], chosen["after"]) == (first.pk, second.pk)
    assert client.get(path, {"before": "true"}).json() == {
        "before": ["A valid integer is required."]
    }
    assert client.get(path, {"before": first.pk}).json() == {"after": ["Name one with before"]}
    other = client.get(path, {"before": first.pk, "after": 999_999})
    assert other.status_code == 400
    assert other.json() == {"after": ["Not one of this child's assessments"]}
