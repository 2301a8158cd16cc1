"""Due dates: a repeat N calendar months after the last signed-off assessment (month ends
clamp), an initial one N days after a neglect concern at early help or above."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from assessments.due import Due, gcp2_due, gcp2_due_for_child
from cases.codes import NeedLevel
from cases.models import Child
from tests.support import factories
from tests.support.gcp2_factories import gcp2_assessment, neglect_concern
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]


def due_of(child: Child, initial_days: int = 20, repeat_months: int = 6) -> Due | None:
    found = gcp2_due(
        Child.objects.filter(pk=child.pk), initial_days=initial_days, repeat_months=repeat_months
    )
    return found[0] if found else None


@pytest.mark.parametrize(
    ("last", "months", "expected"),
    [
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2023, 8, 31), 6, datetime.date(2024, 2, 29)),  # leap year
        (datetime.date(2025, 3, 31), 6, datetime.date(2025, 9, 30)),
        (datetime.date(2025, 5, 15), 6, datetime.date(2025, 11, 15)),
        (datetime.date(2025, 10, 31), 4, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
    ],
)
def test_a_repeat_is_due_calendar_months_after_the_last_signed_off(
    world: World, last: datetime.date, months: int, expected: datetime.date
) -> None:
    factories.involvement(world.child, NeedLevel.EARLY_HELP, world.health)
    gcp2_assessment(world.child, world.users["practitioner"], assessed_on=last)
    due = due_of(world.child, repeat_months=months)
    assert due is not None
    assert (due.due_on, due.kind) == (expected, "repeat")


def test_a_draft_or_submitted_assessment_does_not_reset_the_repeat(world: World) -> None:
    factories.involvement(world.child, NeedLevel.CHILD_IN_NEED, world.health)
    gcp2_assessment(world.child, world.users["practitioner"], assessed_on=datetime.date(2025, 1, 1))
    gcp2_assessment(
        world.child,
        world.users["practitioner"],
        assessed_on=datetime.date(2025, 9, 1),
        status="submitted",
    )
    assert due_of(world.child).due_on == datetime.date(2025, 7, 1)  # type: ignore[union-attr]


def test_an_initial_assessment_is_due_days_after_the_first_concern(world: World) -> None:
    factories.involvement(
        world.child, NeedLevel.EARLY_HELP, world.health, started_on=datetime.date(2025, 1, 1)
    )
    neglect_concern([world.child], world.users["practitioner"], datetime.date(2025, 2, 20))
    neglect_concern([world.child], world.users["practitioner"], datetime.date(2025, 3, 20))
    due = due_of(world.child, initial_days=20)
    assert (due.due_on, due.kind) == (datetime.date(2025, 3, 12), "initial")  # type: ignore[union-attr]


def test_a_concern_before_early_help_counts_from_when_early_help_started(world: World) -> None:
    neglect_concern([world.child], world.users["practitioner"], datetime.date(2024, 12, 1))
    factories.involvement(
        world.child,
        NeedLevel.CHILD_PROTECTION,
        world.health,
        started_on=datetime.date(2025, 1, 10),
        protection_category="NEG",
    )
    assert due_of(world.child, initial_days=20).due_on == datetime.date(2025, 1, 30)  # type: ignore[union-attr]


def test_nothing_is_due_at_universal_level_or_without_a_concern(world: World) -> None:
    factories.involvement(world.child, NeedLevel.UNIVERSAL, world.health)
    neglect_concern([world.child], world.users["practitioner"])
    assert due_of(world.child) is None
    other = factories.child(known_to=[world.health])
    factories.involvement(other, NeedLevel.EARLY_HELP, world.health)
    assert due_of(other) is None


@override_settings(NT_GCP2_REPEAT_MONTHS=3, NT_GCP2_INITIAL_DAYS=10)
def test_the_settings_choose_the_months_and_days(world: World) -> None:
    factories.involvement(world.child, NeedLevel.EARLY_HELP, world.health)
    gcp2_assessment(
        world.child, world.users["practitioner"], assessed_on=datetime.date(2025, 1, 15)
    )
    due = gcp2_due_for_child(world.child)
    assert due is not None
    assert due.due_on == datetime.date(2025, 4, 15)
