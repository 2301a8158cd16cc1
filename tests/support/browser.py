"""Driving Debian's Chromium through Playwright (its own browser download is not used)."""

from __future__ import annotations

import os
from pathlib import Path

from cases.models import Practitioner
from tests.support import auth, factories

ROOT = Path(__file__).resolve().parent.parent.parent
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


def sign_in(page: object, live_server: object, username: str) -> None:
    """Password, then the code the user's authenticator app would show."""
    page.goto(f"{live_server.url}/sign-in/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", factories.PASSWORD)  # type: ignore[attr-defined]
    page.click("button:has-text('Sign in')")  # type: ignore[attr-defined]
    page.wait_for_url("**/sign-in/second-factor/**")  # type: ignore[attr-defined]
    device = auth.authenticator(Practitioner.objects.get(username=username))
    page.fill("#id_code", auth.totp_code(device))  # type: ignore[attr-defined]
    page.click("button:has-text('Continue')")  # type: ignore[attr-defined]


def axe_violations(page: object) -> list[dict[str, object]]:
    """Run axe-core (served from our own static files) on the page; returns its violations.
    Loaded by URL, not inlined: the Content-Security-Policy allows scripts from our origin only."""
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")  # type: ignore[attr-defined]
    result = page.evaluate("async () => (await axe.run(document)).violations")  # type: ignore[attr-defined]
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]
