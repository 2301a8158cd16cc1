"""Health checks for /healthz: the database, Redis, and a round trip to a Celery worker."""

from __future__ import annotations

import functools

import redis
from celery import Celery
from django.conf import settings
from django.db import connection

OK = "ok"
DOWN = "down"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return DOWN
    return OK


def redis_status() -> str:
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        return OK if client.ping() else DOWN
    except redis.RedisError:
        return DOWN
    finally:
        client.close()


@functools.cache
def _broker_client(broker_url: str) -> Celery:
    """A Celery client for the configured broker, used only to broadcast the ping."""
    return Celery("health", broker=broker_url, set_as_current=False)


def celery_status() -> str:
    """Ask the workers to answer a ping through the broker; any answer within the timeout is ok."""
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    client = _broker_client(settings.CELERY_BROKER_URL)
    try:
        # limit=1: return as soon as one worker answers rather than waiting out the timeout.
        replies = client.control.ping(timeout=timeout, limit=1)
    except Exception:
        return DOWN
    return OK if replies else DOWN


def system_health() -> dict[str, str]:
    status = {"database": database_status(), "redis": redis_status()}
    # Without the broker no worker can answer, and asking would only wait out the timeout.
    status["celery"] = celery_status() if status["redis"] == OK else DOWN
    return status
