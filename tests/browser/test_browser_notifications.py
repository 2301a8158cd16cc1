"""A lead uploads a notifications file; the worker imports it; the page shows the row report;
a practitioner works the matching queue: finds the child of an unmatched row by searching from
it and links the row, and rejects another. axe finds nothing on any of the pages."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NHS = "9990000026"
FILE = (
    "nhs_number,upn,first_name,last_name,date_of_birth,postcode,address_line_1,town,"
    "appointment_date,service,summary\n"
    f"{NHS},,,,,,,,2026-10-12,Dental,\n"  # 2: imported
    "1234567890,,,,,,,,2999-01-01,,\n"  # 3: three errors
    ",,Nobody,Known,2018-01-01,NT9 9ZZ,,,2026-10-12,Dental,\n"  # 4: matches nobody
    f"{NHS},,,,,,,,2026-10-12,Dental,\n"  # 5: the same as row 2
    ",,Some,One,2017-02-02,NT9 9ZZ,,,2026-10-12,Dental,\n"  # 6: matches nobody either
)


def assert_accessible(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def test_a_lead_uploads_a_file_and_a_practitioner_works_the_matching_queue(
    world: World, live_server: Any, page: Any, celery_worker_process: None, tmp_path: Path
) -> None:
    factories.child(known_to=[world.health], first_name="Ada", nhs_number=NHS)
    # Row 4's child, known to health under a spelling and postcode the row does not have.
    moved = factories.child(
        known_to=[world.health],
        first_name="Nobody",
        last_name="Knowne",
        date_of_birth=datetime.date(2018, 1, 1),
    )
    factories.address(moved.family, postcode="NT1 1AA")
    upload = tmp_path / "dental.csv"
    upload.write_text(FILE)
    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/notifications/")
    assert_accessible(page)
    page.click("text=Upload a file")
    page.click("button:has-text('Upload')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.check("text=Health: was not brought to an appointment")
    page.set_input_files("#id_file", str(upload))
    page.click("button:has-text('Upload')")
    page.wait_for_selector("text=Row report", timeout=30_000)
    summary = page.locator(".govuk-error-summary")
    assert "Row 3, nhs_number" in summary.inner_text()
    assert page.locator("#row-4").inner_text().count("Matches no child") == 1
    assert "Already imported" in page.locator("#row-5").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out", exact=True).click()
    sign_in(page, live_server, "hv")
    page.goto(f"{live_server.url}/notifications/matching/")
    assert_accessible(page)
    page.click("text=Row 4")
    assert_accessible(page)
    # The search starts from the row; the child has moved since, so the postcode goes.
    assert page.input_value("#id_search-name") == "Nobody Known"
    page.fill("#id_search-postcode", "")
    page.click("button:has-text('Search')")
    results = page.get_by_test_id("row-search-results")
    assert "Nobody Knowne" in results.inner_text()
    assert_accessible(page)
    results.get_by_role("button", name="Link row to Nobody Knowne").click()
    assert "Row 4 linked to the child" in page.locator(".govuk-notification-banner").inner_text()
    page.click("text=Row 6")
    page.click("button:has-text('Reject row')")
    assert "Enter why the row is rejected" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_reject-reason", "Not a child of this area")
    page.click("button:has-text('Reject row')")
    page.wait_for_selector("text=No row is waiting")
