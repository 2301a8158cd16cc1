"""The GCP2 pages: reads are logged, the family view shows only visible siblings, the home
page lists what is due, and form errors are shown on their fields with nothing lost."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from assessments.models import Assessment
from cases.codes import NeedLevel
from cases.drift.evaluation import drift_evaluate
from cases.models import AccessLogEntry, Practitioner
from tests.support import factories
from tests.support.gcp2_factories import gcp2_assessment, neglect_concern
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def client_as(user: Practitioner) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_gcp2_page_is_logged_as_a_read_of_the_child(world: World) -> None:
    client_as(world.users["practitioner"]).get(f"/children/{world.child.pk}/gcp2/")
    entry = AccessLogEntry.objects.get()
    assert (entry.child, entry.view_name) == (world.child, "gcp2_child")


def test_the_family_view_shows_and_logs_only_siblings_the_user_may_see(world: World) -> None:
    visible = factories.child(
        known_to=[world.health], in_family=world.child.family, first_name="Visible"
    )
    hidden = factories.child(
        known_to=[world.school], in_family=world.child.family, first_name="Hidden"
    )
    gcp2_assessment(visible, world.users["practitioner"], grades=4)
    response = client_as(world.users["practitioner"]).get(
        f"/children/{world.child.pk}/gcp2/family/"
    )
    page = response.content.decode()
    assert "Visible" in page and hidden.last_name not in page
    logged = set(AccessLogEntry.objects.values_list("child_id", flat=True))
    assert logged == {world.child.pk, visible.pk}


def test_the_child_page_links_to_the_gcp2_page(world: World) -> None:
    page = client_as(world.users["practitioner"]).get(f"/children/{world.child.pk}/")
    assert f"/children/{world.child.pk}/gcp2/" in page.content.decode()


def test_home_shows_an_overdue_initial_assessment_to_the_lead_professional(world: World) -> None:
    factories.involvement(
        world.child,
        NeedLevel.EARLY_HELP,
        world.health,
        started_on=datetime.date(2025, 1, 1),
        lead_professional=world.users["practitioner"],
    )
    neglect_concern([world.child], world.users["practitioner"], datetime.date(2025, 2, 1))
    page = client_as(world.users["practitioner"]).get("/").content.decode()
    assert "Due and overdue" in page
    assert "initial assessment" in page and "Overdue" in page and "21 February 2025" in page
    # Another practitioner of the agency who is not the lead professional is not told.
    other = factories.practitioner(world.health)
    assert "Due and overdue" not in client_as(other).get("/").content.decode()


def test_home_shows_a_lead_what_waits_for_sign_off_and_overdue_gcp2s_as_a_figure(
    world: World,
) -> None:
    factories.involvement(world.child, NeedLevel.CHILD_IN_NEED, world.health)
    gcp2_assessment(world.child, world.users["practitioner"], assessed_on=datetime.date(2025, 1, 1))
    gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    drift_evaluate()
    page = client_as(world.users["lead"]).get("/").content.decode()
    assert "Waiting for your sign-off" in page
    # No list of the agency's due dates: the overdue repeat is counted, linking to the queue.
    assert "repeat assessment" not in page
    overdue = page.split('rule=GCP2_OVERDUE">')[-1].split("<")[0]
    assert overdue == "1"


def test_an_invalid_grade_and_date_are_shown_on_their_fields_with_nothing_lost(
    world: World,
) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft")
    response = client_as(world.users["practitioner"]).post(
        f"/gcp2/{draft.pk}/edit/",
        {
            "version": draft.version,
            "assessed_on-day": "31",
            "assessed_on-month": "2",
            "assessed_on-year": "2025",
            "grade-physical-nutrition": "9",
            "analysis": "Keep this text",
            "action": "save",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<a href="#grade-physical-nutrition">Select a grade between 1 and 5 for nutrition</a>'
        in page
    )
    assert '<a href="#assessed_on-day">The date of the assessment must be a real date</a>' in page
    assert "Keep this text" in page
    assert Assessment.objects.get(pk=draft.pk).version == draft.version


def test_submitting_an_incomplete_assessment_on_the_page_shows_each_missing_field(
    world: World,
) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft")
    today = datetime.date.today()
    response = client_as(world.users["practitioner"]).post(
        f"/gcp2/{draft.pk}/edit/",
        {
            "version": draft.version,
            "assessed_on-day": today.day,
            "assessed_on-month": today.month,
            "assessed_on-year": today.year,
            "grade-physical-nutrition": "2",
            "action": "submit",
        },
    )
    page = response.content.decode()
    assert '<a href="#evidence-physical-nutrition">' in page
    assert '<a href="#grade-physical-housing">Select a grade for housing</a>' in page
    assert '<a href="#area-safety">Select your overall grade for safety</a>' in page
    assert 'value="2" checked' in page
    assert Assessment.objects.get(pk=draft.pk).status == "draft"


def test_a_lead_returns_an_assessment_and_the_assessor_sees_the_comments(world: World) -> None:
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    lead = client_as(world.users["lead"])
    refused = lead.post(f"/gcp2/{submitted.pk}/review/", {"decision": "return", "comments": ""})
    assert '<a href="#id_comments">Enter your comments for the assessor</a>' in (
        refused.content.decode()
    )
    response = lead.post(
        f"/gcp2/{submitted.pk}/review/",
        {"decision": "return", "comments": "Say more about the home"},
    )
    assert response.status_code == 302
    page = client_as(world.users["practitioner"]).get(f"/gcp2/{submitted.pk}/edit/")
    assert "Say more about the home" in page.content.decode()


def test_the_assessor_cannot_open_the_review_page(world: World) -> None:
    submitted = gcp2_assessment(world.child, world.users["practitioner"], status="submitted")
    response = client_as(world.users["practitioner"]).get(f"/gcp2/{submitted.pk}/review/")
    assert response.status_code == 403
