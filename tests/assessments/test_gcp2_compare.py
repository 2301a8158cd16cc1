"""Comparing assessments: per area and per sub-area both graded, better, same or worse."""

from __future__ import annotations

import datetime

import pytest

from assessments.selectors import assessment_compare, assessments_with_grades, gcp2_profile
from assessments.services import SubAreaAnswer, assessment_update
from tests.support.gcp2_factories import gcp2_answers, gcp2_assessment
from tests.support.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gcp2_framework")]
EARLIER = datetime.date(2025, 1, 10)
LATER = datetime.date(2025, 7, 10)


def test_each_area_is_better_same_or_worse(world: World) -> None:
    user = world.users["practitioner"]
    first = gcp2_assessment(
        world.child,
        user,
        assessed_on=EARLIER,
        grades={"physical": 4, "safety": 3, "emotional": 2, "developmental": 3},
    )
    second = gcp2_assessment(
        world.child,
        user,
        assessed_on=LATER,
        grades={"physical": 2, "safety": 3, "emotional": 4, "developmental": 3},
    )
    before, after = assessments_with_grades().filter(pk__in=[first.pk, second.pk]).order_by("pk")
    changes = {change.code: change for change in assessment_compare(before, after)}
    assert {code: c.direction for code, c in changes.items()} == {
        "physical": "better",
        "safety": "same",
        "emotional": "worse",
        "developmental": "same",
    }
    assert changes["physical"].before == 4 and changes["physical"].after == 2
    nutrition = next(s for s in changes["physical"].sub_areas if s.key == "physical-nutrition")
    assert (nutrition.before, nutrition.after, nutrition.direction) == (4, 2, "better")


def test_sub_areas_are_compared_only_where_both_graded_them(world: World) -> None:
    user = world.users["practitioner"]
    gcp2_assessment(world.child, user, assessed_on=EARLIER, grades=3)
    draft = gcp2_assessment(world.child, user, assessed_on=LATER, grades=3, status="draft")
    answers = gcp2_answers(2, assessed_on=LATER)
    answers.sub_areas["safety-online"] = SubAreaAnswer(None, "")
    answers.areas["safety"] = None
    assessment_update(
        assessment_id=draft.pk, by=user, expected_version=draft.version, answers=answers
    )
    profile = gcp2_profile(user=user, child=world.child)
    safety = next(c for c in profile.comparisons[0] if c.code == "safety")
    assert safety.direction is None  # the later one has no overall grade yet
    assert "safety-online" not in {s.key for s in safety.sub_areas}
    assert {s.key for s in safety.sub_areas} == {
        "safety-in-presence",
        "safety-in-absence",
        "safety-traffic",
        "safety-home",
    }


def test_the_profile_puts_every_assessment_side_by_side_oldest_first(world: World) -> None:
    user = world.users["practitioner"]
    for day, grade in [(datetime.date(2024, 1, 5), 5), (EARLIER, 4), (LATER, 3)]:
        gcp2_assessment(world.child, user, assessed_on=day, grades=grade)
    profile = gcp2_profile(user=user, child=world.child)
    assert [a.assessed_on for a in profile.assessments] == [
        datetime.date(2024, 1, 5),
        EARLIER,
        LATER,
    ]
    physical = next(row for row in profile.rows if row.code == "physical")
    assert physical.grades == [5, 4, 3]
    assert physical.changes == ["better", "better"]
    assert profile.chart["labels"] == ["5 Jan 2024", "10 Jan 2025", "10 Jul 2025"]
    assert {"label": "Physical care", "data": [5, 4, 3]} in profile.chart["datasets"]  # type: ignore[operator]
