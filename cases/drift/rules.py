"""The drift rules that `cases` owns, each a set-based queryset over the children evaluated.

Registered in CasesConfig.ready. Working-day timescales compare every child's start date with
one boundary date (cases.working_days.breach_boundary), so each rule is one SQL query however
many children are evaluated. Thresholds come from the context: the rule's defaults overridden
by the partnership's DriftRuleSetting.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Greatest

from cases.codes import (
    OPEN_ACTION_STATUSES,
    ChronologyEventType,
    DriftSeverity,
    MeetingKind,
    NeedLevel,
)
from cases.drift import DriftContext, DriftRule, register_drift_rule
from cases.models import (
    Child,
    ChronologyEntry,
    ConcernChild,
    Involvement,
    PlanAction,
    ProtectionMeeting,
    Referral,
    Visit,
)
from cases.working_days import breach_boundary

# Levels at which a child has a plan and a lead professional.
SERVICE_LEVELS = (
    NeedLevel.EARLY_HELP,
    NeedLevel.CHILD_IN_NEED,
    NeedLevel.CHILD_PROTECTION,
    NeedLevel.LOOKED_AFTER,
)
# Chronology events that show somebody acted on accumulating concerns.
RESPONSE_EVENTS = (
    ChronologyEventType.ASSESSMENT,
    ChronologyEventType.INVOLVEMENT_CHANGE,
    ChronologyEventType.PLAN,
)


def _open_involvement() -> QuerySet[Involvement]:
    return Involvement.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)


def _with_open_level(children: QuerySet[Child]) -> QuerySet[Child]:
    return children.annotate(
        open_level=Subquery(_open_involvement().values("level")[:1]),
        open_started=Subquery(_open_involvement().values("started_on")[:1]),
    )


def cumulative_concerns(context: DriftContext) -> QuerySet[Child]:
    window_start = context.as_of - datetime.timedelta(days=context.thresholds["window_days"])
    in_window = {"occurred_on__gte": window_start, "occurred_on__lte": context.as_of}
    many_concerns = (
        ConcernChild.objects.filter(
            concern__observed_on__gte=window_start, concern__observed_on__lte=context.as_of
        )
        .values("child_id")
        .annotate(count=Count("id"))
        .filter(count__gte=context.thresholds["concerns"])
        .values("child_id")
    )
    responded = ChronologyEntry.objects.filter(
        child=OuterRef("pk"), event_type__in=RESPONSE_EVENTS, **in_window
    )
    return context.children.filter(pk__in=many_concerns).exclude(Exists(responded))


def child_not_seen(context: DriftContext) -> QuerySet[Child]:
    t = context.thresholds
    seen = Visit.objects.filter(
        child=OuterRef("pk"), child_seen=True, occurred_on__lte=context.as_of
    )
    last_seen = Subquery(
        seen.order_by("-occurred_on").values("occurred_on")[:1], output_field=DateField()
    )
    last_seen_alone = Subquery(
        seen.filter(child_seen_alone=True).order_by("-occurred_on").values("occurred_on")[:1],
        output_field=DateField(),
    )
    children = _with_open_level(context.children).annotate(
        # PostgreSQL's GREATEST ignores NULLs: never seen counts from the involvement's start.
        seen_since=Greatest(last_seen, "open_started"),
        seen_alone_since=Greatest(last_seen_alone, "open_started"),
    )
    protection_field = "seen_alone_since" if t["cp_seen_alone"] else "seen_since"
    return children.filter(
        Q(
            open_level=NeedLevel.CHILD_PROTECTION,
            **{f"{protection_field}__lte": breach_boundary(context.as_of, t["cp_working_days"])},
        )
        | Q(
            open_level=NeedLevel.CHILD_IN_NEED,
            seen_since__lte=breach_boundary(context.as_of, t["cin_working_days"]),
        )
        | Q(
            open_level=NeedLevel.EARLY_HELP,
            seen_since__lte=breach_boundary(context.as_of, t["early_help_working_days"]),
        )
    )


def referral_decision_late(context: DriftContext) -> QuerySet[Child]:
    late = Referral.objects.filter(
        child=OuterRef("pk"),
        decision_on__isnull=True,
        received_on__lte=breach_boundary(context.as_of, context.thresholds["working_days"]),
    )
    return context.children.filter(Exists(late))


def assessment_late(context: DriftContext) -> QuerySet[Child]:
    late = Referral.objects.filter(
        child=OuterRef("pk"),
        assessment_started_on__isnull=False,
        assessment_completed_on__isnull=True,
        assessment_started_on__lte=breach_boundary(
            context.as_of, context.thresholds["working_days"]
        ),
    )
    return context.children.filter(Exists(late))


def _meetings(kind: str) -> QuerySet[ProtectionMeeting]:
    return ProtectionMeeting.objects.filter(child=OuterRef("pk"), kind=kind)


def initial_conference_late(context: DriftContext) -> QuerySet[Child]:
    last_strategy = Subquery(
        _meetings(MeetingKind.STRATEGY_DISCUSSION)
        .filter(conference_needed=True, held_on__lte=context.as_of)
        .order_by("-held_on")
        .values("held_on")[:1],
        output_field=DateField(),
    )
    conference_since = ProtectionMeeting.objects.filter(
        child=OuterRef("pk"),
        kind=MeetingKind.INITIAL_CONFERENCE,
        held_on__gte=OuterRef("last_strategy"),
    )
    return (
        context.children.annotate(last_strategy=last_strategy)
        .filter(
            last_strategy__lte=breach_boundary(context.as_of, context.thresholds["working_days"])
        )
        .exclude(Exists(conference_since))
    )


def _on_protection_plan() -> Exists:
    return Exists(_open_involvement().filter(level=NeedLevel.CHILD_PROTECTION))


def first_core_group_late(context: DriftContext) -> QuerySet[Child]:
    last_initial = Subquery(
        _meetings(MeetingKind.INITIAL_CONFERENCE)
        .filter(held_on__lte=context.as_of)
        .order_by("-held_on")
        .values("held_on")[:1],
        output_field=DateField(),
    )
    core_group_since = ProtectionMeeting.objects.filter(
        child=OuterRef("pk"), kind=MeetingKind.CORE_GROUP, held_on__gte=OuterRef("last_initial")
    )
    return (
        context.children.filter(_on_protection_plan())
        .annotate(last_initial=last_initial)
        .filter(
            last_initial__lte=breach_boundary(context.as_of, context.thresholds["working_days"])
        )
        .exclude(Exists(core_group_since))
    )


def review_conference_overdue(context: DriftContext) -> QuerySet[Child]:
    from dateutil.relativedelta import relativedelta

    t = context.thresholds
    conferences = ProtectionMeeting.objects.filter(
        child=OuterRef("pk"),
        kind__in=(MeetingKind.INITIAL_CONFERENCE, MeetingKind.REVIEW_CONFERENCE),
        held_on__lte=context.as_of,
    ).order_by("-held_on", "-pk")
    first_due_before = context.as_of - relativedelta(months=t["first_review_months"])
    then_due_before = context.as_of - relativedelta(months=t["then_every_months"])
    children = _with_open_level(context.children).filter(Q(open_level=NeedLevel.CHILD_PROTECTION))
    children = children.annotate(
        last_conference_on=Subquery(conferences.values("held_on")[:1]),
        last_conference_kind=Subquery(conferences.values("kind")[:1]),
    )
    # No conference recorded: the plan's start stands in for the initial conference.
    return children.filter(
        Q(last_conference_on__isnull=True, open_started__lt=first_due_before)
        | Q(
            last_conference_kind=MeetingKind.INITIAL_CONFERENCE,
            last_conference_on__lt=first_due_before,
        )
        | Q(
            last_conference_kind=MeetingKind.REVIEW_CONFERENCE,
            last_conference_on__lt=then_due_before,
        )
    )


def plan_actions_overdue(context: DriftContext) -> QuerySet[Child]:
    overdue = PlanAction.objects.filter(
        child=OuterRef("pk"),
        plan__ended_on__isnull=True,
        status__in=OPEN_ACTION_STATUSES,
        due_on__lt=context.as_of - datetime.timedelta(days=context.thresholds["days"]),
    )
    return context.children.filter(Exists(overdue))


def start_again(context: DriftContext) -> QuerySet[Child]:
    from dateutil.relativedelta import relativedelta

    months = context.thresholds["months"]
    window = relativedelta(months=months)
    # Approximated in days inside SQL: a referral's own date minus the window.
    window_days = datetime.timedelta(days=round(months * 365.25 / 12))
    closed_before = Involvement.objects.filter(
        child=OuterRef("child"),
        ended_on__isnull=False,
        ended_on__lte=OuterRef("received_on"),
        ended_on__gte=ExpressionWrapper(
            OuterRef("received_on") - window_days, output_field=DateField()
        ),
        level__in=(
            NeedLevel.CHILD_IN_NEED,
            NeedLevel.CHILD_PROTECTION,
            NeedLevel.LOOKED_AFTER,
        ),
    )
    re_referral = Referral.objects.filter(
        child=OuterRef("pk"),
        received_on__gt=context.as_of - window,
        received_on__lte=context.as_of,
    ).filter(Exists(closed_before))
    return context.children.filter(Exists(re_referral))


def no_voice_of_the_child(context: DriftContext) -> QuerySet[Child]:
    contacts = context.thresholds["contacts"]
    visits = Visit.objects.filter(child=OuterRef("pk"), occurred_on__lte=context.as_of)
    nth_latest = Subquery(
        visits.order_by("-occurred_on", "-pk").values("occurred_on")[contacts - 1 : contacts],
        output_field=DateField(),
    )
    heard_since = Visit.objects.filter(
        child=OuterRef("pk"),
        occurred_on__gte=OuterRef("nth_latest"),
        occurred_on__lte=context.as_of,
    ).exclude(child_voice="")
    return (
        context.children.filter(Exists(_open_involvement().filter(level__in=SERVICE_LEVELS)))
        .annotate(nth_latest=nth_latest)
        .filter(nth_latest__isnull=False)
        .exclude(Exists(heard_since))
    )


def no_lead_professional(context: DriftContext) -> QuerySet[Child]:
    unallocated = _open_involvement().filter(
        level__in=SERVICE_LEVELS,
        lead_professional__isnull=True,
        started_on__lte=breach_boundary(context.as_of, context.thresholds["working_days"]),
    )
    return context.children.filter(Exists(unallocated))


CASES_RULES = (
    DriftRule(
        code="CUMULATIVE_CONCERNS",
        title="Cumulative concerns",
        reason=(
            "{concerns} or more neglect concerns in {window_days} days with no assessment, "
            "change of level or plan."
        ),
        severity=DriftSeverity.HIGH,
        default_thresholds={"concerns": 3, "window_days": 90},
        matching_children=cumulative_concerns,
        evidence="concerns",
    ),
    DriftRule(
        code="CHILD_NOT_SEEN",
        title="Child not seen",
        reason=(
            "Not seen within the working days for the level: {cp_working_days} on a protection "
            "plan (alone), {cin_working_days} as a child in need, {early_help_working_days} "
            "at early help."
        ),
        severity=DriftSeverity.HIGH,
        default_thresholds={
            "cp_working_days": 10,
            "cp_seen_alone": 1,
            "cin_working_days": 20,
            "early_help_working_days": 40,
        },
        matching_children=child_not_seen,
        evidence="visits",
    ),
    DriftRule(
        code="REFERRAL_DECISION_LATE",
        title="Referral decision late",
        reason="A referral has had no decision within {working_days} working day(s).",
        severity=DriftSeverity.HIGH,
        default_thresholds={"working_days": 1},
        matching_children=referral_decision_late,
        evidence="referrals",
    ),
    DriftRule(
        code="ASSESSMENT_LATE",
        title="Assessment beyond timescale",
        reason="An assessment has been open for more than {working_days} working days.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"working_days": 45},
        matching_children=assessment_late,
        evidence="referrals",
    ),
    DriftRule(
        code="INITIAL_CONFERENCE_LATE",
        title="Initial conference late",
        reason=(
            "No initial child protection conference within {working_days} working days of the "
            "strategy discussion."
        ),
        severity=DriftSeverity.HIGH,
        default_thresholds={"working_days": 15},
        matching_children=initial_conference_late,
        evidence="meetings",
    ),
    DriftRule(
        code="FIRST_CORE_GROUP_LATE",
        title="First core group late",
        reason=(
            "No core group meeting within {working_days} working days of the initial conference."
        ),
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"working_days": 10},
        matching_children=first_core_group_late,
        evidence="meetings",
    ),
    DriftRule(
        code="REVIEW_CONFERENCE_OVERDUE",
        title="Review conference overdue",
        reason=(
            "The review conference is overdue: due {first_review_months} months after the "
            "initial conference, then every {then_every_months} months."
        ),
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"first_review_months": 3, "then_every_months": 6},
        matching_children=review_conference_overdue,
        evidence="meetings",
    ),
    DriftRule(
        code="PLAN_ACTIONS_OVERDUE",
        title="Plan actions overdue",
        reason="An action on the child's plan is more than {days} day(s) past its due date.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"days": 0},
        matching_children=plan_actions_overdue,
        evidence="plan_actions",
    ),
    DriftRule(
        code="START_AGAIN",
        title="Re-referral (start again)",
        reason="Referred again within {months} months of a case being closed.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"months": 12},
        matching_children=start_again,
        evidence="referrals",
    ),
    DriftRule(
        code="NO_VOICE_OF_CHILD",
        title="No voice of the child",
        reason="The child's voice was not recorded at any of the last {contacts} contacts.",
        severity=DriftSeverity.LOW,
        default_thresholds={"contacts": 3},
        matching_children=no_voice_of_the_child,
        evidence="visits",
    ),
    DriftRule(
        code="NO_LEAD_PROFESSIONAL",
        title="No lead professional",
        reason="No lead professional allocated within {working_days} working days.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"working_days": 5},
        matching_children=no_lead_professional,
        evidence="involvement",
    ),
)


def register_cases_rules() -> None:
    for rule in CASES_RULES:
        register_drift_rule(rule)
