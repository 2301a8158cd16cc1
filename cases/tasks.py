"""Celery tasks for the drift engine. Each calls the service and is safe to run again."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from cases.drift.evaluation import drift_evaluate, drift_evaluate_scheduled
from cases.services import drift_evaluation_requests_take


@shared_task(acks_late=True)
def drift_evaluate_all() -> int:
    """The nightly full evaluation (beat); it also catches up on any missed per-child runs."""
    return drift_evaluate().changed


@shared_task(acks_late=True)
def drift_evaluate_due() -> int:
    """Beat, hourly: the children whose records changed, or everyone when the day or the rule
    settings changed since the last full evaluation."""
    return drift_evaluate_scheduled().changed


@shared_task(acks_late=True)
def drift_evaluate_children(child_ids: list[int]) -> int:
    with transaction.atomic():
        drift_evaluation_requests_take(child_ids=child_ids)
        return drift_evaluate(child_ids=child_ids).changed


@shared_task(acks_late=True)
def drift_evaluate_pending() -> int:
    """Beat, every minute: the children whose queued evaluation never ran (broker or worker
    down when they changed)."""
    with transaction.atomic():
        child_ids = drift_evaluation_requests_take()
        return drift_evaluate(child_ids=child_ids).changed if child_ids else 0


@shared_task(acks_late=True)
def challenges_escalate() -> int:
    """Raise unanswered professional challenges past their date one level (beat, hourly)."""
    from cases.oversight.services import challenges_escalate as escalate

    return escalate()


# The census job lives with its package; imported here so the worker registers it.
from cases.census.tasks import census_job_run  # noqa: E402

__all__ = [
    "census_job_run",
    "challenges_escalate",
    "drift_evaluate_all",
    "drift_evaluate_children",
    "drift_evaluate_due",
    "drift_evaluate_pending",
]
