"""Concerns awaiting an outcome: the maintained rows, and the same rows recounted from the
source tables; the days' tallies of them, and the same tallies counted from the rows."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Exists, OuterRef

from cases.models import (
    ConcernAwaitingOutcome,
    ConcernAwaitingTally,
    ConcernChild,
    ConcernOutcome,
    Involvement,
    LegitimateRelationship,
)

Row = tuple[int, int, int, int, int | None, datetime.datetime, int]


def maintained() -> set[Row]:
    return set(
        ConcernAwaitingOutcome.objects.values_list(
            "link_id",
            "concern_id",
            "child_id",
            "holding_agency_id",
            "team_id",
            "submitted_at",
            "author_agency_id",
        )
    )


def recounted() -> set[Row]:
    """The rows from the source tables: each (concern, child) with no outcome whose child's open
    involvement is held by an agency with a relationship to the child."""
    rows = set()
    for link in ConcernChild.objects.select_related("concern").exclude(
        Exists(
            ConcernOutcome.objects.filter(
                concern_id=OuterRef("concern_id"), child_id=OuterRef("child_id")
            )
        )
    ):
        involvement = Involvement.objects.filter(
            child_id=link.child_id, ended_on__isnull=True
        ).first()
        if (
            involvement is None
            or not LegitimateRelationship.objects.filter(
                child_id=link.child_id, agency_id=involvement.lead_agency_id
            ).exists()
        ):
            continue
        rows.add(
            (
                link.pk,
                link.concern_id,
                link.child_id,
                involvement.lead_agency_id,
                involvement.team_id,
                link.concern.submitted_at,
                link.concern.author_agency_id,
            )
        )
    return rows


def tallied() -> dict[tuple[int, datetime.date, int], int]:
    """The days' tallies of the rows (ConcernAwaitingTally), leaving out days counted down to 0."""
    return {
        (row.holding_agency_id, row.submitted_on, row.team_key): row.children
        for row in ConcernAwaitingTally.objects.all()
        if row.children
    }


def tallied_again() -> dict[tuple[int, datetime.date, int], int]:
    """The tallies counted again from the maintained rows: per holding agency, UTC day, team."""
    days: Counter[tuple[int, datetime.date, int]] = Counter(
        (holding, submitted_at.astimezone(datetime.UTC).date(), team or 0)
        for _link, _concern, _child, holding, team, submitted_at, _author in maintained()
    )
    return dict(days)
