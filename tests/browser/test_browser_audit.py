"""Issue 11 in Chromium: a lead reads "who has seen this record" (a break-glass read shown as
such) and the information governance officer searches the access log and sees an alert.
axe reports nothing on any page visited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cases.casework.break_glass import access_grant_request
from cases.codes import AgencyType, Role
from cases.models import AccessGrant
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_reads_who_has_seen_a_record_and_the_officer_sees_the_alert(
    world: World, live_server: Any, page: Any
) -> None:
    police = factories.agency("Northshire Police", AgencyType.POLICE)
    constable = factories.practitioner(police, Role.PRACTITIONER, "constable")
    grant = access_grant_request(practitioner=constable, child=world.child, reason="Call-out")
    # Granted a week ago and never reviewed: past the 2 working days.
    AccessGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - datetime.timedelta(days=7)
    )
    reader = Client()
    reader.force_login(constable)
    assert reader.get(f"/children/{world.child.pk}/").status_code == 200

    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    page.get_by_role("link", name="Who has seen this record").click()
    assert page.locator("h1").inner_text() == "Who has seen this record"
    rows = page.get_by_test_id("child-access-log").inner_text()
    assert constable.display_name in rows and "Break glass" in rows
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "governance")
    page.get_by_role("link", name="Alerts", exact=True).first.click()
    alerts = page.get_by_test_id("alerts").inner_text()
    assert "Break glass not reviewed within 2 working days" in alerts and "constable" in alerts
    assert world.child.last_name not in page.content()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Search the access log").click()
    page.get_by_label("Person").fill("constable")
    page.select_option("#id_break_glass", "yes")
    page.get_by_role("button", name="Search the log").click()
    log = page.get_by_test_id("access-log").inner_text()
    assert "Northshire Police" in log and str(world.child.pk) in log
    assert axe_violations(page) == []

    page.get_by_label("Child's record number").fill("abc")
    page.get_by_role("button", name="Search the log").click()
    assert "must be a number" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
