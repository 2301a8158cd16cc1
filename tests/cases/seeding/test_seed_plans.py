"""The synthetic partnership includes plans, visits, referrals and meetings, and drift shows."""

from collections.abc import Iterator
from typing import Any

import pytest

from cases.drift import drift_rules
from cases.drift.evaluation import drift_evaluate
from cases.models import (
    DriftFlag,
    Involvement,
    Plan,
    PlanAction,
    ProtectionMeeting,
    Referral,
    Visit,
)
from tests.support.seeding import seeded_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with seeded_partnership(django_db_blocker, children=1200):
        yield


def test_children_at_early_help_and_above_have_plans_visits_and_meetings(seeded: None) -> None:
    open_cases = Involvement.objects.filter(ended_on__isnull=True).count()
    visited = Visit.objects.values("child").distinct().count()
    assert open_cases * 0.9 < visited <= open_cases  # a few new cases are not yet seen
    assert Plan.objects.exists() and PlanAction.objects.exists()
    assert Referral.objects.exists()
    assert ProtectionMeeting.objects.filter(kind="initial_conference").exists()
    assert Involvement.objects.filter(ended_on__isnull=False).exists()  # earlier episodes


def test_a_minority_of_seeded_cases_drift_every_rule_shows_and_evaluation_is_idempotent(
    seeded: None,
) -> None:
    first = drift_evaluate()
    flagged_children = DriftFlag.objects.values("child").distinct().count()
    open_cases = Involvement.objects.filter(ended_on__isnull=True).count()
    codes = set(DriftFlag.objects.values_list("rule_code", flat=True))
    assert 0 < flagged_children < open_cases * 0.6
    assert codes == {rule.code for rule in drift_rules()}  # every rule has children to find
    assert sum(first.opened.values()) == DriftFlag.objects.count()
    assert drift_evaluate().changed == 0
