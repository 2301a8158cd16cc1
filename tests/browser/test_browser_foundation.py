"""The foundation's journeys in Debian's Chromium: sign in as each role, the access policy, axe."""

from typing import Any

import pytest

from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("practitioner", "Your caseload"),
        ("executive", "Partnership overview"),
        ("admin", "Administration"),
    ],
)
def test_a_user_signs_in_lands_on_their_home_page_and_signs_out(
    world: World, live_server: Any, page: Any, role: str, heading: str
) -> None:
    sign_in(page, live_server, world.users[role].username)
    assert page.locator("h1").inner_text() == heading
    assert world.users[role].display_name in page.get_by_test_id("signed-in-user").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "You have signed out"


def test_the_sign_in_page_shows_errors_accessibly(
    world: World, live_server: Any, page: Any
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    assert axe_violations(page) == []
    page.click("button:has-text('Sign in')")
    summary = page.locator(".govuk-error-summary")
    assert "Enter your username" in summary.inner_text()
    assert axe_violations(page) == []


def test_a_practitioner_opens_a_child_from_home_by_keyboard(
    world: World, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, "hv")
    page.get_by_role("link", name=world.child.full_name).focus()
    page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == world.child.full_name
    assert axe_violations(page) == []


def test_an_unrelated_agency_gets_403_without_the_childs_name(
    world: World, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, "dsl")
    response = page.goto(f"{live_server.url}/children/{world.child.pk}/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You cannot see this page"
    assert world.child.last_name not in page.content()
    assert axe_violations(page) == []
