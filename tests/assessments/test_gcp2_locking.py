"""Optimistic locking: two people editing one draft cannot overwrite each other silently."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.services import StaleVersion, assessment_update
from tests.support.gcp2_factories import gcp2_answers, gcp2_assessment
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def test_saving_with_a_stale_version_is_refused_with_what_changed(world: World) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft", grades=3)
    assessment_update(
        assessment_id=draft.pk,
        by=world.users["lead"],
        expected_version=draft.version,
        answers=gcp2_answers({"physical": 4, "safety": 3, "emotional": 3, "developmental": 3}),
    )
    mine = gcp2_answers(3)
    mine.analysis = "My own analysis"
    with pytest.raises(StaleVersion) as refused:
        assessment_update(
            assessment_id=draft.pk,
            by=world.users["practitioner"],
            expected_version=draft.version,
            answers=mine,
        )
    changed = {d.field: (d.saved, d.yours) for d in refused.value.differences}
    assert changed["area-physical"] == ("4", "3")
    assert changed["grade-physical-nutrition"] == ("4", "3")
    assert changed["analysis"] == ("Needs support", "My own analysis")
    assert "grade-safety-home" not in changed
    draft.refresh_from_db()
    assert draft.analysis == "Needs support"
    assert draft.version == 3


def test_the_page_reshows_the_users_input_and_the_differences(world: World) -> None:
    draft = gcp2_assessment(world.child, world.users["practitioner"], status="draft")
    assessment_update(
        assessment_id=draft.pk,
        by=world.users["lead"],
        expected_version=draft.version,
        answers=gcp2_answers(2),
    )
    client = Client()
    client.force_login(world.users["practitioner"])
    form = {
        "version": str(draft.version),
        "assessed_on-day": str(draft.assessed_on.day),
        "assessed_on-month": str(draft.assessed_on.month),
        "assessed_on-year": str(draft.assessed_on.year),
        "analysis": "Typed at the kitchen table",
        "grade-physical-nutrition": "5",
        "action": "save",
    }
    response = client.post(f"/gcp2/{draft.pk}/edit/", form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this assessment" in page
    assert "Typed at the kitchen table" in page
    assert 'value="5" checked' in page
    assert "Physical care: Nutrition grade" in page
    # Saving again now, having seen the differences, keeps the user's answers.
    form["version"] = str(draft.version + 1)
    assert client.post(f"/gcp2/{draft.pk}/edit/", form).status_code == 302
    draft.refresh_from_db()
    assert draft.analysis == "Typed at the kitchen table"
