"""Who decides what between agencies: each agency's decision on a flag is its own; another agency
challenges the case-holding agency or asks children's social care to step a case up; children's
social care alone decides child in need and child protection and records referrals and meetings;
supervision stays within its agency."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.models import (
    ChronologyEntry,
    DriftFlag,
    Involvement,
    ProfessionalChallenge,
    StepUpRequest,
)
from cases.oversight import selectors, services
from cases.plans.services import protection_meeting_record, referral_record
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=14)


@pytest.fixture
def scene() -> dict[str, object]:
    health = factories.agency("Health", AgencyType.HEALTH)
    school = factories.agency("School", AgencyType.EDUCATION)
    csc = factories.agency("Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    cin_team = factories.team(csc, "Child in need team")
    child = factories.child(known_to=[health, school, csc], first_name="Shared")
    factories.involvement(child, NeedLevel.CHILD_IN_NEED, csc, team=cin_team)
    eh_child = factories.child(known_to=[school], first_name="Schooled")
    factories.involvement(eh_child, NeedLevel.EARLY_HELP, school)
    flag = DriftFlag.objects.create(
        child=child,
        rule_code="CHILD_NOT_SEEN",
        severity="high",
        severity_rank=0,
        reason="Last seen 34 working days ago.",
        opened_on=TODAY - datetime.timedelta(days=20),
    )
    return {
        "health": health,
        "school": school,
        "csc": csc,
        "cin_team": cin_team,
        "child": child,
        "eh_child": eh_child,
        "flag": flag,
        "health_lead": factories.practitioner(health, Role.SAFEGUARDING_LEAD, "hl"),
        "health_nurse": factories.practitioner(health, Role.PRACTITIONER, "hn"),
        "school_lead": factories.practitioner(school, Role.SAFEGUARDING_LEAD, "sl"),
        "manager": factories.practitioner(csc, Role.SOCIAL_CARE_MANAGER, "mgr", team=cin_team),
        "social_worker": factories.practitioner(csc, Role.PRACTITIONER, "sw", team=cin_team),
    }


def _decide(scene, who: str, key: str) -> None:  # type: ignore[no-untyped-def]
    services.drift_flag_decide(
        flag=scene["flag"],
        lead=scene[who],
        decision="action_set",
        reason="Visit booked.",
        actions="Visit by Friday.",
        next_review_on=LATER,
        submission_key=key,
    )


def test_a_decision_takes_the_flag_off_the_deciding_agencys_queue_only(scene) -> None:  # type: ignore[no-untyped-def]
    _decide(scene, "health_lead", "d1")
    assert list(selectors.drift_queue(user=scene["health_lead"])) == []
    assert list(selectors.drift_queue(user=scene["manager"])) == [scene["flag"]]
    # On its review date the flag comes back to the health queue.
    back = selectors.drift_queue(user=scene["health_lead"], as_of=LATER)
    assert [flag.review_on for flag in back] == [LATER]  # type: ignore[attr-defined]


def test_the_other_agencys_decision_is_shown_read_only_on_the_flag_page(scene) -> None:  # type: ignore[no-untyped-def]
    _decide(scene, "health_lead", "d2")
    client = Client()
    client.force_login(scene["manager"])
    page = client.get(f"/drift/flags/{scene['flag'].pk}/").content.decode()
    assert "Health</strong>: Set an action" in page
    assert (
        "Awaiting your agency&#x27;s decision" in page or "Awaiting your agency's decision" in page
    )
    assert f'href="/children/{scene["child"].pk}/"' in page


def test_only_a_csc_manager_steps_up_to_child_protection(scene) -> None:  # type: ignore[no-untyped-def]
    kwargs = {
        "child": scene["eh_child"],
        "to_level": NeedLevel.CHILD_PROTECTION,
        "protection_category": "NEG",
        "reason": "Significant harm.",
        "receiving_team": scene["cin_team"],
    }
    with pytest.raises(PermissionDenied):
        services.involvement_step(lead=scene["school_lead"], submission_key="s1", **kwargs)
    assert not Involvement.objects.filter(child=scene["eh_child"], level="child_protection")
    client = Client()
    client.force_login(scene["school_lead"])
    response = client.post(
        f"/children/{scene['eh_child'].pk}/level/",
        {
            "to_level": "child_protection",
            "protection_category": "NEG",
            "receiving_team": scene["cin_team"].pk,
            "reason": "x",
            "submission_key": "s2",
        },
    )
    assert response.status_code == 200  # child protection is not among a school lead's choices
    assert "Select a valid choice" in response.content.decode()
    # A statutory case is not the school's to step down.
    other = Client()
    other.force_login(scene["health_lead"])
    assert other.get(f"/children/{scene['child'].pk}/level/").status_code == 403


def test_referrals_and_meetings_are_recorded_by_childrens_social_care(scene) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        referral_record(
            child=scene["child"],
            recorded_by=scene["health_lead"],
            received_on=TODAY,
            source="3A",
            decision="",
            decision_on=None,
            assessment_started_on=None,
            assessment_completed_on=None,
            submission_key="r1",
        )
    meeting = protection_meeting_record(
        child=scene["child"],
        recorded_by=scene["social_worker"],
        kind="strategy_discussion",
        held_on=TODAY,
        conference_needed=True,
        notes="",
        submission_key="m1",
    )
    assert meeting.pk
    client = Client()
    client.force_login(scene["health_nurse"])
    assert client.get(f"/children/{scene['child'].pk}/meetings/new/").status_code == 403
    page = client.get(f"/children/{scene['child'].pk}/").content.decode()
    assert "Record a meeting" not in page and "Record a referral" not in page


def _challenge(scene, answer_by=LATER, key="c1"):  # type: ignore[no-untyped-def]
    return services.challenge_raise(
        child=scene["child"],
        raised_by=scene["health_lead"],
        reason="The child has not been seen for seven weeks.",
        asked_for="A visit this week, child seen alone.",
        answer_by=answer_by,
        submission_key=key,
        drift_flag=scene["flag"],
    )


def test_a_challenge_lands_with_the_case_holding_agency_and_its_answer_goes_back(scene) -> None:  # type: ignore[no-untyped-def]
    challenge = _challenge(scene)
    assert _challenge(scene) == challenge  # a double submit raises one challenge
    assert challenge.holding_agency == scene["csc"]
    assert list(selectors.challenges_to_answer(user=scene["manager"])) == [challenge]
    assert list(selectors.challenges_to_answer(user=scene["school_lead"])) == []
    with pytest.raises(PermissionDenied):
        services.challenge_answer(
            challenge=challenge, lead=scene["school_lead"], response="x", outcome="agreed"
        )
    services.challenge_answer(
        challenge=challenge,
        lead=scene["manager"],
        response="Agreed: visit booked for Thursday.",
        outcome="agreed",
    )
    assert list(selectors.challenges_to_answer(user=scene["manager"])) == []
    raised = selectors.challenges_raised(user=scene["health_lead"]).get()
    assert raised.outcome == "agreed" and raised.answered_by == scene["manager"]
    summaries = list(
        ChronologyEntry.objects.filter(source_kind="challenge").values_list("summary", flat=True)
    )
    assert (
        len(summaries) == 2
        and "answered by Children's Social Care: agreed" in summaries[0] + summaries[1]
    )


def test_the_case_holding_agency_cannot_challenge_itself(scene) -> None:  # type: ignore[no-untyped-def]
    assert not services.may_raise_challenge(user=scene["manager"], child=scene["child"])
    with pytest.raises(PermissionDenied):
        services.challenge_raise(
            child=scene["child"],
            raised_by=scene["manager"],
            reason="x",
            asked_for="y",
            answer_by=LATER,
            submission_key="self",
        )


def test_an_unanswered_challenge_rises_a_level_when_its_date_passes(scene) -> None:  # type: ignore[no-untyped-def]
    challenge = _challenge(scene)
    ProfessionalChallenge.objects.filter(pk=challenge.pk).update(
        answer_by=TODAY - datetime.timedelta(days=1)
    )
    assert services.challenges_escalate() == 1
    assert services.challenges_escalate() == 0  # once per missed date
    challenge.refresh_from_db()
    assert challenge.level == 2 and challenge.escalated_at is not None
    assert challenge.answer_by > TODAY
    assert ChronologyEntry.objects.filter(
        source_kind="challenge", summary__contains="escalated to level 2 (service manager)"
    ).exists()
    # Two more missed dates reach the head of service, and no further.
    for _ in range(3):
        ProfessionalChallenge.objects.filter(pk=challenge.pk).update(
            answer_by=TODAY - datetime.timedelta(days=1)
        )
        services.challenges_escalate()
    challenge.refresh_from_db()
    assert challenge.level == 3


def test_the_challenges_page_escalates_when_it_loads(scene) -> None:  # type: ignore[no-untyped-def]
    challenge = _challenge(scene)
    ProfessionalChallenge.objects.filter(pk=challenge.pk).update(
        answer_by=TODAY - datetime.timedelta(days=1)
    )
    client = Client()
    client.force_login(scene["health_lead"])
    page = client.get("/drift/challenges/").content.decode()
    assert "level 2 (service manager)" in page


def test_a_step_up_request_is_decided_by_childrens_social_care(scene) -> None:  # type: ignore[no-untyped-def]
    child = scene["eh_child"]
    concern = factories.concern_observed([child], scene["school_lead"])
    request = services.step_up_request(
        child=child,
        requested_by=scene["school_lead"],
        to_level=NeedLevel.CHILD_IN_NEED,
        reasons="Hungry every morning; three concerns this term.",
        submission_key="u1",
        evidence_concerns=[concern],
    )
    assert request.receiving_agency == scene["csc"]
    # Children's social care can now read the child to decide.
    assert selectors.step_up_requests_to_decide(user=scene["manager"]).get() == request
    with pytest.raises(PermissionDenied):
        services.step_up_decide(
            request=request,
            manager=scene["social_worker"],
            accept=True,
            reason="x",
            submission_key="k",
        )
    services.step_up_decide(
        request=request,
        manager=scene["manager"],
        accept=True,
        reason="Assessment under section 17.",
        submission_key="accept-1",
        receiving_team=scene["cin_team"],
    )
    request.refresh_from_db()
    assert request.status == "accepted" and request.level_change is not None
    open_involvement = child.involvements.get(ended_on__isnull=True)
    assert open_involvement.level == NeedLevel.CHILD_IN_NEED
    assert open_involvement.lead_agency == scene["csc"]
    assert selectors.step_up_requests_made(user=scene["school_lead"]).get().status == "accepted"


def test_a_step_up_request_can_be_declined_with_reasons_and_links_only_this_childs_evidence(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    other_concern = factories.concern_observed([scene["child"]], scene["health_lead"])
    with pytest.raises(ValidationError):
        services.step_up_request(
            child=scene["eh_child"],
            requested_by=scene["school_lead"],
            to_level=NeedLevel.CHILD_IN_NEED,
            reasons="x",
            submission_key="u2",
            evidence_concerns=[other_concern],
        )
    request = services.step_up_request(
        child=scene["eh_child"],
        requested_by=scene["school_lead"],
        to_level=NeedLevel.CHILD_IN_NEED,
        reasons="x",
        submission_key="u3",
    )
    with pytest.raises(ValidationError):
        services.step_up_decide(
            request=request, manager=scene["manager"], accept=False, reason=" ", submission_key="d"
        )
    services.step_up_decide(
        request=request,
        manager=scene["manager"],
        accept=False,
        reason="Early help plan to continue; review in 6 weeks.",
        submission_key="d",
    )
    request.refresh_from_db()
    assert request.status == "declined"
    assert scene["eh_child"].involvements.get(ended_on__isnull=True).level == NeedLevel.EARLY_HELP
    assert not StepUpRequest.objects.filter(status="pending").exists()


def test_supervision_stays_within_the_supervisors_agency(scene) -> None:  # type: ignore[no-untyped-def]
    services.supervision_record(
        child=scene["child"],
        supervisor=scene["health_lead"],
        practitioner=scene["health_nurse"],
        held_on=TODAY,
        reflection="Possible disguised compliance.",
        decisions="Unannounced visit.",
        actions="",
        submission_key="sup-1",
    )
    for who, reads in (("health_lead", True), ("health_nurse", True), ("manager", False)):
        client = Client()
        client.force_login(scene[who])
        page = client.get(f"/children/{scene['child'].pk}/").content.decode()
        assert ("Possible disguised compliance." in page) is reads, who
    client = Client()
    client.force_login(scene["manager"])
    page = client.get(f"/children/{scene['child'].pk}/").content.decode()
    assert "Other agencies held supervision about this child on" in page


def test_people_are_shown_by_name_and_role(scene) -> None:  # type: ignore[no-untyped-def]
    nurse = scene["health_nurse"]
    assert str(nurse) == f"{nurse.get_full_name()}, Practitioner"
    client = Client()
    client.force_login(scene["health_lead"])
    page = client.get(f"/children/{scene['child'].pk}/supervision/new/").content.decode()
    assert f"{nurse.get_full_name()}, Practitioner</option>" in page
    assert ">hn<" not in page


def test_the_api_raises_and_answers_a_challenge_and_requests_and_decides_a_step_up(scene) -> None:  # type: ignore[no-untyped-def]
    health, manager, school = Client(), Client(), Client()
    health.force_login(scene["health_lead"])
    manager.force_login(scene["manager"])
    school.force_login(scene["school_lead"])
    raised = health.post(
        "/api/challenges/",
        {
            "child": scene["child"].pk,
            "reason": "Not seen.",
            "asked_for": "A visit.",
            "answer_by": LATER.isoformat(),
            "drift_flag": scene["flag"].pk,
            "submission_key": "api-c1",
        },
        content_type="application/json",
    )
    assert raised.status_code == 201 and raised.json()["holding_agency"] == "Children's Social Care"
    challenge_id = raised.json()["id"]
    assert health.post(f"/api/challenges/{challenge_id}/answer/", {}).status_code == 403
    answered = manager.post(
        f"/api/challenges/{challenge_id}/answer/",
        {"outcome": "not_agreed", "response": "Seen on Monday."},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert health.get("/api/challenges/").json()["raised"][0]["outcome"] == "not_agreed"

    requested = school.post(
        "/api/step-up-requests/",
        {
            "child": scene["eh_child"].pk,
            "to_level": "child_in_need",
            "reasons": "Three concerns.",
            "evidence_flags": [scene["flag"].pk],  # another child's flag: refused
            "submission_key": "api-u1",
        },
        content_type="application/json",
    )
    assert requested.status_code == 400
    requested = school.post(
        "/api/step-up-requests/",
        {
            "child": scene["eh_child"].pk,
            "to_level": "child_in_need",
            "reasons": "Three concerns.",
            "submission_key": "api-u2",
        },
        content_type="application/json",
    )
    assert requested.status_code == 201
    decided = manager.post(
        f"/api/step-up-requests/{requested.json()['id']}/decision/",
        {
            "accept": True,
            "reason": "Assessment to start.",
            "receiving_team": scene["cin_team"].pk,
            "submission_key": "api-d1",
        },
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert school.get("/api/step-up-requests/").json()["made"][0]["status"] == "accepted"
