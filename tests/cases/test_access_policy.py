"""Every rule of the access policy, through the real database."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from cases import access
from cases.codes import GrantPurpose, RelationshipBasis, Role
from cases.models import AccessGrant, AccessLogEntry, Child
from cases.request_context import request_id_bound
from cases.services import (
    chronology_entry_record,
    legitimate_relationship_record,
    team_around_family_add,
)
from tests.support import factories
from tests.support.world import World

pytestmark = pytest.mark.django_db


def visible(world: World, who: str) -> set[int]:
    return set(access.children_visible_to(user=world.users[who]).values_list("pk", flat=True))


def test_a_practitioner_sees_a_child_their_agency_works_with(world: World) -> None:
    assert world.child.pk in visible(world, "practitioner")


def test_a_practitioner_of_an_unrelated_agency_sees_nothing(world: World) -> None:
    assert visible(world, "unrelated_practitioner") == set()


def test_a_lead_sees_children_of_their_own_agency_only(world: World) -> None:
    other = factories.child(known_to=[world.school])
    assert visible(world, "lead") == {world.child.pk}
    assert other.pk not in visible(world, "lead")


@pytest.mark.parametrize("role", ["analyst", "executive", "admin"])
def test_roles_without_casework_see_no_identifiable_child(world: World, role: str) -> None:
    legitimate_relationship_record(
        child=world.child, agency_id=world.social_care.pk, basis=RelationshipBasis.CONCERN
    )
    assert visible(world, role) == set()


def test_joining_the_team_around_the_family_grants_the_agency_access(world: World) -> None:
    team_around_family_add(child=world.child, agency=world.school)
    assert world.child.pk in visible(world, "unrelated_practitioner")


def test_a_chronology_entry_grants_its_source_agency_nothing(world: World) -> None:
    chronology_entry_record(
        child=world.child,
        occurred_on=timezone.localdate(),
        event_type="school_absence",
        significance="medium",
        summary="Absent three days without explanation.",
        source_agency=world.school,
        recorded_by=world.users["unrelated_practitioner"],
    )
    assert world.child.pk not in visible(world, "unrelated_practitioner")


def test_a_child_allocated_to_a_worker_is_visible_to_their_agency(world: World) -> None:
    social_worker = factories.practitioner(world.social_care)
    allocated = factories.child()
    legitimate_relationship_record(
        child=allocated, agency_id=world.social_care.pk, basis=RelationshipBasis.ALLOCATION
    )
    assert allocated.pk in set(
        access.children_visible_to(user=social_worker).values_list("pk", flat=True)
    )


def test_a_restricted_record_is_visible_only_to_the_people_named_on_it(world: World) -> None:
    world.child.is_restricted = True
    world.child.restriction_reason = "staff_relative"
    world.child.save()
    assert world.child.pk not in visible(world, "practitioner")
    assert world.child.pk not in visible(world, "lead")
    world.child.restricted_to.add(world.users["lead"])
    assert world.child.pk in visible(world, "lead")
    assert world.child.pk not in visible(world, "practitioner")


def test_a_named_person_outside_the_agency_can_see_a_restricted_record(world: World) -> None:
    world.child.is_restricted = True
    world.child.save()
    world.child.restricted_to.add(world.users["unrelated_practitioner"])
    assert world.child.pk in visible(world, "unrelated_practitioner")


def test_an_unexpired_break_glass_grant_opens_the_child(world: World) -> None:
    user = world.users["unrelated_practitioner"]
    AccessGrant.objects.create(
        practitioner=user,
        child=world.child,
        reason="Child disclosed at school",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert world.child.pk in visible(world, "unrelated_practitioner")


def test_an_expired_grant_opens_nothing(world: World) -> None:
    AccessGrant.objects.create(
        practitioner=world.users["unrelated_practitioner"],
        child=world.child,
        reason="Child disclosed at school",
        granted_at=timezone.now() - datetime.timedelta(days=2),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert visible(world, "unrelated_practitioner") == set()


def test_an_inactive_account_sees_nothing(world: World) -> None:
    user = world.users["practitioner"]
    user.is_active = False
    user.save()
    assert visible(world, "practitioner") == set()


def test_the_policy_scopes_querysets_for_lists_and_searches(world: World) -> None:
    for _ in range(3):
        factories.child(known_to=[world.school], first_name="Zebedee")
    searched = access.children_visible_to(user=world.users["practitioner"]).filter(
        first_name="Zebedee"
    )
    assert list(searched.values_list("pk", flat=True)) == [world.child.pk]
    assert Child.objects.filter(first_name="Zebedee").count() == 4


def test_reading_a_child_writes_an_access_log_row(world: World) -> None:
    user = world.users["practitioner"]
    with request_id_bound("req-12345678"):
        child = access.child_for_reading(user=user, child_id=world.child.pk, view_name="test_view")
    entry = AccessLogEntry.objects.get()
    assert child == world.child
    assert (entry.practitioner, entry.agency, entry.child) == (user, world.health, world.child)
    assert (entry.view_name, entry.request_id, entry.break_glass) == (
        "test_view",
        "req-12345678",
        False,
    )


def test_a_list_logs_each_child_once_in_its_order_with_break_glass_worked_out(
    world: World,
) -> None:
    user = world.users["unrelated_practitioner"]  # the school: knows none of these yet
    known = factories.child(known_to=[world.school])
    granted = world.child  # reached by a grant alone: break glass
    AccessGrant.objects.create(
        practitioner=user,
        child=granted,
        reason="Police welfare check",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    restricted = factories.child(known_to=[world.health])
    restricted.is_restricted = True
    restricted.save()
    restricted.restricted_to.add(user)  # named on it: not break glass
    with request_id_bound("req-list-0001", "client-7"):
        access.log_children_read(
            user=user, children=[granted, known, granted, restricted], view_name="a_list"
        )
    rows = list(AccessLogEntry.objects.order_by("pk"))
    assert [(row.child_id, row.break_glass) for row in rows] == [
        (granted.pk, True),
        (known.pk, False),
        (restricted.pk, False),
    ]
    assert {
        (row.practitioner_id, row.agency_id, row.view_name, row.request_id, row.client_request_id)
        for row in rows
    } == {(user.pk, world.school.pk, "a_list", "req-list-0001", "client-7")}


def test_an_empty_list_logs_nothing(world: World) -> None:
    access.log_children_read(user=world.users["lead"], children=[], view_name="a_list")
    assert not AccessLogEntry.objects.exists()


def test_a_read_under_a_grant_is_logged_as_break_glass(world: World) -> None:
    user = world.users["unrelated_practitioner"]
    AccessGrant.objects.create(
        practitioner=user,
        child=world.child,
        reason="Police welfare check",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    access.child_for_reading(user=user, child_id=world.child.pk, view_name="v")
    assert AccessLogEntry.objects.get().break_glass is True


def test_a_refused_read_writes_no_log_and_raises(world: World) -> None:
    with pytest.raises(access.ChildAccessRefused):
        access.child_for_reading(
            user=world.users["unrelated_practitioner"],
            child_id=world.child.pk,
            view_name="v",
        )
    assert not AccessLogEntry.objects.exists()


def test_a_missing_child_is_refused_like_a_forbidden_one(world: World) -> None:
    with pytest.raises(access.ChildAccessRefused):
        access.child_for_reading(user=world.users["practitioner"], child_id=999_999, view_name="v")


def test_a_practitioner_with_no_agency_sees_nothing(db: None) -> None:
    factories.child(known_to=[factories.agency()])
    orphan = factories.practitioner(None, Role.PRACTITIONER)
    assert not access.children_visible_to(user=orphan).exists()


def test_the_probe_form_of_the_policy_agrees_with_it_in_every_case(world: World) -> None:
    """visible_child_probe (a condition on a row's child, for short lists and counts) keeps
    the same rows as children_visible_to: relationship, grant, restricted and named."""
    restricted_named = factories.child(known_to=[world.health])
    restricted_unnamed = factories.child(known_to=[world.health])
    for child in (restricted_named, restricted_unnamed):
        child.is_restricted = True
        child.save()
    restricted_named.restricted_to.add(world.users["lead"])
    by_grant = factories.child(known_to=[world.school])
    AccessGrant.objects.create(
        practitioner=world.users["lead"],
        child=by_grant,
        reason="Child disclosed at school",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    expired = factories.child(known_to=[world.school])
    audit_only = factories.child(known_to=[world.school])
    AccessGrant.objects.create(
        practitioner=world.users["lead"],
        child=expired,
        reason="Child disclosed at school",
        granted_at=timezone.now() - datetime.timedelta(days=2),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    AccessGrant.objects.create(
        practitioner=world.users["lead"],
        child=audit_only,
        purpose=GrantPurpose.AUDIT,
        reason="Sampled for the case audit",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    stranger = factories.child(known_to=[world.school])
    for child in (
        world.child,
        restricted_named,
        restricted_unnamed,
        by_grant,
        expired,
        audit_only,
        stranger,
    ):
        AccessLogEntry.objects.create(
            practitioner=world.users["admin"], child=child, view_name="probe_test"
        )
    rows = AccessLogEntry.objects.filter(view_name="probe_test")
    for who in ("lead", "practitioner", "unrelated_practitioner", "analyst", "admin"):
        user = world.users[who]
        probed = set(rows.filter(access.visible_child_probe(user=user)).values_list("child_id"))
        policy = set(
            rows.filter(child__in=access.children_visible_to(user=user)).values_list("child_id")
        )
        assert probed == policy, who
    lead_sees = rows.filter(access.visible_child_probe(user=world.users["lead"]))
    assert set(lead_sees.values_list("child_id", flat=True)) == {
        world.child.pk,
        restricted_named.pk,
        by_grant.pk,
    }


def test_a_child_or_person_the_access_log_names_cannot_be_deleted(world: World) -> None:
    # The log has no foreign-key constraints (each cost a check per row at commit): Django's
    # PROTECT is what keeps every row's child and reader.
    child = factories.child(known_to=[world.health], first_name="Logged")
    reader = world.users["practitioner"]
    access.log_children_read(user=reader, children=[child], view_name="test")
    with pytest.raises(ProtectedError):
        child.delete()
    with pytest.raises(ProtectedError):
        reader.delete()
    assert AccessLogEntry.objects.filter(child=child, practitioner=reader).count() == 1
