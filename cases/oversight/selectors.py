"""Selectors for the lead's queue, a flag's evidence, supervision and concern outcomes.

Every list is scoped by the access policy (children_visible_to) before anything else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.access import LEAD_ROLES, children_visible_to
from cases.codes import OPEN_ACTION_STATUSES
from cases.drift import drift_rules
from cases.models import (
    Child,
    ConcernChild,
    ConcernOutcome,
    DriftFlag,
    Involvement,
    LevelChange,
    PlanAction,
    Practitioner,
    ProtectionMeeting,
    Referral,
    SupervisionRecord,
    Visit,
)

NEW_TO_TEAM_DAYS = 28


@dataclass(frozen=True)
class QueueFilters:
    rule: str = ""
    team: int | None = None
    worker: int | None = None
    level: str = ""


def drift_queue(
    *, user: Practitioner, as_of: datetime.date | None = None, filters: QueueFilters | None = None
) -> QuerySet[DriftFlag]:
    """Open flags of children the user's agency works with, most severe and oldest first.

    A flag with a decision stays out of the queue until its review date, then comes back.
    """
    as_of = as_of or timezone.localdate()
    filters = filters or QueueFilters()
    flags = (
        DriftFlag.objects.filter(resolved_at__isnull=True, child__in=children_visible_to(user=user))
        .filter(Q(review_on__isnull=True) | Q(review_on__lte=as_of))
        # One LEFT JOIN to the child's open involvement (at most one, by constraint).
        .annotate(
            open_involvement=FilteredRelation(
                "child__involvements", condition=Q(child__involvements__ended_on__isnull=True)
            )
        )
        .annotate(
            level=F("open_involvement__level"),
            team_id=F("open_involvement__team_id"),
            worker_id=F("open_involvement__lead_professional_id"),
        )
        .select_related("child")
    )
    if filters.rule:
        flags = flags.filter(rule_code=filters.rule)
    if filters.team:
        flags = flags.filter(team_id=filters.team)
    if filters.worker:
        flags = flags.filter(worker_id=filters.worker)
    if filters.level:
        flags = flags.filter(level=filters.level)
    return flags.order_by("severity_rank", "opened_at", "pk")


def drift_flag_for_lead(*, user: Practitioner, flag_id: int) -> DriftFlag | None:
    return (
        DriftFlag.objects.filter(pk=flag_id, child__in=children_visible_to(user=user))
        .select_related("child")
        .first()
    )


def rule_titles() -> dict[str, str]:
    return {rule.code: rule.title for rule in drift_rules()}


def flag_evidence(*, flag: DriftFlag, as_of: datetime.date | None = None) -> dict[str, object]:
    """The records behind a flag, by the kind of evidence its rule names."""
    as_of = as_of or timezone.localdate()
    rule = next((r for r in drift_rules() if r.code == flag.rule_code), None)
    kind = rule.evidence if rule else ""
    child = flag.child
    evidence: dict[str, object] = {"kind": kind}
    if kind == "concerns":
        evidence["concerns"] = (
            ConcernChild.objects.filter(child=child)
            .select_related("concern", "concern__author_agency")
            .order_by("-concern__observed_on")[:10]
        )
    elif kind == "visits":
        evidence["visits"] = Visit.objects.filter(child=child).select_related("agency")[:10]
    elif kind == "plan_actions":
        evidence["actions"] = (
            PlanAction.objects.filter(
                child=child, status__in=OPEN_ACTION_STATUSES, due_on__lt=as_of
            )
            .select_related("owner_agency", "plan")
            .order_by("due_on")
        )
    elif kind == "referrals":
        evidence["referrals"] = Referral.objects.filter(child=child)[:10]
        evidence["involvements"] = child.involvements.select_related("lead_agency")[:10]
    elif kind == "meetings":
        evidence["meetings"] = ProtectionMeeting.objects.filter(child=child)[:10]
    evidence["involvement"] = (
        child.involvements.filter(ended_on__isnull=True)
        .select_related("lead_agency", "team", "lead_professional")
        .first()
    )
    evidence["decisions"] = flag.decisions.select_related("supervisor").order_by("-recorded_at")
    return evidence


def new_to_team(*, user: Practitioner, since_days: int = NEW_TO_TEAM_DAYS) -> QuerySet[LevelChange]:
    """Cases stepped up or down to the user's agency (their team, if they have one) lately."""
    changes = LevelChange.objects.filter(
        receiving_agency_id=user.agency_id,
        changed_at__gte=timezone.now() - datetime.timedelta(days=since_days),
        child__in=children_visible_to(user=user),
    )
    if user.team_id:
        changes = changes.filter(Q(receiving_team_id=user.team_id) | Q(receiving_team__isnull=True))
    return changes.select_related("child", "to_involvement", "receiving_team").order_by(
        "-changed_at"
    )


def concerns_awaiting_outcome(*, user: Practitioner) -> QuerySet[ConcernChild]:
    """Concerns about children whose case the user's agency holds, with no outcome yet."""
    held = Involvement.objects.filter(
        child=OuterRef("child_id"), ended_on__isnull=True, lead_agency_id=user.agency_id
    )
    answered = ConcernOutcome.objects.filter(
        concern_id=OuterRef("concern_id"), child_id=OuterRef("child_id")
    )
    return (
        ConcernChild.objects.filter(Exists(held), child__in=children_visible_to(user=user))
        .exclude(Exists(answered))
        .select_related("child", "concern", "concern__author_agency")
        .order_by("concern__submitted_at")
    )


@dataclass(frozen=True)
class OutcomeForReferrer:
    outcome: ConcernOutcome
    child_visible: bool


def outcomes_for_referrer(*, user: Practitioner, limit: int = 10) -> list[OutcomeForReferrer]:
    """Outcomes of concerns the user logged. The child is named only if the user may see them."""
    visible = children_visible_to(user=user).filter(pk=OuterRef("child_id"))
    outcomes = (
        ConcernOutcome.objects.filter(concern__author=user)
        .annotate(child_visible=Exists(visible))
        .select_related("concern", "recording_agency", "child")
        .order_by("-recorded_at")[:limit]
    )
    return [OutcomeForReferrer(o, bool(o.child_visible)) for o in outcomes]  # type: ignore[attr-defined]


def may_read_supervision(*, user: Practitioner) -> bool:
    return user.role in LEAD_ROLES


def supervision_for_child(*, user: Practitioner, child: Child) -> QuerySet[SupervisionRecord]:
    """Leads see the child's supervision records; a practitioner sees those about themselves."""
    records = SupervisionRecord.objects.filter(child=child).select_related(
        "supervisor", "practitioner", "supervisor_agency"
    )
    if may_read_supervision(user=user):
        return records
    return records.filter(practitioner=user)


def open_flags_for_child(*, user: Practitioner, child: Child) -> QuerySet[DriftFlag]:
    """The child's open drift flags, for leads; nobody else reviews drift."""
    if user.role not in LEAD_ROLES:
        return DriftFlag.objects.none()
    return DriftFlag.objects.filter(child=child, resolved_at__isnull=True)
