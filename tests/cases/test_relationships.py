"""Issue 11, failure 1: relationships come only from legitimate work, never from break glass.

A relationship is created by registering a child (the registering agency joins the team around
the family), by joining the team around the family, and by allocation (a case stepped to a
team). Writing a concern or a chronology entry creates none: the author can only write about a
child they can already see, and what they write under a grant must not outlive the grant.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from cases.casework.break_glass import access_grant_request
from cases.casework.registration import child_register
from cases.codes import AgencyType, NeedLevel, Role
from cases.models import AccessGrant, ChronologyEntry, Concern, LegitimateRelationship
from cases.oversight.services import involvement_step
from cases.services import team_around_family_add
from tests.support import factories

pytestmark = pytest.mark.django_db
YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def scene() -> dict:
    health = factories.agency("Health", AgencyType.HEALTH)
    police = factories.agency("Police", AgencyType.POLICE)
    child = factories.child(known_to=[health], first_name="Glass")
    officer = factories.practitioner(police, Role.PRACTITIONER)
    colleague = factories.practitioner(police, Role.PRACTITIONER)
    return {
        "health": health,
        "police": police,
        "child": child,
        "officer": officer,
        "colleague": colleague,
    }


def api_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def expire_grants() -> None:
    AccessGrant.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))


def assert_no_one_at_police_sees(scene: dict) -> None:
    child = scene["child"]
    for person in (scene["officer"], scene["colleague"]):
        assert page_for(person).get(f"/children/{child.pk}/").status_code == 403
        assert api_for(person).get(f"/api/children/{child.pk}/").status_code == 403
        assert api_for(person).get(f"/api/children/{child.pk}/chronology/").status_code == 403


def test_a_chronology_entry_written_under_break_glass_ends_with_the_grant(scene: dict) -> None:
    child, officer = scene["child"], scene["officer"]
    access_grant_request(practitioner=officer, child=child, reason="Called to the house")
    answer = api_for(officer).post(
        f"/api/children/{child.pk}/chronology/",
        {
            "event_type": "police_call_out",
            "occurred_on": YESTERDAY,
            "significance": "high",
            "summary": "Called out to a domestic incident; children present.",
        },
        format="json",
    )
    assert answer.status_code == 201
    entry = ChronologyEntry.objects.get(pk=answer.json()["id"])
    assert entry.recorded_by == officer and entry.source_agency == scene["police"]
    assert not LegitimateRelationship.objects.filter(agency=scene["police"]).exists()
    expire_grants()
    assert_no_one_at_police_sees(scene)


def test_a_concern_logged_under_break_glass_ends_with_the_grant(scene: dict) -> None:
    child, officer = scene["child"], scene["officer"]
    access_grant_request(practitioner=officer, child=child, reason="Called to the house")
    answer = api_for(officer).post(
        "/api/concerns/",
        {
            "children": [child.pk],
            "neglect_types": ["supervision"],
            "what_was_seen": "Children alone at night.",
            "severity": "high",
            "observed_on": YESTERDAY,
            "child_seen": True,
            "actions_taken": ["front_door_referral"],
            "consent_to_share": "not_sought",
            "sharing_reason": "Risk of significant harm",
            "submission_key": "glass-1",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert Concern.objects.get().author == officer
    assert not LegitimateRelationship.objects.filter(agency=scene["police"]).exists()
    expire_grants()
    assert_no_one_at_police_sees(scene)


def test_writing_as_an_agency_that_already_knows_the_child_changes_no_relationship(
    scene: dict,
) -> None:
    nurse = factories.practitioner(scene["health"])
    factories.concern(nurse, [scene["child"]])
    assert list(
        LegitimateRelationship.objects.filter(child=scene["child"]).values_list("agency", "basis")
    ) == [(scene["health"].pk, "team_around_family")]


def test_registering_a_child_gives_the_registering_agency_a_relationship(scene: dict) -> None:
    child = child_register(
        registered_by=scene["officer"],
        first_name="New",
        last_name="Arrival",
        is_unborn=False,
        date_of_birth=datetime.date(2020, 1, 1),
        expected_date_of_delivery=None,
        sex="F",
        address_line_1="1 Test Street",
        town="Northshire",
        postcode="NT1 1AA",
    )
    assert LegitimateRelationship.objects.get(child=child).agency == scene["police"]


def test_joining_the_team_around_the_family_gives_a_relationship(scene: dict) -> None:
    team_around_family_add(child=scene["child"], agency=scene["police"])
    assert page_for(scene["colleague"]).get(f"/children/{scene['child'].pk}/").status_code == 200


def test_allocation_gives_the_receiving_agency_a_relationship(scene: dict) -> None:
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    lead = factories.practitioner(scene["health"], Role.SAFEGUARDING_LEAD)
    involvement_step(
        child=scene["child"],
        lead=lead,
        to_level=NeedLevel.CHILD_IN_NEED,
        protection_category="",
        reason="Assessment needed",
        receiving_team=factories.team(social_care),
        submission_key="step-1",
    )
    assert LegitimateRelationship.objects.filter(
        child=scene["child"], agency=social_care, basis="allocation"
    ).exists()


def test_a_lead_under_break_glass_cannot_allocate_the_case_to_their_own_team(
    scene: dict,
) -> None:
    police_lead = factories.practitioner(scene["police"], Role.SAFEGUARDING_LEAD)
    access_grant_request(practitioner=police_lead, child=scene["child"], reason="Urgent")
    with pytest.raises(ValidationError):
        involvement_step(
            child=scene["child"],
            lead=police_lead,
            to_level=NeedLevel.EARLY_HELP,
            protection_category="",
            reason="Ours now",
            receiving_team=factories.team(scene["police"]),
            submission_key="step-2",
        )
    assert not LegitimateRelationship.objects.filter(agency=scene["police"]).exists()
