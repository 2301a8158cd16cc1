"""The seed step that adds neglect concerns to the synthetic partnership."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from cases.codes import ConcernOutcomeKind
from cases.models import (
    ChronologyEntry,
    Concern,
    ConcernChild,
    ConcernOutcome,
    Involvement,
    LegitimateRelationship,
)
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


def test_the_holding_agency_has_answered_most_older_concerns_and_some_recent_ones(
    seeded: None,
) -> None:
    month_ago = timezone.now() - datetime.timedelta(days=28)
    held = Involvement.objects.filter(ended_on__isnull=True)
    links = ConcernChild.objects.filter(child_id__in=held.values("child_id"))
    answered = ConcernOutcome.objects.filter(
        concern_id=OuterRef("concern_id"), child_id=OuterRef("child_id")
    )
    links = links.annotate(answered=Exists(answered))

    def share(rows: Any) -> float:
        return rows.filter(answered=True).count() / max(rows.count(), 1)

    older = share(links.filter(concern__submitted_at__lt=month_ago))
    recent = share(links.filter(concern__submitted_at__gte=month_ago))
    assert 0.85 < older < 0.99 and 0.2 < recent < 0.7, (older, recent)
    assert links.filter(concern__submitted_at__lt=month_ago).count() > 100


def test_each_outcome_is_the_holding_agencys_recorded_after_the_concern(seeded: None) -> None:
    outcomes = ConcernOutcome.objects.select_related("concern", "recorded_by")
    assert outcomes.exists()
    holding = dict(
        Involvement.objects.filter(ended_on__isnull=True).values_list("child_id", "lead_agency_id")
    )
    for outcome in outcomes:
        assert outcome.recording_agency_id == holding[outcome.child_id]
        assert outcome.recorded_by.agency_id == outcome.recording_agency_id
        assert outcome.concern.submitted_at < outcome.recorded_at <= timezone.now()
        if outcome.outcome == ConcernOutcomeKind.NO_FURTHER_ACTION:
            assert outcome.reason  # the form asks for it; so does the seed
