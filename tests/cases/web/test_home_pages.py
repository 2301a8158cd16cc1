"""Home pages by caseload: a practitioner's allocated and team-around-the-family children, a
lead's team and agency figures linking to the filtered queue."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import Agency, Child, Practitioner, TeamAroundFamilyMember
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def open_case(agency: Agency, *, days_ago: int, **extra: object) -> Child:
    child = factories.child(known_to=[agency])
    factories.involvement(
        child,
        NeedLevel.EARLY_HELP,
        agency,
        started_on=TODAY - datetime.timedelta(days=days_ago),
        **extra,
    )
    return child


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    health = factories.agency("Health", AgencyType.HEALTH)
    team = factories.team(health, "Health visiting north")
    lead = factories.practitioner(health, Role.SAFEGUARDING_LEAD, "lead", team=team)
    nurse = factories.practitioner(health, team=team)
    allocated = open_case(health, days_ago=100, team=team, lead_professional=nurse)
    named = open_case(health, days_ago=5, lead_professional=lead)
    TeamAroundFamilyMember.objects.create(child=named, agency=health, practitioner=nurse)
    elsewhere = open_case(health, days_ago=90)  # another team's, no one allocated
    drift_evaluate()
    return {
        "lead": lead,
        "nurse": nurse,
        "allocated": allocated,
        "named": named,
        "elsewhere": elsewhere,
    }


def home(user: Practitioner) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_a_practitioner_sees_their_allocated_then_named_children_with_flag_counts(scene) -> None:  # type: ignore[no-untyped-def]
    page = home(scene["nurse"])
    allocated, named = scene["allocated"].full_name, scene["named"].full_name
    assert allocated in page and named in page
    assert page.index(allocated) < page.index(named)
    assert scene["elsewhere"].full_name not in page
    assert "2 children you are lead professional for or named in the team around" in page
    assert "Lead professional" in page and "Team around the family" in page


def test_a_lead_sees_team_and_agency_figures_linking_to_the_filtered_queue(scene) -> None:  # type: ignore[no-untyped-def]
    page = home(scene["lead"])
    assert "Your team and agency" in page
    figures = [
        page.split(f'data-testid="figure-{scope}-children">')[1].split("<")[0]
        for scope in ("team", "agency", "all")
    ]
    assert figures == ["1", "2", "2"]
    assert 'href="/drift/?scope=team"' in page
    assert 'href="/drift/?scope=agency&amp;rule=GCP2_OVERDUE"' in page


def test_the_home_page_costs_the_same_queries_with_a_bigger_caseload(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    health = Agency.objects.get(name="Health")
    for days in (60, 70, 80):
        open_case(health, days_ago=days, lead_professional=scene["lead"])
    drift_evaluate()
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before)
