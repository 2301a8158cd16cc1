"""Recording plans, actions, visits, referrals and meetings: each writes the chronology."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, Role
from cases.models import ChronologyEntry, Plan, PlanAction, ProtectionMeeting, Referral, Visit
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    worker = factories.practitioner(social_care, Role.PRACTITIONER, "sw")
    child = factories.child(known_to=[social_care])
    client = Client()
    client.force_login(worker)
    return {"agency": social_care, "worker": worker, "child": child, "client": client}


def test_a_visit_is_saved_with_its_chronology_entry_once_however_often_it_is_sent(scene) -> None:  # type: ignore[no-untyped-def]
    client, child = scene["client"], scene["child"]
    data = {
        "submission_key": "visit-key",
        "kind": "home_visit",
        "child_seen": "on",
        "child_seen_alone": "on",
        "child_voice": "I get hungry at night.",
        **_date("occurred_on", TODAY),
    }
    for _ in range(2):
        response = client.post(f"/children/{child.pk}/visits/new/", data)
        assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.child_seen_alone and visit.voice_recorded
    entry = ChronologyEntry.objects.get(source_kind="visit", source_id=visit.pk)
    assert entry.event_type == "visit" and "seen alone" in entry.summary


def test_a_visit_form_with_mistakes_shows_errors_and_saves_nothing(scene) -> None:  # type: ignore[no-untyped-def]
    response = scene["client"].post(
        f"/children/{scene['child'].pk}/visits/new/",
        {
            "submission_key": "k",
            "kind": "home_visit",
            "child_seen_alone": "on",
            "occurred_on-day": "31",
            "occurred_on-month": "2",
            "occurred_on-year": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "must be a real date" in page
    assert not Visit.objects.exists()


def test_a_plan_with_an_action_is_recorded_in_the_chronology(scene) -> None:  # type: ignore[no-untyped-def]
    client, child = scene["client"], scene["child"]
    response = client.post(
        f"/children/{child.pk}/plans/new/",
        {
            "submission_key": "plan-key",
            "level": "child_in_need",
            "summary": "Meals, school, dentist.",
            **_date("started_on", TODAY),
            **_date("review_due_on", TODAY + datetime.timedelta(days=90)),
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    response = client.post(
        f"/children/{child.pk}/plans/{plan.pk}/",
        {
            "submission_key": "action-key",
            "description": "Register with a dentist",
            "owner_agency": scene["agency"].pk,
            **_date("due_on", TODAY + datetime.timedelta(days=14)),
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert action.child_id == child.pk
    kinds = set(ChronologyEntry.objects.filter(child=child).values_list("source_kind", flat=True))
    assert kinds == {"plan", "plan_action"}
    client.post(f"/children/{child.pk}/plan-actions/{action.pk}/status/", {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == TODAY


def test_a_referral_and_a_strategy_discussion_are_recorded(scene) -> None:  # type: ignore[no-untyped-def]
    client, child = scene["client"], scene["child"]
    assert (
        client.post(
            f"/children/{child.pk}/referrals/new/",
            {"submission_key": "r", "source": "2A", **_date("received_on", TODAY)},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/children/{child.pk}/meetings/new/",
            {
                "submission_key": "m",
                "kind": "strategy_discussion",
                "conference_needed": "on",
                **_date("held_on", TODAY),
            },
        ).status_code
        == 302
    )
    assert Referral.objects.get().decision_on is None
    assert ProtectionMeeting.objects.get().conference_needed
    assert ChronologyEntry.objects.filter(child=child).count() == 2


def test_only_a_strategy_discussion_convenes_a_conference(scene) -> None:  # type: ignore[no-untyped-def]
    response = scene["client"].post(
        f"/children/{scene['child'].pk}/meetings/new/",
        {
            "submission_key": "m2",
            "kind": "core_group",
            "conference_needed": "on",
            **_date("held_on", TODAY),
        },
    )
    assert "Only a strategy discussion decides to convene a conference" in response.content.decode()
    assert not ProtectionMeeting.objects.exists()


def test_a_plan_review_sets_the_next_date_or_ends_the_plan_and_overdue_actions_stop_counting(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    from cases.drift.evaluation import drift_evaluate
    from cases.models import DriftFlag

    client, child, agency = scene["client"], scene["child"], scene["agency"]
    factories.involvement(child, "child_in_need", agency, TODAY - datetime.timedelta(days=100))
    plan = factories.plan(child, "child_in_need", agency, TODAY - datetime.timedelta(days=100))
    factories.plan_action(plan, agency, TODAY - datetime.timedelta(days=10))
    drift_evaluate()
    assert DriftFlag.objects.filter(rule_code="PLAN_ACTIONS_OVERDUE", resolved_at=None).exists()
    url = f"/children/{child.pk}/plans/{plan.pk}/review/"
    missing = client.post(
        url, {"submission_key": "r0", "summary": "Going well", **_date("reviewed_on", TODAY)}
    )
    assert "Enter the date of the next review" in missing.content.decode()
    next_review = TODAY + datetime.timedelta(days=90)
    client.post(
        url,
        {
            "submission_key": "r1",
            "summary": "Going well",
            **_date("reviewed_on", TODAY),
            **_date("next_review_on", next_review),
        },
    )
    plan.refresh_from_db()
    assert plan.review_due_on == next_review and plan.ended_on is None
    client.post(
        url,
        {
            "submission_key": "r2",
            "summary": "Needs met",
            "end_plan": "on",
            **_date("reviewed_on", TODAY),
        },
    )
    plan.refresh_from_db()
    assert plan.ended_on == TODAY
    assert ChronologyEntry.objects.filter(source_kind="plan", source_id=plan.pk).count() == 2
    drift_evaluate()
    assert not DriftFlag.objects.filter(rule_code="PLAN_ACTIONS_OVERDUE", resolved_at=None).exists()


def test_a_plan_review_sent_twice_is_recorded_once(scene) -> None:  # type: ignore[no-untyped-def]
    client, child, agency = scene["client"], scene["child"], scene["agency"]
    plan = factories.plan(child, "child_in_need", agency, TODAY - datetime.timedelta(days=100))
    data = {
        "submission_key": "review-once",
        "summary": "Needs met",
        "end_plan": "on",
        **_date("reviewed_on", TODAY),
    }
    for _ in range(2):  # the second would be refused as "already ended" if it were new
        response = client.post(f"/children/{child.pk}/plans/{plan.pk}/review/", data)
        assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.ended_on == TODAY
    assert ChronologyEntry.objects.filter(source_kind="plan", source_id=plan.pk).count() == 1
