"""One form from each app, in Chromium: bad input brings the GOV.UK error summary, every link
in it points at an element on the page, and following a link puts the cursor in the right input
(for a date, the part that is wrong). axe reports nothing on any page with errors."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cases.codes import NeedLevel
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("gcp2_framework"),
]


def summary_links(page: Any) -> dict[str, str]:
    """Each summary link's message by its target id, after checking every target exists."""
    links = page.locator(".govuk-error-summary__list a")
    found = {
        links.nth(i).get_attribute("href").removeprefix("#"): links.nth(i).inner_text()
        for i in range(links.count())
    }
    assert found, "no error summary"
    for target in found:
        assert page.locator(f"[id='{target}']").count() == 1, target
    assert axe_violations(page) == [], page.url
    return found


def follow(page: Any, target: str) -> None:
    page.locator(f".govuk-error-summary__list a[href='#{target}']").click()
    assert page.evaluate("document.activeElement.id") == target


def type_date(page: Any, name: str, day: str, month: str, year: str) -> None:
    for part, value in (("day", day), ("month", month), ("year", year)):
        page.locator(f"#id_{name}-{part}").fill(value)


def as_user(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)


def test_error_summaries_link_to_the_right_inputs_in_every_app(
    world: World, live_server: Any, page: Any
) -> None:
    child = world.child.pk
    factories.involvement(world.child, NeedLevel.EARLY_HELP, world.health)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    as_user(page, live_server, "hv")

    # cases/casework: a concern with a date missing its month.
    page.goto(f"{live_server.url}/children/{child}/concerns/new/")
    type_date(page, "observed_on", str(yesterday.day), "", str(yesterday.year))
    page.get_by_role("button", name="Submit concern").click()
    links = summary_links(page)
    assert links["id_observed_on-month"] == "Date observed must include a month"
    assert "id_neglect_types" in links and "id_severity" in links
    follow(page, "id_observed_on-month")
    follow(page, "id_neglect_types")

    # cases/plans: a visit with nothing filled in.
    page.goto(f"{live_server.url}/children/{child}/visits/new/")
    page.get_by_role("button", name="Save visit").click()
    links = summary_links(page)
    assert set(links) >= {"id_occurred_on-day", "id_kind"}
    follow(page, "id_occurred_on-day")
    follow(page, "id_kind")

    # assessments: a GCP2 draft with no date, then submitted with grades missing.
    page.goto(f"{live_server.url}/children/{child}/gcp2/new/")
    page.get_by_role("button", name="Start the assessment").click()
    page.locator("#assessed_on-day").fill("")
    page.get_by_role("button", name="Save as draft").click()
    links = summary_links(page)
    assert links == {"assessed_on-day": "Date of the assessment must include a day"}
    follow(page, "assessed_on-day")
    page.locator("#assessed_on-day").fill(str(yesterday.day))
    page.get_by_role("button", name="Submit for sign-off").click()
    links = summary_links(page)
    assert links["grade-physical-nutrition"] == "Select a grade for nutrition"
    assert "area-safety" in links
    follow(page, "grade-physical-nutrition")
    follow(page, "area-safety")

    # cases/oversight: supervision with an impossible date and no decisions.
    as_user(page, live_server, "lead")
    page.goto(f"{live_server.url}/children/{child}/supervision/new/")
    type_date(page, "held_on", "31", "2", str(yesterday.year))
    page.get_by_role("button", name="Save supervision").click()
    links = summary_links(page)
    assert links["id_held_on-day"] == "Date of supervision must be a real date"
    assert "id_decisions" in links
    follow(page, "id_held_on-day")

    # reporting: a delivery action with no reference and an impossible due date.
    as_user(page, live_server, "executive")
    page.goto(f"{live_server.url}/delivery-plan/actions/new/")
    type_date(page, "due_date", "31", "13", "2027")
    page.get_by_role("button", name="Save action").click()
    links = summary_links(page)
    assert links["id_due_date-month"] == "Due date must be a real date"
    assert {"id_reference", "id_priority", "id_rag_status"} <= set(links)
    follow(page, "id_due_date-month")
    follow(page, "id_priority")
