"""Celery tasks (routed to the `builds` queue): they call the reporting services."""

from __future__ import annotations

from celery import shared_task

from . import services
from .models import BuildTrigger


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_dashboards(build_id: int | None = None) -> int | None:
    """Build every metric into a new snapshot. Nightly from beat (no build id), or for the
    build an analyst asked for. Safe to run twice: a finished build is not rebuilt, and a
    second build while one runs is refused and recorded as such."""
    try:
        build = services.snapshot_build_run(build_id=build_id, trigger=BuildTrigger.NIGHTLY)
    except services.BuildRefused:
        return None
    return build.pk


def enqueue_build(build_id: int) -> None:
    build_dashboards.delay(build_id)
