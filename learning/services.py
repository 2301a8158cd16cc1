"""Services for multi-agency case audits: set up, sample, grade, moderate, act, close. Each
is one transaction; errors a person can fix are `AuditError`s naming the field."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.access import LEAD_ROLES, is_business_manager
from cases.codes import GrantPurpose, NeedLevel, PrimaryNeed, ProtectionCategory
from cases.models import AccessGrant, Involvement, Practitioner
from cases.services import submission_repeat

from .models import (
    AgreedGrade,
    AuditAccess,
    AuditAgency,
    AuditGrade,
    AuditQuestion,
    AuditSample,
    AuditStatus,
    CaseAudit,
    Grade,
    LearningAction,
)
from .sampling import Population, replacement_draw, sample_draw


class AuditError(ValidationError):
    """A fixable problem with what was asked, keyed by the form field it is about."""


def _manager_only(user: Practitioner) -> None:
    if not is_business_manager(user):
        raise AuditError({"__all__": "Only the partnership business manager may do this"})


@dataclass
class QuestionFields:
    text: str
    guidance: str


@transaction.atomic
def audit_create(
    *,
    manager: Practitioner,
    theme: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    levels: list[str],
    neglect_only: bool,
    sample_size: int,
    questions: list[QuestionFields],
    auditors: list[Practitioner],
    submission_key: str = "",
) -> CaseAudit:
    """Set up an audit. A resubmitted form (same key, same manager) returns the first one."""
    _manager_only(manager)
    if submission_key:
        existing = submission_repeat(
            CaseAudit.objects.all(), submission_key=submission_key, created_by_id=manager.pk
        )
        if existing is not None:
            return existing
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    if not questions:
        errors["questions"] = "Enter at least one question"
    if not levels or set(levels) - set(NeedLevel.values):
        errors["levels"] = "Select the levels of need to sample from"
    agencies = [a.agency_id for a in auditors if a.agency_id is not None]
    if not auditors:
        errors["auditors"] = "Select an auditor for each agency taking part"
    elif len(set(agencies)) != len(auditors):
        errors["auditors"] = "Select one auditor for each agency"
    elif any(a.role not in LEAD_ROLES or not a.is_active for a in auditors):
        errors["auditors"] = "Each auditor must be a safeguarding lead of their agency"
    if errors:
        raise AuditError(errors)
    audit = CaseAudit.objects.create(
        theme=theme,
        created_by=manager,
        starts_on=starts_on,
        ends_on=ends_on,
        levels=levels,
        neglect_only=neglect_only,
        sample_size=sample_size,
        submission_key=submission_key,
    )
    AuditQuestion.objects.bulk_create(
        AuditQuestion(audit=audit, position=i, text=q.text, guidance=q.guidance)
        for i, q in enumerate(questions, start=1)
    )
    AuditAgency.objects.bulk_create(
        AuditAgency(audit=audit, agency=a.agency, auditor=a) for a in auditors
    )
    return audit


def audit_population(*, audit: CaseAudit) -> Population:
    """Children with an open involvement at the audit's levels (with neglect as the plan's
    category or the primary need, when asked), stratified by level of need and lead agency."""
    involvements = Involvement.objects.filter(
        ended_on__isnull=True, level__in=audit.levels, child__is_restricted=False
    )
    if audit.neglect_only:
        involvements = involvements.filter(
            Q(protection_category=ProtectionCategory.NEGLECT) | Q(primary_need=PrimaryNeed.N1)
        )
    return [
        (child_id, f"{NeedLevel(level).label} / {agency}")
        for child_id, level, agency in involvements.order_by("child_id").values_list(
            "child_id", "level", "lead_agency__name"
        )
    ]


def _grant(audit: CaseAudit, sample: AuditSample) -> None:
    """Each auditor's grant to the sampled child, ending with the audit's last day."""
    ends = timezone.make_aware(
        datetime.datetime.combine(audit.ends_on + datetime.timedelta(days=1), datetime.time())
    )
    for taking_part in audit.agencies.all():
        grant = AccessGrant.objects.create(
            practitioner=taking_part.auditor,
            child_id=sample.child_id,
            reason=f"audit: {audit.theme}"[:200],
            purpose=GrantPurpose.AUDIT,
            expires_at=ends,
        )
        AuditAccess.objects.create(audit=audit, grant=grant)


def _end_grants(audit: CaseAudit, child_id: int | None = None) -> int:
    grants = AccessGrant.objects.filter(
        pk__in=audit.accesses.values("grant_id"), expires_at__gt=timezone.now()
    )
    if child_id is not None:
        grants = grants.filter(child_id=child_id)
    return grants.update(expires_at=timezone.now())


@transaction.atomic
def audit_sample_draw(
    *, manager: Practitioner, audit_id: int, seed: int | None = None
) -> CaseAudit:
    """Draw the sample from the population as it stands now, recording the seed and the
    snapshot, and open each auditor's grant to each sampled child."""
    _manager_only(manager)
    audit = CaseAudit.objects.select_for_update().get(pk=audit_id)
    if audit.status != AuditStatus.SETUP:
        raise AuditError({"__all__": "This audit's sample has already been drawn"})
    population = audit_population(audit=audit)
    if not population:
        raise AuditError({"__all__": "No child is in the chosen population"})
    audit.seed = seed if seed is not None else secrets.randbelow(2**62)
    audit.population = [list(member) for member in population]
    audit.sampled_at = timezone.now()
    audit.status = AuditStatus.GRADING
    audit.save()
    for position, (child_id, stratum) in enumerate(
        sample_draw(population=population, size=audit.sample_size, seed=audit.seed), start=1
    ):
        _grant(
            audit,
            AuditSample.objects.create(
                audit=audit, child_id=child_id, stratum=stratum, position=position
            ),
        )
    return audit


@transaction.atomic
def audit_sample_swap(*, manager: Practitioner, sample_id: int, reason: str) -> AuditSample:
    """Swap a child out (the reason is kept) for the next child drawn from the same stratum."""
    _manager_only(manager)
    sample = AuditSample.objects.select_for_update().select_related("audit").get(pk=sample_id)
    audit = sample.audit
    if audit.status != AuditStatus.GRADING or not sample.in_sample:
        raise AuditError({"__all__": "This child can no longer be swapped out"})
    if not reason.strip():
        raise AuditError({"reason": "Enter why this child is swapped out"})
    population = [(int(c), str(s)) for c, s in audit.population]
    drawn = set(audit.samples.values_list("child_id", flat=True))
    replacement = replacement_draw(
        population=population, seed=audit.seed or 0, stratum=sample.stratum, drawn=drawn
    )
    sample.swapped_out_reason = reason
    sample.swapped_out_at = timezone.now()
    sample.save()
    _end_grants(audit, sample.child_id)
    AuditGrade.objects.filter(sample=sample).delete()
    if replacement is None:
        return sample
    new = AuditSample.objects.create(
        audit=audit,
        child_id=replacement,
        stratum=sample.stratum,
        position=audit.samples.count() + 1,
        replaces=sample,
    )
    _grant(audit, new)
    return new


def _taking_part(audit: CaseAudit, auditor: Practitioner) -> AuditAgency:
    taking_part = audit.agencies.filter(auditor=auditor).first()
    if taking_part is None:
        raise AuditError({"__all__": "You are not an auditor in this audit"})
    return taking_part


@transaction.atomic
def audit_grades_record(
    *, auditor: Practitioner, sample_id: int, grades: dict[int, tuple[str, str]]
) -> list[AuditGrade]:
    """The auditor's grades of their own agency's practice for one child: question id ->
    (grade, evidence). Every question needs a grade and evidence; saving again replaces them."""
    sample = AuditSample.objects.select_related("audit").get(pk=sample_id)
    audit = sample.audit
    taking_part = _taking_part(audit, auditor)
    if audit.status != AuditStatus.GRADING or not sample.in_sample:
        raise AuditError({"__all__": "Grading has ended for this child"})
    errors = {}
    for question in audit.questions.all():
        grade, evidence = grades.get(question.pk, ("", ""))
        if grade not in Grade.values:
            errors[f"grade_{question.pk}"] = "Select a grade"
        if not evidence.strip():
            errors[f"evidence_{question.pk}"] = "Enter the evidence for this grade"
    if errors:
        raise AuditError(errors)
    saved = []
    for question in audit.questions.all():
        grade, evidence = grades[question.pk]
        row, _ = AuditGrade.objects.update_or_create(
            sample=sample,
            question=question,
            agency_id=taking_part.agency_id,
            defaults={
                "grade": grade,
                "evidence": evidence,
                "graded_by": auditor,
                "graded_at": timezone.now(),
            },
        )
        saved.append(row)
    return saved


@transaction.atomic
def audit_moderate(
    *,
    manager: Practitioner,
    audit_id: int,
    agreed: dict[tuple[int, int, int], str],
    worked_well: str,
    must_change: str,
) -> CaseAudit:
    """Record the agreed grades ((sample, question, agency) -> grade) for every grade given,
    what worked well and what must change. From then on every auditor sees every grade."""
    _manager_only(manager)
    audit = CaseAudit.objects.select_for_update().get(pk=audit_id)
    if audit.status not in (AuditStatus.GRADING, AuditStatus.MODERATION):
        raise AuditError({"__all__": "This audit is closed"})
    given = set(
        AuditGrade.objects.filter(
            sample__audit=audit, sample__swapped_out_at__isnull=True
        ).values_list("sample_id", "question_id", "agency_id")
    )
    errors = {}
    if not given:
        errors["__all__"] = "No agency has graded a child yet"
    for key in given:
        if agreed.get(key) not in Grade.values:
            errors[f"agreed_{key[0]}_{key[1]}_{key[2]}"] = "Select the agreed grade"
    if not worked_well.strip():
        errors["worked_well"] = "Enter what worked well"
    if not must_change.strip():
        errors["must_change"] = "Enter what must change"
    if errors:
        raise AuditError(errors)
    AgreedGrade.objects.filter(sample__audit=audit).delete()
    AgreedGrade.objects.bulk_create(
        AgreedGrade(sample_id=s, question_id=q, agency_id=a, grade=agreed[(s, q, a)])
        for s, q, a in sorted(given)
    )
    audit.worked_well = worked_well
    audit.must_change = must_change
    audit.moderated_at = timezone.now()
    audit.status = AuditStatus.MODERATION
    audit.save()
    return audit


@transaction.atomic
def learning_action_add(
    *,
    manager: Practitioner,
    audit_id: int,
    text: str,
    owner: str,
    due_on: datetime.date,
    submission_key: str = "",
) -> LearningAction:
    """Add a learning action after moderation; a resubmitted form returns the first one."""
    _manager_only(manager)
    audit = CaseAudit.objects.get(pk=audit_id)
    if submission_key:
        existing = submission_repeat(
            LearningAction.objects.all(), submission_key=submission_key, audit_id=audit.pk
        )
        if existing is not None:
            return existing
    if audit.moderated_at is None:
        raise AuditError({"__all__": "Learning actions follow moderation"})
    return LearningAction.objects.create(
        audit=audit, text=text, owner=owner, due_on=due_on, submission_key=submission_key
    )


@transaction.atomic
def audit_close(*, manager: Practitioner, audit_id: int) -> CaseAudit:
    """Close the audit: every auditor's grant to every sampled child ends now."""
    _manager_only(manager)
    audit = CaseAudit.objects.select_for_update().get(pk=audit_id)
    if audit.moderated_at is None:
        raise AuditError({"__all__": "Moderate the audit before closing it"})
    audit.status = AuditStatus.CLOSED
    audit.closed_at = timezone.now()
    audit.save()
    _end_grants(audit)
    return audit
