"""Services for the lead's side of drift: decisions, supervision, stepping a case up or down, and telling the referrer what happened to their concern."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.access import child_reached_by_break_glass, is_lead
from cases.codes import (
    NEED_LEVEL_ORDER,
    ChronologyEventType,
    ConcernOutcomeKind,
    DriftDecision,
    NeedLevel,
    RelationshipBasis,
    Significance,
)
from cases.models import (
    Child,
    Concern,
    ConcernOutcome,
    DriftFlag,
    Involvement,
    LevelChange,
    Practitioner,
    SupervisionRecord,
    Team,
)
from cases.services import (
    change_log_record,
    chronology_entry_record,
    legitimate_relationship_record,
    submission_repeat,
)


def _require_lead(user: Practitioner) -> None:
    if not is_lead(user) or user.agency is None:
        raise ValidationError("Only a safeguarding lead or social-care manager can do this")


@transaction.atomic
def supervision_record(
    *,
    child: Child,
    supervisor: Practitioner,
    practitioner: Practitioner | None,
    held_on: datetime.date,
    reflection: str,
    decisions: str,
    actions: str,
    submission_key: str,
    drift_flag: DriftFlag | None = None,
    drift_decision: str = "",
    next_review_on: datetime.date | None = None,
) -> SupervisionRecord:
    """Record reflective supervision (or a decision on a drift flag) and its chronology entry."""
    existing = submission_repeat(
        SupervisionRecord.objects.all(),
        submission_key=submission_key,
        supervisor_id=supervisor.pk,
        child_id=child.pk,
        drift_flag_id=drift_flag.pk if drift_flag else None,
    )
    if existing is not None:
        return existing
    _require_lead(supervisor)
    errors: dict[str, str] = {}
    if not decisions.strip():
        errors["decisions"] = "Enter the decisions made"
    if held_on > timezone.localdate():
        errors["held_on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    assert supervisor.agency is not None
    record = SupervisionRecord.objects.create(
        child=child,
        practitioner=practitioner,
        supervisor=supervisor,
        supervisor_agency=supervisor.agency,
        held_on=held_on,
        reflection=reflection.strip(),
        decisions=decisions.strip(),
        actions=actions.strip(),
        drift_flag=drift_flag,
        drift_decision=drift_decision,
        next_review_on=next_review_on,
        submission_key=submission_key,
    )
    if drift_flag is not None:
        summary = (
            f"Drift reviewed by {supervisor.agency.name}: "
            f"{DriftDecision(drift_decision).label.lower()}; next review "
            f"{next_review_on:%d %B %Y}."
        )
    else:
        summary = f"Supervision recorded by {supervisor.agency.name}."
    chronology_entry_record(
        child=child,
        occurred_on=held_on,
        event_type=ChronologyEventType.SUPERVISION,
        significance=Significance.MEDIUM,
        summary=summary,
        source_agency=supervisor.agency,
        recorded_by=supervisor,
        source_kind="supervision",
        source_id=record.pk,
    )
    return record


@transaction.atomic
def drift_flag_decide(
    *,
    flag: DriftFlag,
    lead: Practitioner,
    decision: str,
    reason: str,
    next_review_on: datetime.date | None,
    submission_key: str,
    actions: str = "",
) -> SupervisionRecord:
    """A lead's decision on a flag: recorded as supervision; the flag leaves the queue until
    its next review date, then reappears if it still applies."""
    existing = submission_repeat(
        SupervisionRecord.objects.all(),
        submission_key=submission_key,
        supervisor_id=lead.pk,
        drift_flag_id=flag.pk,
    )
    if existing is not None:
        return existing
    _require_lead(lead)
    errors: dict[str, str] = {}
    if decision not in DriftDecision.values:
        errors["decision"] = "Choose a decision"
    if not reason.strip():
        errors["reason"] = "Enter the reason for your decision"
    today = timezone.localdate()
    if next_review_on is None:
        errors["next_review_on"] = "Enter the date to review this again"
    elif next_review_on <= today:
        errors["next_review_on"] = "The review date must be in the future"
    if decision == DriftDecision.ACTION_SET and not actions.strip():
        errors["actions"] = "Enter the action you have set"
    if errors:
        raise ValidationError(errors)
    flag = DriftFlag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_open:
        raise ValidationError("This flag has already closed: the rule no longer applies")
    involvement = flag.child.involvements.filter(ended_on__isnull=True).first()
    record = supervision_record(
        child=flag.child,
        supervisor=lead,
        practitioner=involvement.lead_professional if involvement else None,
        held_on=today,
        reflection="",
        decisions=reason,
        actions=actions,
        submission_key=submission_key,
        drift_flag=flag,
        drift_decision=decision,
        next_review_on=next_review_on,
    )
    flag.review_on = next_review_on
    flag.decided_at = timezone.now()
    flag.save(update_fields=["review_on", "decided_at"])
    change_log_record(practitioner=lead, child=flag.child, record=flag, action="decided")
    return record


@transaction.atomic
def involvement_step(
    *,
    child: Child,
    lead: Practitioner,
    to_level: str,
    protection_category: str,
    reason: str,
    receiving_team: Team,
    submission_key: str,
) -> LevelChange:
    """Step a case up or down: close the open involvement, open the new one, tell the team.

    Allocating the case gives the receiving agency a relationship, so a lead who reaches the
    child only through a break-glass grant may not do it (the grant is for reading).
    """
    existing = submission_repeat(
        LevelChange.objects.all(),
        submission_key=submission_key,
        changed_by_id=lead.pk,
        child_id=child.pk,
    )
    if existing is not None:
        return existing
    _require_lead(lead)
    if child_reached_by_break_glass(user=lead, child=child):
        raise ValidationError(
            "Only an agency working with the child can move the case: break glass is for reading"
        )
    current = (
        Involvement.objects.select_for_update().filter(child=child, ended_on__isnull=True).first()
    )
    errors: dict[str, str] = {}
    if to_level not in (NeedLevel.EARLY_HELP, NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION):
        errors["to_level"] = "Choose early help, child in need or child protection"
    elif current is not None and current.level == to_level:
        errors["to_level"] = "The child is already at this level: choose another"
    if to_level == NeedLevel.CHILD_PROTECTION and not protection_category:
        errors["protection_category"] = "Choose the category of the child protection plan"
    if to_level != NeedLevel.CHILD_PROTECTION and protection_category:
        errors["protection_category"] = "Only a child protection plan has a category"
    if not reason.strip():
        errors["reason"] = "Enter the reason for the change"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    from_rank = NEED_LEVEL_ORDER.index(current.level) if current else 0
    stepped_up = NEED_LEVEL_ORDER.index(to_level) > from_rank
    if current is not None:
        current.ended_on = today
        current.change_reason = reason.strip()
        current.save(update_fields=["ended_on", "change_reason"])
    new = Involvement(
        child=child,
        level=to_level,
        protection_category=protection_category,
        primary_need=current.primary_need if current else "",
        referral_source=current.referral_source if current else "",
        lead_agency=receiving_team.agency,
        team=receiving_team,
        lead_professional=None,
        started_on=today,
        change_reason=reason.strip(),
    )
    new.full_clean()
    new.save()
    change = LevelChange.objects.create(
        child=child,
        from_involvement=current,
        to_involvement=new,
        stepped_up=stepped_up,
        reason=reason.strip(),
        changed_by=lead,
        receiving_agency=receiving_team.agency,
        receiving_team=receiving_team,
        submission_key=submission_key,
    )
    legitimate_relationship_record(
        child=child, agency_id=receiving_team.agency_id, basis=RelationshipBasis.ALLOCATION
    )
    direction = "Stepped up" if stepped_up else "Stepped down"
    assert lead.agency is not None
    chronology_entry_record(
        child=child,
        occurred_on=today,
        event_type=ChronologyEventType.INVOLVEMENT_CHANGE,
        significance=Significance.HIGH,
        summary=(
            f"{direction} to {new.get_level_display()}"
            f"{': ' + new.get_protection_category_display() if protection_category else ''}"
            f", transferred to {receiving_team.name}."
        ),
        source_agency=lead.agency,
        recorded_by=lead,
        source_kind="level_change",
        source_id=change.pk,
    )
    return change


def agency_holding_case(child: Child) -> int | None:
    involvement = child.involvements.filter(ended_on__isnull=True).only("lead_agency_id").first()
    return involvement.lead_agency_id if involvement else None


def may_record_outcome(*, user: Practitioner, child: Child) -> bool:
    return (
        is_lead(user)
        and user.agency_id is not None
        and (agency_holding_case(child) == user.agency_id)
    )


@transaction.atomic
def concern_outcome_record(
    *, concern: Concern, child: Child, lead: Practitioner, outcome: str, reason: str
) -> ConcernOutcome:
    """Tell the referrer what happened: by a lead of the agency holding the child's case.

    Recording the same outcome twice (a double submit) returns the first.
    """
    if not may_record_outcome(user=lead, child=child):
        raise ValidationError("Only a lead of the agency holding this child's case can do this")
    if not concern.children.filter(pk=child.pk).exists():
        raise ValidationError("This concern is not about this child")
    existing = ConcernOutcome.objects.filter(concern=concern, child=child, outcome=outcome).first()
    if existing is not None:
        return existing
    assert lead.agency is not None
    record = ConcernOutcome(
        concern=concern,
        child=child,
        outcome=outcome,
        reason=reason.strip(),
        recorded_by=lead,
        recording_agency=lead.agency,
    )
    if outcome not in ConcernOutcomeKind.values:
        raise ValidationError({"outcome": "Choose an outcome"})
    record.full_clean()
    record.save()
    change_log_record(practitioner=lead, child=child, record=record, action="created")
    return record
