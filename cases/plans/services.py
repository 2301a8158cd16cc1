"""Services for plans, actions, visits, referrals and child protection meetings.

Each runs in one transaction, writes a chronology entry, and asks for the child's drift rules
to be evaluated again once the change is committed.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.access import records_statutory_steps
from cases.codes import (
    ChronologyEventType,
    ContactKind,
    MeetingKind,
    NeedLevel,
    PlanActionStatus,
    ReferralDecision,
    Significance,
)
from cases.models import (
    Agency,
    Child,
    ChronologyEntry,
    Plan,
    PlanAction,
    Practitioner,
    ProtectionMeeting,
    Referral,
    Visit,
)
from cases.services import change_log_record, chronology_entry_record, submission_repeat

PLAN_LEVELS = (NeedLevel.EARLY_HELP, NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION)


def _require_childrens_social_care(user: Practitioner) -> None:
    if not records_statutory_steps(user):
        raise PermissionDenied("Children's social care records referrals and meetings")


def _agency_of(user: Practitioner) -> Agency:
    if user.agency is None:
        raise ValidationError("Only a member of an agency can record this")
    return user.agency


@transaction.atomic
def plan_record(
    *,
    child: Child,
    recorded_by: Practitioner,
    level: str,
    summary: str,
    started_on: datetime.date,
    review_due_on: datetime.date | None,
    submission_key: str,
) -> Plan:
    existing = submission_repeat(
        Plan.objects.all(),
        submission_key=submission_key,
        recorded_by_id=recorded_by.pk,
        child_id=child.pk,
    )
    if existing is not None:
        return existing
    if level not in PLAN_LEVELS:
        raise ValidationError({"level": "Choose early help, child in need or child protection"})
    plan = Plan(
        child=child,
        level=level,
        lead_agency=_agency_of(recorded_by),
        summary=summary,
        started_on=started_on,
        review_due_on=review_due_on,
        recorded_by=recorded_by,
        submission_key=submission_key,
    )
    plan.full_clean()
    plan.save()
    review = f"; review due {review_due_on:%d %B %Y}" if review_due_on else ""
    chronology_entry_record(
        child=child,
        occurred_on=started_on,
        event_type=ChronologyEventType.PLAN,
        significance=Significance.MEDIUM,
        summary=f"{NeedLevel(level).label} plan started{review}.",
        source_agency=plan.lead_agency,
        recorded_by=recorded_by,
        source_kind="plan",
        source_id=plan.pk,
    )
    return plan


@transaction.atomic
def plan_action_record(
    *,
    plan: Plan,
    recorded_by: Practitioner,
    description: str,
    owner_agency: Agency,
    due_on: datetime.date,
    submission_key: str,
) -> PlanAction:
    existing = submission_repeat(
        PlanAction.objects.all(),
        submission_key=submission_key,
        recorded_by_id=recorded_by.pk,
        plan_id=plan.pk,
    )
    if existing is not None:
        return existing
    if plan.ended_on is not None:
        raise ValidationError("This plan has ended: start a new plan to add actions")
    action = PlanAction(
        plan=plan,
        child_id=plan.child_id,
        description=description,
        owner_agency=owner_agency,
        due_on=due_on,
        recorded_by=recorded_by,
        submission_key=submission_key,
    )
    action.full_clean()
    action.save()
    chronology_entry_record(
        child=plan.child,
        occurred_on=timezone.localdate(),
        event_type=ChronologyEventType.PLAN,
        significance=Significance.LOW,
        summary=f"Plan action set for {owner_agency.name}, due {due_on:%d %B %Y}.",
        source_agency=_agency_of(recorded_by),
        recorded_by=recorded_by,
        source_kind="plan_action",
        source_id=action.pk,
    )
    return action


@transaction.atomic
def plan_action_status_update(
    *, action: PlanAction, updated_by: Practitioner, status: str, on: datetime.date
) -> PlanAction:
    if status not in PlanActionStatus.values:
        raise ValidationError({"status": "Choose a status"})
    if action.status == status:
        return action
    action.status = status
    action.completed_on = on if status == PlanActionStatus.DONE else None
    action.save(update_fields=["status", "completed_on"])
    chronology_entry_record(
        child=action.plan.child,
        occurred_on=on,
        event_type=ChronologyEventType.PLAN,
        significance=Significance.LOW,
        summary=f"Plan action for {action.owner_agency.name}: {PlanActionStatus(status).label}.",
        source_agency=_agency_of(updated_by),
        recorded_by=updated_by,
        source_kind="plan_action",
        source_id=action.pk,
    )
    return action


@transaction.atomic
def visit_record(
    *,
    child: Child,
    recorded_by: Practitioner,
    occurred_on: datetime.date,
    kind: str,
    child_seen: bool,
    child_seen_alone: bool,
    child_voice: str,
    submission_key: str,
) -> Visit:
    existing = submission_repeat(
        Visit.objects.all(),
        submission_key=submission_key,
        recorded_by_id=recorded_by.pk,
        child_id=child.pk,
    )
    if existing is not None:
        return existing
    visit = Visit(
        child=child,
        occurred_on=occurred_on,
        kind=kind,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        child_voice=child_voice.strip(),
        agency=_agency_of(recorded_by),
        recorded_by=recorded_by,
        submission_key=submission_key,
    )
    visit.full_clean()
    visit.save()
    seen = (
        "child seen alone" if child_seen_alone else "child seen" if child_seen else "child not seen"
    )
    voice = "; the child's voice recorded" if visit.voice_recorded else ""
    chronology_entry_record(
        child=child,
        occurred_on=occurred_on,
        event_type=ChronologyEventType.VISIT,
        significance=Significance.LOW if child_seen else Significance.MEDIUM,
        summary=f"{ContactKind(kind).label}: {seen}{voice}.",
        source_agency=visit.agency,
        recorded_by=recorded_by,
        source_kind="visit",
        source_id=visit.pk,
    )
    return visit


@transaction.atomic
def referral_record(
    *,
    child: Child,
    recorded_by: Practitioner,
    received_on: datetime.date,
    source: str,
    decision: str,
    decision_on: datetime.date | None,
    assessment_started_on: datetime.date | None,
    assessment_completed_on: datetime.date | None,
    submission_key: str,
) -> Referral:
    existing = submission_repeat(
        Referral.objects.all(),
        submission_key=submission_key,
        recorded_by_id=recorded_by.pk,
        child_id=child.pk,
    )
    if existing is not None:
        return existing
    _require_childrens_social_care(recorded_by)
    referral = Referral(
        child=child,
        received_on=received_on,
        source=source,
        decision=decision,
        decision_on=decision_on,
        assessment_started_on=assessment_started_on,
        assessment_completed_on=assessment_completed_on,
        recorded_by=recorded_by,
        submission_key=submission_key,
    )
    referral.full_clean()
    referral.save()
    decided = (
        f" Decision on {decision_on:%d %B %Y}: {ReferralDecision(decision).label}."
        if decision and decision_on
        else " Awaiting a decision."
    )
    chronology_entry_record(
        child=child,
        occurred_on=received_on,
        event_type=ChronologyEventType.OTHER,
        significance=Significance.HIGH,
        summary=f"Referral to children's social care received.{decided}",
        source_agency=_agency_of(recorded_by),
        recorded_by=recorded_by,
        source_kind="referral",
        source_id=referral.pk,
    )
    if assessment_started_on:
        chronology_entry_record(
            child=child,
            occurred_on=assessment_started_on,
            event_type=ChronologyEventType.ASSESSMENT,
            significance=Significance.MEDIUM,
            summary="Children's social care assessment started.",
            source_agency=_agency_of(recorded_by),
            recorded_by=recorded_by,
            source_kind="referral",
            source_id=referral.pk,
        )
    change_log_record(practitioner=recorded_by, child=child, record=referral, action="created")
    return referral


@transaction.atomic
def protection_meeting_record(
    *,
    child: Child,
    recorded_by: Practitioner,
    kind: str,
    held_on: datetime.date,
    conference_needed: bool,
    notes: str,
    submission_key: str,
) -> ProtectionMeeting:
    existing = submission_repeat(
        ProtectionMeeting.objects.all(),
        submission_key=submission_key,
        recorded_by_id=recorded_by.pk,
        child_id=child.pk,
    )
    if existing is not None:
        return existing
    _require_childrens_social_care(recorded_by)
    if conference_needed and kind != MeetingKind.STRATEGY_DISCUSSION:
        raise ValidationError(
            {"conference_needed": "Only a strategy discussion decides to convene a conference"}
        )
    meeting = ProtectionMeeting(
        child=child,
        kind=kind,
        held_on=held_on,
        conference_needed=conference_needed,
        notes=notes,
        recorded_by=recorded_by,
        submission_key=submission_key,
    )
    meeting.full_clean()
    meeting.save()
    outcome = " Initial conference to be convened." if conference_needed else ""
    chronology_entry_record(
        child=child,
        occurred_on=held_on,
        event_type=ChronologyEventType.PLAN,
        significance=Significance.HIGH,
        summary=f"{MeetingKind(kind).label} held.{outcome}",
        source_agency=_agency_of(recorded_by),
        recorded_by=recorded_by,
        source_kind="protection_meeting",
        source_id=meeting.pk,
    )
    return meeting


@transaction.atomic
def plan_review_record(
    *,
    plan: Plan,
    reviewed_by: Practitioner,
    reviewed_on: datetime.date,
    end_plan: bool,
    next_review_on: datetime.date | None,
    summary: str,
    submission_key: str = "",
) -> Plan:
    """Record a plan review: either set the next review date or end the plan. A review is its
    chronology entry, so the form's key on that entry makes a retry change nothing."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if submission_key and submission_repeat(
        ChronologyEntry.objects.all(),
        submission_key=submission_key,
        child_id=plan.child_id,
        recorded_by_id=reviewed_by.pk,
        source_kind="plan",
        source_id=plan.pk,
    ):
        return plan
    errors: dict[str, str] = {}
    if plan.ended_on is not None:
        raise ValidationError("This plan has already ended")
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The review date must be today or in the past"
    elif reviewed_on < plan.started_on:
        errors["reviewed_on"] = "The review must be on or after the day the plan started"
    if not end_plan and (next_review_on is None or next_review_on <= reviewed_on):
        errors["next_review_on"] = "Enter the date of the next review, after this one"
    if not summary.strip():
        errors["summary"] = "Enter what the review found"
    if errors:
        raise ValidationError(errors)
    if end_plan:
        plan.ended_on = reviewed_on
    else:
        plan.review_due_on = next_review_on
    plan.save(update_fields=["ended_on", "review_due_on"])
    outcome = (
        "plan ended" if end_plan else f"plan continues, next review {next_review_on:%d %B %Y}"  # type: ignore[str-format]
    )
    chronology_entry_record(
        child=plan.child,
        occurred_on=reviewed_on,
        event_type=ChronologyEventType.PLAN,
        significance=Significance.MEDIUM,
        summary=f"{NeedLevel(plan.level).label} plan reviewed: {outcome}. {summary.strip()}",
        source_agency=_agency_of(reviewed_by),
        recorded_by=reviewed_by,
        source_kind="plan",
        source_id=plan.pk,
        submission_key=submission_key or None,
    )
    return plan
