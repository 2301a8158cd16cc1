"""The lead's queue: scoped, ordered, filtered; decisions hide a flag until its review date."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import (
    AccessLogEntry,
    ChronologyEntry,
    DriftFlag,
    DriftFlagReview,
    SupervisionRecord,
)
from cases.oversight.selectors import QueueFilters, drift_queue
from cases.oversight.services import drift_flag_decide
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    health = factories.agency("Health", AgencyType.HEALTH)
    school = factories.agency("School", AgencyType.EDUCATION)
    lead = factories.practitioner(health, Role.SAFEGUARDING_LEAD, "lead")
    ours = factories.child(known_to=[health], first_name="Ours")
    theirs = factories.child(known_to=[school], first_name="Theirs")
    for child in (ours, theirs):
        factories.involvement(
            child, NeedLevel.EARLY_HELP, health, started_on=TODAY - datetime.timedelta(days=60)
        )
    drift_evaluate()
    return {"health": health, "school": school, "lead": lead, "ours": ours, "theirs": theirs}


def test_the_queue_lists_only_children_the_leads_agency_works_with(scene) -> None:  # type: ignore[no-untyped-def]
    flags = drift_queue(user=scene["lead"])
    assert {flag.child_id for flag in flags} == {scene["ours"].pk}


def test_the_most_severe_come_first_then_the_oldest(scene) -> None:  # type: ignore[no-untyped-def]
    flags = list(drift_queue(user=scene["lead"]))
    assert [f.rule_code for f in flags] == ["CHILD_NOT_SEEN", "NO_LEAD_PROFESSIONAL"]
    assert [f.severity for f in flags] == ["high", "medium"]


def test_the_queue_filters_by_rule_and_level(scene) -> None:  # type: ignore[no-untyped-def]
    lead = scene["lead"]
    assert drift_queue(user=lead, filters=QueueFilters(rule="NO_LEAD_PROFESSIONAL")).count() == 1
    assert drift_queue(user=lead, filters=QueueFilters(level=NeedLevel.CHILD_IN_NEED)).count() == 0
    assert drift_queue(user=lead, filters=QueueFilters(level=NeedLevel.EARLY_HELP)).count() == 2


def test_each_row_says_why_and_links_to_the_evidence(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    page = client.get("/drift/").content.decode()
    flag = DriftFlag.objects.get(child=scene["ours"], rule_code="NO_LEAD_PROFESSIONAL")
    assert "with no lead professional for" in page and "; 5 allowed" in page
    assert f"/drift/flags/{flag.pk}/" in page
    assert "Theirs" not in page


def test_a_decision_writes_supervision_and_chronology_and_hides_the_flag_until_review(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    lead = scene["lead"]
    flag = DriftFlag.objects.get(child=scene["ours"], rule_code="NO_LEAD_PROFESSIONAL")
    review = TODAY + datetime.timedelta(days=14)
    record = drift_flag_decide(
        flag=flag,
        lead=lead,
        decision="accept_risk",
        reason="Allocation meeting on Friday; health visitor in weekly.",
        next_review_on=review,
        submission_key="decision-1",
    )
    assert SupervisionRecord.objects.get() == record and record.drift_flag == flag
    entry = ChronologyEntry.objects.get(source_kind="supervision", source_id=record.pk)
    assert entry.event_type == "supervision" and entry.child == scene["ours"]
    assert flag.pk not in {f.pk for f in drift_queue(user=lead)}
    # Re-evaluating does not bring it back early, and keeps the decision.
    drift_evaluate()
    assert flag.pk not in {f.pk for f in drift_queue(user=lead)}
    # On the review date it reappears, while the rule still applies.
    assert flag.pk in {f.pk for f in drift_queue(user=lead, as_of=review)}


def test_the_same_decision_submitted_twice_is_recorded_once(scene) -> None:  # type: ignore[no-untyped-def]
    flag = DriftFlag.objects.get(child=scene["ours"], rule_code="NO_LEAD_PROFESSIONAL")
    for _ in range(2):
        drift_flag_decide(
            flag=flag,
            lead=scene["lead"],
            decision="complex_case_meeting",
            reason="Stuck for months.",
            next_review_on=TODAY + datetime.timedelta(days=7),
            submission_key="same-key",
        )
    assert SupervisionRecord.objects.count() == 1


def test_a_decision_needs_a_reason_and_a_future_review_date(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    flag = DriftFlag.objects.get(child=scene["ours"], rule_code="NO_LEAD_PROFESSIONAL")
    today = {
        "next_review_on-day": str(TODAY.day),
        "next_review_on-month": str(TODAY.month),
        "next_review_on-year": str(TODAY.year),
    }
    no_reason = client.post(
        f"/drift/flags/{flag.pk}/",
        {"submission_key": "k1", "decision": "accept_risk", "reason": "", **today},
    )
    assert "Enter the reason for your decision" in no_reason.content.decode()
    past_review = client.post(
        f"/drift/flags/{flag.pk}/",
        {"submission_key": "k1", "decision": "accept_risk", "reason": "Fine", **today},
    )
    assert past_review.status_code == 200
    assert "The review date must be in the future" in past_review.content.decode()
    assert SupervisionRecord.objects.count() == 0


def test_deciding_through_the_page_redirects_to_the_queue_and_logs_the_read(scene) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(scene["lead"])
    flag = DriftFlag.objects.get(child=scene["ours"], rule_code="CHILD_NOT_SEEN")
    review = TODAY + datetime.timedelta(days=10)
    before = AccessLogEntry.objects.filter(child=scene["ours"]).count()
    response = client.post(
        f"/drift/flags/{flag.pk}/",
        {
            "submission_key": "k2",
            "decision": "action_set",
            "reason": "Visit booked.",
            "actions": "Home visit by Thursday, child seen alone.",
            "next_review_on-day": str(review.day),
            "next_review_on-month": str(review.month),
            "next_review_on-year": str(review.year),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/drift/"
    assert AccessLogEntry.objects.filter(child=scene["ours"]).count() == before + 1
    assert DriftFlagReview.objects.get(flag=flag, agency=scene["lead"].agency).review_on == review


def test_the_queue_filters_by_team_and_lead_professional(scene) -> None:  # type: ignore[no-untyped-def]
    team = factories.team(scene["health"], "Health visiting north")
    worker = factories.practitioner(scene["health"])
    involvement = scene["ours"].involvements.get()
    involvement.team = team
    involvement.lead_professional = worker
    involvement.save()
    drift_evaluate()  # the lead professional is now allocated: that flag closes
    lead = scene["lead"]
    by_team = drift_queue(user=lead, filters=QueueFilters(team=team.pk))
    by_worker = drift_queue(user=lead, filters=QueueFilters(worker=worker.pk))
    assert [f.rule_code for f in by_team] == ["CHILD_NOT_SEEN"]
    assert [f.rule_code for f in by_worker] == ["CHILD_NOT_SEEN"]
    assert drift_queue(user=lead, filters=QueueFilters(team=team.pk + 1)).count() == 0
