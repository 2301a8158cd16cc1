"""Each drift rule: a case it must flag, and one just inside its threshold it must not."""

from __future__ import annotations

import datetime

import pytest

from cases.codes import AgencyType, MeetingKind, NeedLevel
from cases.drift import DriftContext, drift_rule
from cases.models import Agency, Child
from tests.support import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def flagged(code: str, as_of: D, **thresholds: int) -> set[int]:
    rule = drift_rule(code)
    context = DriftContext(
        as_of=as_of,
        thresholds={**rule.default_thresholds, **thresholds},
        children=Child.objects.all(),
    )
    return set(rule.matching_children(context).values_list("pk", flat=True))


@pytest.fixture
def social_care(db: None) -> Agency:
    return factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)


def child_at(level: str, agency: Agency, started_on: D, **extra: object) -> Child:
    child = factories.child(known_to=[agency])
    factories.involvement(
        child,
        level,
        agency,
        started_on=started_on,
        protection_category="NEG" if level == NeedLevel.CHILD_PROTECTION else "",
        **extra,
    )
    return child


def test_cumulative_concerns_flag_three_in_the_window_with_no_response(
    social_care: Agency,
) -> None:
    author = factories.practitioner(social_care)
    as_of = D(2026, 3, 31)
    stuck = factories.child(known_to=[social_care])
    two_only = factories.child(known_to=[social_care])
    assessed = factories.child(known_to=[social_care])
    for day in (D(2026, 1, 5), D(2026, 2, 5), D(2026, 3, 5)):
        factories.concern_observed([stuck, assessed], author, observed_on=day)
    factories.concern_observed([two_only], author, observed_on=D(2026, 2, 5))
    factories.concern_observed([two_only], author, observed_on=D(2026, 3, 5))
    factories.chronology(assessed, D(2026, 3, 10), "assessment", social_care)
    assert flagged("CUMULATIVE_CONCERNS", as_of) == {stuck.pk}


def test_cumulative_concerns_count_only_the_rolling_window(social_care: Agency) -> None:
    author = factories.practitioner(social_care)
    child = factories.child(known_to=[social_care])
    for day in (D(2026, 1, 1), D(2026, 2, 5), D(2026, 3, 5)):
        factories.concern_observed([child], author, observed_on=day)
    assert flagged("CUMULATIVE_CONCERNS", D(2026, 3, 31)) == {child.pk}  # 89 days back
    assert flagged("CUMULATIVE_CONCERNS", D(2026, 4, 2)) == set()  # 1 Jan now outside 90 days


def test_a_child_on_a_protection_plan_not_seen_alone_in_ten_working_days_is_flagged(
    social_care: Agency,
) -> None:
    as_of = D(2026, 1, 6)  # counting back over Christmas, Boxing Day and New Year's Day
    late = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 6, 1))
    just_in = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 6, 1))
    seen_not_alone = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 6, 1))
    factories.visit(late, D(2025, 12, 18), social_care)  # working day 11
    factories.visit(just_in, D(2025, 12, 19), social_care)  # working day 10
    factories.visit(seen_not_alone, D(2026, 1, 5), social_care, child_seen_alone=False)
    assert flagged("CHILD_NOT_SEEN", as_of) == {late.pk, seen_not_alone.pk}
    assert flagged("CHILD_NOT_SEEN", as_of, cp_seen_alone=0) == {late.pk}


def test_a_child_in_need_has_the_looser_timescale_and_never_seen_counts_from_the_start(
    social_care: Agency,
) -> None:
    as_of = D(2026, 3, 2)
    seen_12_days_ago = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2025, 6, 1))
    factories.visit(seen_12_days_ago, D(2026, 2, 13), social_care)
    never_seen = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2026, 1, 5))
    new_case = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2026, 2, 20))
    assert flagged("CHILD_NOT_SEEN", as_of) == {never_seen.pk}
    assert new_case.pk not in flagged("CHILD_NOT_SEEN", as_of)


def test_a_referral_with_no_decision_after_one_working_day_is_flagged(
    social_care: Agency,
) -> None:
    as_of = D(2025, 12, 29)  # Monday after Christmas
    late = factories.child(known_to=[social_care])
    in_time = factories.child(known_to=[social_care])
    decided = factories.child(known_to=[social_care])
    factories.referral(late, D(2025, 12, 24))
    factories.referral(in_time, D(2025, 12, 29))
    factories.referral(decided, D(2025, 12, 1), decision="assessment", decision_on=D(2025, 12, 1))
    assert flagged("REFERRAL_DECISION_LATE", as_of) == {late.pk}


def test_an_assessment_open_beyond_45_working_days_is_flagged(social_care: Agency) -> None:
    as_of = D(2026, 3, 31)
    late = factories.child(known_to=[social_care])
    in_time = factories.child(known_to=[social_care])
    # 28 January to 31 March 2026 is 45 working days, counting the start as day 1.
    factories.referral(late, D(2026, 1, 1), assessment_started_on=D(2026, 1, 27))
    factories.referral(in_time, D(2026, 1, 1), assessment_started_on=D(2026, 1, 28))
    assert flagged("ASSESSMENT_LATE", as_of) == {late.pk}


def test_no_initial_conference_within_15_working_days_of_the_last_strategy_discussion(
    social_care: Agency,
) -> None:
    as_of = D(2026, 1, 21)
    late = factories.child(known_to=[social_care])
    in_time = factories.child(known_to=[social_care])
    held = factories.child(known_to=[social_care])
    not_needed = factories.child(known_to=[social_care])
    # 31 December to 21 January 2026 is 15 working days, skipping New Year's Day.
    factories.meeting(
        late, MeetingKind.STRATEGY_DISCUSSION, D(2025, 12, 30), conference_needed=True
    )
    factories.meeting(
        in_time, MeetingKind.STRATEGY_DISCUSSION, D(2025, 12, 31), conference_needed=True
    )
    factories.meeting(held, MeetingKind.STRATEGY_DISCUSSION, D(2025, 12, 1), conference_needed=True)
    factories.meeting(held, MeetingKind.INITIAL_CONFERENCE, D(2025, 12, 15))
    factories.meeting(not_needed, MeetingKind.STRATEGY_DISCUSSION, D(2025, 12, 1))
    assert flagged("INITIAL_CONFERENCE_LATE", as_of) == {late.pk}


def test_no_core_group_within_10_working_days_of_the_initial_conference(
    social_care: Agency,
) -> None:
    as_of = D(2026, 1, 6)
    late = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 12, 18))
    in_time = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 12, 19))
    met = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 12, 1))
    factories.meeting(late, MeetingKind.INITIAL_CONFERENCE, D(2025, 12, 18))
    factories.meeting(in_time, MeetingKind.INITIAL_CONFERENCE, D(2025, 12, 19))
    factories.meeting(met, MeetingKind.INITIAL_CONFERENCE, D(2025, 12, 1))
    factories.meeting(met, MeetingKind.CORE_GROUP, D(2025, 12, 10))
    assert flagged("FIRST_CORE_GROUP_LATE", as_of) == {late.pk}


def test_review_conference_due_three_months_after_the_initial_then_every_six(
    social_care: Agency,
) -> None:
    as_of = D(2026, 6, 15)
    first_late = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2026, 3, 1))
    first_in_time = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2026, 3, 1))
    review_late = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 1, 1))
    review_in_time = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 1, 1))
    factories.meeting(first_late, MeetingKind.INITIAL_CONFERENCE, D(2026, 3, 14))
    factories.meeting(first_in_time, MeetingKind.INITIAL_CONFERENCE, D(2026, 3, 15))
    factories.meeting(review_late, MeetingKind.REVIEW_CONFERENCE, D(2025, 12, 14))
    factories.meeting(review_in_time, MeetingKind.REVIEW_CONFERENCE, D(2025, 12, 15))
    assert flagged("REVIEW_CONFERENCE_OVERDUE", as_of) == {first_late.pk, review_late.pk}


def test_an_open_action_past_its_due_date_is_flagged(social_care: Agency) -> None:
    as_of = D(2026, 3, 2)
    overdue = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2026, 1, 1))
    due_today = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2026, 1, 1))
    done = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2026, 1, 1))
    for child, due, status in (
        (overdue, D(2026, 3, 1), "in_progress"),
        (due_today, D(2026, 3, 2), "not_started"),
        (done, D(2026, 2, 1), "done"),
    ):
        plan = factories.plan(child, NeedLevel.CHILD_IN_NEED, social_care, D(2026, 1, 1))
        factories.plan_action(plan, social_care, due, status=status)
    assert flagged("PLAN_ACTIONS_OVERDUE", as_of) == {overdue.pk}
    assert flagged("PLAN_ACTIONS_OVERDUE", as_of, days=1) == set()


def test_a_re_referral_within_twelve_months_of_closure_is_start_again(
    social_care: Agency,
) -> None:
    as_of = D(2026, 3, 1)
    again = factories.child(known_to=[social_care])
    long_after = factories.child(known_to=[social_care])
    for child, closed in ((again, D(2025, 6, 1)), (long_after, D(2024, 12, 1))):
        factories.involvement(
            child, NeedLevel.CHILD_IN_NEED, social_care, D(2024, 1, 1), ended_on=closed
        )
        factories.referral(child, D(2026, 2, 1))
    assert flagged("START_AGAIN", as_of) == {again.pk}


def test_no_voice_of_the_child_over_the_last_three_contacts(social_care: Agency) -> None:
    as_of = D(2026, 3, 2)
    unheard = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2025, 1, 1))
    heard_third_last = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2025, 1, 1))
    for child in (unheard, heard_third_last):
        factories.visit(child, D(2026, 1, 5), social_care)  # voice recorded, 4th latest
        factories.visit(child, D(2026, 2, 2), social_care, child_voice="")
        factories.visit(child, D(2026, 2, 16), social_care, child_voice="")
    factories.visit(unheard, D(2026, 1, 20), social_care, child_voice="")
    factories.visit(heard_third_last, D(2026, 1, 20), social_care)
    assert flagged("NO_VOICE_OF_CHILD", as_of) == {unheard.pk}


def test_no_lead_professional_after_five_working_days(social_care: Agency) -> None:
    as_of = D(2026, 1, 6)
    worker = factories.practitioner(social_care)
    late = child_at(NeedLevel.EARLY_HELP, social_care, D(2025, 12, 29))  # working day 6
    in_time = child_at(NeedLevel.EARLY_HELP, social_care, D(2025, 12, 30))  # working day 5
    allocated = child_at(
        NeedLevel.EARLY_HELP, social_care, D(2025, 11, 1), lead_professional=worker
    )
    assert flagged("NO_LEAD_PROFESSIONAL", as_of) == {late.pk}
    assert in_time.pk not in flagged("NO_LEAD_PROFESSIONAL", as_of)
    assert allocated.pk not in flagged("NO_LEAD_PROFESSIONAL", as_of)


def test_every_cases_rule_states_its_reason_with_its_thresholds() -> None:
    from cases.drift.rules import CASES_RULES

    for rule in CASES_RULES:
        reason = rule.reason_with(rule.default_thresholds)
        assert "{" not in reason and reason.endswith("."), rule.code
