"""Headers and settings for a service holding children's records: a strict CSP with no inline
script or style anywhere, HSTS and HTTPS redirects behind TLS, no caching of personal data,
and `check --deploy` clean in production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.test import Client

from tests.support.browser import ROOT
from tests.support.world import World

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.I)


def test_no_template_has_inline_script_style_or_event_handlers() -> None:
    offenders = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(
        (ROOT / "templates").glob("**/*.html")
    ):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_page_sends_a_strict_content_security_policy(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    for path in ("/", f"/children/{world.child.pk}/", "/children/search/", "/api/docs/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert not INLINE_SCRIPT.search(response.content.decode()), path


def test_the_api_docs_script_is_a_file_of_its_own(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")


def test_responses_with_personal_data_are_never_stored(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    for path in (
        f"/children/{world.child.pk}/",
        "/children/search/",
        f"/api/children/{world.child.pk}/",
        f"/api/children/{world.child.pk}/chronology/",
        "/api/concerns/",
        "/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path
    # Anonymous API answers too; the sign-in page carries nothing personal.
    assert "no-store" in Client().get("/api/children/")["Cache-Control"]


def test_static_files_keep_their_cache_headers() -> None:
    response = Client().get("/static/js/init.js")
    if response.status_code == 404:
        pytest.skip("collectstatic has not run (scripts/test.sh runs it)")
    assert "no-store" not in response.get("Cache-Control", "")


PRODUCTION = {
    "NT_TESTING": "0",
    "NT_DEBUG": "false",
    "NT_SECURE_COOKIES": "true",
    "NT_ALLOWED_HOSTS": "tracker.example.org",
    "NT_SECRET_KEY": "pZ3v-Hk9q2Lw8RtY1xN6mB4cJ7eF0aS5dG2hK8lQ3zX9vC1bN6mW4rT7yU0iO2pE",
}


def run_with_production_settings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # Without the test run's own relaxations (Playwright's async-unsafe ORM access).
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings_in_production_settings() -> None:
    result = run_with_production_settings("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_behind_tls_browsers_are_told_to_use_https_only() -> None:
    script = (
        "from django.test import Client;"
        "c = Client(HTTP_HOST='tracker.example.org');"
        "plain = c.get('/sign-in/');"
        "tls = c.get('/sign-in/', secure=True);"
        "print(plain.status_code, plain['Location']);"
        "print(tls['Strict-Transport-Security'])"
    )
    result = run_with_production_settings("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    redirect, hsts = result.stdout.strip().splitlines()[-2:]
    assert redirect == "301 https://tracker.example.org/sign-in/"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
