"""Selectors for the lead's queue, a flag's evidence, supervision and concern outcomes.

Every list is scoped by the access policy (children_visible_to, or for long lists and counts
the same policy as a condition on the row's child: visible_child_condition and
visible_child_probe) before anything else.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Exists,
    F,
    Field,
    FilteredRelation,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timesince

from cases.access import (
    LEAD_ROLES,
    children_read_log_params,
    children_read_log_sql,
    children_visible_to,
    does_casework,
    is_lead,
    restricted_children_hidden_from,
    visible_child_condition,
    visible_child_params,
    visible_child_probe,
    visible_child_sql,
)
from cases.codes import (
    OPEN_ACTION_STATUSES,
    AgencyType,
    DriftSeverity,
    NeedLevel,
    ProtectionCategory,
    Role,
    StepUpStatus,
)
from cases.drift import DriftRule, drift_rules
from cases.models import (
    Agency,
    Child,
    Concern,
    ConcernAwaitingOutcome,
    ConcernAwaitingTally,
    ConcernChild,
    ConcernOutcome,
    DriftFlag,
    DriftFlagReview,
    DriftQueueEntry,
    DriftQueueTally,
    Involvement,
    LevelChange,
    PlanAction,
    Practitioner,
    ProfessionalChallenge,
    ProtectionMeeting,
    Referral,
    StepUpRequest,
    SupervisionRecord,
    Team,
    Visit,
)
from cases.prepared import execute_prepared, prepared_row

ModelT = TypeVar("ModelT", bound=Model)

NEW_TO_TEAM_DAYS = 28
AWAITING_OUTCOME_DAYS = 28  # the home page counts concerns logged this recently


# Whose children the queue shows: every child the agency may see, or only the cases the
# agency holds, the lead's team holds, or the lead is lead professional for.
SCOPES = {
    "": "All children your agency works with",
    "agency": "Cases your agency holds",
    "team": "Your team's cases",
    "mine": "Your own cases",
}


@dataclass(frozen=True)
class QueueFilters:
    rule: str = ""
    team: int | None = None
    worker: int | None = None
    level: str = ""
    scope: str = ""  # a key of SCOPES


def flag_reviewed_by_agency(*, agency_id: int | None, as_of: datetime.date) -> Exists:
    """True for a flag the agency has decided on and whose review date is still ahead.

    Use on DriftFlag querysets: `.exclude(flag_reviewed_by_agency(...))` is the agency's queue.
    One index probe per flag (the unique (flag, agency) index)."""
    return Exists(
        DriftFlagReview.objects.filter(
            flag=OuterRef("pk"),
            agency_id=agency_id,  # type: ignore[misc]  # None (no agency) matches nothing
            review_on__gt=as_of,
        )
    )


def agency_review_on(*, agency_id: int | None) -> Subquery:
    """The review date the agency last set on the flag (None if it never decided)."""
    return Subquery(
        DriftFlagReview.objects.filter(flag=OuterRef("pk"), agency_id=agency_id).values(  # type: ignore[misc]
            "review_on"
        )[:1]
    )


def _flags_for_queue(*, user: Practitioner, as_of: datetime.date) -> QuerySet[DriftFlag]:
    """Open flags of children the user may see, beside the child's open involvement.

    A flag the user's agency decided on stays out of the queue until its review date, then
    comes back; other agencies' decisions leave it on this agency's queue.
    """
    return (
        DriftFlag.objects.filter(resolved_at__isnull=True)
        .filter(visible_child_condition(user=user))
        .exclude(flag_reviewed_by_agency(agency_id=user.agency_id, as_of=as_of))
        .annotate(review_on=agency_review_on(agency_id=user.agency_id))
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
            holding_agency_id=F("open_involvement__lead_agency_id"),
        )
    )


def _scope_condition(*, user: Practitioner, scope: str) -> Q:
    """The queue rows (DriftQueueEntry) of one scope of the user's agency's queue."""
    if scope == "mine":
        return Q(worker_id=user.pk)
    if scope == "team":
        return Q(team_id=user.team_id) if user.team_id else Q(pk__in=[])
    if scope == "agency":
        return Q(holding_agency_id=user.agency_id)
    return Q()


def _queue_entries(*, user: Practitioner) -> QuerySet[DriftQueueEntry]:
    """The user's agency's queue rows with a flag to decide on, within the access policy.

    A row exists only for an agency with a relationship to the child, so the agency's rows are
    the children it may see, less the restricted records that do not name the user (a short
    list, from a partial index). A child the user reaches only through a break-glass grant is
    not on the queue: the grant is for reading one record, not for oversight.
    """
    agency_id = user.agency_id
    if not does_casework(user) or agency_id is None:
        return DriftQueueEntry.objects.none()
    hidden = restricted_children_hidden_from(user=user)
    return DriftQueueEntry.objects.filter(agency_id=agency_id, flag_count__gt=0).exclude(
        child_id__in=hidden.values("pk")
    )


def drift_queue(
    *, user: Practitioner, as_of: datetime.date | None = None, filters: QueueFilters | None = None
) -> QuerySet[DriftFlag]:
    """The queue's open flags one by one (the API), most severe then longest drifting first,
    read from the flags themselves as of any date."""
    as_of = as_of or timezone.localdate()
    filters = filters or QueueFilters()
    flags = _flags_for_queue(user=user, as_of=as_of).filter(
        _scope_condition(user=user, scope=filters.scope)
    )
    if filters.team:
        flags = flags.filter(Q(team_id=filters.team))
    if filters.worker:
        flags = flags.filter(Q(worker_id=filters.worker))
    if filters.level:
        flags = flags.filter(Q(level=filters.level))
    if filters.rule:
        flags = flags.filter(rule_code=filters.rule)
    return flags.select_related("child").order_by("severity_rank", "condition_since", "pk")


def drift_queue_children(
    *, user: Practitioner, filters: QueueFilters | None = None
) -> QuerySet[Any, Any]:
    """One row per child with open flags: the child's worst severity, then the longest drifting.

    Rows are dicts of child_id, worst_rank and drifting_since, read from the agency's queue
    rows in the order of their indexes, so a page (the first or the tenth) is an index-only
    range scan. A rule filter keeps the children with a flag of that rule, still ordered by all
    their flags. The queue page reads the same rows, filled in, through `drift_queue_page` (the
    API and the bench read these).
    """
    filters = filters or QueueFilters()
    entries = _queue_entries(user=user).filter(_scope_condition(user=user, scope=filters.scope))
    if filters.team:
        entries = entries.filter(team_id=filters.team)
    if filters.worker:
        entries = entries.filter(worker_id=filters.worker)
    if filters.level:
        entries = entries.filter(level=filters.level)
    if filters.rule:
        entries = entries.filter(rule_codes__contains=[filters.rule])
    return entries.values("child_id", "worst_rank", "drifting_since").order_by(
        "worst_rank", "drifting_since", "child_id"
    )


def drift_queue_counts(*, user: Practitioner) -> dict[str, int]:
    """Children in the queue under each scope, and those with an overdue GCP2 among them (the
    scope links and the lead's home page): the agency's maintained tallies, less the restricted
    records hidden from the user. A few index probes, however long the queue."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {_HIDDEN_CHILDREN} SELECT ({_TALLIED_COUNTS})",  # nosec B608
            tallied_counts_params(user),
        )
        (tallies,) = cursor.fetchone()  # type: ignore[misc]
    return _counts_of(tallies)


def _counts_of(tallies: list[list[Any]] | None) -> dict[str, int]:
    """`_TALLIED_COUNTS`' JSON as `drift_queue_counts`' figures (0 for a scope it lacks)."""
    counts = dict.fromkeys(
        [f"{scope or 'all'}{suffix}" for scope in SCOPES for suffix in ("", "_gcp2_overdue")], 0
    )
    for scope, children, gcp2_overdue in tallies or []:
        counts[scope] = children
        counts[f"{scope}_gcp2_overdue"] = gcp2_overdue
    return counts


def tallied_counts_params(user: Practitioner) -> dict[str, Any]:
    return {**visible_child_params(user), "team": user.team_id}


# The restricted records hidden from the user, for the tallied figures below: each is on the
# tallies but not on the user's lists (`_queue_entries`, `concerns_awaiting_outcome`), so its
# rows come off. A short list, from a partial index.
_HIDDEN_CHILDREN = f"""
    hidden_children AS MATERIALIZED (
        SELECT child.id FROM {Child._meta.db_table} child
        WHERE %(casework)s AND child.is_restricted AND NOT EXISTS (
            SELECT 1 FROM {Child.restricted_to.through._meta.db_table} named
            WHERE named.child_id = child.id AND named.practitioner_id = %(user)s))
"""  # noqa: S608  # nosec B608
# The scope counts as rows of (scope, children, of them with an overdue GCP2), and as a JSON
# array of them, from the tallies PostgreSQL keeps (DriftQueueTally), for `drift_queue_counts`,
# the home page's figures and the queue page's statement (each with `_HIDDEN_CHILDREN` in its
# WITH).
_TALLIED_SCOPES = f"""
        SELECT scope, sum(children)::int AS children, sum(gcp2_overdue)::int AS gcp2_overdue
        FROM (
            SELECT tally.scope, tally.children, tally.gcp2_overdue
            FROM {DriftQueueTally._meta.db_table} tally
            WHERE %(casework)s AND tally.agency_id = %(agency)s
              AND (tally.scope, tally.scope_key) IN (
                ('all', 0), ('agency', 0), ('team', %(team)s), ('mine', %(user)s))
            UNION ALL
            SELECT scope.scope, -1, -entry.gcp2_overdue::int
            FROM hidden_children
            JOIN {DriftQueueEntry._meta.db_table} entry
                ON entry.child_id = hidden_children.id AND entry.agency_id = %(agency)s
            CROSS JOIN LATERAL (VALUES
                ('all', true),
                ('agency', entry.holding_agency_id = %(agency)s),
                ('team', entry.team_id = %(team)s),
                ('mine', entry.worker_id = %(user)s)
            ) AS scope (scope, counts)
            WHERE entry.flag_count > 0 AND scope.counts
        ) figures
        GROUP BY scope
"""  # noqa: S608  # nosec B608
_TALLIED_COUNTS = f"""
    SELECT json_agg(json_build_array(scope, children, gcp2_overdue) ORDER BY scope)
    FROM ({_TALLIED_SCOPES}) scopes
"""  # noqa: S608  # nosec B608


@dataclass(frozen=True)
class QueueFlag:
    """One flag as the queue shows it, every display string built once here."""

    pk: int
    url: str  # the flag's page
    rule_code: str
    title: str
    sentence: str  # the child's own figures, or the rule's general reason
    severity: str
    condition_since: datetime.date
    review_passed: bool  # the user's agency decided on it and its review date has come

    @property
    def severity_label(self) -> str:
        return _SEVERITIES.get(self.severity, self.severity)

    @property
    def tag_class(self) -> str:
        return _SEVERITY_TAGS.get(self.severity, "govuk-tag--yellow")

    @property
    def since(self) -> str:
        return day_month_year(self.condition_since)


_SEVERITY_TAGS = {"high": "govuk-tag--red", "medium": "govuk-tag--orange"}
# Labels by value, looked up many times a page (the enums' own lookups cost more).
_SEVERITIES = dict(DriftSeverity.choices)
_LEVELS = dict(NeedLevel.choices)
_CATEGORIES = dict(ProtectionCategory.choices)


@dataclass(frozen=True)
class QueueRow:
    child_id: int
    name: str  # the child's full name
    url: str  # the child's page
    flags: list[QueueFlag]
    drifting_since: datetime.date
    # The open involvement (level, holding agency, team, lead professional) and since when the
    # child has been drifting, in words.
    summary: str


def day_month_year(day: datetime.date) -> str:
    """The date filter's "j M Y" (12 Aug 2026) without a template's lookups."""
    return f"{day.day} {day:%b} {day.year}"


def flag_sentence(
    *, rule: DriftRule | None, figures: dict[str, Any], reason: str, today: datetime.date
) -> str:
    """The flag in the child's own figures, or the rule's general reason."""
    return (rule.sentence(figures, today) if rule else "") or reason


def drift_flag_sentence(*, flag: DriftFlag, today: datetime.date) -> str:
    return flag_sentence(
        rule=_rules_by_code().get(flag.rule_code),
        figures=flag.figures,
        reason=flag.reason,
        today=today,
    )


def _case_in_words(
    *,
    level: str | None,
    category: str,
    holder: str,
    team: str | None,
    worker: str | None,
) -> str:
    if level is None:
        return "Not open to a service"
    words = _LEVELS.get(level, level)
    if category:
        words += f" ({_CATEGORIES.get(category, category)})"
    words += f"; case held by {holder}"
    if team:
        words += f", {team}"
    return f"{words}; lead professional {worker or 'not allocated'}"


# The queue page's data in one statement, by hand rather than through the ORM: compiling the
# ORM's statements for the counts, the page, its flags and involvements and the filter choices
# cost several times PostgreSQL's own planning and execution (issue 10's speed figures). Its
# scoping is `_queue_entries` exactly: the agency's queue rows less the restricted records that
# do not name the user (`_HIDDEN_CHILDREN`, in the statement's WITH). Tables come from the
# models; every value is a parameter.
_ENTRIES = f"""
    FROM {DriftQueueEntry._meta.db_table} entry
    WHERE %(casework)s AND entry.agency_id = %(agency)s AND entry.flag_count > 0
      AND NOT entry.child_id IN (SELECT id FROM hidden_children)
"""  # noqa: S608  # nosec B608
# The access log's rows for the children the page shows, in the order shown.
_LOG_SHOWN = children_read_log_sql(
    "ARRAY(SELECT child_id FROM page ORDER BY worst_rank, drifting_since, child_id)"
    " || ARRAY(SELECT child_id FROM arrivals ORDER BY changed_at DESC, id DESC)"
    " || ARRAY(SELECT child_id FROM awaiting ORDER BY submitted_at, link_id)"
)
_QUEUE_PAGE = f"""
    WITH {_HIDDEN_CHILDREN}, tallied AS ({_TALLIED_SCOPES}), counts AS (
        -- The scopes' counts from the tallies, and the filtered queue's (for paging): the
        -- scope's tally unless the page has other filters, which count the rows they keep.
        SELECT (SELECT json_agg(json_build_array(scope, children, gcp2_overdue)) FROM tallied)
                AS tallies,
            {{matched}} AS matched
    ), paging AS (
        -- Django's paging rules: a page past the last (or page 0) shows the last.
        SELECT CASE WHEN matched = 0 THEN 0
                    WHEN %(offset)s::bigint IS NULL OR %(offset)s::bigint >= matched
                        THEN (matched - 1) / %(limit)s * %(limit)s
                    ELSE %(offset)s::bigint END AS start
        FROM counts
    ), page AS (
        SELECT entry.child_id, entry.worst_rank, entry.drifting_since
        {_ENTRIES} AND {{filtered}}
        ORDER BY entry.worst_rank, entry.drifting_since, entry.child_id
        LIMIT %(limit)s OFFSET (SELECT start FROM paging)
    ), arrivals AS (
        -- New to the team: cases stepped up or down to the user's team lately (to any team of
        -- the agency for a lead without a team), whoever moved them.
        SELECT change.id, change.child_id, change.stepped_up, change.changed_at, change.reason,
            (change.changed_at AT TIME ZONE %(time_zone)s)::date AS changed_on, involvement.level,
            team.name AS team
        FROM {LevelChange._meta.db_table} change
        JOIN {Involvement._meta.db_table} involvement ON involvement.id = change.to_involvement_id
        LEFT JOIN {Team._meta.db_table} team ON team.id = change.receiving_team_id
        WHERE change.receiving_agency_id = %(agency)s AND change.changed_at >= %(arrived_since)s
          AND {{arrived_team}} AND {visible_child_sql("change.child_id")}
        ORDER BY change.changed_at DESC, change.id DESC
        LIMIT %(side_limit)s
    ), awaiting AS (
        -- The oldest recent concerns about cases the agency holds still awaiting an outcome:
        -- `concerns_awaiting_outcome` (its maintained rows, the same scoping) in SQL.
        SELECT waiting.link_id, waiting.child_id, waiting.submitted_at, concern.observed_on,
            author.name AS author
        FROM {ConcernAwaitingOutcome._meta.db_table} waiting
        JOIN {Concern._meta.db_table} concern ON concern.id = waiting.concern_id
        JOIN {Agency._meta.db_table} author ON author.id = concern.author_agency_id
        WHERE %(casework)s AND waiting.holding_agency_id = %(agency)s
          AND waiting.submitted_at >= %(awaiting_since)s AND NOT waiting.child_id IN (SELECT id FROM hidden_children)
        ORDER BY waiting.submitted_at, waiting.link_id
        LIMIT %(side_limit)s
    ), logged AS (
        -- Every child shown, logged in the same round trip as the read (and, like any single
        -- statement under autocommit, committed before the page is).
        {_LOG_SHOWN}
    )
    SELECT counts.*, (SELECT start FROM paging) AS start, {{waiting}},
        (SELECT json_agg(json_build_array(team.id, team.name, agency.name)
                         ORDER BY agency.name, team.name)
         FROM {Team._meta.db_table} team
         JOIN {Agency._meta.db_table} agency ON agency.id = team.agency_id
         WHERE team.agency_id = %(agency)s OR agency.agency_type = %(social_care)s
        ) AS teams,
        (SELECT json_agg(json_build_array(person.id, person.first_name, person.last_name,
                                          person.username)
                         ORDER BY person.last_name, person.first_name)
         FROM {Practitioner._meta.db_table} person
         WHERE person.agency_id = %(agency)s AND person.is_active {{workers}}
        ) AS workers,
        (SELECT json_agg(json_build_array(
            page.child_id, page.drifting_since, child.first_name, child.last_name,
            child.is_unborn, involvement.level, involvement.protection_category,
            -- Lookups by primary key as scalar subqueries, not joins: fewer join orders for
            -- the planner to weigh (planning 1.3 -> 0.9 ms), the same index probes.
            (SELECT holder.name FROM {Agency._meta.db_table} holder
             WHERE holder.id = involvement.lead_agency_id),
            (SELECT team.name FROM {Team._meta.db_table} team WHERE team.id = involvement.team_id),
            (SELECT json_build_array(worker.first_name, worker.last_name, worker.username)
             FROM {Practitioner._meta.db_table} worker
             WHERE worker.id = involvement.lead_professional_id),
            flags.list)
            ORDER BY page.worst_rank, page.drifting_since, page.child_id)
         FROM page
         JOIN {Child._meta.db_table} child ON child.id = page.child_id
         LEFT JOIN {Involvement._meta.db_table} involvement
            ON involvement.child_id = page.child_id AND involvement.ended_on IS NULL
         CROSS JOIN LATERAL (
            -- The child's open flags the agency has not put aside until a date still ahead.
            SELECT json_agg(json_build_array(flag.id, flag.rule_code, flag.severity,
                                              flag.condition_since, flag.figures, flag.reason,
                                              review.review_on IS NOT NULL)
                            ORDER BY flag.severity_rank, flag.condition_since, flag.id) AS list
            FROM {DriftFlag._meta.db_table} flag
            LEFT JOIN {DriftFlagReview._meta.db_table} review
                ON review.flag_id = flag.id AND review.agency_id = %(agency)s
            WHERE flag.child_id = page.child_id AND flag.resolved_at IS NULL
              AND (review.review_on IS NULL OR review.review_on <= %(as_of)s)
         ) flags
        ) AS page,
        (SELECT json_agg(json_build_array(arrival.id, arrival.child_id, child.first_name,
                                          child.last_name, child.is_unborn, arrival.stepped_up,
                                          arrival.level, arrival.team, arrival.changed_on,
                                          arrival.reason)
                         ORDER BY arrival.changed_at DESC, arrival.id DESC)
         FROM arrivals arrival JOIN {Child._meta.db_table} child ON child.id = arrival.child_id
        ) AS arrivals,
        (SELECT json_agg(json_build_array(waiting.link_id, child.first_name, child.last_name,
                                          child.is_unborn, waiting.author, waiting.observed_on)
                         ORDER BY waiting.submitted_at, waiting.link_id)
         FROM awaiting waiting JOIN {Child._meta.db_table} child ON child.id = waiting.child_id
        ) AS awaiting
    FROM counts
"""  # noqa: S608  # nosec B608

_BIGINT = 2**63 - 1

# The scopes as conditions on a queue row (`_scope_condition` for the ORM).
_SCOPE_SQL = {
    "": "true",
    "agency": "entry.holding_agency_id = %(agency)s",
    "team": "entry.team_id = %(team)s",
    "mine": "entry.worker_id = %(user)s",
}


@dataclass(frozen=True)
class TeamArrival:
    """A case stepped up or down to the user's team, as "New to your team" shows it."""

    pk: int
    child_id: int
    name: str
    url: str
    words: str  # stepped up or down, to what, which team, when and why


@dataclass(frozen=True)
class AwaitingConcern:
    """A concern still awaiting the holding agency's outcome, as the queue page's preview shows
    it. Its pk is the concern's link to the child (the outcome page's)."""

    pk: int
    name: str  # the child's
    url: str  # the outcome page
    author: str  # the agency that raised it
    observed: str  # the date observed, as "j M Y"


@dataclass(frozen=True)
class QueuePage:
    counts: dict[str, int]  # drift_queue_counts' figures
    page: Page[QueueRow]
    teams: list[tuple[int, str]]  # the filter form's choices: teams of the agency and social care
    # The lead's team's people (a county agency has a thousand practitioners, too many to
    # choose from); the whole agency's for a lead without a team.
    workers: list[tuple[int, str]]
    new_to_team: list[TeamArrival]  # newest first
    awaiting: list[AwaitingConcern]  # the oldest since `awaiting_outcome_since`
    waiting: dict[str, int]  # waiting_for_agency's figures


SIDE_LIST_LIMIT = 20  # new to the team, and concerns awaiting an outcome


def drift_queue_page(
    *,
    user: Practitioner,
    view_name: str,
    filters: QueueFilters | None = None,
    number: str | None = None,
    per_page: int = 25,
    as_of: datetime.date | None = None,
) -> QueuePage:
    """A page of the queue (one row per child, worst then longest drifting first) with every
    flag the agency has to decide on, the child's case, the scopes' counts, the filter's
    choices, the cases new to the user's team and the oldest recent concerns awaiting an
    outcome, and what waits for the agency (`waiting_for_agency`): `drift_queue_children`,
    `drift_queue_counts` and the page filled in, in one statement, which also writes the access
    log's row for every child shown (as `view_name`).
    A page past the last shows the last, as Django's `Paginator.get_page` does."""
    as_of = as_of or timezone.localdate()
    filters = filters or QueueFilters()
    conditions = [_SCOPE_SQL[filters.scope]]  # the team scope of a lead without a team: NULL
    for column, value in (("team_id", filters.team), ("worker_id", filters.worker)):
        if value:
            # An id past bigint matches nothing (as in the ORM), rather than failing.
            conditions.append(f"entry.{column} = %({column})s" if value <= _BIGINT else "false")
    if filters.level:
        conditions.append("entry.level = %(level)s")
    if filters.rule:
        conditions.append("entry.rule_codes @> ARRAY[%(rule)s]::varchar(40)[]")
    filtered = " AND ".join(f"({condition})" for condition in conditions)
    if len(conditions) == 1:  # the scope alone: its tally
        matched = "coalesce((SELECT children FROM tallied WHERE scope = %(scope)s), 0)"
    else:
        matched = f"(SELECT count(*) {_ENTRIES} AND {filtered})"
    sql = _QUEUE_PAGE.format(
        matched=matched,
        filtered=filtered,
        waiting=_waiting_columns(user),
        workers="AND person.team_id = %(team)s" if user.team_id else "",
        arrived_team="(change.receiving_team_id = %(team)s OR change.receiving_team_id IS NULL)"
        if user.team_id
        else "true",
    )
    wanted = int(number) if number and number.isdigit() else 1
    params: dict[str, Any] = {
        **visible_child_params(user),
        **children_read_log_params(user=user, view_name=view_name),
        **_waiting_params(user),
        "team": user.team_id,
        "scope": filters.scope or "all",
        "team_id": filters.team,
        "worker_id": filters.worker,
        "level": filters.level,
        "rule": filters.rule,
        "social_care": AgencyType.CHILDRENS_SOCIAL_CARE,
        "as_of": as_of,
        "limit": per_page,
        # None (page 0) asks for the last page, as a page past the last does.
        "offset": min((wanted - 1) * per_page, _BIGINT) if wanted else None,
        "arrived_since": timezone.now() - datetime.timedelta(days=NEW_TO_TEAM_DAYS),
        "awaiting_since": awaiting_outcome_since(),
        "side_limit": SIDE_LIST_LIMIT,
        "time_zone": timezone.get_current_timezone_name(),
    }
    # Prepared once per connection: planning the statement took longer than running it.
    figures = prepared_row(sql, params)
    paginator: Paginator[QueueRow] = Paginator([], per_page)
    paginator.count = figures["matched"]  # type: ignore[misc]  # counted with the page
    rules = _rules_by_code()
    urls = _Urls(child=_url_of("child-detail"), flag=_url_of("drift-flag"))
    outcome_url = _url_of("concern-outcome")
    return QueuePage(
        counts=_counts_of(figures["tallies"]),
        page=Page(
            [_queue_row(row, as_of, rules, urls) for row in figures["page"] or []],
            figures["start"] // per_page + 1,
            paginator,
        ),
        teams=[(pk, f"{name} ({agency})") for pk, name, agency in figures["teams"] or []],
        workers=[
            # Practitioner.display_name, from the columns alone.
            (pk, f"{first} {last}".strip() or username)
            for pk, first, last, username in figures["workers"] or []
        ],
        waiting={
            name: figures[name]
            for name in ("challenges_waiting", "step_ups_waiting")
            if name in figures
        },
        new_to_team=[
            TeamArrival(
                pk=pk,
                child_id=child_id,
                name=_full_name(first, last, unborn),
                url=urls.child.format(child_id),
                words=(
                    f"{'stepped up' if up else 'stepped down'} to {_LEVELS.get(level, level)}"
                    f"{f' ({team})' if team else ''} on "
                    f"{day_month_year(datetime.date.fromisoformat(on))}. Reason: {reason}"
                ),
            )
            for pk, child_id, first, last, unborn, up, level, team, on, reason in (
                figures["arrivals"] or []
            )
        ],
        awaiting=[
            AwaitingConcern(
                pk=pk,
                name=_full_name(first, last, unborn),
                url=outcome_url.format(pk),
                author=author,
                observed=day_month_year(datetime.date.fromisoformat(observed)),
            )
            for pk, first, last, unborn, author, observed in figures["awaiting"] or []
        ],
    )


class _ChildNames(NamedTuple):
    first_name: str
    last_name: str
    is_unborn: bool


def _full_name(first: str, last: str, unborn: bool) -> str:
    """Child.full_name from the columns alone: a model instance a name costs ten times more."""
    return str(Child.full_name.fget(_ChildNames(first, last, unborn)))  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=2048)
def _time_since_in(since: datetime.date, today: datetime.date, language: str | None) -> str:
    return timesince(since, today)


def _time_since(since: datetime.date, today: datetime.date) -> str:
    """Django's timesince (3\xa0months, 2\xa0weeks), remembered: a queue page asks for it once
    a row, most days a lead's pages ask again for the same dates, and each answer costs a
    dozen translation lookups."""
    return _time_since_in(since, today, translation.get_language())


@dataclass(frozen=True)
class _Urls:
    child: str
    flag: str


def _url_of(name: str) -> str:
    """A URL taking one id, as a format string: reversed once a page, not once a row (every
    `reverse` walks the URL resolver)."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def _queue_row(
    result: list[Any], today: datetime.date, rules: dict[str, DriftRule], urls: _Urls
) -> QueueRow:
    (
        child_id,
        drifting_since,
        first_name,
        last_name,
        is_unborn,
        level,
        category,
        holder,
        team,
        worker_names,
        flags,
    ) = result
    # Practitioner.display_name, from the columns alone.
    worker = (
        (f"{worker_names[0]} {worker_names[1]}".strip() or worker_names[2])
        if worker_names
        else None
    )
    since = datetime.date.fromisoformat(drifting_since)
    case = _case_in_words(level=level, category=category, holder=holder, team=team, worker=worker)
    return QueueRow(
        child_id=child_id,
        name=_full_name(first_name, last_name, is_unborn),
        url=urls.child.format(child_id),
        flags=[
            QueueFlag(
                pk=pk,
                url=urls.flag.format(pk),
                rule_code=rule_code,
                title=rules[rule_code].title if rule_code in rules else rule_code,
                sentence=flag_sentence(
                    rule=rules.get(rule_code), figures=figures, reason=reason, today=today
                ),
                severity=severity,
                condition_since=datetime.date.fromisoformat(flag_since),
                review_passed=review_passed,
            )
            for pk, rule_code, severity, flag_since, figures, reason, review_passed in flags or []
        ],
        drifting_since=since,
        summary=f"{case}. Drifting since {day_month_year(since)} ({_time_since(since, today)}).",
    )


def drift_flag_for_lead(*, user: Practitioner, flag_id: int, view_name: str) -> DriftFlag | None:
    """The flag with its child, if the access policy lets the user see the child, the read
    logged (as `view_name`) by the same statement. SQL by hand (visible_child_sql): through the
    ORM, compiling the policy took five times as long as PostgreSQL took to plan and run it;
    prepared once per connection, as planning it took longer than running it."""
    if not 0 < flag_id <= _BIGINT:
        return None  # no such flag (and no bigint to bind)
    flag_fields, child_fields = DriftFlag._meta.concrete_fields, Child._meta.concrete_fields
    columns = [f"flag.{field.column}" for field in flag_fields]
    columns += [f"child.{field.column}" for field in child_fields]
    with connection.cursor() as cursor:
        execute_prepared(
            cursor,
            f"""WITH shown AS (
                    SELECT flag.child_id AS shown_child_id, {", ".join(columns)}
                    FROM {DriftFlag._meta.db_table} flag
                    JOIN {Child._meta.db_table} child ON child.id = flag.child_id
                    WHERE flag.id = %(flag)s AND {visible_child_sql("flag.child_id")}
                ), logged AS (
                    {children_read_log_sql("ARRAY(SELECT shown_child_id FROM shown)")}
                )
                SELECT * FROM shown""",  # noqa: S608  # nosec B608
            {
                **visible_child_params(user),
                **children_read_log_params(user=user, view_name=view_name),
                "flag": flag_id,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    row = row[1:]  # the child's id again, for the log
    flag = _model_from_row(DriftFlag, flag_fields, row[: len(flag_fields)])
    flag.child = _model_from_row(Child, child_fields, row[len(flag_fields) :])
    return flag


def _model_from_row(
    model: type[ModelT], fields: Sequence[Field[Any, Any]], row: Sequence[Any]
) -> ModelT:
    """A model instance from a row of its columns, converted as the ORM converts them."""
    values = []
    for field, value in zip(fields, row, strict=True):
        for converter in field.get_db_converters(connection):
            value = converter(value, None, connection)
        values.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], values)


def rule_titles() -> dict[str, str]:
    return {rule.code: rule.title for rule in drift_rules()}


def _rules_by_code() -> dict[str, DriftRule]:
    return {rule.code: rule for rule in drift_rules()}


def flag_evidence(*, flag: DriftFlag, as_of: datetime.date | None = None) -> dict[str, object]:
    """The records behind a flag, by the kind of evidence its rule names."""
    as_of = as_of or timezone.localdate()
    rule = _rules_by_code().get(flag.rule_code)
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
    evidence["decisions"] = flag.decisions.select_related(
        "supervisor", "supervisor_agency"
    ).order_by("-recorded_at")
    return evidence


def flag_reviews(*, flag: DriftFlag) -> QuerySet[DriftFlagReview]:
    """Each agency's standing decision on the flag: the user's own agency decides for itself;
    the others' are shown read-only."""
    return flag.reviews.select_related("agency", "decision", "decision__supervisor").order_by(
        "agency__name"
    )


def team_is_told(*, team_id: int) -> bool:
    """Whether anyone will see a case moved to this team on their "New to your team" list."""
    return Practitioner.objects.filter(
        Q(team_id=team_id) | Q(team__isnull=True, agency__teams=team_id),
        role__in=LEAD_ROLES,
        is_active=True,
    ).exists()


# Age bands for concerns awaiting an outcome: (label, newest age in days, oldest age in days).
CONCERN_AGES = {
    "week": ("Logged in the last 7 days", 0, 7),
    "month": ("8 to 28 days ago", 8, 28),
    "older": ("More than 28 days ago", 29, None),
}


@dataclass(frozen=True)
class AwaitingFilters:
    agency: int | None = None  # the agency that raised the concern
    age: str = ""  # a CONCERN_AGES key
    newest_first: bool = False


def awaiting_outcome_since() -> datetime.datetime:
    """The start of the first of the last four weeks' days: whole UTC days, as the lead's
    home-page figure sums them (ConcernAwaitingTally), so the figure and the list agree."""
    today = timezone.now().astimezone(datetime.UTC).date()
    first_day = today - datetime.timedelta(days=AWAITING_OUTCOME_DAYS - 1)
    return datetime.datetime.combine(first_day, datetime.time.min, tzinfo=datetime.UTC)


def concerns_awaiting_outcome(
    *,
    user: Practitioner,
    filters: AwaitingFilters | None = None,
    logged_since: datetime.datetime | None = None,
) -> QuerySet[ConcernAwaitingOutcome]:
    """Concerns about children whose case the user's agency holds, with no outcome yet, oldest
    first unless asked otherwise (optionally only those logged since a time).

    Read from the agency's maintained rows (ConcernAwaitingOutcome) in the order of their index:
    a row exists only where the holding agency has a relationship with the child, so the access
    policy leaves out only the restricted records that do not name the user. A child the user
    reaches only through a break-glass grant is not listed: the grant is for reading one
    record, not for oversight. A row's pk is its ConcernChild's.
    """
    filters = filters or AwaitingFilters()
    if not does_casework(user) or user.agency_id is None:
        return ConcernAwaitingOutcome.objects.none()
    links = ConcernAwaitingOutcome.objects.filter(holding_agency_id=user.agency_id).exclude(
        child_id__in=restricted_children_hidden_from(user=user).values("pk")
    )
    if logged_since is not None:
        links = links.filter(submitted_at__gte=logged_since)
    if filters.agency:
        links = links.filter(author_agency_id=filters.agency)
    if filters.age in CONCERN_AGES:
        _label, newest, oldest = CONCERN_AGES[filters.age]
        now = timezone.now()
        links = links.filter(submitted_at__lte=now - datetime.timedelta(days=newest))
        if oldest is not None:
            links = links.filter(submitted_at__gt=now - datetime.timedelta(days=oldest + 1))
    order = "-submitted_at" if filters.newest_first else "submitted_at"
    return links.select_related("child", "concern", "concern__author_agency").order_by(order, "pk")


@dataclass(frozen=True)
class ScopeFigures:
    scope: str  # a key of SCOPES: the queue's filter these figures link to
    label: str
    children: int  # children in the queue (open flags needing a decision)
    gcp2_overdue: int  # of them, children with an overdue GCP2
    awaiting_outcome: int | None  # concerns awaiting an outcome (only on cases held)


def lead_home_figures(*, user: Practitioner) -> list[ScopeFigures]:
    """The lead's home page figures for their team, the cases their agency holds and every
    child their agency works with, in one statement over the tallies PostgreSQL keeps.

    Each is the count behind a filtered view of the queue, so a figure and its list agree.
    Concerns awaiting an outcome are the recent ones only (`awaiting_outcome_since`): those a
    lead must chase. (Challenges and step-up requests waiting are the home page's own panel.)
    """
    since = awaiting_outcome_since()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {_HIDDEN_CHILDREN} SELECT ({_TALLIED_COUNTS}), ({_TALLIED_AWAITING})",  # nosec B608
            {**tallied_counts_params(user), "since": since, "since_day": since.date()},
        )
        tallies, (awaiting_agency, awaiting_team) = cursor.fetchone()  # type: ignore[misc]
    counts = _counts_of(tallies)
    awaiting = {"agency": awaiting_agency, "team": awaiting_team}
    columns = [("team", "Your team's cases")] if user.team_id else []
    columns += [("agency", "Cases your agency holds"), ("", "All children your agency works with")]
    return [
        ScopeFigures(
            scope=scope,
            label=label,
            children=counts[scope or "all"],
            gcp2_overdue=counts[f"{scope or 'all'}_gcp2_overdue"],
            awaiting_outcome=awaiting.get(scope),
        )
        for scope, label in columns
    ]


# The recent concerns awaiting the agency's outcome, [all, the user's team's], from the days'
# tallies PostgreSQL keeps (ConcernAwaitingTally), less the hidden children's rows (with
# `_HIDDEN_CHILDREN` in the statement's WITH).
_TALLIED_AWAITING = f"""
    SELECT json_build_array(coalesce(sum(children), 0),
                            coalesce(sum(children) FILTER (WHERE team_key = %(team)s), 0))
    FROM (
        SELECT tally.children, tally.team_key
        FROM {ConcernAwaitingTally._meta.db_table} tally
        WHERE %(casework)s AND tally.holding_agency_id = %(agency)s
          AND tally.submitted_on >= %(since_day)s
        UNION ALL
        SELECT -1, coalesce(awaiting.team_id, 0)
        FROM hidden_children
        JOIN {ConcernAwaitingOutcome._meta.db_table} awaiting
            ON awaiting.child_id = hidden_children.id AND awaiting.holding_agency_id = %(agency)s
        WHERE awaiting.submitted_at >= %(since)s
    ) figures
"""  # noqa: S608  # nosec B608


@dataclass(frozen=True)
class OutcomeForReferrer:
    outcome: ConcernOutcome  # with its concern's observed_on, the recording agency and child
    child_visible: bool


# SQL by hand, as the queue's: the referrer's outcomes newest first, each with whether the
# policy lets the user see the child (`child_visible_flag`).
_OUTCOMES_FOR_REFERRER = f"""
    SELECT outcome.id, outcome.concern_id, outcome.child_id, outcome.outcome, outcome.reason,
        outcome.recording_agency_id, outcome.recorded_at, concern.observed_on, agency.name,
        child.first_name, child.last_name, child.is_unborn, child.is_restricted,
        {visible_child_sql("outcome.child_id")}
    FROM {ConcernOutcome._meta.db_table} outcome
    JOIN {Concern._meta.db_table} concern ON concern.id = outcome.concern_id
    JOIN {Agency._meta.db_table} agency ON agency.id = outcome.recording_agency_id
    JOIN {Child._meta.db_table} child ON child.id = outcome.child_id
    WHERE concern.author_id = %(user)s
    ORDER BY outcome.recorded_at DESC, outcome.id DESC
    LIMIT %(limit)s
"""  # noqa: S608  # nosec B608


# Each in its model's field order: `from_db` takes a subset of fields' values in that order.
_OUTCOME_FIELDS = [
    "id",
    "concern_id",
    "child_id",
    "outcome",
    "reason",
    "recording_agency_id",
    "recorded_at",
]


def outcomes_for_referrer(*, user: Practitioner, limit: int = 10) -> list[OutcomeForReferrer]:
    """Outcomes of concerns the user logged. The child is named only if the user may see them."""
    with connection.cursor() as cursor:
        cursor.execute(_OUTCOMES_FOR_REFERRER, {**visible_child_params(user), "limit": limit})
        rows = cursor.fetchall()
    outcomes = []
    for row in rows:
        outcome = ConcernOutcome.from_db(connection.alias, _OUTCOME_FIELDS, row[:7])
        outcome.concern = Concern.from_db(
            connection.alias, ["id", "observed_on"], [outcome.concern_id, row[7]]
        )
        outcome.recording_agency = Agency.from_db(
            connection.alias, ["id", "name"], [outcome.recording_agency_id, row[8]]
        )
        outcome.child = _child_from([outcome.child_id, *row[9:13]])
        outcomes.append(OutcomeForReferrer(outcome, row[13]))
    return outcomes


_CHILD_NAME_FIELDS = ["id", "first_name", "last_name", "is_unborn", "is_restricted"]


def _child_from(values: Sequence[Any]) -> Child:
    """A child with only what naming them takes (the rest deferred)."""
    return Child.from_db(connection.alias, _CHILD_NAME_FIELDS, values)


def supervision_for_child(*, user: Practitioner, child: Child) -> QuerySet[SupervisionRecord]:
    """The supervision records about the child that the user may read: supervision stays within
    the supervisor's agency, for its leads and the practitioner supervised."""
    records = SupervisionRecord.objects.filter(
        child=child, supervisor_agency_id=user.agency_id
    ).select_related("supervisor", "practitioner", "supervisor_agency")
    if is_lead(user):
        return records
    return records.filter(practitioner=user)


def open_flags_for_child(*, user: Practitioner, child: Child) -> QuerySet[DriftFlag]:
    """The child's open drift flags, for leads (nobody else reviews drift), each with the review
    date the lead's own agency set, if it decided."""
    if user.role not in LEAD_ROLES:
        return DriftFlag.objects.none()
    return DriftFlag.objects.filter(child=child, resolved_at__isnull=True).annotate(
        review_on=agency_review_on(agency_id=user.agency_id)
    )


def supervision_elsewhere(*, user: Practitioner, child: Child) -> QuerySet[SupervisionRecord]:
    """Other agencies' supervision about the child: only that it took place, when and where."""
    return (
        SupervisionRecord.objects.filter(child=child)
        .exclude(supervisor_agency_id=user.agency_id)
        .select_related("supervisor_agency")
        .only("held_on", "supervisor_agency__name")
    )


def challenges_to_answer(*, user: Practitioner) -> QuerySet[ProfessionalChallenge]:
    """Challenges to the user's agency about cases it holds, still unanswered, soonest due first."""
    return (
        ProfessionalChallenge.objects.filter(
            visible_child_probe(user=user),
            holding_agency_id=user.agency_id,
            answered_at__isnull=True,
        )
        .select_related("child", "raising_agency", "raised_by")
        .order_by("answer_by", "pk")
    )


def challenges_raised(*, user: Practitioner) -> QuerySet[ProfessionalChallenge]:
    """Challenges the user's agency raised, newest first, with their answers."""
    return (
        ProfessionalChallenge.objects.filter(
            visible_child_probe(user=user), raising_agency_id=user.agency_id
        )
        .select_related("child", "holding_agency", "raised_by", "answered_by")
        .order_by("-raised_at", "-pk")
    )


def challenge_for_user(*, user: Practitioner, challenge_id: int) -> ProfessionalChallenge | None:
    """A challenge, for a lead of the agency that raised it or the one that answers it."""
    if not is_lead(user):
        return None
    return (
        ProfessionalChallenge.objects.filter(
            Q(raising_agency_id=user.agency_id) | Q(holding_agency_id=user.agency_id),
            pk=challenge_id,
            child__in=children_visible_to(user=user),
        )
        .select_related(
            "child", "raising_agency", "holding_agency", "raised_by", "answered_by", "drift_flag"
        )
        .first()
    )


# What waits for the agency, counted as `challenges_to_answer` and
# `step_up_requests_to_decide` list it; SQL by hand for the queue's and the home page's
# statements (through the ORM, compiling the two policy probes cost more than running them).
_CHALLENGES_WAITING = f"""(
    SELECT count(*) FROM {ProfessionalChallenge._meta.db_table} waiting
    WHERE waiting.holding_agency_id = %(agency)s AND waiting.answered_at IS NULL
      AND {visible_child_sql("waiting.child_id")})"""  # noqa: S608  # nosec B608
_STEP_UPS_WAITING = f"""(
    SELECT count(*) FROM {StepUpRequest._meta.db_table} waiting
    WHERE waiting.receiving_agency_id = %(agency)s AND waiting.status = %(pending)s
      AND {visible_child_sql("waiting.child_id")})"""  # noqa: S608  # nosec B608


def _waiting_columns(user: Practitioner) -> str:
    """Step-up requests to decide are counted only for a social-care manager: nobody else is
    shown them."""
    columns = f"{_CHALLENGES_WAITING} AS challenges_waiting"
    if user.role == Role.SOCIAL_CARE_MANAGER:
        columns += f", {_STEP_UPS_WAITING} AS step_ups_waiting"
    return columns


def _waiting_params(user: Practitioner) -> dict[str, Any]:
    return {**visible_child_params(user), "pending": StepUpStatus.PENDING}


def _one_row(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def waiting_for_agency(*, user: Practitioner) -> dict[str, int]:
    """Challenges the user's agency must answer and, for a social-care manager (nobody else is
    shown them), step-up requests to decide, in one statement. The queue page
    (`drift_queue_page`) and the home page's panel (`challenges_for_home`) count the same in
    their own statements; the tests hold them to this."""
    if user.agency_id is None:
        return {"challenges_waiting": 0}
    return _one_row(f"SELECT {_waiting_columns(user)}", _waiting_params(user))


@dataclass(frozen=True)
class ChallengesForHome:
    waiting: dict[str, int]  # waiting_for_agency's figures
    raised: list[ProfessionalChallenge]  # the latest of challenges_raised, with child and holder
    requests_made: list[StepUpRequest]  # the latest of step_up_requests_made, with child


# The home page's panel in one statement: what waits for the agency and the latest challenges
# and step-up requests it raised (`challenges_raised`, `step_up_requests_made`), each list
# limited before its names are joined.
_CHALLENGES_FOR_HOME = f"""
    SELECT {{waiting}},
        (SELECT json_agg(json_build_array(raised.id, raised.child_id, child.first_name,
                                          child.last_name, child.is_unborn, child.is_restricted,
                                          raised.holding_agency_id, holder.name, raised.answer_by,
                                          raised.level, raised.outcome, raised.answered_at)
                         ORDER BY raised.raised_at DESC, raised.id DESC)
         FROM (SELECT * FROM {ProfessionalChallenge._meta.db_table} challenge
               WHERE challenge.raising_agency_id = %(agency)s
                 AND {visible_child_sql("challenge.child_id")}
               ORDER BY challenge.raised_at DESC, challenge.id DESC
               LIMIT %(limit)s) raised
         JOIN {Child._meta.db_table} child ON child.id = raised.child_id
         JOIN {Agency._meta.db_table} holder ON holder.id = raised.holding_agency_id
        ) AS raised,
        (SELECT json_agg(json_build_array(made.id, made.child_id, child.first_name,
                                          child.last_name, child.is_unborn, child.is_restricted,
                                          made.to_level, made.status, made.decided_at)
                         ORDER BY made.requested_at DESC, made.id DESC)
         FROM (SELECT * FROM {StepUpRequest._meta.db_table} step_up
               WHERE step_up.requesting_agency_id = %(agency)s
                 AND {visible_child_sql("step_up.child_id")}
               ORDER BY step_up.requested_at DESC, step_up.id DESC
               LIMIT %(limit)s) made
         JOIN {Child._meta.db_table} child ON child.id = made.child_id
        ) AS requests_made
"""  # noqa: S608  # nosec B608


_CHALLENGE_FIELDS = [
    "id",
    "child_id",
    "holding_agency_id",
    "answer_by",
    "level",
    "outcome",
    "answered_at",
]


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def challenges_for_home(*, user: Practitioner, limit: int = 5) -> ChallengesForHome:
    """A lead's home page: `waiting_for_agency` and the latest challenges and step-up requests
    their agency raised, in one statement."""
    if user.agency_id is None:
        return ChallengesForHome({"challenges_waiting": 0}, [], [])
    row = _one_row(
        _CHALLENGES_FOR_HOME.format(waiting=_waiting_columns(user)),
        {**_waiting_params(user), "limit": limit},
    )
    raised = []
    for pk, child_id, *child, holder_id, holder, answer_by, level, outcome, answered_at in (
        row.pop("raised") or []
    ):
        challenge = ProfessionalChallenge.from_db(
            connection.alias,
            _CHALLENGE_FIELDS,
            [
                pk,
                child_id,
                holder_id,
                datetime.date.fromisoformat(answer_by),
                level,
                outcome,
                _moment(answered_at),
            ],
        )
        challenge.child = _child_from([child_id, *child])
        challenge.holding_agency = Agency.from_db(
            connection.alias, ["id", "name"], [holder_id, holder]
        )
        raised.append(challenge)
    requests_made = []
    for pk, child_id, *child, to_level, status, decided_at in row.pop("requests_made") or []:
        step_up = StepUpRequest.from_db(
            connection.alias,
            ["id", "child_id", "to_level", "status", "decided_at"],
            [pk, child_id, to_level, status, _moment(decided_at)],
        )
        step_up.child = _child_from([child_id, *child])
        requests_made.append(step_up)
    return ChallengesForHome(row, raised, requests_made)


def step_up_requests_to_decide(*, user: Practitioner) -> QuerySet[StepUpRequest]:
    return (
        StepUpRequest.objects.filter(
            visible_child_probe(user=user),
            receiving_agency_id=user.agency_id,
            status=StepUpStatus.PENDING,
        )
        .select_related("child", "requesting_agency", "requested_by")
        .order_by("requested_at", "pk")
    )


def step_up_requests_made(*, user: Practitioner) -> QuerySet[StepUpRequest]:
    return (
        StepUpRequest.objects.filter(
            visible_child_probe(user=user), requesting_agency_id=user.agency_id
        )
        .select_related("child", "receiving_agency", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def step_up_request_for_user(*, user: Practitioner, request_id: int) -> StepUpRequest | None:
    """A step-up request, for a lead of the agency that made it or the one that decides it."""
    if not is_lead(user):
        return None
    return (
        StepUpRequest.objects.filter(
            Q(requesting_agency_id=user.agency_id) | Q(receiving_agency_id=user.agency_id),
            pk=request_id,
            child__in=children_visible_to(user=user),
        )
        .select_related("child", "requesting_agency", "receiving_agency", "requested_by")
        .prefetch_related("evidence_concerns", "evidence_flags", "evidence_entries")
        .first()
    )
