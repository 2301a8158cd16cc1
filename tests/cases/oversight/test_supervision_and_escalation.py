"""Supervision on the child's page for those allowed; stepping a case up or down."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, Role
from cases.models import ChronologyEntry, Involvement, LevelChange, Practitioner
from cases.oversight.selectors import TeamArrival, drift_queue_page
from cases.oversight.services import involvement_step, supervision_record
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def scene(db: None) -> dict[str, object]:
    early_help = factories.agency("Early Help", AgencyType.EARLY_HELP)
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    eh_team = factories.team(early_help, "Family support")
    cin_team = factories.team(social_care, "Child in need team")
    lead = factories.practitioner(early_help, Role.SAFEGUARDING_LEAD, "eh-lead")
    worker = factories.practitioner(early_help, Role.PRACTITIONER, "eh-worker")
    other_worker = factories.practitioner(early_help, Role.PRACTITIONER, "eh-worker-2")
    manager = factories.practitioner(social_care, Role.SOCIAL_CARE_MANAGER, "csc-manager")
    manager.team = cin_team
    manager.save()
    # Children's social care knows the child (a referral), so its managers may step the case.
    child = factories.child(known_to=[early_help, social_care], first_name="Stepped")
    factories.involvement(
        child, NeedLevel.EARLY_HELP, early_help, TODAY - datetime.timedelta(days=90), team=eh_team
    )
    return {
        "lead": lead,
        "worker": worker,
        "other_worker": other_worker,
        "manager": manager,
        "child": child,
        "cin_team": cin_team,
    }


def new_to_team(user: Practitioner) -> list[TeamArrival]:
    return drift_queue_page(user=user, view_name="drift_queue").new_to_team


def _supervise(scene, key: str = "s1"):  # type: ignore[no-untyped-def]
    return supervision_record(
        child=scene["child"],
        supervisor=scene["lead"],
        practitioner=scene["worker"],
        held_on=TODAY,
        reflection="Mum presents well at visits; the home tells another story.",
        decisions="Do not close; unannounced visit.",
        actions="Unannounced visit within 5 working days.",
        submission_key=key,
    )


def test_supervision_is_on_the_childs_page_for_leads_and_the_practitioner_supervised(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    record = _supervise(scene)
    assert ChronologyEntry.objects.filter(source_kind="supervision", source_id=record.pk).exists()
    url = f"/children/{scene['child'].pk}/"
    for who, sees in (("lead", True), ("worker", True), ("other_worker", False)):
        client = Client()
        client.force_login(scene[who])
        page = client.get(url).content.decode()
        assert ("Do not close; unannounced visit." in page) is sees, who


def test_only_a_lead_records_supervision(scene) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        supervision_record(
            child=scene["child"],
            supervisor=scene["worker"],
            practitioner=None,
            held_on=TODAY,
            reflection="",
            decisions="x",
            actions="",
            submission_key="s2",
        )


def test_stepping_up_closes_the_involvement_opens_the_new_one_and_tells_the_team(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    # A manager of another team (the front door) moves the case to the child in need team.
    front_door = factories.team(scene["cin_team"].agency, "Front door")
    mover = factories.practitioner(
        scene["cin_team"].agency, Role.SOCIAL_CARE_MANAGER, "front-door", team=front_door
    )
    change = involvement_step(
        child=scene["child"],
        lead=mover,
        to_level=NeedLevel.CHILD_IN_NEED,
        protection_category="",
        reason="Three neglect concerns in a month, no progress on the plan.",
        receiving_team=scene["cin_team"],
        submission_key="step-1",
    )
    involvements = Involvement.objects.filter(child=scene["child"]).order_by("started_on", "pk")
    old, new = list(involvements)
    assert old.ended_on == TODAY and new.ended_on is None
    assert new.level == NeedLevel.CHILD_IN_NEED and new.team == scene["cin_team"]
    assert change.stepped_up
    assert ChronologyEntry.objects.filter(
        child=scene["child"], event_type="involvement_change", source_id=change.pk
    ).exists()
    (arrival,) = new_to_team(scene["manager"])
    assert arrival.pk == change.pk and arrival.child_id == scene["child"].pk
    assert arrival.words.startswith(f"stepped up to Child in need ({scene['cin_team'].name}) on ")
    assert new_to_team(mover) == []  # not new to the front door
    client = Client()
    client.force_login(scene["manager"])
    assert "Three neglect concerns in a month" in client.get("/drift/").content.decode()


def test_a_protection_plan_needs_its_category_and_nothing_half_changes(scene) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        involvement_step(
            child=scene["child"],
            lead=scene["manager"],
            to_level=NeedLevel.CHILD_PROTECTION,
            protection_category="",
            reason="Significant harm.",
            receiving_team=scene["cin_team"],
            submission_key="step-2",
        )
    assert "protection_category" in error.value.message_dict
    assert Involvement.objects.filter(child=scene["child"], ended_on__isnull=True).count() == 1
    assert not LevelChange.objects.exists()


def test_stepping_down_is_recorded_as_a_step_down(scene) -> None:  # type: ignore[no-untyped-def]
    involvement_step(
        child=scene["child"],
        lead=scene["manager"],
        to_level=NeedLevel.CHILD_PROTECTION,
        protection_category="NEG",
        reason="Significant harm from neglect.",
        receiving_team=scene["cin_team"],
        submission_key="up",
    )
    down = involvement_step(
        child=scene["child"],
        lead=scene["manager"],
        to_level=NeedLevel.CHILD_IN_NEED,
        protection_category="",
        reason="Plan ended after review conference.",
        receiving_team=scene["cin_team"],
        submission_key="down",
    )
    assert not down.stepped_up
