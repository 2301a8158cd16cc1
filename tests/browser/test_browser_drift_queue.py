"""The child-centred queue in Chromium for a health safeguarding lead and a children's social
care manager: home figures, scopes with counts, filters, a flag's figures and the child.
axe reports nothing on any page visited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cases.codes import NeedLevel, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import Child, Practitioner
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def unseen_case(world: World, level: str, *, days_ago: int, **extra: Any) -> Child:
    child = factories.child(known_to=[world.health, world.social_care], first_name="Ada")
    factories.involvement(
        child,
        level,
        world.social_care,
        started_on=TODAY - datetime.timedelta(days=days_ago),
        protection_category="NEG" if level == NeedLevel.CHILD_PROTECTION else "",
        **extra,
    )
    return child


def test_a_manager_goes_from_home_to_their_teams_queue_to_a_flag_and_the_child(
    world: World, live_server: Any, page: Any
) -> None:
    team = factories.team(world.social_care, "Child in need team 2")
    manager: Practitioner = world.users["manager"]
    manager.team = team
    manager.save()
    worker = factories.practitioner(world.social_care, Role.PRACTITIONER, "sw", team=team)
    ours = unseen_case(
        world, NeedLevel.CHILD_IN_NEED, days_ago=120, team=team, lead_professional=worker
    )
    unseen_case(world, NeedLevel.EARLY_HELP, days_ago=200)  # the agency's, another team's
    drift_evaluate()

    sign_in(page, live_server, "manager")
    figures = page.get_by_test_id("lead-figures")
    assert figures.get_by_test_id("figure-team-children").inner_text().startswith("1")
    assert figures.get_by_test_id("figure-agency-children").inner_text().startswith("2")
    assert axe_violations(page) == []

    page.get_by_test_id("figure-team-children").click()
    assert page.get_by_test_id("scope-current").inner_text() == "Your team's cases (1)"
    row = page.get_by_test_id("queue-row")
    assert row.count() == 1
    text = row.inner_text()
    assert ours.full_name in text and worker.display_name in text
    assert "case held by Test Children's Social Care" in text
    assert "20 allowed as a child in need" in text
    assert axe_violations(page) == []

    # Back to every child, then narrow by level of need.
    page.get_by_test_id("scope-all").click()
    assert page.get_by_test_id("queue-row").count() == 2
    page.get_by_label("Level of need").select_option(NeedLevel.EARLY_HELP)
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_test_id("queue-row").count() == 1
    assert ours.full_name not in page.get_by_test_id("drift-queue").inner_text()
    assert axe_violations(page) == []

    # The scope links keep the other filters: the team has no early-help case.
    page.get_by_test_id("scope-team").click()
    assert "No flags need your review with these filters" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    # Open our child's flag, then the child.
    page.goto(f"{live_server.url}/drift/?scope=team")
    page.get_by_role("link", name=f"Child not seen for {ours.full_name}").click()
    assert "20 allowed as a child in need" in page.get_by_test_id("flag-figures").inner_text()
    assert axe_violations(page) == []
    page.get_by_test_id("flag-child").click()
    assert page.locator("h1").inner_text() == ours.full_name


def test_a_health_lead_sees_every_child_their_agency_works_with_and_filters_by_rule(
    world: World, live_server: Any, page: Any
) -> None:
    unseen = unseen_case(world, NeedLevel.CHILD_PROTECTION, days_ago=60)
    unseen_case(world, NeedLevel.EARLY_HELP, days_ago=90, lead_professional=world.users["lead"])
    drift_evaluate()

    sign_in(page, live_server, "lead")
    assert page.get_by_test_id("figure-all-children").inner_text().startswith("2")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Drift queue").click()
    assert "All children your agency works with (2)" in page.locator("main").inner_text()
    assert "Your own cases (1)" in page.locator("main").inner_text()

    page.get_by_label("Rule", exact=True).select_option("NO_LEAD_PROFESSIONAL")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.get_by_test_id("queue-row")
    assert rows.count() == 1
    # The child's other flags stay in their row, worst first.
    assert rows.first.locator(".govuk-tag").first.inner_text() == "High"
    assert "on a protection plan" in rows.inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name=unseen.full_name, exact=True).click()
    assert page.locator("h1").inner_text() == unseen.full_name
