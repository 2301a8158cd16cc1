"""The drift rules that `cases` owns, each a set-based queryset over the children evaluated.

Registered in CasesConfig.ready. Working-day timescales compare every child's start date with
one boundary date (cases.working_days.breach_boundary), so each rule is one SQL query however
many children are evaluated. Thresholds come from the context: the rule's defaults overridden
by the partnership's DriftRuleSetting.

Each rule's queryset annotates the children it matches with `drift_since` (the day the condition
first held: for a working-day timescale of N, working day N + 1 from its start) and
`drift_figures` (the dates and counts its `describe_*` function says in one sentence).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, JSONObject
from django.db.models.sql import Query

from cases.codes import (
    OPEN_ACTION_STATUSES,
    ChronologyEventType,
    DriftSeverity,
    MeetingKind,
    NeedLevel,
)
from cases.drift import DriftContext, DriftRule, children_in, children_sql, register_drift_rule
from cases.drift.wording import (
    agency_types_in_words,
    day_in,
    level_phrase,
    plural,
    short_date,
    working_days_after,
)
from cases.models import (
    Agency,
    Child,
    ChronologyEntry,
    Concern,
    ConcernChild,
    Involvement,
    PlanAction,
    ProtectionMeeting,
    Referral,
    Visit,
)
from cases.working_days import NthWorkingDayFrom, breach_boundary

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


def _sql_of(expression: Any) -> tuple[str, list[Any]]:
    """An ORM expression as SQL and parameters, to place inside a rule's own SQL."""
    query = Query(Child)
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(expression.resolve_expression(query))
    return sql, list(params)


def _breached_on_sql(
    start_column: str, working_days: int, context: DriftContext
) -> tuple[str, list[Any]]:
    """`_breached_on` of a column of the rule's own SQL (a name in this module, no value)."""
    column = RawSQL(start_column, [])  # noqa: S611  # nosec B611
    return _sql_of(_breached_on(column, working_days, context))


def _flagged(children: QuerySet[Child], *, since: Any, **figures: Any) -> QuerySet[Child]:
    """The matching children with the day the condition first held and their figures."""
    return children.annotate(drift_since=since, drift_figures=JSONObject(**figures))


def _breached_on(start: Any, working_days: int, context: DriftContext) -> NthWorkingDayFrom:
    """The first day a timescale of `working_days` from `start` is breached."""
    return NthWorkingDayFrom(start, working_days + 1, as_of=context.as_of)


def _overdue_by(figures: Mapping[str, Any], key: str, today: datetime.date) -> str:
    return plural(working_days_after(day_in(figures, key), today), "working day")


def _open_involvement() -> QuerySet[Involvement]:
    return Involvement.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)


def cumulative_concerns(context: DriftContext) -> tuple[str, list[Any]]:
    """N or more concerns in the window and no response (assessment, change of level or plan)
    in it: the window's concerns grouped by child in one pass, the response an anti-join."""
    t = context.thresholds
    window_start = context.as_of - datetime.timedelta(days=t["window_days"])
    children, children_params = children_sql(context.children)
    events = ", ".join(["%s"] * len(RESPONSE_EVENTS))
    # Table names from the models, the children's SQL from the ORM; values are parameters.
    sql = f"""
        WITH counted AS (
            SELECT link.child_id, count(*) AS concerns,
                min(concern.observed_on) AS first, max(concern.observed_on) AS last,
                -- The threshold-th concern in the window is when "N concerns" first held.
                (array_agg(concern.observed_on ORDER BY concern.observed_on, link.id))[%s]
                    AS since,
                array_agg(DISTINCT agency.agency_type ORDER BY agency.agency_type) AS agencies
            FROM {ConcernChild._meta.db_table} link
            JOIN {Concern._meta.db_table} concern ON concern.id = link.concern_id
            JOIN {Agency._meta.db_table} agency ON agency.id = concern.author_agency_id
            WHERE concern.observed_on BETWEEN %s AND %s AND link.child_id IN ({children})
            GROUP BY link.child_id
            HAVING count(*) >= %s
        )
        SELECT counted.child_id, counted.since, jsonb_build_object('concerns', concerns,
            'first', first, 'last', last, 'agencies', agencies)
        FROM counted
        -- A lookup per child counted (the child's entries by date, an index range), not a hash
        -- of every response in the window: that would read the whole chronology.
        LEFT JOIN LATERAL (
            SELECT 1 AS found FROM {ChronologyEntry._meta.db_table} entry
            WHERE entry.child_id = counted.child_id AND entry.event_type IN ({events})
                AND entry.occurred_on BETWEEN %s AND %s
            LIMIT 1
        ) responded ON true
        WHERE responded.found IS NULL
    """  # noqa: S608  # nosec B608
    return sql, [
        int(t["concerns"]),
        window_start,
        context.as_of,
        *children_params,
        int(t["concerns"]),
        *[str(event) for event in RESPONSE_EVENTS],
        window_start,
        context.as_of,
    ]


def describe_cumulative_concerns(figures: Mapping[str, Any], today: datetime.date) -> str:
    first, last = day_in(figures, "first"), day_in(figures, "last")
    span = (last - first).days + 1 if first and last else 0
    return (
        f"{plural(int(figures.get('concerns') or 0), 'concern')} in {plural(span, 'day')} "
        f"from {agency_types_in_words(figures.get('agencies') or [])} with no assessment, "
        "change of level or plan"
    )


def child_not_seen(context: DriftContext) -> tuple[str, list[Any]]:
    """Not seen (on a protection plan: seen alone, by default) within the working days for
    the open case's level, counted from the last visit that saw the child or, never seen, from
    the case's start: the visits grouped by child in one pass over the open cases."""
    t = context.thresholds
    alone = bool(t["cp_seen_alone"])
    levels = {
        NeedLevel.CHILD_PROTECTION: int(t["cp_working_days"]),
        NeedLevel.CHILD_IN_NEED: int(t["cin_working_days"]),
        NeedLevel.EARLY_HELP: int(t["early_help_working_days"]),
    }
    children, children_params = children_sql(context.children)
    breached = [_breached_on_sql("seen_from", days, context) for days in levels.values()]
    # Table names from the models, the children's SQL from the ORM; values are parameters.
    sql = f"""
        WITH open_case AS (
            SELECT child_id, level, started_on FROM {Involvement._meta.db_table}
            WHERE ended_on IS NULL AND level IN (%s, %s, %s) AND child_id IN ({children})
        ),
        seen AS (
            SELECT visit.child_id, max(visit.occurred_on) AS last_seen,
                max(visit.occurred_on) FILTER (WHERE visit.child_seen_alone) AS last_alone
            FROM {Visit._meta.db_table} visit JOIN open_case USING (child_id)
            WHERE visit.child_seen AND visit.occurred_on <= %s
            GROUP BY visit.child_id
        ),
        measured AS (
            -- GREATEST ignores NULLs: never seen counts from the involvement's start.
            SELECT open_case.child_id, open_case.level, open_case.started_on,
                CASE WHEN open_case.level = %s
                    THEN GREATEST(seen.last_{"alone" if alone else "seen"}, open_case.started_on)
                    ELSE GREATEST(seen.last_seen, open_case.started_on) END AS seen_from,
                CASE open_case.level WHEN %s THEN %s WHEN %s THEN %s ELSE %s END AS allowed,
                CASE open_case.level WHEN %s THEN %s::date WHEN %s THEN %s::date
                    ELSE %s::date END AS boundary
            FROM open_case LEFT JOIN seen USING (child_id)
        )
        SELECT child_id,
            CASE level WHEN %s THEN {breached[0][0]} WHEN %s THEN {breached[1][0]}
                ELSE {breached[2][0]} END,
            jsonb_build_object('level', level, 'seen_from', seen_from, 'opened', started_on,
                'allowed', allowed, 'alone', level = %s AND %s)
        FROM measured WHERE seen_from <= boundary
    """  # noqa: S608  # nosec B608
    cp, cin, early_help = (str(level) for level in levels)
    cp_days, cin_days, early_help_days = levels.values()
    boundary = {days: breach_boundary(context.as_of, days) for days in levels.values()}
    return sql, [
        cp, cin, early_help, *children_params,
        context.as_of,
        cp,
        cp, cp_days, cin, cin_days, early_help_days,
        cp, boundary[cp_days], cin, boundary[cin_days], boundary[early_help_days],
        cp, *breached[0][1], cin, *breached[1][1], *breached[2][1],
        cp, alone,
    ]  # fmt: skip


def describe_child_not_seen(figures: Mapping[str, Any], today: datetime.date) -> str:
    seen_from, opened = day_in(figures, "seen_from"), day_in(figures, "opened")
    alone = " alone" if figures.get("alone") else ""
    ago = plural(working_days_after(seen_from, today), "working day")
    when = (
        f"not seen{alone} since the case opened on {short_date(opened, today)}, {ago} ago"
        if seen_from == opened
        else f"last seen{alone} {ago} ago ({short_date(seen_from, today)})"
    )
    return f"{when}; {figures.get('allowed')} allowed {level_phrase(figures.get('level'))}"


def _earliest(records: QuerySet[Any], field: str) -> Subquery:
    return Subquery(records.order_by(field).values(field)[:1], output_field=DateField())


def referral_decision_late(context: DriftContext) -> QuerySet[Child]:
    days = context.thresholds["working_days"]
    late = Referral.objects.filter(
        child=OuterRef("pk"),
        decision_on__isnull=True,
        received_on__lte=breach_boundary(context.as_of, days),
    )
    return _flagged(
        context.children.filter(Exists(late)),
        since=_breached_on(_earliest(late, "received_on"), days, context),
        received=_earliest(late, "received_on"),
        allowed=Value(days),
    )


def describe_referral_decision_late(figures: Mapping[str, Any], today: datetime.date) -> str:
    return (
        f"referral received {short_date(day_in(figures, 'received'), today)}, no decision "
        f"after {_overdue_by(figures, 'received', today)}; {figures.get('allowed')} allowed"
    )


def assessment_late(context: DriftContext) -> QuerySet[Child]:
    days = context.thresholds["working_days"]
    late = Referral.objects.filter(
        child=OuterRef("pk"),
        assessment_started_on__isnull=False,
        assessment_completed_on__isnull=True,
        assessment_started_on__lte=breach_boundary(context.as_of, days),
    )
    return _flagged(
        context.children.filter(Exists(late)),
        since=_breached_on(_earliest(late, "assessment_started_on"), days, context),
        started=_earliest(late, "assessment_started_on"),
        allowed=Value(days),
    )


def describe_assessment_late(figures: Mapping[str, Any], today: datetime.date) -> str:
    return (
        f"assessment started {short_date(day_in(figures, 'started'), today)}, open for "
        f"{_overdue_by(figures, 'started', today)}; {figures.get('allowed')} allowed"
    )


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
    days = context.thresholds["working_days"]
    matching = (
        context.children.annotate(last_strategy=last_strategy)
        .filter(last_strategy__lte=breach_boundary(context.as_of, days))
        .exclude(Exists(conference_since))
    )
    return _flagged(
        matching,
        since=_breached_on(F("last_strategy"), days, context),
        strategy=F("last_strategy"),
        allowed=Value(days),
    )


def describe_initial_conference_late(figures: Mapping[str, Any], today: datetime.date) -> str:
    return (
        f"strategy discussion {short_date(day_in(figures, 'strategy'), today)}, no initial "
        f"conference after {_overdue_by(figures, 'strategy', today)}; "
        f"{figures.get('allowed')} allowed"
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
    days = context.thresholds["working_days"]
    matching = (
        context.children.filter(_on_protection_plan())
        .annotate(last_initial=last_initial)
        .filter(last_initial__lte=breach_boundary(context.as_of, days))
        .exclude(Exists(core_group_since))
    )
    return _flagged(
        matching,
        since=_breached_on(F("last_initial"), days, context),
        initial=F("last_initial"),
        allowed=Value(days),
    )


def describe_first_core_group_late(figures: Mapping[str, Any], today: datetime.date) -> str:
    return (
        f"initial conference {short_date(day_in(figures, 'initial'), today)}, no core group "
        f"after {_overdue_by(figures, 'initial', today)}; {figures.get('allowed')} allowed"
    )


def review_conference_overdue(context: DriftContext) -> tuple[str, list[Any]]:
    """On a protection plan with the review conference overdue: due `first_review_months`
    after the initial conference (or, none recorded, the plan's start), then every
    `then_every_months` after a review; due on the date itself, overdue from the day after.
    Each open plan's latest conference in one ordered pass over the meetings."""
    from dateutil.relativedelta import relativedelta

    t = context.thresholds
    first_due_before = context.as_of - relativedelta(months=t["first_review_months"])
    then_due_before = context.as_of - relativedelta(months=t["then_every_months"])
    children, children_params = children_sql(context.children)
    initial, review = str(MeetingKind.INITIAL_CONFERENCE), str(MeetingKind.REVIEW_CONFERENCE)
    # Table names from the models, the children's SQL from the ORM; values are parameters.
    sql = f"""
        WITH open_plan AS (
            SELECT child_id, started_on FROM {Involvement._meta.db_table}
            WHERE ended_on IS NULL AND level = %s AND child_id IN ({children})
        ),
        latest AS (
            SELECT DISTINCT ON (meeting.child_id) meeting.child_id, meeting.held_on, meeting.kind
            FROM {ProtectionMeeting._meta.db_table} meeting JOIN open_plan USING (child_id)
            WHERE meeting.kind IN (%s, %s) AND meeting.held_on <= %s
            ORDER BY meeting.child_id, meeting.held_on DESC, meeting.id DESC
        ),
        due AS (
            SELECT open_plan.child_id, COALESCE(latest.held_on, open_plan.started_on) AS last,
                CASE WHEN latest.kind = %s
                    THEN (latest.held_on + make_interval(months => %s))::date
                    ELSE (COALESCE(latest.held_on, open_plan.started_on)
                        + make_interval(months => %s))::date
                END AS review_due
            FROM open_plan LEFT JOIN latest USING (child_id)
            WHERE (latest.held_on IS NULL AND open_plan.started_on < %s)
                OR (latest.kind = %s AND latest.held_on < %s)
                OR (latest.kind = %s AND latest.held_on < %s)
        )
        SELECT child_id, (review_due + 1)::date,
            jsonb_build_object('due', review_due, 'last', last)
        FROM due
    """  # noqa: S608  # nosec B608
    return sql, [
        str(NeedLevel.CHILD_PROTECTION), *children_params,
        initial, review, context.as_of,
        review, int(t["then_every_months"]), int(t["first_review_months"]),
        first_due_before, initial, first_due_before, review, then_due_before,
    ]  # fmt: skip


def months_after(day: Any, months: int) -> Func:
    """PostgreSQL's calendar-month arithmetic (31 August + 6 months is 28 February)."""
    return Func(
        day,
        Value(int(months)),
        template="(%(expressions)s))::date",
        arg_joiner=" + make_interval(months => ",
        output_field=DateField(),
    )


def describe_review_conference_overdue(figures: Mapping[str, Any], today: datetime.date) -> str:
    return (
        f"review conference due {short_date(day_in(figures, 'due'), today)}, "
        f"{_overdue_by(figures, 'due', today)} overdue"
    )


def plan_actions_overdue(context: DriftContext) -> QuerySet[Child]:
    grace = datetime.timedelta(days=context.thresholds["days"])
    overdue = PlanAction.objects.filter(
        child=OuterRef("pk"),
        plan__ended_on__isnull=True,
        status__in=OPEN_ACTION_STATUSES,
        due_on__lt=context.as_of - grace,
    )
    oldest_due = _earliest(overdue, "due_on")
    return _flagged(
        context.children.filter(Exists(overdue)),
        since=Cast(oldest_due + grace + datetime.timedelta(days=1), DateField()),
        actions=Subquery(
            overdue.values("child_id").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        ),
        oldest_due=oldest_due,
    )


def describe_plan_actions_overdue(figures: Mapping[str, Any], today: datetime.date) -> str:
    count = int(figures.get("actions") or 0)
    oldest = "" if count == 1 else "the oldest "
    return (
        f"{plural(count, 'plan action')} overdue, {oldest}due "
        f"{short_date(day_in(figures, 'oldest_due'), today)} "
        f"({_overdue_by(figures, 'oldest_due', today)} ago)"
    )


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
    latest = re_referral.order_by("-received_on").annotate(
        episode_closed_on=Subquery(closed_before.order_by("-ended_on").values("ended_on")[:1])
    )
    return _flagged(
        context.children.filter(Exists(re_referral)),
        since=_earliest(re_referral, "received_on"),
        referred=Subquery(latest.values("received_on")[:1]),
        closed=Subquery(latest.values("episode_closed_on")[:1]),
    )


def describe_start_again(figures: Mapping[str, Any], today: datetime.date) -> str:
    referred, closed = day_in(figures, "referred"), day_in(figures, "closed")
    months = (
        (referred.year - closed.year) * 12 + referred.month - closed.month
        if (referred and closed)
        else 0
    )
    return (
        f"referred again {short_date(referred, today)}, "
        f"{plural(months, 'month')} after a case closed on {short_date(closed, today)}"
    )


def no_voice_of_the_child(context: DriftContext) -> tuple[str, list[Any]]:
    """Open at a service level and the child's voice not recorded at any of the last N
    contacts: each child's visits ranked newest first in one pass, then the contacts since the
    voice was last heard (the N-th of them is when the condition first held)."""
    contacts = int(context.thresholds["contacts"])
    children, children_params = children_sql(context.children)
    levels = ", ".join(["%s"] * len(SERVICE_LEVELS))
    # Table names from the models, the children's SQL from the ORM; values are parameters.
    sql = f"""
        WITH contact AS (
            SELECT visit.id, visit.child_id, visit.occurred_on,
                visit.child_voice <> '' AS heard,
                row_number() OVER (PARTITION BY visit.child_id
                    ORDER BY visit.occurred_on DESC, visit.id DESC) AS newest
            FROM {Visit._meta.db_table} visit
            JOIN {Involvement._meta.db_table} open_case
                ON open_case.child_id = visit.child_id AND open_case.ended_on IS NULL
                AND open_case.level IN ({levels})
            WHERE visit.occurred_on <= %s AND visit.child_id IN ({children})
        ),
        unheard AS (
            SELECT child_id, max(occurred_on) FILTER (WHERE heard) AS last_heard
            FROM contact GROUP BY child_id
            -- The N-th newest contact exists and the voice was last heard before it.
            HAVING max(occurred_on) FILTER (WHERE newest = %s) > COALESCE(
                max(occurred_on) FILTER (WHERE heard), '-infinity'::date)
        )
        SELECT unheard.child_id,
            (array_agg(contact.occurred_on ORDER BY contact.occurred_on, contact.id))[%s],
            jsonb_build_object('contacts', count(*), 'last_heard', unheard.last_heard)
        FROM unheard JOIN contact ON contact.child_id = unheard.child_id
            AND contact.occurred_on > COALESCE(unheard.last_heard, '-infinity'::date)
        GROUP BY unheard.child_id, unheard.last_heard
    """  # noqa: S608  # nosec B608
    return sql, [
        *[str(level) for level in SERVICE_LEVELS],
        context.as_of,
        *children_params,
        contacts,
        contacts,
    ]


def describe_no_voice_of_the_child(figures: Mapping[str, Any], today: datetime.date) -> str:
    heard = day_in(figures, "last_heard")
    return (
        f"the child's voice not recorded at the last "
        f"{plural(int(figures.get('contacts') or 0), 'contact')}; "
        + (f"last heard {short_date(heard, today)}" if heard else "never recorded")
    )


def no_lead_professional(context: DriftContext) -> QuerySet[Child]:
    days = context.thresholds["working_days"]
    unallocated = _open_involvement().filter(
        level__in=SERVICE_LEVELS,
        lead_professional__isnull=True,
        started_on__lte=breach_boundary(context.as_of, days),
    )
    opened = Subquery(unallocated.values("started_on")[:1], output_field=DateField())
    return _flagged(
        context.children.filter(Exists(unallocated)),
        since=_breached_on(opened, days, context),
        opened=opened,
        level=Subquery(unallocated.values("level")[:1]),
        allowed=Value(days),
    )


def describe_no_lead_professional(figures: Mapping[str, Any], today: datetime.date) -> str:
    return (
        f"open {level_phrase(figures.get('level'))} since "
        f"{short_date(day_in(figures, 'opened'), today)} with no lead professional for "
        f"{_overdue_by(figures, 'opened', today)}; {figures.get('allowed')} allowed"
    )


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
        matching_children=children_in(cumulative_concerns),
        rows=cumulative_concerns,
        describe=describe_cumulative_concerns,
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
        matching_children=children_in(child_not_seen),
        rows=child_not_seen,
        describe=describe_child_not_seen,
        evidence="visits",
    ),
    DriftRule(
        code="REFERRAL_DECISION_LATE",
        title="Referral decision late",
        reason="A referral has had no decision within {working_days} working day(s).",
        severity=DriftSeverity.HIGH,
        default_thresholds={"working_days": 1},
        matching_children=referral_decision_late,
        describe=describe_referral_decision_late,
        evidence="referrals",
    ),
    DriftRule(
        code="ASSESSMENT_LATE",
        title="Assessment beyond timescale",
        reason="An assessment has been open for more than {working_days} working days.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"working_days": 45},
        matching_children=assessment_late,
        describe=describe_assessment_late,
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
        describe=describe_initial_conference_late,
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
        describe=describe_first_core_group_late,
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
        matching_children=children_in(review_conference_overdue),
        rows=review_conference_overdue,
        describe=describe_review_conference_overdue,
        evidence="meetings",
    ),
    DriftRule(
        code="PLAN_ACTIONS_OVERDUE",
        title="Plan actions overdue",
        reason="An action on the child's plan is more than {days} day(s) past its due date.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"days": 0},
        matching_children=plan_actions_overdue,
        describe=describe_plan_actions_overdue,
        evidence="plan_actions",
    ),
    DriftRule(
        code="START_AGAIN",
        title="Re-referral (start again)",
        reason="Referred again within {months} months of a case being closed.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"months": 12},
        matching_children=start_again,
        describe=describe_start_again,
        evidence="referrals",
    ),
    DriftRule(
        code="NO_VOICE_OF_CHILD",
        title="No voice of the child",
        reason="The child's voice was not recorded at any of the last {contacts} contacts.",
        severity=DriftSeverity.LOW,
        default_thresholds={"contacts": 3},
        matching_children=children_in(no_voice_of_the_child),
        rows=no_voice_of_the_child,
        describe=describe_no_voice_of_the_child,
        evidence="visits",
    ),
    DriftRule(
        code="NO_LEAD_PROFESSIONAL",
        title="No lead professional",
        reason="No lead professional allocated within {working_days} working days.",
        severity=DriftSeverity.MEDIUM,
        default_thresholds={"working_days": 5},
        matching_children=no_lead_professional,
        describe=describe_no_lead_professional,
        evidence="involvement",
    ),
)


def register_cases_rules() -> None:
    for rule in CASES_RULES:
        register_drift_rule(rule)
