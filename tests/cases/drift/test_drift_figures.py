"""What a flag says about the child: the day the condition first held and the child's figures,
computed by the rule when the flag opens (not the day the engine first ran)."""

from __future__ import annotations

import datetime

import pytest

from cases.codes import AgencyType, MeetingKind, NeedLevel
from cases.drift import drift_rule
from cases.drift.evaluation import drift_evaluate
from cases.models import Agency, Child, DriftFlag
from tests.support import factories

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def social_care(db: None) -> Agency:
    return factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)


def child_at(level: str, agency: Agency, started_on: D) -> Child:
    child = factories.child(known_to=[agency])
    factories.involvement(
        child,
        level,
        agency,
        started_on=started_on,
        protection_category="NEG" if level == NeedLevel.CHILD_PROTECTION else "",
        lead_professional=factories.practitioner(agency),
    )
    return child


def open_flag(child: Child, code: str) -> DriftFlag:
    return DriftFlag.objects.get(child=child, rule_code=code, resolved_at__isnull=True)


def test_child_not_seen_dates_the_flag_from_the_end_of_the_allowed_working_days(
    social_care: Agency,
) -> None:
    child = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2026, 1, 5))
    factories.visit(child, D(2026, 3, 2), social_care)  # a Monday: working day 1
    drift_evaluate(as_of=D(2026, 5, 1))
    flag = open_flag(child, "CHILD_NOT_SEEN")
    # 20 working days allowed from Monday 2 March: working day 21 is Monday 30 March.
    assert flag.condition_since == D(2026, 3, 30)
    assert flag.opened_on == D(2026, 5, 1)
    sentence = drift_rule("CHILD_NOT_SEEN").sentence(flag.figures, D(2026, 5, 1))
    # 3 Mar to 1 May: 44 working days, less Good Friday and Easter Monday.
    assert sentence == "Last seen 42 working days ago (2 Mar); 20 allowed as a child in need"


def test_cumulative_concerns_say_how_many_over_how_long_from_which_agencies(
    social_care: Agency,
) -> None:
    school = factories.agency("School", AgencyType.EDUCATION)
    police = factories.agency("Police", AgencyType.POLICE)
    child = factories.child(known_to=[social_care, school, police])
    for agency, day in ((school, D(2026, 2, 1)), (police, D(2026, 2, 20)), (school, D(2026, 3, 3))):
        factories.concern_observed([child], factories.practitioner(agency), observed_on=day)
    drift_evaluate(as_of=D(2026, 3, 31))
    flag = open_flag(child, "CUMULATIVE_CONCERNS")
    assert flag.condition_since == D(2026, 3, 3)  # the third concern
    assert drift_rule("CUMULATIVE_CONCERNS").sentence(flag.figures, D(2026, 3, 31)) == (
        "3 concerns in 31 days from education and police with no assessment, change of level "
        "or plan"
    )


def test_a_late_initial_conference_is_dated_from_working_day_sixteen(
    social_care: Agency,
) -> None:
    child = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2025, 9, 1))
    factories.meeting(child, MeetingKind.STRATEGY_DISCUSSION, D(2026, 2, 2), conference_needed=True)
    drift_evaluate(as_of=D(2026, 3, 20))
    flag = open_flag(child, "INITIAL_CONFERENCE_LATE")
    assert flag.condition_since == D(2026, 2, 23)  # Monday 2 Feb is day 1; day 16 is 23 Feb
    assert drift_rule("INITIAL_CONFERENCE_LATE").sentence(flag.figures, D(2026, 3, 20)) == (
        "Strategy discussion 2 Feb, no initial conference after 34 working days; 15 allowed"
    )


def test_overdue_plan_actions_count_and_date_from_the_oldest(social_care: Agency) -> None:
    child = child_at(NeedLevel.EARLY_HELP, social_care, D(2025, 9, 1))
    plan = factories.plan(child, NeedLevel.EARLY_HELP, social_care, D(2025, 9, 1))
    factories.plan_action(plan, social_care, D(2026, 1, 12))
    factories.plan_action(plan, social_care, D(2026, 2, 2))
    drift_evaluate(as_of=D(2026, 2, 20))
    flag = open_flag(child, "PLAN_ACTIONS_OVERDUE")
    assert flag.condition_since == D(2026, 1, 13)
    assert flag.figures["actions"] == 2
    assert (
        drift_rule("PLAN_ACTIONS_OVERDUE")
        .sentence(flag.figures, D(2026, 2, 20))
        .startswith("2 plan actions overdue, the oldest due 12 Jan")
    )


def test_an_open_flag_keeps_its_date_and_takes_new_figures(social_care: Agency) -> None:
    child = child_at(NeedLevel.EARLY_HELP, social_care, D(2025, 9, 1))
    plan = factories.plan(child, NeedLevel.EARLY_HELP, social_care, D(2025, 9, 1))
    factories.plan_action(plan, social_care, D(2026, 1, 12))
    drift_evaluate(as_of=D(2026, 2, 20))
    factories.plan_action(plan, social_care, D(2026, 2, 2))
    second = drift_evaluate(as_of=D(2026, 2, 21))
    flag = open_flag(child, "PLAN_ACTIONS_OVERDUE")
    assert (flag.condition_since, flag.opened_on) == (D(2026, 1, 13), D(2026, 2, 20))
    assert flag.figures["actions"] == 2
    assert second.updated == 1
    assert drift_evaluate(as_of=D(2026, 2, 21)).changed == 0


def test_no_voice_of_the_child_counts_the_contacts_since_it_was_last_heard(
    social_care: Agency,
) -> None:
    child = child_at(NeedLevel.CHILD_IN_NEED, social_care, D(2025, 1, 1))
    factories.visit(child, D(2026, 1, 5), social_care)  # the voice recorded
    for day in (D(2026, 1, 20), D(2026, 2, 2), D(2026, 2, 16), D(2026, 2, 23)):
        factories.visit(child, day, social_care, child_voice="")
    drift_evaluate(as_of=D(2026, 3, 2))
    flag = open_flag(child, "NO_VOICE_OF_CHILD")
    # The third contact in a row without the child's voice.
    assert flag.condition_since == D(2026, 2, 16)
    assert flag.figures == {"contacts": 4, "last_heard": "2026-01-05"}
    assert drift_rule("NO_VOICE_OF_CHILD").sentence(flag.figures, D(2026, 3, 2)) == (
        "The child's voice not recorded at the last 4 contacts; last heard 5 Jan"
    )


def test_a_review_conference_is_overdue_from_the_day_after_it_was_due(
    social_care: Agency,
) -> None:
    child = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 1, 1))
    factories.meeting(child, MeetingKind.INITIAL_CONFERENCE, D(2025, 3, 10))
    factories.meeting(child, MeetingKind.REVIEW_CONFERENCE, D(2025, 6, 9))
    never_conferenced = child_at(NeedLevel.CHILD_PROTECTION, social_care, D(2025, 11, 30))
    drift_evaluate(as_of=D(2026, 3, 2))
    flag = open_flag(child, "REVIEW_CONFERENCE_OVERDUE")
    # Six months after the last review; three after the plan's start with none recorded.
    assert (flag.condition_since, flag.figures) == (
        D(2025, 12, 10),
        {"due": "2025-12-09", "last": "2025-06-09"},
    )
    flag = open_flag(never_conferenced, "REVIEW_CONFERENCE_OVERDUE")
    assert (flag.condition_since, flag.figures) == (
        D(2026, 3, 1),
        {"due": "2026-02-28", "last": "2025-11-30"},
    )
