"""Services: the functions that change case records. Each runs in one transaction."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from cases.codes import ChronologyEventType, RelationshipBasis, Significance
from cases.models import (
    Agency,
    ChangeLogEntry,
    Child,
    ChronologyEntry,
    LegitimateRelationship,
    Practitioner,
    TeamAroundFamilyMember,
)
from cases.request_context import current_request_id

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Model)


def legitimate_relationship_record(
    *, child: Child, agency_id: int, basis: RelationshipBasis
) -> None:
    """Record that an agency has a reason to see the child; the first reason is kept."""
    LegitimateRelationship.objects.bulk_create(
        [LegitimateRelationship(child=child, agency_id=agency_id, basis=basis)],
        ignore_conflicts=True,
    )


def submission_replayed(model: type[M], *, submission_key: str, **owner: object) -> M | None:
    """The record an earlier submit with this key created, if it was made by the same caller
    about the same object (owner fields as ids); a key reused for anything else is refused."""
    existing = model._default_manager.filter(submission_key=submission_key).first()
    if existing is None:
        return None
    if any(getattr(existing, field) != value for field, value in owner.items()):
        raise ValidationError({"submission_key": "This form was already used: start again"})
    return existing


def change_log_record(
    *, practitioner: Practitioner | None, child: Child | None, record: object, action: str
) -> None:
    ChangeLogEntry.objects.create(
        practitioner=practitioner,
        child=child,
        record_kind=type(record).__name__,
        record_id=record.pk,  # type: ignore[attr-defined]
        action=action,
        request_id=current_request_id(),
    )


def drift_evaluation_request(*, child_ids: Iterable[int]) -> None:
    """Re-evaluate these children's drift rules once the current transaction commits.

    Every change to a child writes a chronology entry, so chronology_entry_record asks for this
    itself. If the broker is down the change still stands: the failure is logged (no personal
    data) and the scheduled full evaluation catches up.
    """
    ids = sorted(set(child_ids))
    if ids:
        transaction.on_commit(lambda: _queue_drift_evaluation(ids))


def _queue_drift_evaluation(ids: list[int]) -> None:
    from cases.tasks import drift_evaluate_children

    try:
        drift_evaluate_children.apply_async(args=(ids,), retry=False)
    except Exception:
        logger.warning(
            "drift evaluation not queued for %d child record(s); the scheduled run will catch up",
            len(ids),
        )


@transaction.atomic
def chronology_entry_record(
    *,
    child: Child,
    occurred_on: datetime.date,
    event_type: ChronologyEventType | str,
    significance: Significance | str,
    summary: str,
    source_agency: Agency,
    recorded_by: Practitioner | None,
    source_kind: str = "",
    source_id: int | None = None,
    submission_key: str | None = None,
) -> ChronologyEntry:
    """Add one entry to the child's chronology; the source agency gains a relationship.

    With a submission key (the form's), a replayed or concurrent submit returns the first entry.
    """
    owner = {"child_id": child.pk, "recorded_by_id": recorded_by.pk if recorded_by else None}
    if submission_key:
        replayed = submission_replayed(ChronologyEntry, submission_key=submission_key, **owner)
        if replayed is not None:
            return replayed
    entry = ChronologyEntry(
        child=child,
        family_id=child.family_id,
        occurred_on=occurred_on,
        event_type=event_type,
        significance=significance,
        summary=summary,
        source_agency=source_agency,
        recorded_by=recorded_by,
        source_kind=source_kind,
        source_id=source_id,
        submission_key=submission_key or None,
    )
    entry.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # A concurrent submit with the same key won the race: answer with its entry.
        winner = submission_replayed(ChronologyEntry, submission_key=str(submission_key), **owner)
        if winner is None:
            raise
        return winner
    legitimate_relationship_record(
        child=child, agency_id=source_agency.pk, basis=RelationshipBasis.CHRONOLOGY
    )
    change_log_record(practitioner=recorded_by, child=child, record=entry, action="created")
    drift_evaluation_request(child_ids=[child.pk])
    return entry


@transaction.atomic
def team_around_family_add(
    *,
    child: Child,
    agency: Agency,
    practitioner: Practitioner | None = None,
    role_description: str = "",
    added_by: Practitioner | None = None,
) -> TeamAroundFamilyMember:
    member = TeamAroundFamilyMember.objects.create(
        child=child, agency=agency, practitioner=practitioner, role_description=role_description
    )
    legitimate_relationship_record(
        child=child, agency_id=agency.pk, basis=RelationshipBasis.TEAM_AROUND_FAMILY
    )
    change_log_record(practitioner=added_by, child=child, record=member, action="created")
    return member
