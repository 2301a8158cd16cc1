"""The drift engine opens and closes flags idempotently, for every registered rule."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from cases import drift
from cases.codes import AgencyType, DriftSeverity, NeedLevel
from cases.drift import DriftContext, DriftRule, register_drift_rule
from cases.drift.evaluation import drift_evaluate
from cases.models import Agency, Child, DriftFlag, DriftRuleSetting
from cases.services import drift_evaluation_request
from tests.support import factories

D = datetime.date
AS_OF = D(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(db: None) -> Agency:
    return factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)


def unallocated_child(agency: Agency) -> Child:
    child = factories.child(known_to=[agency])
    factories.involvement(child, NeedLevel.EARLY_HELP, agency, started_on=D(2026, 1, 5))
    return child


def open_codes(child: Child) -> set[str]:
    return set(
        DriftFlag.objects.filter(child=child, resolved_at__isnull=True).values_list(
            "rule_code", flat=True
        )
    )


def test_it_opens_a_flag_with_the_rules_reason_and_severity(agency: Agency) -> None:
    child = unallocated_child(agency)
    result = drift_evaluate(as_of=AS_OF)
    flag = DriftFlag.objects.get(child=child, rule_code="NO_LEAD_PROFESSIONAL")
    assert result.opened["NO_LEAD_PROFESSIONAL"] == 1
    assert flag.reason == "No lead professional allocated within 5 working days."
    assert flag.severity == DriftSeverity.MEDIUM and flag.opened_on == AS_OF


def test_running_it_again_changes_nothing(agency: Agency) -> None:
    unallocated_child(agency)
    drift_evaluate(as_of=AS_OF)
    before = list(DriftFlag.objects.values_list("pk", "rule_code", "resolved_at", "reason"))
    again = drift_evaluate(as_of=AS_OF)
    assert again.changed == 0
    assert list(DriftFlag.objects.values_list("pk", "rule_code", "resolved_at", "reason")) == before


def test_a_flag_that_stops_applying_closes_with_the_time_it_resolved(agency: Agency) -> None:
    child = unallocated_child(agency)
    drift_evaluate(as_of=AS_OF)
    involvement = child.involvements.get()
    involvement.lead_professional = factories.practitioner(agency)
    involvement.save()
    result = drift_evaluate(as_of=AS_OF, child_ids=[child.pk])
    flag = DriftFlag.objects.get(child=child, rule_code="NO_LEAD_PROFESSIONAL")
    assert result.closed["NO_LEAD_PROFESSIONAL"] == 1
    assert flag.resolved_at is not None


def test_evaluating_one_child_leaves_other_childrens_flags_alone(agency: Agency) -> None:
    first, second = unallocated_child(agency), unallocated_child(agency)
    drift_evaluate(as_of=AS_OF, child_ids=[first.pk])
    assert open_codes(first) == {"NO_LEAD_PROFESSIONAL", "CHILD_NOT_SEEN"}
    assert open_codes(second) == set()


def test_the_partnership_can_change_a_threshold_disable_a_rule_or_the_severity(
    agency: Agency,
) -> None:
    child = unallocated_child(agency)
    drift_evaluate(as_of=AS_OF)
    DriftRuleSetting.objects.create(code="CHILD_NOT_SEEN", enabled=False)
    DriftRuleSetting.objects.create(
        code="NO_LEAD_PROFESSIONAL", thresholds={"working_days": 5}, severity=DriftSeverity.HIGH
    )
    drift_evaluate(as_of=AS_OF)
    assert open_codes(child) == {"NO_LEAD_PROFESSIONAL"}
    assert DriftFlag.objects.get(child=child, resolved_at__isnull=True).severity == "high"
    DriftRuleSetting.objects.filter(code="NO_LEAD_PROFESSIONAL").update(
        thresholds={"working_days": 60}
    )
    drift_evaluate(as_of=AS_OF)
    assert open_codes(child) == set()


def test_rules_registered_by_other_apps_are_evaluated_too(agency: Agency) -> None:
    child = factories.child(known_to=[agency], first_name="Registered")

    def named_registered(context: DriftContext):  # type: ignore[no-untyped-def]
        return context.children.filter(first_name="Registered")

    rule = DriftRule(
        code="TEST_OTHER_APP",
        title="Another app's rule",
        reason="Registered elsewhere.",
        severity=DriftSeverity.LOW,
        default_thresholds={},
        matching_children=named_registered,
    )
    register_drift_rule(rule)
    try:
        drift_evaluate(as_of=AS_OF)
        assert open_codes(child) == {"TEST_OTHER_APP"}
    finally:
        drift._rules.pop("TEST_OTHER_APP")
    drift_evaluate(as_of=AS_OF)
    assert open_codes(child) == set()  # an unregistered rule's flags close


def test_a_change_still_saves_when_the_broker_is_down(
    agency: Agency, throwaway_redis, settings, django_capture_on_commit_callbacks, caplog
) -> None:  # type: ignore[no-untyped-def]
    from neglect_tracker.celery import app

    url, server = throwaway_redis
    server.kill()
    server.wait()

    def point_celery_at(broker_url: str) -> None:
        app.conf["broker_url"] = broker_url
        app.close()  # drop pooled connections and producers for the previous broker
        app.amqp._producer_pool = None  # type: ignore[attr-defined]

    point_celery_at(url)
    try:
        child = unallocated_child(agency)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            drift_evaluation_request(child_ids=[child.pk])
    finally:
        point_celery_at(settings.CELERY_BROKER_URL)
    assert "scheduled run will catch up" in caplog.text
    assert child.last_name not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_change_queues_the_childs_evaluation_and_a_worker_runs_it(
    celery_worker_process: None,
) -> None:
    import time

    from cases.plans.services import referral_record

    agency = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    worker = factories.practitioner(agency)
    child = factories.child(known_to=[agency])
    referral_record(
        child=child,
        recorded_by=worker,
        received_on=D(2026, 1, 5),
        source="2A",
        decision="",
        decision_on=None,
        assessment_started_on=None,
        assessment_completed_on=None,
        submission_key="queued",
    )
    deadline = time.monotonic() + 60
    while not DriftFlag.objects.filter(child=child, rule_code="REFERRAL_DECISION_LATE").exists():
        assert time.monotonic() < deadline, "the worker did not evaluate the child"
        time.sleep(0.2)
