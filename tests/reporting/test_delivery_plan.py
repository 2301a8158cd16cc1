"""The delivery plan: actions edited by the delivery group, with every change kept."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import Role
from reporting.models import DeliveryAction, DeliveryActionChange, DeliveryEvidence
from tests.support import factories


@pytest.fixture
def analyst(db: None) -> Client:
    client = Client()
    client.force_login(factories.practitioner(factories.agency(), Role.ANALYST))
    return client


def action_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "reference": "R1.1",
        "priority": "recognise",
        "activity": "Neglect training for every agency",
        "responsible": "Training lead",
        "due_date-day": "31",
        "due_date-month": "3",
        "due_date-year": "2027",
        "rag_status": "green",
    }
    data.update(overrides)
    return data


def test_it_adds_an_action_and_records_who_added_it(analyst: Client) -> None:
    response = analyst.post("/delivery-plan/actions/new/", action_form())
    action = DeliveryAction.objects.get()
    assert response["Location"] == f"/delivery-plan/actions/{action.pk}/"
    assert action.due_date == datetime.date(2027, 3, 31)
    change = DeliveryActionChange.objects.get()
    assert change.kind == "created" and change.changes["reference"] == [None, "R1.1"]


def test_it_shows_an_error_summary_linked_to_each_field(analyst: Client) -> None:
    response = analyst.post(
        "/delivery-plan/actions/new/",
        action_form(reference="", **{"due_date-day": "31", "due_date-month": "2"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_reference"' in page and "Enter a reference" in page
    assert 'href="#id_due_date-day"' in page and "must be a real date" in page
    assert not DeliveryAction.objects.exists()


def test_it_refuses_a_reference_already_in_the_plan(analyst: Client) -> None:
    analyst.post("/delivery-plan/actions/new/", action_form())
    response = analyst.post("/delivery-plan/actions/new/", action_form(reference="r1.1"))
    assert "already exists" in response.content.decode()
    assert DeliveryAction.objects.count() == 1


def test_each_change_is_kept_with_who_when_and_what(analyst: Client) -> None:
    analyst.post("/delivery-plan/actions/new/", action_form())
    action = DeliveryAction.objects.get()
    analyst.post(
        f"/delivery-plan/actions/{action.pk}/edit/",
        action_form(rag_status="amber", version=action.version),
    )
    action.refresh_from_db()
    assert action.rag_status == "amber" and action.version == 2
    latest = DeliveryActionChange.objects.filter(action=action, kind="updated").get()
    assert latest.changes == {"rag_status": ["green", "amber"]}
    assert latest.changed_by.role == Role.ANALYST
    page = analyst.get(f"/delivery-plan/actions/{action.pk}/").content.decode()
    assert "RAG status: Green: on track to Amber: at risk" in page


def test_two_editors_cannot_overwrite_each_other_silently(analyst: Client) -> None:
    analyst.post("/delivery-plan/actions/new/", action_form())
    action = DeliveryAction.objects.get()
    opened_at = action.version
    analyst.post(
        f"/delivery-plan/actions/{action.pk}/edit/",
        action_form(rag_status="red", version=opened_at),
    )
    late = analyst.post(
        f"/delivery-plan/actions/{action.pk}/edit/",
        action_form(rag_status="complete", version=opened_at),
    )
    assert "Someone else changed this action" in late.content.decode()
    action.refresh_from_db()
    assert action.rag_status == "red"
    assert DeliveryActionChange.objects.filter(kind="updated").count() == 1


def test_evidence_is_dated_and_a_resubmitted_form_adds_it_once(analyst: Client) -> None:
    analyst.post("/delivery-plan/actions/new/", action_form())
    action = DeliveryAction.objects.get()
    evidence = {
        "text": "Sessions held in March",
        "recorded_on-day": "1",
        "recorded_on-month": "3",
        "recorded_on-year": "2025",
        "submission_key": "k-1",
    }
    for _ in range(2):
        response = analyst.post(f"/delivery-plan/actions/{action.pk}/evidence/", evidence)
        assert response.status_code == 302
    item = DeliveryEvidence.objects.get()
    assert item.recorded_on == datetime.date(2025, 3, 1)
    assert DeliveryActionChange.objects.filter(kind="evidence").count() == 1


def test_evidence_dated_in_the_future_is_refused(analyst: Client) -> None:
    analyst.post("/delivery-plan/actions/new/", action_form())
    action = DeliveryAction.objects.get()
    future = datetime.date.today() + datetime.timedelta(days=10)
    response = analyst.post(
        f"/delivery-plan/actions/{action.pk}/evidence/",
        {
            "text": "Too soon",
            "recorded_on-day": future.day,
            "recorded_on-month": future.month,
            "recorded_on-year": future.year,
            "submission_key": "k-2",
        },
    )
    assert "must be today or in the past" in response.content.decode()
    assert not DeliveryEvidence.objects.exists()


def test_the_priorities_page_puts_each_priority_beside_its_metrics_and_actions(
    analyst: Client,
) -> None:
    analyst.post("/delivery-plan/actions/new/", action_form(priority="respond", reference="X9"))
    page = analyst.get("/delivery-plan/priorities/").content.decode()
    respond = page[page.index(">Respond<") : page.index(">Make a difference<")]
    assert "Cases stepped up" in respond and "X9" in respond
    assert "Voice of the child recorded" not in respond


def test_the_api_lists_the_plan_by_priority(analyst: Client) -> None:
    analyst.post("/delivery-plan/actions/new/", action_form())
    body = analyst.get("/api/reporting/delivery-plan/").json()
    assert [a["reference"] for a in body["recognise"]] == ["R1.1"]
    assert body["respond"] == []


def test_a_linked_learning_action_shows_its_delivery_plan_action_instead_of_the_offer(
    db: None, tmp_path: Path
) -> None:
    from learning import services as learning
    from tests.learning.test_case_audits import Partnership, _agree_with_every_grade, _grade_all

    p = Partnership()
    audit = p.audit(size=2)
    learning.audit_sample_draw(manager=p.manager, audit_id=audit.pk, seed=1)
    _grade_all(p, audit, p.health_lead, "good")
    _grade_all(p, audit, p.school_lead, "good")
    _agree_with_every_grade(p, audit)
    due = timezone.localdate() + datetime.timedelta(days=60)
    taken, left = (
        learning.learning_action_add(
            manager=p.manager, audit_id=audit.pk, text=text, owner="DSLs", due_on=due
        )
        for text in ("Record the child's words", "Audit again in a year")
    )
    manager = Client()
    manager.force_login(p.manager)
    response = manager.post(
        f"/delivery-plan/learning-actions/{taken.pk}/",
        {"how": "new_action", "reference": "M9.1", "priority": "make_a_difference"},
    )
    assert response.status_code == 302
    delivery = DeliveryAction.objects.get(reference="M9.1")

    page = manager.get(f"/audits/{audit.pk}/").content.decode()
    actions = page.split('data-testid="learning-actions"')[1].split("</ul>")[0]
    taken_item, left_item = actions.split("<li>")[1:]
    assert f'href="/delivery-plan/actions/{delivery.pk}/"' in taken_item
    assert "In the delivery plan as action M9.1" in taken_item
    assert "Add to the delivery plan" not in taken_item
    assert f'href="/delivery-plan/learning-actions/{left.pk}/"' in left_item
    # Opening the offer again for the linked one goes to where it went.
    again = manager.get(f"/delivery-plan/learning-actions/{taken.pk}/")
    assert (
        again.status_code == 302 and again["Location"] == f"/delivery-plan/actions/{delivery.pk}/"
    )

    # An auditor sees where it went, but neither the offer nor a link into the plan.
    auditor = Client()
    auditor.force_login(p.health_lead)
    page = auditor.get(f"/audits/{audit.pk}/").content.decode()
    assert "In the delivery plan as action M9.1" in page
    assert "/delivery-plan/" not in page

    # The audit's own report says where each action was taken up.
    pdf = tmp_path / "audit.pdf"
    pdf.write_bytes(manager.get(f"/audits/{audit.pk}/report.pdf").content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Taken up" in text and "action M9.1" in text
    assert "Add to the delivery plan" not in text
