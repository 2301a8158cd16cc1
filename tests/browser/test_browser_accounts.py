"""Accounts in Chromium: an administrator creates an account, its owner sets up the second
factor by typing the key (no camera), a lead confirms it, and it breaks glass after signing in
again with password and code. axe on every new page; screenshots under the test's tmp folder."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import TOTP

from cases.accounts.second_factor import AUTHENTICATED_AT
from cases.codes import AgencyType
from cases.models import AccessGrant, Practitioner
from tests.support import factories
from tests.support.auth import authenticator, totp_code
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def looked_at(page: Any, folder: Path, name: str) -> None:
    assert axe_violations(page) == [], page.url
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()


def test_a_new_account_enrols_is_confirmed_and_breaks_glass_after_reauthenticating(
    world: World, live_server: Any, page: Any, tmp_path: Path
) -> None:
    shots = Path(__import__("os").environ.get("NT_SCREENSHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    police = factories.agency("Northshire Police", AgencyType.POLICE)
    stranger = factories.child(known_to=[police], first_name="Oscar", last_name="Pennywhistle")

    # The administrator creates the account; its first password is shown once.
    sign_in(page, live_server, "admin")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Accounts").click()
    looked_at(page, shots, "accounts-list")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_role("button", name="Create account").click()
    looked_at(page, shots, "accounts-create-errors")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Newcombe")
    page.get_by_label("Username").fill("robin.newcombe")
    page.get_by_label("Agency").select_option(label=world.school.name)
    page.get_by_label("Role").select_option(label="Practitioner")
    page.get_by_role("button", name="Create account").click()
    looked_at(page, shots, "accounts-created")
    password = page.get_by_test_id("first-password").inner_text().strip()
    page.get_by_role("link", name="Go to the account").click()
    looked_at(page, shots, "accounts-detail")
    sign_out(page)

    # The newcomer signs in and sets up an app by typing the key.
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#id_username", "robin.newcombe")
    page.fill("#id_password", password)
    page.click("button:has-text('Sign in')")
    assert page.locator("h1").inner_text() == "Set up your second factor"
    looked_at(page, shots, "second-factor-enrol")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from your app").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    assert len(page.get_by_test_id("recovery-codes").locator("li").all()) == 10
    looked_at(page, shots, "second-factor-recovery-codes")
    page.get_by_role("link", name="Continue").click()
    assert "waiting for confirmation" in page.locator("h1").inner_text()
    looked_at(page, shots, "awaiting-confirmation")
    sign_out(page)

    # A lead of the school confirms the account.
    factories.practitioner(world.school, "safeguarding_lead", "school-lead")
    sign_in(page, live_server, "school-lead")
    page.get_by_role("link", name="Your agency's accounts").click()
    looked_at(page, shots, "agency-accounts")
    page.get_by_role("button", name="Confirm Robin Newcombe").click()
    assert "can now work with" in page.get_by_role("alert").inner_text()
    sign_out(page)

    # Signed in more than 15 minutes ago: break glass asks for password and code again.
    newcomer = Practitioner.objects.get(username="robin.newcombe")
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#id_username", "robin.newcombe")
    page.fill("#id_password", password)
    page.click("button:has-text('Sign in')")
    looked_at(page, shots, "second-factor-verify")
    page.get_by_label("Code").fill(totp_code(authenticator(newcomer)))
    page.get_by_role("button", name="Continue").click()
    for session in Session.objects.all():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(newcomer.pk):
            data[AUTHENTICATED_AT] = time.time() - 16 * 60
            session.session_data = Session.objects.encode(data)
            session.save()
    page.goto(f"{live_server.url}/children/{stranger.pk}/request-access/")
    assert page.locator("h1").inner_text() == "Confirm it is you"
    looked_at(page, shots, "reauthenticate")
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code", exact=True).fill(totp_code(authenticator(newcomer)))
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Request access to a child's record"
    page.get_by_label("Why do you need to see this child's record?").fill(
        "Oscar's sister started at our school today"
    )
    page.get_by_role("button", name="Open the record").click()
    assert "Pennywhistle" in page.locator("h1").inner_text()
    assert AccessGrant.objects.filter(practitioner=newcomer, child=stranger).exists()
