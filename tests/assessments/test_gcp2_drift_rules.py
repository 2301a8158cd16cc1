"""The two GCP2 drift rules, evaluated as querysets: one case that matches, and one just
inside the threshold that does not."""

from __future__ import annotations

import datetime

import pytest

from assessments.drift_rules import GCP2_NOT_IMPROVING, GCP2_OVERDUE
from cases.codes import NeedLevel
from cases.drift import DriftContext, drift_rule
from cases.models import Child
from tests.support import factories
from tests.support.gcp2_factories import gcp2_assessment, neglect_concern
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]
AS_OF = datetime.date(2026, 3, 1)
OVERDUE_THRESHOLDS = {"initial_days": 20, "repeat_months": 6}


def matching(rule, as_of: datetime.date = AS_OF) -> set[int]:  # type: ignore[no-untyped-def]
    context = DriftContext(
        as_of=as_of,
        thresholds={**rule.default_thresholds},
        children=Child.objects.all(),
    )
    return set(rule.matching_children(context).values_list("pk", flat=True))


def test_both_rules_are_registered_with_the_drift_engine() -> None:
    assert drift_rule("GCP2_OVERDUE") is GCP2_OVERDUE
    assert drift_rule("GCP2_NOT_IMPROVING") is GCP2_NOT_IMPROVING
    assert GCP2_OVERDUE.reason_with(OVERDUE_THRESHOLDS).startswith(
        "No GCP2 signed off within 20 days"
    )


def test_overdue_matches_a_repeat_a_day_late_but_not_on_its_due_day(world: World) -> None:
    late = world.child
    on_time = factories.child(known_to=[world.health])
    for child in (late, on_time):
        factories.involvement(child, NeedLevel.CHILD_IN_NEED, world.health)
    # Due 31 August 2025 + 6 months = 28 February 2026, the day before AS_OF: overdue.
    gcp2_assessment(late, world.users["practitioner"], assessed_on=datetime.date(2025, 8, 31))
    # Due 1 March 2026, AS_OF itself: not yet overdue.
    gcp2_assessment(on_time, world.users["practitioner"], assessed_on=datetime.date(2025, 9, 1))
    assert matching(GCP2_OVERDUE) == {late.pk}


def test_overdue_matches_no_initial_assessment_within_the_days_of_a_concern(
    world: World,
) -> None:
    late = world.child
    on_time = factories.child(known_to=[world.health])
    for child in (late, on_time):
        factories.involvement(
            child, NeedLevel.EARLY_HELP, world.health, started_on=datetime.date(2025, 6, 1)
        )
    neglect_concern([late], world.users["practitioner"], datetime.date(2026, 2, 8))  # due 28 Feb
    neglect_concern([on_time], world.users["practitioner"], datetime.date(2026, 2, 9))  # due 1 Mar
    assert matching(GCP2_OVERDUE) == {late.pk}


def test_overdue_ignores_a_child_no_longer_at_early_help_or_above(world: World) -> None:
    factories.involvement(
        world.child,
        NeedLevel.EARLY_HELP,
        world.health,
        started_on=datetime.date(2025, 1, 1),
        ended_on=datetime.date(2025, 6, 1),
    )
    neglect_concern([world.child], world.users["practitioner"], datetime.date(2025, 2, 1))
    assert matching(GCP2_OVERDUE) == set()


def two_assessments(
    child: Child, world: World, first: dict[str, int], second: dict[str, int]
) -> None:
    gcp2_assessment(
        child, world.users["practitioner"], assessed_on=datetime.date(2025, 3, 1), grades=first
    )
    gcp2_assessment(
        child, world.users["practitioner"], assessed_on=datetime.date(2025, 9, 1), grades=second
    )


def grades(physical: int, safety: int, emotional: int, developmental: int) -> dict[str, int]:
    return {
        "physical": physical,
        "safety": safety,
        "emotional": emotional,
        "developmental": developmental,
    }


def test_not_improving_matches_no_area_better(world: World) -> None:
    stuck = world.child
    improving = factories.child(known_to=[world.health])
    two_assessments(stuck, world, grades(3, 3, 3, 3), grades(3, 3, 3, 3))
    two_assessments(improving, world, grades(3, 3, 3, 3), grades(2, 3, 3, 3))  # one area better
    assert matching(GCP2_NOT_IMPROVING) == {stuck.pk}


def test_not_improving_ignores_an_unchanged_profile_whose_needs_are_met(world: World) -> None:
    needs_met = world.child
    one_area_at_3 = factories.child(known_to=[world.health])
    two_assessments(needs_met, world, grades(2, 1, 2, 2), grades(2, 1, 2, 2))
    two_assessments(one_area_at_3, world, grades(2, 1, 2, 3), grades(2, 1, 2, 3))
    assert matching(GCP2_NOT_IMPROVING) == {one_area_at_3.pk}


def test_not_improving_matches_any_area_worse_even_if_another_is_better(world: World) -> None:
    mixed = world.child
    two_assessments(mixed, world, grades(3, 3, 3, 3), grades(2, 3, 4, 3))
    assert matching(GCP2_NOT_IMPROVING) == {mixed.pk}


def test_not_improving_matches_an_area_staying_at_4_or_5(world: World) -> None:
    stuck_high = world.child
    just_below = factories.child(known_to=[world.health])
    two_assessments(stuck_high, world, grades(5, 3, 3, 3), grades(4, 2, 3, 3))
    two_assessments(just_below, world, grades(4, 3, 3, 3), grades(3, 2, 3, 3))  # 4 -> 3: out
    assert matching(GCP2_NOT_IMPROVING) == {stuck_high.pk}


def test_not_improving_compares_only_the_last_two_signed_off(world: World) -> None:
    child = world.child
    gcp2_assessment(
        child, world.users["practitioner"], assessed_on=datetime.date(2024, 9, 1), grades=3
    )
    two_assessments(child, world, grades(3, 3, 3, 3), grades(2, 2, 2, 2))
    # A later draft that is worse does not count until signed off.
    gcp2_assessment(child, world.users["practitioner"], grades=5, status="submitted")
    single = factories.child(known_to=[world.health])
    gcp2_assessment(single, world.users["practitioner"], grades=5)  # one assessment: no comparison
    assert matching(GCP2_NOT_IMPROVING) == set()
