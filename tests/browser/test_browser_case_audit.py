"""A multi-agency case audit end to end in Debian's Chromium, across two agencies: the
business manager sets it up and draws the sample, each agency's auditor grades its own
practice, the manager moderates and takes a learning action into the delivery plan; the
findings then appear on the dashboards and in the report pack. Then a practitioner records a
child's feedback with a visit, seen on the child's page and the dashboard. axe finds nothing on
any page."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from cases.codes import NeedLevel, PrimaryNeed, Role
from reporting.models import DeliveryAction
from reporting.services import snapshot_build_run
from tests.support import factories
from tests.support.browser import axe_violations, sign_in
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/nt-audit-shots")  # noqa: S108 - screenshots for a person to look at


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _follow(page: Any, locator: Any) -> None:
    """Click a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def _switch(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)


def _population(world: World) -> None:
    for n in range(6):
        agency = world.health if n < 3 else world.school
        child = factories.child(known_to=[agency], first_name=f"Audited{n}")
        factories.involvement(child, NeedLevel.CHILD_IN_NEED, agency, primary_need=PrimaryNeed.N1)


def _grade(page: Any, live_server: Any, username: str, grade: str) -> None:
    _switch(page, live_server, username)
    _follow(page, page.get_by_role("link", name="Case audits").first)
    _follow(page, page.get_by_role("link", name="Voice of the child in neglect cases"))
    links = page.locator("[data-testid=sample] a.govuk-link")
    for index in range(links.count()):
        _follow(page, page.locator("[data-testid=sample] a.govuk-link").nth(index))
        assert "as it stood" in page.locator("main").inner_text()
        # Before moderation, no other agency's grades are on the page.
        assert page.get_by_test_id("other-grades").count() == 0
        if index == 0:
            assert axe_violations(page) == []
            _shot(page, f"grade-{username}")
        for radio in page.locator(f"input[name^=grade_][value={grade}]").all():
            radio.check()
        for box in page.locator("textarea[name^=evidence_]").all():
            box.fill("The record shows the child's own words at two visits")
        _follow(page, page.get_by_role("button", name="Save grades"))
        assert "Grades saved" in page.locator("main").inner_text()


def test_an_audit_runs_end_to_end_across_two_agencies(
    world: World, live_server: Any, page: Any, tmp_path: Path
) -> None:
    factories.practitioner(world.school, Role.SAFEGUARDING_LEAD, "schoollead")
    _population(world)
    DeliveryAction.objects.create(
        reference="M1.1",
        priority="make_a_difference",
        activity="Audit the voice of the child",
        responsible="Business manager",
        due_date=datetime.date(2027, 3, 31),
        rag_status="green",
    )
    today = timezone.localdate()
    end = today + datetime.timedelta(days=30)

    sign_in(page, live_server, "business")
    _follow(page, page.get_by_role("link", name="Case audits").first)
    assert axe_violations(page) == []
    _follow(page, page.get_by_role("link", name="Set up an audit"))
    _follow(page, page.get_by_role("button", name="Set up the audit"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.fill("#id_theme", "Voice of the child in neglect cases")
    page.fill(
        "#id_questions",
        "Is the child's voice recorded? | Their own words, at each visit\n"
        "Did the plan change what the child lives with?",
    )
    page.get_by_label(f"Test Community Health: {world.users['lead'].get_full_name()}").check()
    page.get_by_label("Test Primary School:", exact=False).check()
    for name, day in (("starts_on", today), ("ends_on", end)):
        page.fill(f"#id_{name}-day", str(day.day))
        page.fill(f"#id_{name}-month", str(day.month))
        page.fill(f"#id_{name}-year", str(day.year))
    page.get_by_label("Child in need").check()
    page.get_by_label("Only children whose plan's category").check()
    page.fill("#id_sample_size", "4")
    _follow(page, page.get_by_role("button", name="Set up the audit"))
    assert "Draw its sample next" in page.locator("main").inner_text()
    _follow(page, page.get_by_role("button", name="Draw the sample"))
    assert page.get_by_test_id("seed").is_visible()
    assert page.locator("[data-testid=sample] tbody tr").count() == 4
    _follow(page, page.get_by_role("link", name="Swap out child 1"))
    page.fill("#id_reason", "The family moved out of the area last week")
    _follow(page, page.get_by_role("button", name="Swap this child out"))
    assert "The family moved out of the area" in page.get_by_test_id("sample").inner_text()
    assert axe_violations(page) == []
    _shot(page, "audit-sampled")

    _grade(page, live_server, "lead", "good")
    _grade(page, live_server, "schoollead", "requires_improvement")

    _switch(page, live_server, "business")
    _follow(page, page.get_by_role("link", name="Case audits").first)
    _follow(page, page.get_by_role("link", name="Voice of the child in neglect cases"))
    _follow(page, page.get_by_role("link", name="Moderate"))
    assert axe_violations(page) == []
    for select in page.locator("select[id^=id_agreed_]").all():
        label = page.locator(f"label[for={select.get_attribute('id')}]").inner_text()
        select.select_option("good" if "graded good" in label else "requires_improvement")
    page.fill("#id_worked_well", "Health visitors quote children's own words")
    page.fill("#id_must_change", "Schools to record the child's words at every meeting")
    _follow(page, page.get_by_role("button", name="Record the moderation"))
    assert page.get_by_test_id("moderation").is_visible()
    _follow(page, page.get_by_role("link", name="Add a learning action"))
    page.fill("#id_text", "Train school staff to record the child's own words")
    page.fill("#id_owner", "Education safeguarding lead")
    due = today + datetime.timedelta(days=90)
    page.fill("#id_due_on-day", str(due.day))
    page.fill("#id_due_on-month", str(due.month))
    page.fill("#id_due_on-year", str(due.year))
    _follow(page, page.get_by_role("button", name="Add the learning action"))
    _follow(page, page.get_by_role("link", name="Add to the delivery plan"))
    page.wait_for_url("**/delivery-plan/learning-actions/**")
    assert axe_violations(page) == []
    page.get_by_role("radio", name="A new action").check()
    page.fill("#id_reference", "M9.1")
    page.select_option("#id_priority", "make_a_difference")
    _follow(page, page.get_by_role("button", name="Add to the delivery plan"))
    assert "(M9.1)" in page.locator("main").inner_text()
    # Linked once: the audit shows where it went instead of offering it again.
    actions = page.get_by_test_id("learning-actions")
    assert "In the delivery plan as action M9.1" in actions.inner_text()
    assert actions.get_by_role("link", name="Add to the delivery plan").count() == 0
    _follow(page, actions.get_by_role("link", name="In the delivery plan as action M9.1"))
    assert "Action M9.1" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    page.go_back()
    _shot(page, "audit-moderated")
    assert axe_violations(page) == []

    # The health auditor now sees the school's grades too.
    _switch(page, live_server, "lead")
    _follow(page, page.get_by_role("link", name="Case audits").first)
    _follow(page, page.get_by_role("link", name="Voice of the child in neglect cases"))
    assert "Test Primary School" in page.get_by_test_id("grades").inner_text()

    snapshot_build_run(trigger="command")
    _switch(page, live_server, "executive")
    quarter = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    page.goto(
        f"{live_server.url}/dashboards/metrics/audit_grades_good/"
        f"?period_type=quarter&breakdown=audit_theme&period={quarter.isoformat()}"
    )
    breakdown = page.get_by_test_id("breakdown-table").inner_text()
    assert "Voice of the child in neglect cases" in breakdown and "50.0%" in breakdown
    assert axe_violations(page) == []
    _shot(page, "audit-dashboard")
    pack = page.request.get(f"{live_server.url}/dashboards/report-pack.pdf?period_type=quarter")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Voice of the child in neglect cases" in text
    assert "Train school staff to record the child's own words" in text and "M9.1" in text


def test_a_childs_feedback_recorded_with_a_visit_shows_on_their_page_and_the_dashboard(
    world: World, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, "hv")
    page.goto(f"{live_server.url}/children/{world.child.pk}/")
    _follow(page, page.get_by_role("link", name="Record a visit or contact"))
    _follow(page, page.get_by_role("link", name="Use the 5-point scale instead"))
    assert axe_violations(page) == []
    today = timezone.localdate()
    page.fill("#id_occurred_on-day", str(today.day))
    page.fill("#id_occurred_on-month", str(today.month))
    page.fill("#id_occurred_on-year", str(today.year))
    page.get_by_label("Home visit").check()
    page.get_by_label("The child was seen", exact=True).check()
    # Half the child's questionnaire: both errors join the visit's in one summary.
    page.locator("#id_feedback-answer_safe_at_home-4").check()
    _follow(page, page.get_by_role("button", name="Save visit"))
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Someone listens to me" in summary
    assert axe_violations(page) == []
    page.locator("#id_feedback-answer_listened_to-5").check()
    page.fill("#id_feedback-child_own_words", "My worker came back like she said")
    page.locator("#id_feedback-answer_understand_change-4").check()
    _follow(page, page.get_by_role("button", name="Save visit"))
    assert page.url.rstrip("/").endswith(f"/children/{world.child.pk}")
    table = page.get_by_test_id("feedback").inner_text()
    assert "Agree (4 of 5)" in table and "Strongly agree (5 of 5)" in table
    assert "My worker came back like she said" in table and "A visit" in table
    assert axe_violations(page) == []
    _shot(page, "child-feedback")

    snapshot_build_run(trigger="command")
    _switch(page, live_server, "executive")
    page.goto(f"{live_server.url}/dashboards/metrics/feedback_feel_safe/?period_type=quarter")
    assert "Children who say they feel safe at home" in page.locator("h1").inner_text()
    # One child: a count to suppress.
    assert "[c]" in page.get_by_test_id("trend-table").inner_text()
    assert axe_violations(page) == []
