"""Dashboards in Debian's Chromium: an executive reads them, changes the period and exports a
table; an analyst refreshes the figures and watches the build; axe finds nothing on any page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from cases.codes import NeedLevel
from reporting.services import snapshot_build_run
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def some_figures(world: World) -> None:
    nurse = world.users["practitioner"]
    today = datetime.date.today()
    for n in range(20):
        child = factories.child(known_to=[world.health], first_name=f"K{n}")
        factories.involvement(
            child,
            NeedLevel.CHILD_PROTECTION,
            world.social_care,
            started_on=today - datetime.timedelta(days=300),
            protection_category="NEG" if n % 2 else "EMO",
        )
        factories.concern_submitted_on([child], nurse, today - datetime.timedelta(days=35 + n))
    factories.concern_submitted_on([world.child], nurse, today - datetime.timedelta(days=100))
    snapshot_build_run()


def test_an_executive_reads_the_dashboards_changes_the_period_and_exports_csv(
    world: World, live_server: Any, page: Any
) -> None:
    some_figures(world)
    sign_in(page, live_server, "executive")
    assert "Headline figures" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Dashboards").first.click()
    assert page.locator("h1").inner_text() == "Neglect strategy dashboards"
    assert page.get_by_test_id("headline-cp_neglect_share").inner_text() == "50.0%"
    assert axe_violations(page) == []

    page.get_by_label("Month").check()
    page.get_by_role("button", name="Show figures").click()
    assert "period_type=month" in page.url
    assert "by month" in page.get_by_test_id("headlines-table").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Neglect as a share of child protection plans").first.click()
    assert page.get_by_test_id("definition").is_visible()
    # The chart is drawn once the page's scripts have run; on a busy machine that is after load.
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart') !== undefined")
    assert "Month" in page.get_by_test_id("trend-table").inner_text()
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_test_id("trend-csv").click()
    exported = open(download_info.value.path(), encoding="utf-8").read()  # noqa: SIM115
    assert "Neglect as a share of child protection plans, by month" in exported
    assert "50.0%" in exported

    # A share of its own total is drawn as the shares it is made of, stacked, with its table.
    page.goto(f"{live_server.url}/dashboards/metrics/cp_plans_by_category/?period_type=month")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart') !== undefined")
    stacked = page.evaluate(
        "() => { const c = Chart.getChart('trend-chart'); return [c.config.type,"
        " c.options.scales.y.stacked, c.data.datasets.map(d => d.label)] }"
    )
    assert stacked[0] == "bar" and stacked[1] is True and len(stacked[2]) == 2
    trend = page.get_by_test_id("trend-table").inner_text()
    assert "Total" in trend and "50.0%" in trend and "100.0%" not in trend
    assert axe_violations(page) == []

    for path in ("/delivery-plan/", "/delivery-plan/priorities/", "/dashboards/builds/"):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    assert world.child.last_name not in page.content()


def test_an_analyst_refreshes_the_figures_and_sees_the_build_finish(
    world: World, live_server: Any, page: Any, celery_worker_process: None
) -> None:
    sign_in(page, live_server, "analyst")
    page.goto(f"{live_server.url}/dashboards/")
    assert page.get_by_test_id("no-snapshot").is_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/dashboards/builds/")
    page.get_by_role("button", name="Refresh now").click()
    assert page.locator("h1").inner_text().startswith("Dashboard build")
    # With JavaScript the page's script replaces the no-JavaScript meta refresh by polling.
    page.wait_for_function("() => !document.querySelector('meta[http-equiv=\"refresh\"]')")
    assert axe_violations(page) == []
    page.wait_for_function(
        "() => document.getElementById('build-status-text').textContent === 'Finished'",
        timeout=60_000,
    )
    page.get_by_role("link", name="See the dashboards").click()
    assert page.get_by_test_id("snapshot-info").is_visible()


def test_the_delivery_group_adds_an_action_with_an_accessible_form(
    world: World, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, "executive")
    page.goto(f"{live_server.url}/delivery-plan/actions/new/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save action").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Reference").fill("R9.9")
    page.get_by_label("Recognise").check()
    page.get_by_label("Activity").fill("Audit concern recording in schools")
    page.get_by_label("Responsible").fill("Education safeguarding lead")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Amber: at risk").check()
    page.get_by_role("button", name="Save action").click()
    assert page.locator("h1").inner_text() == "Action R9.9"
    assert "Added the action" in page.get_by_test_id("history").inner_text()
    assert axe_violations(page) == []
