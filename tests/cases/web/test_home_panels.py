"""The lead's and the manager's home page panels (break-glass grants to review, GCP2 work,
outcomes of concerns raised, challenges and step-up requests): each one statement written by
hand, holding the same rows as the ORM selectors the other pages use, naming only children the
user may see, logging every child named, and costing the same however much waits."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.casework.break_glass import (
    access_grant_request,
    access_grants_for_home,
    access_grants_to_review,
)
from cases.codes import AgencyType, NeedLevel, Role
from cases.models import AccessLogEntry, Child, Practitioner
from cases.oversight import selectors
from cases.oversight.services import challenge_raise, concern_outcome_record, step_up_request
from tests.support import factories
from tests.support.gcp2_factories import gcp2_assessment

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + datetime.timedelta(days=14)
_keys = itertools.count()


@pytest.fixture
def scene() -> dict[str, object]:
    health = factories.agency("Health", AgencyType.HEALTH)
    csc = factories.agency("Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    police = factories.agency("Police", AgencyType.POLICE)
    return {
        "health": health,
        "csc": csc,
        "lead": factories.practitioner(health, Role.SAFEGUARDING_LEAD, "hl"),
        "nurse": factories.practitioner(health, Role.PRACTITIONER, "hn"),
        "manager": factories.practitioner(csc, Role.SOCIAL_CARE_MANAGER, "mgr"),
        "social_worker": factories.practitioner(csc, Role.PRACTITIONER, "sw"),
        "officer": factories.practitioner(police, Role.PRACTITIONER, "pc"),
    }


def waiting_case(scene: dict, first_name: str = "Kit", *, grant: bool = True) -> Child:  # type: ignore[type-arg]
    """A child at early help held by social care, with something on every panel of both the
    health lead's and the social-care manager's home page."""
    lead, manager = scene["lead"], scene["manager"]
    child = factories.child(known_to=[scene["health"], scene["csc"]], first_name=first_name)
    factories.involvement(child, NeedLevel.EARLY_HELP, scene["csc"])
    challenge_raise(
        child=child,
        raised_by=lead,
        reason="Not seen for seven weeks.",
        asked_for="A visit this week.",
        answer_by=LATER,
        submission_key=f"challenge-{next(_keys)}",
    )
    step_up_request(
        child=child,
        requested_by=lead,
        to_level=NeedLevel.CHILD_IN_NEED,
        reasons="Three concerns in a month.",
        submission_key=f"step-up-{next(_keys)}",
    )
    if grant:
        access_grant_request(
            practitioner=scene["officer"], child=child, reason="Call-out at night."
        )
    gcp2_assessment(child, lead, status="draft")
    gcp2_assessment(child, scene["nurse"], status="submitted")
    gcp2_assessment(child, scene["social_worker"], status="submitted")
    concern = factories.concern(lead, [child])
    concern_outcome_record(
        concern=concern, child=child, lead=manager, outcome="acknowledged", reason="Visit booked."
    )
    return child


def home(user: Practitioner) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_the_leads_and_managers_home_pages_cost_the_same_statements_however_much_waits(
    scene: dict,  # type: ignore[type-arg]
) -> None:
    waiting_case(scene)
    # The manager raised no concern nor challenge and asked for no step up: no access-log rows
    # for those two panels.
    for who, statements in (("lead", 14), ("manager", 12)):
        client = Client()
        client.force_login(scene[who])
        client.get("/")
        with CaptureQueriesContext(connection) as before:
            assert client.get("/").status_code == 200
        for _ in range(3):
            waiting_case(scene)
        with CaptureQueriesContext(connection) as after:
            assert client.get("/").status_code == 200
        # The session, the user and their second factor; one statement per panel (break-glass
        # grants, GCP2, outcomes of concerns raised, challenges and step-up requests) and the
        # access-log rows of the children the four name; the caseload's ids; the queue rows due
        # back; the lead's figures (the queue's and the awaiting concerns' tallies). The user
        # comes with their agency and team.
        assert len(after) == len(before) == statements


def test_the_challenges_panel_holds_what_the_challenges_page_lists(scene: dict) -> None:  # type: ignore[type-arg]
    for name in ("Ann", "Bo", "Cy", "Di", "Ed", "Flo"):
        waiting_case(scene, first_name=name)
    for who in ("lead", "manager", "nurse"):
        user = scene[who]
        panel = selectors.challenges_for_home(user=user)
        assert panel.waiting == selectors.waiting_for_agency(user=user)
        # The queue page counts the same in its own statement.
        queue = selectors.drift_queue_page(user=user, view_name="drift_queue")
        assert queue.waiting == panel.waiting
        assert panel.raised == list(selectors.challenges_raised(user=user)[:5])
        assert panel.requests_made == list(selectors.step_up_requests_made(user=user)[:5])
    manager = scene["manager"]
    assert (
        selectors.waiting_for_agency(user=manager)
        == {
            "challenges_waiting": selectors.challenges_to_answer(user=manager).count(),
            "step_ups_waiting": selectors.step_up_requests_to_decide(user=manager).count(),
        }
        == {"challenges_waiting": 6, "step_ups_waiting": 6}
    )
    lead = scene["lead"]
    assert selectors.waiting_for_agency(user=lead) == {"challenges_waiting": 0}
    raised = selectors.challenges_for_home(user=lead).raised
    assert [c.child.first_name for c in raised] == ["Flo", "Ed", "Di", "Cy", "Bo"]
    assert raised[0].holding_agency.name == "Children's Social Care"


def test_a_child_the_user_may_not_see_is_neither_named_nor_counted(scene: dict) -> None:  # type: ignore[type-arg]
    shown = waiting_case(scene, first_name="Shown")
    # (A break-glass grant stays on the grants to review: that panel is every grant on a child
    # the agency knows, the policy aside, so that each is reviewed.)
    hidden = waiting_case(scene, first_name="Hidden", grant=False)
    Child.objects.filter(pk=hidden.pk).update(is_restricted=True)  # names nobody
    for who in ("lead", "manager"):
        panel = selectors.challenges_for_home(user=scene[who])
        children = [item.child for item in panel.raised + panel.requests_made]  # type: ignore[operator]
        assert hidden not in children
        page = home(scene[who])
        assert "Hidden" not in page and "Shown" in page
    assert selectors.waiting_for_agency(user=scene["manager"]) == {
        "challenges_waiting": 1,
        "step_ups_waiting": 1,
    }
    outcomes = selectors.outcomes_for_referrer(user=scene["lead"])
    assert {(item.outcome.child_id, item.child_visible) for item in outcomes} == {
        (shown.pk, True),
        (hidden.pk, False),
    }


def test_the_grants_panel_lists_the_grants_to_review(scene: dict) -> None:  # type: ignore[type-arg]
    for _ in range(3):
        waiting_case(scene)
    for who in ("lead", "manager", "nurse"):
        expected = list(access_grants_to_review(lead=scene[who])[:20])
        listed = access_grants_for_home(lead=scene[who])
        assert listed == expected and len(listed) == (0 if who == "nurse" else 3)
    grant = access_grants_for_home(lead=scene["lead"])[0]
    assert grant.practitioner.agency == scene["officer"].agency
    assert str(grant.practitioner.agency) == "Police"
    assert grant.practitioner.name_and_role == scene["officer"].name_and_role


def test_the_home_page_names_and_logs_every_child_its_panels_show(scene: dict) -> None:  # type: ignore[type-arg]
    child = waiting_case(scene, first_name="Named")
    page = home(scene["lead"])
    for shown in ('data-testid="home-challenges-raised"', 'data-testid="home-step-ups-made"'):
        assert shown in page
    assert "Awaiting an answer" in page and "Awaiting a decision" in page
    assert "Waiting for your sign-off" in page and "Your assessments in progress" in page
    assert f"by {scene['nurse'].name_and_role}" in page
    assert "Call-out at night." in page and "Visit booked." in page
    logged = set(
        AccessLogEntry.objects.filter(practitioner=scene["lead"]).values_list(
            "view_name", "child_id"
        )
    )
    for view_name in (
        "home_challenges",
        "home_gcp2",
        "home_access_grants",
        "home_concern_outcomes",
    ):
        assert (view_name, child.pk) in logged
    manager_page = home(scene["manager"])
    assert "1 challenge to answer, 1 step-up request to decide" in manager_page
