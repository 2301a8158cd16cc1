"""Test set-up: real PostgreSQL (pytest-django's test database) and real Redis.

Browser tests drive Debian's Chromium through Playwright; Playwright's own browser download
is not used.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery
from django.conf import settings

from cases.codes import AgencyType, Role
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django must still allow the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent


class World:
    """Two agencies, a child known only to the first, and one user for every role."""

    def __init__(self) -> None:
        self.health = factories.agency("Test Community Health", AgencyType.HEALTH)
        self.school = factories.agency("Test Primary School", AgencyType.EDUCATION)
        self.social_care = factories.agency(
            "Test Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE
        )
        self.child = factories.child(known_to=[self.health], first_name="Zebedee")
        self.users = {
            "practitioner": factories.practitioner(self.health, Role.PRACTITIONER, "hv"),
            "unrelated_practitioner": factories.practitioner(self.school, Role.PRACTITIONER, "dsl"),
            "lead": factories.practitioner(self.health, Role.SAFEGUARDING_LEAD, "lead"),
            "manager": factories.practitioner(
                self.social_care, Role.SOCIAL_CARE_MANAGER, "manager"
            ),
            "analyst": factories.practitioner(self.social_care, Role.ANALYST, "analyst"),
            "executive": factories.practitioner(self.social_care, Role.EXECUTIVE, "executive"),
            "admin": factories.practitioner(
                None, Role.ADMINISTRATOR, "admin", is_staff=True, is_superuser=True
            ),
        }


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


def sign_in(page: object, live_server: object, username: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", factories.PASSWORD)  # type: ignore[attr-defined]
    page.click("button:has-text('Sign in')")  # type: ignore[attr-defined]


def axe_violations(page: object) -> list[dict[str, object]]:
    """Run axe-core (served from our own static files) on the page; returns its violations.
    Loaded by URL, not inlined: the Content-Security-Policy allows scripts from our origin only."""
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")  # type: ignore[attr-defined]
    result = page.evaluate("async () => (await axe.run(document)).violations")  # type: ignore[attr-defined]
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]


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


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None) -> Iterator[None]:
    """A worker for the whole session, on the test Redis and the test database."""
    worker = start_celery_worker(settings.REDIS_URL)
    yield None
    stop_celery_worker(worker)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    from tests.gcp2_factories import ensure_gcp2_framework

    ensure_gcp2_framework()


@contextlib.contextmanager
def seeded_partnership(django_db_blocker: Any, children: int) -> Iterator[None]:
    """Seed a synthetic partnership for a test module (it commits), then empty the database.

    The GCP2 framework is data a migration loads; a flush (here, or after any transactional
    test) removes it, so it is restored before seeding or the seed would skip assessments.
    """
    from django.core.management import call_command

    from tests.gcp2_factories import ensure_gcp2_framework

    with django_db_blocker.unblock():
        ensure_gcp2_framework()
        call_command("seed_partnership", children=children, no_progress=True)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False)
