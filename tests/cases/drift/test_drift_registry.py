import datetime

import pytest

from cases.codes import DriftSeverity
from cases.drift import DriftContext, DriftRule, drift_rule, register_drift_rule
from cases.models import Child


def no_children(context: DriftContext):  # type: ignore[no-untyped-def]
    return context.children.none()


RULE = DriftRule(
    code="TEST_RULE",
    title="Test rule",
    reason="No visit in {days} working days",
    severity=DriftSeverity.LOW,
    default_thresholds={"days": 10},
    matching_children=no_children,
)


def test_a_registered_rule_can_be_looked_up_and_states_its_reason() -> None:
    register_drift_rule(RULE)
    assert drift_rule("TEST_RULE") is RULE
    assert RULE.reason_with({"days": 15}) == "No visit in 15 working days"


def test_registering_a_different_rule_under_the_same_code_fails() -> None:
    register_drift_rule(RULE)
    clash = DriftRule(**{**RULE.__dict__, "title": "Another"})
    with pytest.raises(ValueError, match="already registered"):
        register_drift_rule(clash)


@pytest.mark.django_db
def test_a_rule_is_evaluated_as_a_queryset() -> None:
    context = DriftContext(
        as_of=datetime.date(2026, 1, 5), thresholds={"days": 10}, children=Child.objects.all()
    )
    assert list(RULE.matching_children(context)) == []
