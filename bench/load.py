"""Load test on the 100,000-child partnership: signed-in practitioners against gunicorn.

* signing in: the password step through the whole stack (median), and the configured password
  hasher's own check, which is most of it;
* `locust --headless` against gunicorn on 127.0.0.1 only, bounded in time (NT_LOAD_SECONDS,
  60) and in requests (NT_LOAD_MAX_REQUESTS, 20,000): NT_LOAD_USERS (50) practitioners, each a
  session made here with the password and second factor already given, searching, opening
  children, reading chronologies and logging concerns; for each worker count in
  NT_LOAD_WORKERS (3), requests per second, p50/p95/p99 per action and errors.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from .harness import ROOT, Result, ensure_scale_database, report, use_database

USERS = int(os.environ.get("NT_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("NT_LOAD_SECONDS", "60"))
MAX_REQUESTS = int(os.environ.get("NT_LOAD_MAX_REQUESTS", "20000"))
WORKERS = [int(n) for n in os.environ.get("NT_LOAD_WORKERS", "3").split(",")]
PORT = int(os.environ.get("NT_LOAD_PORT", "8029"))
PASSWORD = "load-test-synthetic-password"  # noqa: S105 (a synthetic bench account's)


def bench_load(children: int) -> None:
    database = ensure_scale_database(children)
    use_database(database)
    _bench_sign_in()
    with tempfile.TemporaryDirectory() as folder:
        sessions = Path(folder) / "sessions.json"
        sessions.write_text(json.dumps(_sessions(USERS)))
        for workers in WORKERS:
            _run(database, workers, sessions, Path(folder) / f"w{workers}")


def _bench_sign_in() -> None:
    from django.contrib.auth.hashers import check_password, get_hasher, make_password
    from django.test import Client

    from cases.models import Practitioner

    encoded = make_password(PASSWORD)
    checks = []
    for _ in range(5):
        start = time.perf_counter()
        assert check_password(PASSWORD, encoded)
        checks.append(time.perf_counter() - start)
    user = Practitioner.objects.filter(role="practitioner", is_active=True).order_by("pk").last()
    assert user is not None
    user.password = encoded
    user.save(update_fields=["password"])
    steps = []
    for _ in range(5):
        client = Client(HTTP_HOST="localhost")
        start = time.perf_counter()
        response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
        steps.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    hasher = statistics.median(checks) * 1000
    report(Result(f"signing in: password check ({get_hasher().algorithm}) median", hasher, "ms"))
    report(
        Result(
            "signing in: the password step end to end (POST /sign-in/) median",
            statistics.median(steps) * 1000,
            "ms",
            "the password hasher's check",
            hasher,
            "under 500 ms",
        )
    )


def _sessions(count: int) -> list[dict[str, Any]]:
    """Signed-in sessions (password and second factor given) for `count` practitioners, each
    with children they may read and names to search for."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY

    from cases.access import children_visible_to
    from cases.accounts.demo import demo_second_factor_ensure
    from cases.accounts.middleware import LAST_ACTIVITY
    from cases.accounts.second_factor import AUTHENTICATED_AT
    from cases.models import Practitioner

    # The backend that loads users (not the lockout one, which only refuses sign-ins).
    backend = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    sessions = []
    for user in Practitioner.objects.filter(role="practitioner", is_active=True).order_by("pk"):
        visible = list(
            children_visible_to(user=user)
            .filter(is_unborn=False)
            .order_by("pk")
            .values_list("pk", "first_name", "last_name")[:40]
        )
        if len(visible) < 5:
            continue
        device = demo_second_factor_ensure(user)
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = backend
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store[AUTHENTICATED_AT] = store[LAST_ACTIVITY] = time.time()
        store.create()
        sessions.append(
            {
                "session": store.session_key,
                "children": [pk for pk, _, _ in visible],
                "names": [f"{first} {last}" for _, first, last in visible],
            }
        )
        if len(sessions) == count:
            break
    assert sessions, "no practitioner with children to read"
    return sessions


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310  # nosec B310 (127.0.0.1 only)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _run(database: str, workers: int, sessions: Path, prefix: Path) -> None:
    host = f"http://127.0.0.1:{PORT}"
    env = {**os.environ, "NT_DB_NAME": database, "NT_LOAD_SESSIONS": str(sessions)}
    env.setdefault("NT_REDIS_URL", "redis://127.0.0.1:63799/0")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "neglect_tracker.wsgi:application"),
            *("--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"{host}/sign-in/")
        subprocess.run(
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")),
                *("--headless", "--host", host, "--users", str(USERS)),
                *("--spawn-rate", str(max(1, USERS // 5)), "--run-time", f"{SECONDS}s"),
                *("--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env=env,
            check=False,  # locust exits 1 when any request failed: the figures say so
            stdout=subprocess.DEVNULL,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    with open(f"{prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    label = f"load, {USERS} practitioners, {workers} gunicorn workers"
    for row in rows:
        name = row["Name"]
        if name == "Aggregated":
            report(Result(f"{label}: requests per second", float(row["Requests/s"]), "req/s"))
            report(Result(f"{label}: errors", float(row["Failure Count"]), "requests"))
            continue
        for centile in ("50%", "95%", "99%"):
            report(
                Result(
                    f"{label}: {name} p{centile[:-1]}",
                    float(row[centile]),
                    "ms",
                    target="under 300 ms" if centile == "95%" else "",
                )
            )
        report(
            Result(
                f"{label}: {name} errors of {row['Request Count']}",
                float(row["Failure Count"]),
                "requests",
            )
        )
