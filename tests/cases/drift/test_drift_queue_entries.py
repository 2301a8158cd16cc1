"""The drift queue's precomputed rows stay what a rebuild from the flags would give after each
kind of change: an evaluation, a decision, a review date passing, a case moved to another team,
a flag resolving, a new relationship; the tallies PostgreSQL keeps from them stay what a recount
of the rows gives; and the queue reads them within the access policy."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, RelationshipBasis, Role
from cases.drift.evaluation import drift_evaluate, drift_evaluate_scheduled
from cases.drift.queue import drift_queue_entries_refresh, drift_queue_entries_refresh_due
from cases.models import Agency, Child, DriftFlag, DriftQueueEntry, DriftQueueTally
from cases.oversight import selectors, services
from cases.services import legitimate_relationship_record
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=14)
FIELDS = (
    "child_id",
    "agency_id",
    "flag_count",
    "worst_rank",
    "drifting_since",
    "rule_codes",
    "gcp2_overdue",
    "returns_on",
    "level",
    "holding_agency_id",
    "team_id",
    "worker_id",
)


def stored() -> list[tuple[object, ...]]:
    return sorted(DriftQueueEntry.objects.values_list(*FIELDS))


def rebuilt(as_of: datetime.date = TODAY) -> list[tuple[object, ...]]:
    """The rows a rebuild from scratch gives (the stored ones are put back afterwards)."""
    before = list(DriftQueueEntry.objects.all())
    DriftQueueEntry.objects.all().delete()
    drift_queue_entries_refresh(as_of=as_of)
    rows = stored()
    DriftQueueEntry.objects.all().delete()
    DriftQueueEntry.objects.bulk_create(before)
    return rows


def tallied() -> dict[tuple[int, str, int], tuple[int, int]]:
    return {
        (row.agency_id, row.scope, row.scope_key): (row.children, row.gcp2_overdue)
        for row in DriftQueueTally.objects.all()
        if row.children or row.gcp2_overdue  # a scope whose children all left stays at 0
    }


def recounted() -> dict[tuple[int, str, int], tuple[int, int]]:
    """The tallies counted again from the queue rows."""
    children: Counter[tuple[int, str, int]] = Counter()
    overdue: Counter[tuple[int, str, int]] = Counter()
    for row in DriftQueueEntry.objects.filter(flag_count__gt=0):
        keys = [(row.agency_id, "all", 0)]
        if row.holding_agency_id == row.agency_id:
            keys.append((row.agency_id, "agency", 0))
        if row.team_id:
            keys.append((row.agency_id, "team", row.team_id))
        if row.worker_id:
            keys.append((row.agency_id, "mine", row.worker_id))
        children.update(keys)
        overdue.update(keys if row.gcp2_overdue else [])
    return {key: (count, overdue[key]) for key, count in children.items()}


def assert_kept(as_of: datetime.date = TODAY) -> None:
    assert stored() == rebuilt(as_of)
    assert tallied() == recounted()


def entry(child: Child, agency: Agency) -> DriftQueueEntry:
    return DriftQueueEntry.objects.get(child=child, agency=agency)


@pytest.fixture
def scene() -> dict[str, object]:
    health = factories.agency("Health", AgencyType.HEALTH)
    csc = factories.agency("Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    school = factories.agency("School", AgencyType.EDUCATION)
    north = factories.team(csc, "North")
    south = factories.team(csc, "South")
    worker = factories.practitioner(csc, team=north)
    # Unseen for 60 days, no lead professional: two flags.
    child = factories.child(known_to=[health, csc], first_name="Shared")
    factories.involvement(
        child,
        NeedLevel.CHILD_IN_NEED,
        csc,
        started_on=TODAY - datetime.timedelta(days=60),
        team=north,
    )
    drift_evaluate()
    return {
        "health": health,
        "csc": csc,
        "school": school,
        "north": north,
        "south": south,
        "worker": worker,
        "child": child,
        "health_lead": factories.practitioner(health, Role.SAFEGUARDING_LEAD, "hl"),
        "manager": factories.practitioner(csc, Role.SOCIAL_CARE_MANAGER, "mgr", team=south),
    }


def test_an_evaluation_writes_one_row_per_agency_working_with_the_child(scene) -> None:  # type: ignore[no-untyped-def]
    flags = DriftFlag.objects.filter(child=scene["child"], resolved_at__isnull=True)
    assert sorted(flags.values_list("rule_code", flat=True)) == [
        "CHILD_NOT_SEEN",
        "NO_LEAD_PROFESSIONAL",
    ]
    for agency in (scene["health"], scene["csc"]):
        row = entry(scene["child"], agency)
        assert row.flag_count == 2 and row.worst_rank == 0
        assert row.rule_codes == ["CHILD_NOT_SEEN", "NO_LEAD_PROFESSIONAL"]
        assert row.drifting_since == min(flag.condition_since for flag in flags)
        assert (row.level, row.holding_agency, row.team, row.worker) == (
            NeedLevel.CHILD_IN_NEED,
            scene["csc"],
            scene["north"],
            None,
        )
    assert not DriftQueueEntry.objects.filter(agency=scene["school"]).exists()
    assert_kept()


def test_a_decision_puts_the_flag_aside_for_the_deciding_agency_only(scene) -> None:  # type: ignore[no-untyped-def]
    flag = DriftFlag.objects.get(child=scene["child"], rule_code="CHILD_NOT_SEEN")
    services.drift_flag_decide(
        flag=flag,
        lead=scene["health_lead"],
        decision="action_set",
        reason="Visit booked.",
        actions="Visit by Friday.",
        next_review_on=LATER,
        submission_key="d1",
    )
    health = entry(scene["child"], scene["health"])
    assert (health.flag_count, health.worst_rank, health.rule_codes) == (
        1,
        1,
        ["NO_LEAD_PROFESSIONAL"],
    )
    assert health.returns_on == LATER
    assert entry(scene["child"], scene["csc"]).flag_count == 2
    assert_kept()


def test_a_child_whose_every_flag_is_put_aside_leaves_the_queue_until_the_review_date(
    scene,
) -> None:  # type: ignore[no-untyped-def]
    lead = scene["health_lead"]
    for number, flag in enumerate(DriftFlag.objects.filter(child=scene["child"])):
        services.drift_flag_decide(
            flag=flag,
            lead=lead,
            decision="accept_risk",
            reason="Known and planned.",
            next_review_on=LATER,
            submission_key=f"d{number}",
        )
    assert entry(scene["child"], scene["health"]).flag_count == 0
    assert list(selectors.drift_queue_children(user=lead)) == []
    assert selectors.drift_queue_counts(user=lead)["all"] == 0
    # The day before the review date nothing is due; on it the flags come back.
    assert drift_queue_entries_refresh_due(as_of=LATER - datetime.timedelta(days=1)) == 0
    assert drift_queue_entries_refresh_due(agency_id=scene["health"].pk, as_of=LATER) == 1
    row = entry(scene["child"], scene["health"])
    assert (row.flag_count, row.returns_on) == (2, None)
    assert [r["child_id"] for r in selectors.drift_queue_children(user=lead)] == [scene["child"].pk]
    assert_kept(LATER)


def test_the_scheduled_run_brings_back_flags_whose_review_date_has_come(scene) -> None:  # type: ignore[no-untyped-def]
    flag = DriftFlag.objects.get(child=scene["child"], rule_code="CHILD_NOT_SEEN")
    services.drift_flag_decide(
        flag=flag,
        lead=scene["health_lead"],
        decision="accept_risk",
        reason="Known and planned.",
        next_review_on=TODAY + datetime.timedelta(days=1),
        submission_key="d1",
    )
    drift_evaluate_scheduled()  # today: nothing due, nothing changes
    assert entry(scene["child"], scene["health"]).flag_count == 1
    drift_evaluate_scheduled(as_of=TODAY + datetime.timedelta(days=1))
    assert entry(scene["child"], scene["health"]).flag_count == 2


def test_a_case_moved_to_another_team_moves_on_every_agencys_queue(scene) -> None:  # type: ignore[no-untyped-def]
    manager = scene["manager"]
    assert selectors.drift_queue_counts(user=manager)["team"] == 0
    services.involvement_step(
        child=scene["child"],
        lead=manager,
        to_level=NeedLevel.CHILD_PROTECTION,
        protection_category="NEG",
        reason="Strategy discussion: significant harm.",
        receiving_team=scene["south"],
        submission_key="step-1",
    )
    for agency in (scene["health"], scene["csc"]):
        row = entry(scene["child"], agency)
        assert (row.level, row.team) == (NeedLevel.CHILD_PROTECTION, scene["south"])
    assert selectors.drift_queue_counts(user=manager)["team"] == 1
    assert_kept()


def test_an_allocation_found_by_the_evaluation_updates_the_rows(scene) -> None:  # type: ignore[no-untyped-def]
    involvement = scene["child"].involvements.get()
    involvement.lead_professional = scene["worker"]
    involvement.save()
    drift_evaluate(child_ids=[scene["child"].pk])  # what the change's evaluation request runs
    row = entry(scene["child"], scene["csc"])
    assert row.worker == scene["worker"] and row.rule_codes == ["CHILD_NOT_SEEN"]
    assert_kept()


def test_a_resolved_flag_leaves_the_row_and_the_last_one_the_queue(scene) -> None:  # type: ignore[no-untyped-def]
    child = scene["child"]
    factories.visit(child, TODAY, scene["csc"])
    drift_evaluate(child_ids=[child.pk])
    assert entry(child, scene["csc"]).rule_codes == ["NO_LEAD_PROFESSIONAL"]
    involvement = child.involvements.get()
    involvement.lead_professional = scene["worker"]
    involvement.save()
    drift_evaluate(child_ids=[child.pk])
    assert not DriftQueueEntry.objects.filter(child=child).exists()
    assert_kept()


def test_a_new_relationship_puts_the_child_on_that_agencys_queue_at_once(scene) -> None:  # type: ignore[no-untyped-def]
    school_lead = factories.practitioner(scene["school"], Role.SAFEGUARDING_LEAD, "dsl")
    assert list(selectors.drift_queue_children(user=school_lead)) == []
    legitimate_relationship_record(
        child=scene["child"],
        agency_id=scene["school"].pk,
        basis=RelationshipBasis.TEAM_AROUND_FAMILY,
    )
    assert [r["child_id"] for r in selectors.drift_queue_children(user=school_lead)] == [
        scene["child"].pk
    ]
    assert_kept()


def test_a_restricted_record_is_on_the_queue_only_for_the_people_it_names(scene) -> None:  # type: ignore[no-untyped-def]
    child = scene["child"]
    child.is_restricted = True
    child.save()
    manager, health_lead = scene["manager"], scene["health_lead"]
    child.restricted_to.add(manager)
    assert [r["child_id"] for r in selectors.drift_queue_children(user=manager)] == [child.pk]
    assert list(selectors.drift_queue_children(user=health_lead)) == []
    assert selectors.drift_queue_counts(user=health_lead)["all"] == 0
    assert selectors.drift_queue_counts(user=manager)["all"] == 1
    assert_kept()


def test_the_tallies_follow_a_team_or_child_going_and_a_truncate(scene) -> None:  # type: ignore[no-untyped-def]
    csc = scene["csc"]
    assert tallied()[(csc.pk, "team", scene["north"].pk)] == (1, 0)
    scene["north"].delete()  # the rows' team is set to NULL by Django's UPDATE
    assert (csc.pk, "team", scene["north"].pk) not in tallied()
    assert tallied()[(csc.pk, "all", 0)] == (1, 0)
    assert_kept()
    other = factories.child(known_to=[csc], first_name="Other")
    factories.involvement(
        other, NeedLevel.EARLY_HELP, csc, started_on=TODAY - datetime.timedelta(days=90)
    )
    drift_evaluate(child_ids=[other.pk])
    assert tallied()[(csc.pk, "all", 0)] == (2, 0)
    scene["child"].delete()
    assert tallied()[(csc.pk, "all", 0)] == (1, 0)
    assert_kept()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks pending before a TRUNCATE
        cursor.execute("TRUNCATE cases_driftqueueentry")
    assert tallied() == {} == recounted()
