"""A practitioner's day in Chromium: search, break glass, log a concern for two siblings,
read it in both chronologies, filter, export; axe on every page visited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cases.codes import AgencyType
from cases.models import AccessGrant, Concern
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def test_a_practitioner_finds_children_logs_a_concern_and_exports_the_chronology(
    world: World, live_server: Any, page: Any, tmp_path: Any
) -> None:
    family = factories.family()
    elder = factories.child(
        known_to=[world.health], in_family=family, first_name="Maisie", last_name="Thornbury"
    )
    younger = factories.child(
        known_to=[world.health],
        in_family=family,
        first_name="Alfie",
        last_name="Thornbury",
        date_of_birth=datetime.date(2021, 2, 3),
    )
    # An earlier concern, so the elder child's page draws the chart over its table.
    factories.concern(
        world.users["practitioner"],
        [elder],
        observed_on=timezone.localdate() - datetime.timedelta(days=70),
        child_voice="",
    )
    police = factories.agency("Northshire Police", AgencyType.POLICE)
    stranger = factories.child(known_to=[police], first_name="Oscar", last_name="Pennywhistle")

    sign_in(page, live_server, "hv")
    assert_accessible(page)

    # Search for a child the health agency does not know: only initials, year, agency.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a child").click()
    assert page.locator("h1").inner_text() == "Find a child"
    assert_accessible(page)
    page.get_by_label("Name").fill("Oscar Penywhistle")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("search-results")
    assert "OP" in results.inner_text() and "Northshire Police" in results.inner_text()
    assert "Pennywhistle" not in results.inner_text()
    assert_accessible(page)

    # Break glass with a reason.
    results.get_by_role("link", name="Request access").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open the record").click()
    assert "Enter why you need to see" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Why do you need to see this child's record?").fill(
        "Sibling of a child on my caseload; police call-out last night"
    )
    page.get_by_role("button", name="Open the record").click()
    assert page.locator("h1").inner_text() == stranger.full_name
    assert AccessGrant.objects.get().reason.startswith("Sibling of a child")
    assert_accessible(page)

    # Find the siblings and log one concern about both.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a child").click()
    page.get_by_label("Name").fill("Thornbury")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=elder.full_name).click()
    assert page.locator("h1").inner_text() == elder.full_name
    page.get_by_role("button", name="Log a concern").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit concern").click()
    assert (
        "Select at least one type of neglect" in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_label(younger.full_name).check()
    page.get_by_label("Nutritional neglect").check()
    page.get_by_label("Physical neglect").check()
    page.get_by_label("What did you see or hear?").fill("Both children hungry and cold at home.")
    page.get_by_label("Medium: some needs unmet, impact on the child").check()
    observed = timezone.localdate() - datetime.timedelta(days=1)
    page.locator("#id_observed_on-day").fill(str(observed.day))
    page.locator("#id_observed_on-month").fill(str(observed.month))
    page.locator("#id_observed_on-year").fill(str(observed.year))
    page.locator("#id_child_seen").check()
    page.locator("#id_child_seen_alone").check()
    page.locator("#id_child_spoken_to").check()
    page.get_by_label("What did the child say?").fill("We had no tea.")
    page.get_by_label("Advice or support given").check()
    page.get_by_label("Consent given").check()
    page.get_by_role("button", name="Submit concern").click()
    assert page.locator("h1").inner_text() == "Neglect concern"
    assert Concern.objects.latest("submitted_at").children.count() == 2
    assert_accessible(page)

    # The concern is in both children's chronologies.
    for child in (younger, elder):
        page.get_by_role("link", name=child.full_name).click()
        chronology = page.get_by_test_id("chronology")
        assert "Concern logged" in chronology.inner_text()
        assert "We had no tea." in page.get_by_test_id("voice-of-the-child").inner_text()
        if child is elder:
            assert page.locator("#concern-chart").is_visible()
        assert_accessible(page)
        if child is younger:
            page.go_back()

    # Printed, the page shows the record without the service's controls.
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Log a concern").is_visible()
    assert not page.get_by_text("Filter the chronology").is_visible()
    assert page.get_by_test_id("chronology").is_visible()
    page.emulate_media(media="screen")

    # Filter to concerns only, then export the filtered chronology as CSV.
    page.get_by_text("Filter the chronology").click()
    page.get_by_label("Event").select_option(label="Concern logged")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.get_by_test_id("chronology").locator("tbody tr")
    assert rows.count() == 2
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "chronology.csv"
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0].startswith("Date,Child,Agency,Event")
    assert len(lines) == 3 and all("Concern logged" in line for line in lines[1:])


def test_a_safeguarding_lead_reviews_break_glass_access_from_home(
    world: World, live_server: Any, page: Any
) -> None:
    officer = factories.practitioner(
        factories.agency("Northshire Police", AgencyType.POLICE), username="officer"
    )
    AccessGrant.objects.create(
        practitioner=officer,
        child=world.child,
        reason="Attended a domestic incident at the address",
        expires_at=timezone.now() + datetime.timedelta(hours=24),
    )
    sign_in(page, live_server, "lead")
    panel = page.get_by_test_id("access-grants")
    assert "Attended a domestic incident" in panel.inner_text()
    assert_accessible(page)
    panel.get_by_role("button", name="Mark reviewed").click()
    assert "Access request marked as reviewed" in page.get_by_role("alert").inner_text()
    assert "No break-glass access to review" in page.locator("main").inner_text()
    assert AccessGrant.objects.get().reviewed_by == world.users["lead"]
    assert_accessible(page)
