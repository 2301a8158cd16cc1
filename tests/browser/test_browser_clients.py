"""An administrator registers a machine client, sees its secret once, rotates and suspends it.
axe finds nothing on any of the pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_registers_rotates_and_suspends_a_client(
    world: World, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/clients/")
    assert axe_violations(page) == []
    page.click("text=Register a client")
    page.click("button:has-text('Register client')")
    assert "Enter the name of the system" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.fill("#id_name", "Community health records")
    page.select_option("#id_agency", label=world.health.name)
    page.check("text=Log concerns about children its agency may see")
    page.click("button:has-text('Register client')")
    secret = page.get_by_test_id("client-secret").inner_text()
    assert len(secret) > 40
    assert axe_violations(page) == []
    page.click("text=Go to the client")
    assert "Waiting for a lead to confirm" in page.inner_text("main")
    assert secret not in page.content()
    assert axe_violations(page) == []
    page.click("button:has-text('Rotate secret')")
    assert page.get_by_test_id("client-secret").inner_text() != secret
    page.click("text=Go to the client")
    page.click("button:has-text('Suspend')")
    assert "Suspended" in page.inner_text("main")
