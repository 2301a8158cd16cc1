"""Across agencies in Chromium: a health lead challenges children's social care, whose manager
answers; a school safeguarding lead asks for a step up, which the manager accepts. Each side
sees the outcome. axe reports nothing on any page visited."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from cases.codes import NeedLevel, Role
from cases.models import LegitimateRelationship, ProfessionalChallenge, StepUpRequest
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("NT_SCREENSHOT_DIR", "")


def _look(page: Any, name: str) -> None:
    """Check the page with axe and, when asked (NT_SCREENSHOT_DIR), keep a screenshot."""
    assert axe_violations(page) == []
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _switch_to(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)


def test_a_health_lead_challenges_and_the_social_care_manager_answers(
    world: World, live_server: Any, page: Any
) -> None:
    factories.involvement(world.child, NeedLevel.CHILD_IN_NEED, world.social_care)
    LegitimateRelationship.objects.create(
        child=world.child, agency=world.social_care, basis="allocation"
    )
    answer_by = timezone.localdate() + datetime.timedelta(days=10)

    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    page.get_by_role("link", name="Raise a professional challenge").click()
    _look(page, "challenge-new")
    page.get_by_role("button", name="Send the challenge").click()
    assert "Enter why you disagree" in page.locator(".govuk-error-summary").inner_text()
    _look(page, "challenge-new-errors")
    page.get_by_label("What you disagree with, and why").fill("Not seen alone for seven weeks.")
    page.get_by_label("What you are asking").fill("A visit this week, child seen alone.")
    page.get_by_label("Day").fill(str(answer_by.day))
    page.get_by_label("Month").fill(str(answer_by.month))
    page.get_by_label("Year").fill(str(answer_by.year))
    page.get_by_role("button", name="Send the challenge").click()
    assert "Awaiting an answer" in page.get_by_test_id("challenge-status").inner_text()
    _look(page, "challenge-sent")

    _switch_to(page, live_server, "manager")
    page.get_by_role("link", name="Drift queue").click()
    assert "1 challenge to answer" in page.get_by_test_id("challenges-waiting").inner_text()
    page.get_by_role("link", name="Challenges and step-up requests").first.click()
    _look(page, "challenges-manager")
    page.get_by_test_id("challenges-to-answer").get_by_role("link").click()
    page.get_by_label("Agreed", exact=True).check()
    page.get_by_label("Your answer").fill("Agreed: unannounced visit on Thursday.")
    page.get_by_role("button", name="Send the answer").click()
    assert "Answer sent" in page.locator(".govuk-notification-banner").inner_text()
    assert "No challenges are waiting" in page.locator("main").inner_text()
    _look(page, "challenges-manager-answered")

    _switch_to(page, live_server, "lead")
    page.goto(f"{live_server.url}/drift/challenges/")
    raised = page.get_by_test_id("challenges-raised").inner_text()
    assert "Agreed" in raised and "Test Children's Social Care" in raised
    page.get_by_test_id("challenges-raised").get_by_role("link").click()
    assert "unannounced visit on Thursday" in page.get_by_test_id("challenge-answer").inner_text()
    _look(page, "challenge-answered-for-raiser")
    assert ProfessionalChallenge.objects.get().outcome == "agreed"


def test_a_school_lead_requests_a_step_up_and_social_care_accepts(
    world: World, live_server: Any, page: Any
) -> None:
    school_lead = factories.practitioner(world.school, Role.SAFEGUARDING_LEAD, "school-lead")
    pupil = factories.child(known_to=[world.school], first_name="Pupil")
    factories.involvement(pupil, NeedLevel.EARLY_HELP, world.school)
    factories.concern_observed([pupil], school_lead, what_was_seen="Hungry every morning.")
    team = factories.team(world.social_care, "Child in need team")

    sign_in(page, live_server, "school-lead")
    page.goto(f"{live_server.url}/children/{pupil.pk}/")
    assert page.get_by_role("link", name="Record a referral").count() == 0
    page.get_by_role("link", name="Ask children's social care to step the case up").click()
    _look(page, "step-up-new")
    page.get_by_label("Child in need").check()
    page.get_by_label("Reasons for the request").fill("Three concerns this term; no change.")
    page.get_by_label("Hungry every morning.", exact=False).check()
    page.get_by_role("button", name="Send the request").click()
    assert "Awaiting a decision" in page.get_by_test_id("step-up-status").inner_text()
    assert "Hungry every morning." in page.get_by_test_id("step-up-evidence").inner_text()
    _look(page, "step-up-sent")

    _switch_to(page, live_server, "manager")
    page.goto(f"{live_server.url}/drift/challenges/")
    page.get_by_test_id("step-up-requests-to-decide").get_by_role("link").click()
    _look(page, "step-up-decide")
    page.get_by_label("Accept and step the case up").check()
    page.get_by_label("Team taking the case (if you accept)").select_option(value=str(team.pk))
    page.get_by_label("Reasons for your decision").fill("Child and family assessment to start.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Decision recorded" in page.locator(".govuk-notification-banner").inner_text()
    _look(page, "step-up-decided")

    _switch_to(page, live_server, "school-lead")
    page.goto(f"{live_server.url}/drift/challenges/")
    assert "Accepted" in page.get_by_test_id("step-up-requests-made").inner_text()
    _look(page, "step-up-accepted-for-requester")
    request = StepUpRequest.objects.get()
    assert request.status == "accepted"
    assert pupil.involvements.get(ended_on__isnull=True).level == NeedLevel.CHILD_IN_NEED
