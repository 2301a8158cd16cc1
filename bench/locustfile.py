"""The load test's practitioners (run by bench/load.py through `locust --headless`).

Each simulated practitioner takes one signed-in session made by the bench (password and second
factor already given) and, with a few seconds' thought between actions, searches for a child,
opens a child's page, reads a chronology and logs a concern. The run stops itself once it has
made the most requests it may (NT_LOAD_MAX_REQUESTS), whatever time is left.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, events, task

from bench.forms import concern_form

SESSIONS = json.loads(open(os.environ["NT_LOAD_SESSIONS"]).read())  # noqa: SIM115
MAX_REQUESTS = int(os.environ.get("NT_LOAD_MAX_REQUESTS", "20000"))
_next_session = itertools.count()
_requests = itertools.count(1)
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _bounded(**_: Any) -> None:
    if next(_requests) >= MAX_REQUESTS:
        from locust.runners import STATE_STOPPING

        runner = _environment.runner if _environment else None
        if runner is not None and runner.state != STATE_STOPPING:
            runner.quit()


_environment: Any = None


@events.init.add_listener
def _remember(environment: Any, **_: Any) -> None:
    global _environment
    _environment = environment


class Practitioner(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.me = SESSIONS[next(_next_session) % len(SESSIONS)]
        self.client.cookies.set("sessionid", self.me["session"])
        self.rng = random.Random(self.me["session"])
        self.token = self._token("/children/search/")

    def _token(self, path: str) -> str:
        response = self.client.get(path, name="search form")
        found = TOKEN.search(response.content)
        return found.group(1).decode() if found else ""

    def _child(self) -> int:
        return int(self.rng.choice(self.me["children"]))

    @task(3)
    def search(self) -> None:
        self.client.post(
            "/children/search/",
            {"csrfmiddlewaretoken": self.token, "name": self.rng.choice(self.me["names"])},
            name="search (POST, then results)",
        )

    @task(4)
    def open_child(self) -> None:
        self.client.get(f"/children/{self._child()}/", name="child's page")

    @task(2)
    def read_chronology(self) -> None:
        self.client.get(f"/children/{self._child()}/chronology.csv", name="chronology (CSV)")

    @task(1)
    def log_concern(self) -> None:
        child = self._child()
        observed = datetime.date.today() - datetime.timedelta(days=1)
        with self.client.post(
            f"/children/{child}/concerns/new/",
            {
                "csrfmiddlewaretoken": self.token,
                "submission_key": uuid.uuid4().hex,
                **concern_form([child], observed),
            },
            name="log a concern (POST, saved, redirected)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"not saved: {response.status_code}")
