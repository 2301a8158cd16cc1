"""A safeguarding lead works through the drift queue in Chromium, decides on a flag, and sees
it come back once its review date has passed. axe reports nothing on any page visited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cases.codes import NeedLevel
from cases.drift.evaluation import drift_evaluate
from cases.models import ChronologyEntry, DriftFlag, DriftFlagReview, SupervisionRecord
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_decides_on_a_flag_and_it_reappears_after_its_review_date(
    world: World, live_server: Any, page: Any
) -> None:
    today = timezone.localdate()
    factories.involvement(
        world.child, NeedLevel.EARLY_HELP, world.health, today - datetime.timedelta(days=60)
    )
    drift_evaluate()
    flag = DriftFlag.objects.get(child=world.child, rule_code="NO_LEAD_PROFESSIONAL")

    sign_in(page, live_server, "lead")
    page.get_by_role("link", name="Drift queue").click()
    assert page.locator("h1").inner_text() == "Cases that may be drifting"
    queue = page.get_by_test_id("drift-queue")
    assert "with no lead professional for" in queue.inner_text()
    assert axe_violations(page) == []

    # Filter to the one rule, then open its evidence.
    page.select_option("#id_rule", "NO_LEAD_PROFESSIONAL")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_test_id("queue-row").count() == 1
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"No lead professional for {world.child.full_name}").click()
    assert "with no lead professional for" in page.get_by_test_id("flag-figures").inner_text()
    assert axe_violations(page) == []

    # A decision without a reason is refused accessibly.
    page.get_by_label("Accept the risk for now").check()
    page.get_by_role("button", name="Record decision").click()
    assert "Enter the reason for your decision" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

    review = today + datetime.timedelta(days=14)
    page.get_by_label("Accept the risk for now").check()
    page.get_by_label("Reason", exact=True).fill("Allocation panel meets on Friday.")
    page.get_by_label("Day").fill(str(review.day))
    page.get_by_label("Month").fill(str(review.month))
    page.get_by_label("Year").fill(str(review.year))
    page.get_by_role("button", name="Record decision").click()
    assert page.locator("h1").inner_text() == "Cases that may be drifting"
    assert "Decision recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "with no lead professional for" not in page.locator("main").inner_text()
    assert axe_violations(page) == []
    record = SupervisionRecord.objects.get(drift_flag=flag)
    assert ChronologyEntry.objects.filter(source_kind="supervision", source_id=record.pk).exists()

    # Time passes: the review date arrives and the rule still applies, so the flag is back.
    DriftFlagReview.objects.filter(flag=flag).update(review_on=today)
    drift_evaluate()
    page.get_by_role("link", name="Drift queue").click()
    queue = page.get_by_test_id("drift-queue")
    assert "with no lead professional for" in queue.inner_text()
    assert "Review date passed" in queue.inner_text()
    assert axe_violations(page) == []

    # The decision is on the child's page as supervision.
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    assert (
        "Allocation panel meets on Friday."
        in page.get_by_test_id("supervision-records").inner_text()
    )
    assert axe_violations(page) == []


def test_a_practitioner_records_a_visit_with_the_childs_voice(
    world: World, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, "hv")
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    page.get_by_role("link", name="Record a visit or contact").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save visit").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Home visit").check()
    page.get_by_label("The child was seen", exact=True).check()
    page.get_by_label("The child was seen alone").check()
    page.get_by_label("What the child said or showed (their voice)").fill("I like my new bed.")
    page.get_by_role("button", name="Save visit").click()
    assert page.locator("h1").inner_text() == world.child.full_name
    assert "I like my new bed." in page.locator("#visits + table").inner_text()
    assert axe_violations(page) == []
