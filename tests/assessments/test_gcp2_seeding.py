"""The GCP2 seed step: assessments for a share of children at early help and above."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count

from assessments.models import AreaGrade, Assessment, SubAreaGrade
from cases.codes import NeedLevel
from cases.models import ChronologyEntry, Involvement
from tests.support.seeding import seeded_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with seeded_partnership(django_db_blocker, children=800):
        yield


def test_most_children_at_early_help_or_above_have_one_to_four(seeded: None) -> None:
    assessed = Assessment.objects.values("child").annotate(n=Count("pk"))
    counts = [row["n"] for row in assessed]
    eligible = (
        Involvement.objects.filter(ended_on__isnull=True)
        .exclude(level=NeedLevel.UNIVERSAL)
        .values("child")
        .distinct()
        .count()
    )
    assert 0.7 * eligible < len(counts) < 0.95 * eligible
    assert min(counts) == 1 and max(counts) == 4
    universal = Involvement.objects.filter(level=NeedLevel.UNIVERSAL).values("child")
    assert not Assessment.objects.filter(child__in=universal).exists()


def test_every_seeded_assessment_is_signed_off_and_fully_graded(seeded: None) -> None:
    assert set(Assessment.objects.values_list("status", flat=True)) == {"signed_off"}
    assert AreaGrade.objects.count() == 4 * Assessment.objects.count()
    assert not AreaGrade.objects.filter(grade__isnull=True).exists()
    ungraded = SubAreaGrade.objects.filter(grade__isnull=True)
    assert set(ungraded.values_list("sub_area__code", flat=True)) <= {"online"}


def test_some_improve_and_some_do_not(seeded: None) -> None:
    from assessments.drift_rules import GCP2_NOT_IMPROVING
    from cases.drift import DriftContext
    from cases.models import Child

    repeated = Assessment.objects.values("child").annotate(n=Count("pk")).filter(n__gte=2)
    context = DriftContext(
        as_of=Assessment.objects.latest("assessed_on").assessed_on,
        thresholds=GCP2_NOT_IMPROVING.default_thresholds,
        children=Child.objects.filter(pk__in=repeated.values("child")),
    )
    stuck = GCP2_NOT_IMPROVING.matching_children(context).count()
    assert 0 < stuck < repeated.count()


def test_each_seeded_sign_off_has_its_chronology_entry(seeded: None) -> None:
    entries = ChronologyEntry.objects.filter(source_kind="gcp2_assessment")
    assert entries.count() == Assessment.objects.count()
    assert entries.filter(summary__contains="Area grades: Physical care").count() == entries.count()
