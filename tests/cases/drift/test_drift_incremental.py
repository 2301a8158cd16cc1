"""The scheduled drift run evaluates only the children whose records changed, except on a new
day or after the rule settings change, when it evaluates everyone."""

from __future__ import annotations

import datetime

import pytest

from cases.codes import AgencyType, NeedLevel
from cases.drift.evaluation import drift_evaluate_scheduled
from cases.models import (
    Agency,
    Child,
    DriftEvaluationRequest,
    DriftEvaluationRun,
    DriftFlag,
    DriftRuleSetting,
)
from tests.support import factories

D = datetime.date
AS_OF = D(2026, 3, 2)
EARLIER = D(2026, 1, 5)
pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(db: None) -> Agency:
    return factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)


def unallocated_child(agency: Agency, started_on: datetime.date = EARLIER) -> Child:
    child = factories.child(known_to=[agency])
    factories.involvement(child, NeedLevel.EARLY_HELP, agency, started_on=started_on)
    return child


def open_codes(child: Child) -> set[str]:
    return set(
        DriftFlag.objects.filter(child=child, resolved_at__isnull=True).values_list(
            "rule_code", flat=True
        )
    )


def test_the_first_run_of_a_day_evaluates_everyone_and_records_it(agency: Agency) -> None:
    child = unallocated_child(agency)
    result = drift_evaluate_scheduled(as_of=AS_OF)
    assert result.children is None  # the full evaluation
    assert "NO_LEAD_PROFESSIONAL" in open_codes(child)
    assert DriftEvaluationRun.objects.get().as_of == AS_OF


def test_a_second_run_the_same_day_evaluates_only_the_children_that_changed(
    agency: Agency,
) -> None:
    drift_evaluate_scheduled(as_of=AS_OF)
    changed, untouched = unallocated_child(agency), unallocated_child(agency)
    DriftEvaluationRequest.objects.all().delete()
    DriftEvaluationRequest.objects.create(child=changed)
    result = drift_evaluate_scheduled(as_of=AS_OF)
    assert result.children == 1
    assert "NO_LEAD_PROFESSIONAL" in open_codes(changed)
    assert open_codes(untouched) == set()  # its flags wait for the next full run
    assert not DriftEvaluationRequest.objects.exists()
    assert drift_evaluate_scheduled(as_of=AS_OF).children == 0  # nothing left to do


def test_a_new_day_evaluates_everyone_so_deadlines_that_fell_due_open_flags(
    agency: Agency,
) -> None:
    # Started on the Monday: 5 working days to allocate a lead professional run out later.
    child = unallocated_child(agency, started_on=AS_OF)
    drift_evaluate_scheduled(as_of=AS_OF)
    assert "NO_LEAD_PROFESSIONAL" not in open_codes(child)
    DriftEvaluationRequest.objects.all().delete()
    later = AS_OF + datetime.timedelta(days=14)
    assert drift_evaluate_scheduled(as_of=later).children is None
    assert "NO_LEAD_PROFESSIONAL" in open_codes(child)


def test_a_change_of_rule_settings_evaluates_everyone_again(agency: Agency) -> None:
    child = unallocated_child(agency)
    drift_evaluate_scheduled(as_of=AS_OF)
    DriftEvaluationRequest.objects.all().delete()
    DriftRuleSetting.objects.create(code="NO_LEAD_PROFESSIONAL", enabled=False)
    assert drift_evaluate_scheduled(as_of=AS_OF).children is None
    assert "NO_LEAD_PROFESSIONAL" not in open_codes(child)
