"""Services: the functions that change case records. Each runs in one transaction."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from cases.codes import ChronologyEventType, RelationshipBasis, Significance
from cases.drift.queue import drift_queue_entries_refresh
from cases.models import (
    Agency,
    ChangeLogEntry,
    Child,
    ChronologyEntry,
    DriftEvaluationRequest,
    LegitimateRelationship,
    Practitioner,
    TeamAroundFamilyMember,
)
from cases.request_context import current_request_id

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Model)

SUBMISSION_KEY_REUSED = "This form was already used for another record: start again"


class SubmissionKeyReused(ValidationError):
    """A submission key that already saved another caller's record, or a record about something
    else. Pages show it as a form error, the API answers 409; the row itself is never returned."""

    def __init__(self) -> None:
        super().__init__(SUBMISSION_KEY_REUSED, code="submission_key_reused")


def submission_repeat(
    queryset: models.QuerySet[M], *, submission_key: str, **scope: object
) -> M | None:
    """The row this key already saved for this caller and object (a retry), or None.

    `scope` names the row's attributes that must match (e.g. `recorded_by_id=user.pk,
    child_id=child.pk`); a key found with any other value raises SubmissionKeyReused.
    """
    row = queryset.filter(submission_key=submission_key).first()
    if row is not None and any(getattr(row, name) != value for name, value in scope.items()):
        raise SubmissionKeyReused()
    return row


def legitimate_relationship_record(
    *, child: Child, agency_id: int, basis: RelationshipBasis
) -> None:
    """Record that an agency has a reason to see the child; the first reason is kept.

    A new relationship puts the child's open drift flags on that agency's queue at once."""
    LegitimateRelationship.objects.bulk_create(
        [LegitimateRelationship(child=child, agency_id=agency_id, basis=basis)],
        ignore_conflicts=True,
    )
    drift_queue_entries_refresh(child_ids=[child.pk])


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
    itself. The request is a row written in the same transaction as the change, so it cannot
    be lost: the queued task deletes it once done, and if the broker is down (the failure is
    logged, without personal data, and costs the request no waiting) the scheduled catch-up
    evaluates it.
    """
    ids = sorted(set(child_ids))
    if ids:
        DriftEvaluationRequest.objects.bulk_create(
            [DriftEvaluationRequest(child_id=child_id) for child_id in ids]
        )
        transaction.on_commit(lambda: _queue_drift_evaluation(ids))


def _queue_drift_evaluation(ids: list[int]) -> None:
    from cases.tasks import drift_evaluate_children

    try:
        # No retry: the request path must not wait on a broker that is down (settings give
        # the broker a short connect timeout); the request row is already committed.
        drift_evaluate_children.apply_async(args=(ids,), retry=False)
    except Exception as error:
        logger.warning(
            "drift evaluation not queued for %d child record(s) (%s); the scheduled run will "
            "catch up",
            len(ids),
            type(error).__name__,
        )


def drift_evaluation_requests_take(*, child_ids: Iterable[int] | None = None) -> list[int]:
    """Delete committed re-evaluation requests (these children's, or up to 5,000 of any) and
    return their children. Call it inside the transaction that then evaluates them: a request
    committed later is not seen here, so it stays for the next run."""
    pending = DriftEvaluationRequest.objects.select_for_update(skip_locked=True)
    if child_ids is not None:
        pending = pending.filter(child_id__in=list(child_ids))
    rows = list(pending.values_list("pk", "child_id")[:5000])
    DriftEvaluationRequest.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return sorted({child_id for _, child_id in rows})


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
    """Add one entry to the child's chronology.

    Writing creates no relationship: the author could only write about a child they could
    already see, through their agency's relationship or a break-glass grant, and a grant must
    end with its expiry (issue 11).

    With a submission key (the form's), a replayed or concurrent submit returns the first entry.
    """
    owner = {"child_id": child.pk, "recorded_by_id": recorded_by.pk if recorded_by else None}
    if submission_key:
        replayed = submission_repeat(
            ChronologyEntry.objects.all(), submission_key=submission_key, **owner
        )
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
        winner = submission_repeat(
            ChronologyEntry.objects.all(), submission_key=str(submission_key), **owner
        )
        if winner is None:
            raise
        return winner
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
