"""Celery tasks for the drift engine. Each calls the service and is safe to run again."""

from __future__ import annotations

from celery import shared_task

from cases.drift.evaluation import drift_evaluate


@shared_task(acks_late=True)
def drift_evaluate_all() -> int:
    """The scheduled full evaluation (beat); it also catches up on any missed per-child runs."""
    return drift_evaluate().changed


@shared_task(acks_late=True)
def drift_evaluate_children(child_ids: list[int]) -> int:
    return drift_evaluate(child_ids=child_ids).changed


@shared_task(acks_late=True)
def challenges_escalate() -> int:
    """Raise unanswered professional challenges past their date one level (beat, daily)."""
    from cases.oversight.services import challenges_escalate as escalate

    return escalate()
