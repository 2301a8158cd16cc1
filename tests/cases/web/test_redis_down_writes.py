"""With Redis stopped a write still answers within a second, and the drift re-evaluation it
asked for is kept in the database until the scheduled catch-up does it (issue 11)."""

from __future__ import annotations

import contextlib
import datetime
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from cases.codes import AgencyType, Role
from cases.models import Concern, DriftEvaluationRequest
from cases.tasks import drift_evaluate_pending
from neglect_tracker.celery import app as celery_app
from tests.cases.casework.test_casework_api import concern_payload
from tests.support import factories


@contextlib.contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point the project's Celery app at another broker, and back afterwards."""

    app: Any = celery_app  # Celery's connection pools are private: swap them by hand
    previous = (app.conf.broker_url, app._pool, app.amqp._producer_pool)
    app._pool = app.amqp._producer_pool = None
    app.conf.broker_url = url
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        # The previous pools come back untouched: their connections are still good.
        app.conf.broker_url, app._pool, app.amqp._producer_pool = previous


@pytest.mark.django_db(transaction=True)
def test_a_concern_is_saved_within_a_second_with_redis_stopped(
    throwaway_redis: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, server = throwaway_redis
    health = factories.agency("Health", AgencyType.HEALTH)
    child = factories.child(known_to=[health])
    client = APIClient()
    client.force_authenticate(factories.practitioner(health, Role.PRACTITIONER))
    assert client.get("/api/concerns/").status_code == 200  # warm up the request path
    with celery_broker(url):
        server.kill()
        server.wait()
        timings = []
        for key in ("redis-down-1", "redis-down-2", "redis-down-3"):
            started = time.perf_counter()
            response = client.post(
                "/api/concerns/", concern_payload([child], submission_key=key), format="json"
            )
            timings.append(time.perf_counter() - started)
            assert response.status_code == 201
    print(f"concern POST with Redis stopped: {', '.join(f'{t * 1000:.0f} ms' for t in timings)}")
    assert max(timings) < 1.0
    assert Concern.objects.count() == 3
    # The re-evaluation each write asked for waits in the database...
    assert set(DriftEvaluationRequest.objects.values_list("child_id", flat=True)) == {child.pk}
    # ...until the scheduled catch-up (beat, every minute) evaluates the child and clears it.
    drift_evaluate_pending()
    assert not DriftEvaluationRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_queued_evaluation_clears_the_childs_request(celery_worker_process: None) -> None:
    from cases.services import chronology_entry_record

    health = factories.agency("Health", AgencyType.HEALTH)
    child = factories.child(known_to=[health])
    chronology_entry_record(
        child=child,
        occurred_on=datetime.date(2024, 5, 1),
        event_type="visit",
        significance="low",
        summary="Seen at home",
        source_agency=health,
        recorded_by=None,
    )
    deadline = time.monotonic() + 20
    while DriftEvaluationRequest.objects.filter(child=child).exists():
        assert time.monotonic() < deadline, "the worker did not evaluate the child"
        time.sleep(0.1)
