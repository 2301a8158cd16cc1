"""A GCP2 assessment from start to comparison, by keyboard alone, in Debian's Chromium.

Complete part of an assessment, save a draft, resume it from the home page, submit it, sign it
off as the lead, start a repeat from it and see the comparison chart and table. axe reports no
violations on any page visited.
"""

from __future__ import annotations

from typing import Any

import pytest

from assessments.framework import current_framework, framework_areas
from cases.codes import NeedLevel
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("gcp2_framework"),
]


def press(page: Any, selector: str, key: str = "Enter") -> None:
    """Focus an element and press a key; Enter follows a link or submits, so wait for the page."""
    page.focus(selector)
    if key == "Enter":
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def choose_grade(page: Any, name: str, grade: int) -> None:
    """Focus the group's first radio, select it with Space, then arrow down to the grade."""
    press(page, f"#{name}", "Space")
    for _ in range(grade - 1):
        page.keyboard.press("ArrowDown")


def type_into(page: Any, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def accessible(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def sign_out(page: Any) -> None:
    press(page, "button:has-text('Sign out')")
    page.wait_for_selector("h1:has-text('You have signed out')")


def test_an_assessment_is_completed_signed_off_repeated_and_compared_by_keyboard(
    world: World, live_server: Any, page: Any
) -> None:
    factories.involvement(world.child, NeedLevel.EARLY_HELP, world.health)
    areas = framework_areas(current_framework())
    physical = next(area for area in areas if area.code == "physical")
    sign_in(page, live_server, "hv")

    # From the child's page to their GCP2 page, and start a first assessment.
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    press(page, f"a:has-text('GCP2 assessments for {world.child.full_name}')")
    assert page.locator("h1").inner_text() == "Graded Care Profile 2"
    accessible(page)
    press(page, "a:has-text('Start a new assessment')")
    accessible(page)
    press(page, "button:has-text('Start the assessment')")
    assert page.locator("h1").inner_text() == "GCP2 assessment"
    accessible(page)

    # Part of it, then save as a draft.
    type_into(page, "#present", "Mother and Zebedee")
    for sub in physical.sub_areas.all():
        choose_grade(page, f"grade-{sub.key}", 4)
        type_into(page, f"#evidence-{sub.key}", f"Seen: {sub.label}")
    choose_grade(page, "area-physical", 4)
    press(page, "button:has-text('Save as draft')")
    assert "Draft saved" in page.locator(".govuk-notification-banner").inner_text()
    accessible(page)

    # Resume it from the home page.
    page.goto(f"{live_server.url}/")
    panel = page.get_by_test_id("gcp2-home")
    assert "Your assessments in progress" in panel.inner_text()
    press(page, f"[data-testid='gcp2-home'] a:has-text('{world.child.full_name}')")
    assert page.locator("#grade-physical-nutrition-4").is_checked()
    assert page.locator("#evidence-physical-nutrition").input_value() == "Seen: Nutrition"
    accessible(page)

    # Submitting too early shows what is missing, linked from the error summary.
    press(page, "button:has-text('Submit for sign-off')")
    summary = page.locator(".govuk-error-summary")
    assert "Select a grade for safety in traffic" in summary.inner_text()
    assert page.locator("#grade-physical-nutrition-4").is_checked()  # nothing lost
    accessible(page)

    for area in areas:
        if area.code == "physical":
            continue
        for sub in area.sub_areas.all():
            choose_grade(page, f"grade-{sub.key}", 3)
            type_into(page, f"#evidence-{sub.key}", f"Seen: {sub.label}")
        choose_grade(page, f"area-{area.code}", 3)
    type_into(page, "#analysis", "Physical care is the main worry.")
    type_into(page, "#next_steps", "Food bank referral; review in six months.")
    press(page, "button:has-text('Submit for sign-off')")
    assert (
        "Assessment submitted for sign-off"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Submitted for sign-off" in page.locator("main .govuk-tag").first.inner_text()
    accessible(page)
    sign_out(page)

    # The lead signs it off from their home page.
    sign_in(page, live_server, "lead")
    assert "Waiting for your sign-off" in page.get_by_test_id("gcp2-home").inner_text()
    press(page, f"[data-testid='gcp2-home'] a:has-text('{world.child.full_name}')")
    assert page.locator("h1").inner_text() == "Review the GCP2 assessment"
    accessible(page)
    press(page, "#id_decision", "Space")
    press(page, "button:has-text('Confirm')")
    assert "Assessment signed off" in page.locator(".govuk-notification-banner").inner_text()
    accessible(page)
    sign_out(page)

    # The practitioner starts a repeat from it: the grades are the starting points.
    sign_in(page, live_server, "hv")
    page.goto(f"{live_server.url}/children/{world.child.pk}/gcp2/")
    press(page, "a:has-text('Start a new assessment')")
    assert page.locator("#id_start").is_checked()  # from the last signed-off one
    accessible(page)
    press(page, "button:has-text('Start the assessment')")
    assert page.locator("#grade-physical-nutrition-4").is_checked()
    choose_grade(page, "area-physical", 2)
    choose_grade(page, "area-emotional", 4)
    press(page, "button:has-text('Save as draft')")

    # The comparison: side by side, better/same/worse, and the chart drawn from the table.
    press(page, "a:has-text('Back to the GCP2 page')")
    side_by_side = page.get_by_test_id("gcp2-side-by-side")
    assert side_by_side.locator("thead th").count() == 3  # the area column and two dates
    physical_row = side_by_side.locator("tbody tr", has_text="Physical care")
    assert physical_row.locator("td").all_inner_texts() == ["4", "2"]
    comparison = page.get_by_test_id("gcp2-comparison")
    assert "Better" in comparison.locator("tr", has_text="Physical care").first.inner_text()
    assert "Worse" in comparison.locator("tr", has_text="Emotional care").first.inner_text()
    assert "Same" in comparison.locator("tr", has_text="Safety").first.inner_text()
    chart = page.locator("#gcp2-chart")
    assert chart.is_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('gcp2-chart') !== undefined")
    assert page.evaluate("() => Chart.getChart('gcp2-chart').data.datasets.length") == 4
    accessible(page)


def test_the_assessment_form_works_by_touch_on_a_tablet(
    world: World, live_server: Any, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, "hv")
        page.goto(f"{live_server.url}/children/{world.child.pk}/gcp2/new/")
        page.tap("button:has-text('Start the assessment')")
        page.wait_for_selector("h1:has-text('GCP2 assessment')")
        page.tap("label[for='grade-physical-housing-3']")
        assert page.locator("#grade-physical-housing-3").is_checked()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 768  # nothing wider than the tablet's screen
        accessible(page)
        with page.expect_navigation():
            page.tap("button:has-text('Save as draft')")
        assert page.locator("#grade-physical-housing-3").is_checked()
    finally:
        context.close()
