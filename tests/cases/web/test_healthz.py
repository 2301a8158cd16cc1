"""/healthz: the database, Redis and a real round trip to a Celery worker."""

import subprocess

import pytest
from django.test import Client, override_settings

from tests.support.processes import start_celery_worker, stop_celery_worker

pytestmark = pytest.mark.django_db


def test_it_reports_all_three_ok_with_a_worker_running(celery_worker_process: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "celery": "ok"}


def test_it_is_503_naming_celery_when_no_worker_answers(
    throwaway_redis: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, _server = throwaway_redis
    with override_settings(REDIS_URL=url, CELERY_BROKER_URL=url):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "ok", "celery": "down"}


def test_it_turns_503_when_redis_is_stopped(
    throwaway_redis: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, server = throwaway_redis
    worker = start_celery_worker(url)
    try:
        with override_settings(REDIS_URL=url, CELERY_BROKER_URL=url):
            assert Client().get("/healthz").json() == {
                "database": "ok",
                "redis": "ok",
                "celery": "ok",
            }
            server.kill()
            server.wait()
            response = Client().get("/healthz")
    finally:
        stop_celery_worker(worker)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "down", "celery": "down"}


def test_it_needs_no_sign_in_and_shows_no_data() -> None:
    response = Client().get("/healthz")
    assert set(response.json()) == {"database", "redis", "celery"}
