"""The practitioners' API: search, concerns and chronologies under the same policy and rules."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases.codes import AgencyType, Role
from cases.models import AccessLogEntry, ChronologyEntry, Concern
from tests.support import factories

pytestmark = pytest.mark.django_db

YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def api_world() -> dict:
    health = factories.agency("Health", AgencyType.HEALTH)
    school = factories.agency("School", AgencyType.EDUCATION)
    family = factories.family()
    elder = factories.child(known_to=[health], in_family=family, first_name="Ada", last_name="Vole")
    younger = factories.child(
        known_to=[health, school], in_family=family, first_name="Bea", last_name="Vole"
    )
    nurse = factories.practitioner(health, Role.PRACTITIONER)
    teacher = factories.practitioner(school, Role.PRACTITIONER)
    return {
        "elder": elder,
        "younger": younger,
        "nurse": nurse,
        "teacher": teacher,
        "school": school,
    }


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def concern_payload(children: list, **overrides: object) -> dict:
    payload: dict[str, object] = {
        "children": [c.pk for c in children],
        "neglect_types": ["nutritional"],
        "what_was_seen": "No lunch for the third day running.",
        "severity": "medium",
        "observed_on": YESTERDAY,
        "child_seen": True,
        "child_spoken_to": True,
        "child_voice": "There's nothing in the cupboard.",
        "actions_taken": ["advice"],
        "consent_to_share": "given",
        "submission_key": "api-key-1",
    }
    payload.update(overrides)
    return payload


def test_search_masks_children_the_user_may_not_see(api_world) -> None:
    response = api_for(api_world["teacher"]).post("/api/children/search/", {"name": "Vole"})
    assert response.status_code == 200
    by_id = {row["id"]: row for row in response.json()["results"]}
    assert by_id[api_world["younger"].pk]["full_name"] == api_world["younger"].full_name
    hidden = by_id[api_world["elder"].pk]
    assert hidden["access"] == "request_access"
    assert hidden["initials"] == "AV" and hidden["year_of_birth"] == 2019
    assert hidden["full_name"] is None and hidden["date_of_birth"] is None
    assert hidden["known_to"] == ["Health"]


def test_search_refuses_an_nhs_number_failing_modulus_11(api_world) -> None:
    response = api_for(api_world["nurse"]).post(
        "/api/children/search/", {"nhs_number": "9434765918"}
    )
    assert response.status_code == 400
    assert "nhs_number" in response.json()


def test_search_refuses_a_malformed_postcode_as_the_form_does(api_world) -> None:
    response = api_for(api_world["nurse"]).post("/api/children/search/", {"postcode": "nonsense"})
    assert response.status_code == 400
    assert response.json()["postcode"] == ["Enter a real postcode, like NT1 4AB"]


def test_a_concern_is_created_once_for_two_siblings(api_world) -> None:
    client = api_for(api_world["nurse"])
    payload = concern_payload([api_world["elder"], api_world["younger"]])
    first = client.post("/api/concerns/", payload, format="json")
    retry = client.post("/api/concerns/", payload, format="json")
    assert first.status_code == 201 and retry.status_code == 200
    assert first.json()["id"] == retry.json()["id"]
    assert Concern.objects.count() == 1
    assert sorted(first.json()["children"]) == sorted(
        [api_world["elder"].pk, api_world["younger"].pk]
    )
    assert ChronologyEntry.objects.filter(source_kind="concern").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"neglect_types": []}, "neglect_types"),
        ({"observed_on": "2999-01-01"}, "observed_on"),
        ({"what_was_seen": "x" * 2001}, "what_was_seen"),
        ({"consent_to_share": "not_sought"}, "sharing_reason"),
    ],
)
def test_bad_concerns_get_400_with_field_errors_and_nothing_is_saved(
    api_world, overrides: dict, field: str
) -> None:
    response = api_for(api_world["nurse"]).post(
        "/api/concerns/", concern_payload([api_world["elder"]], **overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Concern.objects.count() == 0


def test_a_concern_about_a_child_the_user_cannot_see_is_refused(api_world) -> None:
    response = api_for(api_world["teacher"]).post(
        "/api/concerns/", concern_payload([api_world["elder"]]), format="json"
    )
    assert response.status_code == 400
    assert "children" in response.json()
    assert Concern.objects.count() == 0


def test_the_concern_list_shows_only_visible_children_and_filters(api_world) -> None:
    factories.concern(
        api_world["nurse"], [api_world["elder"], api_world["younger"]], neglect_types=["medical"]
    )
    factories.concern(api_world["nurse"], [api_world["elder"]], neglect_types=["physical"])
    teacher = api_for(api_world["teacher"])
    rows = teacher.get("/api/concerns/").json()["results"]
    assert len(rows) == 1 and rows[0]["children"] == [api_world["younger"].pk]
    nurse = api_for(api_world["nurse"])
    assert nurse.get("/api/concerns/").json()["count"] == 2
    assert nurse.get("/api/concerns/", {"neglect_type": "physical"}).json()["count"] == 1
    assert teacher.get("/api/concerns/", {"child": api_world["elder"].pk}).json()["count"] == 0


def test_chronology_entries_are_created_and_listed_with_filters(api_world) -> None:
    client = api_for(api_world["teacher"])
    path = f"/api/children/{api_world['younger'].pk}/chronology/"
    created = client.post(
        path,
        {
            "event_type": "school_absence",
            "occurred_on": YESTERDAY,
            "significance": "high",
            "summary": "Absent all week.",
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["source_agency"] == "School"
    client.post(
        path,
        {"event_type": "visit", "occurred_on": YESTERDAY, "significance": "low", "summary": "Seen"},
        format="json",
    )
    assert client.get(path).json()["count"] == 2
    assert client.get(path, {"significance": "high"}).json()["count"] == 1
    assert AccessLogEntry.objects.filter(view_name="api_child_chronology").count() == 2


def test_a_future_chronology_date_gets_400(api_world) -> None:
    response = api_for(api_world["nurse"]).post(
        f"/api/children/{api_world['elder'].pk}/chronology/",
        {"event_type": "visit", "occurred_on": "2999-01-01", "significance": "low", "summary": "x"},
        format="json",
    )
    assert response.status_code == 400 and "occurred_on" in response.json()
    assert ChronologyEntry.objects.count() == 0


def test_the_family_chronology_lists_only_children_the_user_may_see(api_world) -> None:
    elder, younger = api_world["elder"], api_world["younger"]
    factories.concern(api_world["nurse"], [elder, younger])
    response = api_for(api_world["teacher"]).get(f"/api/families/{elder.family_id}/chronology/")
    assert response.status_code == 200
    assert {row["child"] for row in response.json()["results"]} == {younger.pk}
    assert list(AccessLogEntry.objects.values_list("child_id", flat=True)) == [younger.pk]


def test_the_docs_page_uses_bundled_assets(api_world) -> None:
    response = api_for(api_world["nurse"]).get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
    assert b"cdn.jsdelivr" not in response.content


def test_a_siblings_words_never_reach_a_reader_who_sees_only_the_other_child(api_world) -> None:
    from cases.casework.concerns import ChildAnswers, concern_log

    elder, younger = api_world["elder"], api_world["younger"]
    concern_log(
        author=api_world["nurse"],
        children=[elder, younger],
        neglect_types=["nutritional"],
        what_was_seen="No lunch again.",
        severity="medium",
        observed_on=timezone.localdate(),
        child_seen=True,
        actions_taken=["advice"],
        consent_to_share="given",
        submission_key="siblings-1",
        answers_by_child={
            elder.pk: ChildAnswers(seen=True, spoken_to=True, voice="Ada's own words"),
            younger.pk: ChildAnswers(seen=True, spoken_to=True, voice="Bea's own words"),
        },
    )
    # The teacher's school knows only the younger child.
    body = api_for(api_world["teacher"]).get("/api/concerns/").json()
    (shown,) = body["results"]
    assert shown["children"] == [younger.pk]
    assert shown["answers"] == [
        {
            "child": younger.pk,
            "child_seen": True,
            "child_seen_alone": False,
            "child_spoken_to": True,
            "child_voice": "Bea's own words",
        }
    ]
    assert "Ada's own words" not in str(body) and "submission_key" not in shown


def test_a_misspelt_filter_is_refused_naming_it_not_ignored(api_world) -> None:
    path = f"/api/children/{api_world['younger'].pk}/chronology/"
    client = api_for(api_world["teacher"])
    assert client.get(path, {"event_type": "concern"}).status_code == 200
    response = client.get(path, {"agncy": "3", "page": "1"})
    assert response.status_code == 400
    assert response.json() == {"agncy": ["This operation takes no such query parameter."]}
