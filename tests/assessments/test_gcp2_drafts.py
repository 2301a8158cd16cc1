"""Issue 11: a GCP2 draft is read only within the assessor's agency until it is submitted."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.services import assessment_submit
from cases.codes import Role
from cases.services import team_around_family_add
from tests.support import factories
from tests.support.gcp2_factories import gcp2_answers, gcp2_assessment
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


@pytest.fixture
def draft(world: World):  # type: ignore[no-untyped-def]
    # Social care also works with the child, so only the draft rule keeps the draft from them.
    team_around_family_add(child=world.child, agency=world.social_care)
    return gcp2_assessment(world.child, world.users["practitioner"], status="draft")


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_another_agency_cannot_read_a_draft_by_page_or_api(world: World, draft) -> None:  # type: ignore[no-untyped-def]
    manager = client_for(world.users["manager"])
    assert manager.get(f"/gcp2/{draft.pk}/").status_code == 403
    assert manager.get(f"/api/gcp2/{draft.pk}/").status_code == 403
    listed = manager.get(f"/api/children/{world.child.pk}/gcp2/").json()
    assert [a["id"] for a in listed] == []
    assert b"Draft" not in manager.get(f"/children/{world.child.pk}/gcp2/").content


def test_the_assessors_agency_reads_the_draft(world: World, draft) -> None:  # type: ignore[no-untyped-def]
    colleague = factories.practitioner(world.health, Role.PRACTITIONER)
    assert client_for(colleague).get(f"/api/gcp2/{draft.pk}/").status_code == 200
    assert client_for(world.users["lead"]).get(f"/gcp2/{draft.pk}/").status_code == 200


def test_once_submitted_the_other_agency_reads_it(world: World, draft) -> None:  # type: ignore[no-untyped-def]
    assessment_submit(
        assessment_id=draft.pk,
        by=world.users["practitioner"],
        expected_version=draft.version,
        answers=gcp2_answers(3),
    )
    manager = client_for(world.users["manager"])
    assert manager.get(f"/api/gcp2/{draft.pk}/").status_code == 200
    assert [a["id"] for a in manager.get(f"/api/children/{world.child.pk}/gcp2/").json()] == [
        draft.pk
    ]
