"""Reads for case audits, scoped to who is asking: the business manager sees every audit;
an auditor sees the audits they grade in, and only their own agency's grades until the audit
is moderated."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cases.access import is_business_manager
from cases.models import Child, ChronologyEntry, Involvement, Practitioner

from .models import AgreedGrade, AuditGrade, AuditSample, CaseAudit


def audits_for(*, user: Practitioner) -> QuerySet[CaseAudit]:
    if is_business_manager(user):
        return CaseAudit.objects.all()
    return CaseAudit.objects.filter(agencies__auditor=user).distinct()


def audit_for(*, user: Practitioner, audit_id: int) -> CaseAudit | None:
    return (
        audits_for(user=user)
        .prefetch_related("questions", "agencies__agency", "agencies__auditor")
        .filter(pk=audit_id)
        .first()
    )


def samples(*, audit: CaseAudit) -> list[AuditSample]:
    return list(audit.samples.select_related("child", "replaces__child"))


def grades_visible(*, user: Practitioner, audit: CaseAudit) -> QuerySet[AuditGrade]:
    """Every grade for the manager, and for auditors once moderated; before that an auditor
    sees only their own agency's."""
    grades = (
        AuditGrade.objects.filter(sample__audit=audit)
        .select_related("agency", "question", "sample__child")
        .order_by("sample__position", "question__position", "agency__name")
    )
    if is_business_manager(user) or audit.moderated_at is not None:
        return grades
    return grades.filter(agency=user.agency)


def agreed_grades(*, audit: CaseAudit) -> QuerySet[AgreedGrade]:
    return (
        AgreedGrade.objects.filter(sample__audit=audit)
        .select_related("agency", "question", "sample__child")
        .order_by("sample__position", "question__position", "agency__name")
    )


@dataclass
class RecordAsItStood:
    """What the auditor reads: the child's involvements and chronology up to the draw."""

    child: Child
    involvements: list[Involvement]
    chronology: list[ChronologyEntry]


def record_as_it_stood(*, child: Child, audit: CaseAudit) -> RecordAsItStood:
    as_at = audit.sampled_at
    involvements = Involvement.objects.filter(child=child).select_related("lead_agency")
    entries = ChronologyEntry.objects.filter(child=child).select_related("source_agency")
    if as_at is not None:
        involvements = involvements.filter(started_on__lte=as_at.date())
        entries = entries.filter(recorded_at__lte=as_at)
    return RecordAsItStood(
        child=child,
        involvements=list(involvements.order_by("-started_on")),
        chronology=list(entries.order_by("-occurred_on", "-recorded_at")[:200]),
    )
