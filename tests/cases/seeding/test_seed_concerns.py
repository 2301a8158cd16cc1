"""The seed step that adds neglect concerns to the synthetic partnership."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count

from cases.models import ChronologyEntry, Concern, ConcernChild, Involvement, LegitimateRelationship
from tests.support.seeding import seeded_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with seeded_partnership(django_db_blocker, children=600):
        yield


def test_children_get_up_to_six_concerns_each(seeded: None) -> None:
    counts = ConcernChild.objects.values("child_id").annotate(n=Count("id"))
    assert counts.exists()
    single = (
        ConcernChild.objects.filter(
            concern__in=Concern.objects.annotate(n=Count("concernchild")).filter(n=1)
        )
        .values("child_id")
        .annotate(n=Count("id"))
    )
    assert max(row["n"] for row in single) <= 6


def test_children_at_higher_levels_have_more_concerns(seeded: None) -> None:
    def average(level: str) -> float:
        ids = Involvement.objects.filter(level=level, ended_on__isnull=True).values("child_id")
        children = ids.count()
        return ConcernChild.objects.filter(child_id__in=ids).count() / max(children, 1)

    assert average("child_protection") > average("early_help")


def test_siblings_are_sometimes_the_subject_of_one_concern(seeded: None) -> None:
    assert Concern.objects.annotate(n=Count("concernchild")).filter(n__gt=1).exists()


def test_every_concern_child_has_its_chronology_entry_and_relationship(seeded: None) -> None:
    assert (
        ChronologyEntry.objects.filter(source_kind="concern").count()
        == ConcernChild.objects.count()
    )
    for concern in Concern.objects.prefetch_related("children")[:50]:
        concern.full_clean()
        for child in concern.children.all():
            assert LegitimateRelationship.objects.filter(
                child=child, agency_id=concern.author_agency_id
            ).exists()


def test_each_concern_is_logged_within_days_of_being_observed(seeded: None) -> None:
    import datetime

    from django.utils import timezone

    pairs = list(Concern.objects.values_list("observed_on", "submitted_at"))
    assert pairs
    for observed, submitted in pairs:
        logged_on = submitted.astimezone(datetime.UTC).date()
        assert observed <= logged_on <= observed + datetime.timedelta(days=2)
        assert submitted <= timezone.now()
    # Spread over time, as dashboards by month need: not all logged on one day.
    assert len({submitted.date() for _, submitted in pairs}) > 100
