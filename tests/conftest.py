"""Test set-up: real PostgreSQL (pytest-django's test database) and real Redis.

Browser tests drive Debian's Chromium through Playwright; Playwright's own browser download
is not used.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.test import Client

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.processes import free_port, start_celery_worker, stop_celery_worker
from tests.support.world import World

# Playwright's sync API runs an event loop in the test thread; Django must still allow the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def force_login_gives_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` in a test means a fully signed-in user: password and second
    factor. Tests of the second factor itself sign in through the pages instead."""
    from tests.support.auth import login_verified

    monkeypatch.setattr(Client, "force_login", login_verified)


@pytest.fixture
def world(db: None) -> World:
    return World()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: make test installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    # The Content-Security-Policy allows no inline script or style: any page that breaks it
    # fails the test that visited it.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == [], refused


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None) -> Iterator[None]:
    """A worker for the whole session, on the test Redis and the test database."""
    worker = start_celery_worker(settings.REDIS_URL)
    yield None
    stop_celery_worker(worker)


@pytest.fixture
def throwaway_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis server of this test's own, which the test may stop."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                pytest.fail("The throwaway Redis did not start")
            time.sleep(0.05)
    yield url, server
    server.kill()
    server.wait()


@pytest.fixture
def gcp2_framework() -> None:
    """The GCP2 (2015) framework, reloaded if an earlier transactional test flushed it."""
    from tests.support.gcp2_factories import ensure_gcp2_framework

    ensure_gcp2_framework()
