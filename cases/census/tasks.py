"""The census job task: export or import on a worker (the builds queue: it can run minutes)."""

from __future__ import annotations

from celery import shared_task

from cases.census.services import census_job_run as census_job_run_service


@shared_task(acks_late=True)
def census_job_run(job_id: int) -> str:
    return census_job_run_service(job_id=job_id).status
