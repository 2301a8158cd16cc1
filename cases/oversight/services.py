"""Services for the lead's side of drift: decisions, supervision, stepping a case up or down, and telling the referrer what happened to their concern."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.access import (
    child_reached_by_break_glass,
    decides_need_level,
    in_childrens_social_care,
    is_lead,
)
from cases.codes import (
    CHALLENGE_LEVELS,
    NEED_LEVEL_ORDER,
    AgencyType,
    ChallengeOutcome,
    ChronologyEventType,
    ConcernOutcomeKind,
    DriftDecision,
    NeedLevel,
    RelationshipBasis,
    Significance,
    StepUpStatus,
)
from cases.drift.queue import drift_queue_entries_refresh
from cases.models import (
    Agency,
    Child,
    ChronologyEntry,
    Concern,
    ConcernOutcome,
    DriftFlag,
    DriftFlagReview,
    Involvement,
    LevelChange,
    Practitioner,
    ProfessionalChallenge,
    StepUpRequest,
    SupervisionRecord,
    Team,
)
from cases.services import (
    change_log_record,
    chronology_entry_record,
    legitimate_relationship_record,
    submission_repeat,
)
from cases.working_days import nth_working_day_from

# A challenge that rises a level gets this many working days for an answer at the new level.
CHALLENGE_ESCALATION_WORKING_DAYS = 5
STATUTORY_LEVELS = (NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION)


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
    """A lead's decision on a flag for their own agency: recorded as supervision; the flag
    leaves that agency's queue (other agencies keep theirs) until the review date, then
    reappears if it still applies."""
    existing = submission_repeat(
        SupervisionRecord.objects.all(),
        submission_key=submission_key,
        child_id=flag.child_id,
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
    worker = involvement.lead_professional if involvement else None
    record = supervision_record(
        child=flag.child,
        supervisor=lead,
        # Supervision is within an agency: another agency's lead professional is not supervised.
        practitioner=worker if worker and worker.agency_id == lead.agency_id else None,
        held_on=today,
        reflection="",
        decisions=reason,
        actions=actions,
        submission_key=submission_key,
        drift_flag=flag,
        drift_decision=decision,
        next_review_on=next_review_on,
    )
    assert lead.agency is not None and next_review_on is not None
    DriftFlagReview.objects.update_or_create(
        flag=flag,
        agency=lead.agency,
        defaults={"review_on": next_review_on, "decision": record, "decided_at": timezone.now()},
    )
    # The flag leaves this agency's queue now, not at the next evaluation.
    drift_queue_entries_refresh(child_ids=[flag.child_id])
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

    Child in need and child protection (and stepping a case down from them) are children's
    social care decisions: only its social-care managers may make them, and such a case goes to
    a children's social care team. Any lead may open early help. Allocating the case gives the
    receiving agency a relationship, so a lead who reaches the child only through a break-glass
    grant may not do it (the grant is for reading).
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
    statutory = to_level in STATUTORY_LEVELS or (
        current is not None and current.level in STATUTORY_LEVELS
    )
    if statutory and not decides_need_level(lead):
        raise PermissionDenied("Only a children's social care manager decides this")
    errors: dict[str, str] = {}
    if to_level in STATUTORY_LEVELS and (
        receiving_team.agency.agency_type != AgencyType.CHILDRENS_SOCIAL_CARE
    ):
        errors["receiving_team"] = "Choose a children's social care team"
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
    # The relationship's record refreshes the child's queue rows: the new case holder and team.
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
    # values_list, not only(): a related manager's deferred row fetched child_id again.
    return (
        Involvement.objects.filter(child_id=child.pk, ended_on__isnull=True)
        .order_by("pk")
        .values_list("lead_agency_id", flat=True)
        .first()
    )


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


def agency_holding_case_for(child: Child) -> Agency | None:
    involvement = (
        child.involvements.filter(ended_on__isnull=True).select_related("lead_agency").first()
    )
    return involvement.lead_agency if involvement else None


def may_raise_challenge(*, user: Practitioner, child: Child) -> bool:
    """A lead of any agency but the one holding the case (which answers challenges)."""
    return may_challenge_holder(user=user, holding_agency_id=agency_holding_case(child))


def may_challenge_holder(*, user: Practitioner, holding_agency_id: int | None) -> bool:
    """`may_raise_challenge`, for a page that has already read the open involvement."""
    return is_lead(user) and holding_agency_id is not None and holding_agency_id != user.agency_id


@transaction.atomic
def challenge_raise(
    *,
    child: Child,
    raised_by: Practitioner,
    reason: str,
    asked_for: str,
    answer_by: datetime.date,
    submission_key: str,
    drift_flag: DriftFlag | None = None,
) -> ProfessionalChallenge:
    """A professional challenge to the agency holding the child's case, in writing, with a date
    for the answer. It lands on that agency's leads' list and in the chronology."""
    existing = submission_repeat(
        ProfessionalChallenge.objects.all(),
        submission_key=submission_key,
        child_id=child.pk,
        raised_by_id=raised_by.pk,
    )
    if existing is not None:
        return existing
    _require_lead(raised_by)
    holding = agency_holding_case_for(child)
    if holding is None:
        raise ValidationError(
            "No agency holds this child's case: log a concern or request a step up"
        )
    if holding.pk == raised_by.agency_id:
        raise PermissionDenied("Your agency holds this case: challenges are answered here")
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Enter why you disagree"
    if not asked_for.strip():
        errors["asked_for"] = "Enter what you are asking the agency to do"
    if answer_by <= timezone.localdate():
        errors["answer_by"] = "The date for an answer must be in the future"
    if drift_flag is not None and drift_flag.child_id != child.pk:
        errors["drift_flag"] = "Choose a flag about this child"
    if errors:
        raise ValidationError(errors)
    assert raised_by.agency is not None
    challenge = ProfessionalChallenge.objects.create(
        child=child,
        drift_flag=drift_flag,
        raised_by=raised_by,
        raising_agency=raised_by.agency,
        holding_agency=holding,
        reason=reason.strip(),
        asked_for=asked_for.strip(),
        answer_by=answer_by,
        submission_key=submission_key,
    )
    _act_recorded(
        child=child,
        by=raised_by,
        record=challenge,
        source_kind="challenge",
        action="created",
        significance=Significance.HIGH,
        summary=(
            f"Professional challenge raised by {raised_by.agency.name} with {holding.name}; "
            f"answer asked for by {answer_by:%d %B %Y}."
        ),
    )
    return challenge


def _act_recorded(
    *,
    child: Child,
    by: Practitioner,
    record: ProfessionalChallenge | StepUpRequest,
    source_kind: str,
    action: str,
    significance: str,
    summary: str,
) -> None:
    """A challenge's or step-up request's act, today, in the child's chronology (as the acting
    agency's) and in the change log."""
    assert by.agency is not None  # only a lead of an agency raises, answers or decides
    chronology_entry_record(
        child=child,
        occurred_on=timezone.localdate(),
        event_type=ChronologyEventType.OTHER,
        significance=significance,
        summary=summary,
        source_agency=by.agency,
        recorded_by=by,
        source_kind=source_kind,
        source_id=record.pk,
    )
    change_log_record(practitioner=by, child=child, record=record, action=action)


def may_answer_challenge(*, user: Practitioner, challenge: ProfessionalChallenge) -> bool:
    return is_lead(user) and user.agency_id == challenge.holding_agency_id


@transaction.atomic
def challenge_answer(
    *, challenge: ProfessionalChallenge, lead: Practitioner, response: str, outcome: str
) -> ProfessionalChallenge:
    """The case-holding agency's written answer, fed back to the agency that raised it.

    Answering again (a double submit) returns the first answer unchanged."""
    if not may_answer_challenge(user=lead, challenge=challenge):
        raise PermissionDenied("Only a lead of the agency holding the case answers this")
    challenge = ProfessionalChallenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.is_answered:
        return challenge
    errors: dict[str, str] = {}
    if outcome not in ChallengeOutcome.values:
        errors["outcome"] = "Choose whether you agree"
    if not response.strip():
        errors["response"] = "Enter your answer"
    if errors:
        raise ValidationError(errors)
    assert lead.agency is not None
    challenge.response = response.strip()
    challenge.outcome = outcome
    challenge.answered_by = lead
    challenge.answered_at = timezone.now()
    challenge.save(update_fields=["response", "outcome", "answered_by", "answered_at"])
    _act_recorded(
        child=challenge.child,
        by=lead,
        record=challenge,
        source_kind="challenge",
        action="answered",
        significance=Significance.MEDIUM,
        summary=(
            f"Professional challenge from {challenge.raising_agency.name} answered by "
            f"{lead.agency.name}: {ChallengeOutcome(outcome).label.lower()}."
        ),
    )
    return challenge


def challenges_escalate(*, today: datetime.date | None = None) -> int:
    """Raise every challenge still unanswered after its date one level, with a new date.

    Run on a schedule (beat) and when the challenge lists load; safe to run again: a challenge
    rises once per missed date, and rows another run holds are skipped."""
    today = today or timezone.localdate()
    top = max(CHALLENGE_LEVELS)
    escalated = 0
    with transaction.atomic():
        overdue = (
            ProfessionalChallenge.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(answered_at__isnull=True, answer_by__lt=today, level__lt=top)
            .select_related("child", "holding_agency", "raising_agency")
        )
        for challenge in overdue:
            challenge.level += 1
            challenge.escalated_at = timezone.now()
            challenge.answer_by = nth_working_day_from(today, CHALLENGE_ESCALATION_WORKING_DAYS)
            challenge.save(update_fields=["level", "escalated_at", "answer_by"])
            chronology_entry_record(
                child=challenge.child,
                occurred_on=today,
                event_type=ChronologyEventType.OTHER,
                significance=Significance.HIGH,
                summary=(
                    f"Professional challenge from {challenge.raising_agency.name} not answered "
                    f"by {challenge.holding_agency.name} in time: escalated to level "
                    f"{challenge.level} ({CHALLENGE_LEVELS[challenge.level].lower()})."
                ),
                source_agency=challenge.raising_agency,
                recorded_by=None,
                source_kind="challenge",
                source_id=challenge.pk,
            )
            escalated += 1
    return escalated


def step_up_receiving_agency(child: Child) -> Agency | None:
    """Children's social care: the one holding the case, else the partnership's first."""
    holding = agency_holding_case_for(child)
    if holding is not None and holding.agency_type == AgencyType.CHILDRENS_SOCIAL_CARE:
        return holding
    return (
        Agency.objects.filter(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE).order_by("pk").first()
    )


def may_request_step_up(*, user: Practitioner) -> bool:
    """Other agencies request; children's social care steps a case up itself."""
    return is_lead(user) and user.agency is not None and not in_childrens_social_care(user)


@transaction.atomic
def step_up_request(
    *,
    child: Child,
    requested_by: Practitioner,
    to_level: str,
    reasons: str,
    submission_key: str,
    evidence_concerns: list[Concern] | None = None,
    evidence_flags: list[DriftFlag] | None = None,
    evidence_entries: list[ChronologyEntry] | None = None,
) -> StepUpRequest:
    """Ask children's social care to step the case up, with the reasons and linked evidence.

    Children's social care gains a relationship with the child so it can read the evidence."""
    existing = submission_repeat(
        StepUpRequest.objects.all(),
        submission_key=submission_key,
        child_id=child.pk,
        requested_by_id=requested_by.pk,
    )
    if existing is not None:
        return existing
    if not may_request_step_up(user=requested_by):
        raise PermissionDenied("Children's social care steps a case up itself")
    receiving = step_up_receiving_agency(child)
    if receiving is None:
        raise ValidationError("The partnership has no children's social care agency to ask")
    current = child.involvements.filter(ended_on__isnull=True).first()
    errors: dict[str, str] = {}
    if to_level not in STATUTORY_LEVELS:
        errors["to_level"] = "Choose child in need or child protection"
    elif current is not None and NEED_LEVEL_ORDER.index(current.level) >= NEED_LEVEL_ORDER.index(
        to_level
    ):
        errors["to_level"] = "The child is already at this level or above"
    if not reasons.strip():
        errors["reasons"] = "Enter the reasons for the request"
    concerns = list(evidence_concerns or [])
    flags = list(evidence_flags or [])
    entries = list(evidence_entries or [])
    if (
        any(not c.children.filter(pk=child.pk).exists() for c in concerns)
        or any(flag.child_id != child.pk for flag in flags)
        or any(entry.child_id != child.pk for entry in entries)
    ):
        errors["reasons"] = "Link only evidence about this child"
    if errors:
        raise ValidationError(errors)
    assert requested_by.agency is not None
    request = StepUpRequest.objects.create(
        child=child,
        requested_by=requested_by,
        requesting_agency=requested_by.agency,
        receiving_agency=receiving,
        to_level=to_level,
        reasons=reasons.strip(),
        submission_key=submission_key,
    )
    request.evidence_concerns.set(concerns)
    request.evidence_flags.set(flags)
    request.evidence_entries.set(entries)
    legitimate_relationship_record(
        child=child, agency_id=receiving.pk, basis=RelationshipBasis.STEP_UP_REQUEST
    )
    _act_recorded(
        child=child,
        by=requested_by,
        record=request,
        source_kind="step_up_request",
        action="created",
        significance=Significance.HIGH,
        summary=(
            f"{requested_by.agency.name} asked {receiving.name} to step the case up to "
            f"{NeedLevel(to_level).label.lower()}."
        ),
    )
    return request


def may_decide_step_up(*, user: Practitioner, request: StepUpRequest) -> bool:
    return decides_need_level(user) and user.agency_id == request.receiving_agency_id


@transaction.atomic
def step_up_decide(
    *,
    request: StepUpRequest,
    manager: Practitioner,
    accept: bool,
    reason: str,
    submission_key: str,
    receiving_team: Team | None = None,
    protection_category: str = "",
) -> StepUpRequest:
    """Children's social care accepts (stepping the case up) or declines with reasons; the
    requesting agency sees the outcome. Deciding again returns the first decision."""
    if not may_decide_step_up(user=manager, request=request):
        raise PermissionDenied("Only a children's social care manager decides this")
    request = StepUpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != StepUpStatus.PENDING:
        return request
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for your decision"})
    assert manager.agency is not None
    if accept:
        if receiving_team is None:
            raise ValidationError({"receiving_team": "Choose the team taking the case"})
        request.level_change = involvement_step(
            child=request.child,
            lead=manager,
            to_level=request.to_level,
            protection_category=protection_category,
            reason=reason,
            receiving_team=receiving_team,
            submission_key=submission_key,
        )
    request.status = StepUpStatus.ACCEPTED if accept else StepUpStatus.DECLINED
    request.decided_by = manager
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "level_change"]
    )
    _act_recorded(
        child=request.child,
        by=manager,
        record=request,
        source_kind="step_up_request",
        action="decided",
        significance=Significance.HIGH,
        summary=(
            f"Request from {request.requesting_agency.name} to step up to "
            f"{request.get_to_level_display().lower()} "
            f"{'accepted' if accept else 'declined'} by {manager.agency.name}."
        ),
    )
    return request
