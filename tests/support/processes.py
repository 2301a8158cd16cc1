"""Real processes the tests start: a Celery worker on a given Redis, free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent


def start_celery_worker(redis_url: str) -> subprocess.Popen[bytes]:
    """Start a real Celery worker process on the given Redis and the test database."""
    env = dict(os.environ)
    env["NT_DB_NAME"] = str(settings.DATABASES["default"]["NAME"])
    env["NT_REDIS_URL"] = redis_url
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "neglect_tracker",
            "worker",
            "--pool",
            "solo",
            "-Q",
            "interactive,builds,celery",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    control = Celery("test-control", broker=redis_url, set_as_current=False).control
    deadline = time.monotonic() + 30
    while not control.ping(timeout=0.5, limit=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("The Celery worker did not start")
    return worker


def stop_celery_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def celery_queues_drained(redis_url: str, timeout: float = 15.0) -> None:
    """Wait until the test worker has taken every queued task and finished it, so a test that
    committed data (and so queued drift evaluations) does not flush the database under it."""
    control = Celery("test-control", broker=redis_url, set_as_current=False).control
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queued = sum(client.llen(queue) for queue in ("interactive", "builds", "celery"))
        active = control.inspect(timeout=1.0, limit=1).active() or {}
        if not queued and not any(active.values()):
            return
        time.sleep(0.1)
