"""The metrics catalogue: every dashboard figure defined once, with its one set-based query.

Each metric gives its plain-English definition, numerator and denominator, the strategy
priority it evidences, the breakdowns it supports and one SQL `facts` query. The facts query
yields one row per counted record per period it falls in, with `num` and `den` (0/1 or counts)
and a column per breakdown. `Metric.insert_sql()` wraps it in the single statement a build runs:
a `GROUP BY GROUPING SETS` over the period and each breakdown, written straight into the
build's snapshot rows with `INSERT ... SELECT`. No Python loop ever touches a record.

Periods are months, quarters and years up to the build's `as_at` day. A *stock* metric counts
what is open at the end of each period (or on `as_at` for the current one); a *flow* metric
counts what happened during it. Adding a metric is one more `Metric(...)` in `METRICS`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from cases.codes import NEED_LEVEL_ORDER, NeedLevel, PrimaryNeed, ProtectionCategory

from .models import Priority

# The `# nosec B608` marks below: each metric's SQL is composed only from this module's own
# constants and helpers (never from a request); every value goes as a query parameter.
PERIOD_TYPES = {"month": "Month", "quarter": "Quarter", "year": "Year"}
MONTHS_KEPT = 36  # months of history each build computes

AGE_BANDS = {
    "unborn": "Unborn",
    "under_1": "Under 1",
    "1_4": "1 to 4",
    "5_9": "5 to 9",
    "10_15": "10 to 15",
    "16_over": "16 and over",
}


class Kind(Enum):
    COUNT = "count"  # numerator only
    RATE = "rate"  # numerator out of denominator, shown as a percentage
    SHARE_OF_TOTAL = "share"  # each breakdown value's share of the period's total


def _case(column: str, words: dict[str, str]) -> str:
    """A SQL CASE turning stored codes into the words people read."""
    whens = " ".join(
        f"WHEN '{code}' THEN '{label.replace(chr(39), chr(39) * 2)}'"
        for code, label in words.items()
    )
    return f"CASE {column} {whens} END"


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    column: str  # the facts column holding the key
    label_sql: str = ""  # SQL giving the label from `key` (text)
    # Labels known only once the apps are ready (e.g. registered drift rules): code -> words.
    labels: Callable[[], Mapping[str, str]] | None = None
    # A key "group:value" whose shares are within its group (e.g. each area's directions add
    # up to that area's comparisons): the share's denominator and suppression follow the group.
    grouped: bool = False

    def label(self) -> str:
        if self.labels:  # a code no longer known shows as itself
            return f"COALESCE({_case('key', dict(self.labels()))}, key)"
        return self.label_sql

    @staticmethod
    def group_of(key: str) -> str:
        return key.split(":", 1)[0]


def _drift_rule_titles() -> dict[str, str]:
    from cases.drift import drift_rules

    return {rule.code: rule.title for rule in drift_rules()}


DIRECTIONS = {"improved": "Improved", "same": "No change", "deteriorated": "Deteriorated"}
OPEN_FOR = {"under_30": "Under 30 days", "30_89": "30 to 89 days", "90_over": "90 days or more"}
# The area's label from the current framework version (codes are stable across versions).
AREA_LABEL = """(SELECT ar.label FROM assessments_area ar
    JOIN assessments_frameworkversion fv ON fv.id = ar.framework_id
    WHERE ar.code = split_part(key, ':', 1)
    ORDER BY fv.is_current DESC, fv.loaded_at DESC LIMIT 1)"""


DIMENSIONS = {
    d.code: d
    for d in (
        Dimension(
            "agency",
            "Agency",
            "agency_id",
            "(SELECT name FROM cases_agency WHERE id = NULLIF(key, '')::bigint)",
        ),
        Dimension(
            "team",
            "Team",
            "team_id",
            "(SELECT name FROM cases_team WHERE id = NULLIF(key, '')::bigint)",
        ),
        Dimension("level", "Level of need", "level", _case("key", dict(NeedLevel.choices))),
        Dimension("age_band", "Age band", "age_band", _case("key", AGE_BANDS)),
        Dimension(
            "category",
            "Category of plan",
            "category",
            _case("key", dict(ProtectionCategory.choices)),
        ),
        Dimension(
            "primary_need", "Primary need", "primary_need", _case("key", dict(PrimaryNeed.choices))
        ),
        Dimension(
            "area_direction",
            "GCP2 area and change",
            "area_direction",
            AREA_LABEL + " || ': ' || lower(" + _case("split_part(key, ':', 2)", DIRECTIONS) + ")",
            grouped=True,
        ),
        Dimension(
            "direction", "Change since the previous GCP2", "direction", _case("key", DIRECTIONS)
        ),
        Dimension(
            "answer_direction",
            "Change since the first answer",
            "direction",
            _case("key", DIRECTIONS),
        ),
        Dimension("rule", "Drift rule", "rule", labels=_drift_rule_titles),
        Dimension(
            "audit_theme",
            "Case audit theme",
            "audit_id",
            "(SELECT theme FROM learning_caseaudit WHERE id = NULLIF(key, '')::bigint)",
        ),
        Dimension(
            "audit_question",
            "Case audit question",
            "question_id",
            "(SELECT text FROM learning_auditquestion WHERE id = NULLIF(key, '')::bigint)",
        ),
        Dimension("open_for", "Open for", "open_for", _case("key", OPEN_FOR)),
    )
}

# --- SQL fragments the facts queries share -------------------------------------------------

PERIODS_CTE = """
periods AS (
    SELECT k.period_type, s::date AS period_start,
           LEAST((s + k.step - interval '1 day')::date, %(as_at)s::date) AS as_at
    FROM (VALUES ('month', interval '1 month'), ('quarter', interval '3 months'),
                 ('year', interval '1 year')) AS k(period_type, step)
    CROSS JOIN LATERAL generate_series(
        date_trunc(k.period_type, %(first_month)s::timestamp), %(as_at)s::timestamp, k.step
    ) AS s
)"""

# Facts are monthly: a flow metric puts each record in the month its day falls in, and the
# build adds the months up into quarters and years (`Metric.insert_sql`).
MONTH_GRAIN = "CROSS JOIN (VALUES ('month')) AS k(period_type)"
# A flow metric that is not the sum of its months (each child counted once per period, by their
# latest answer in it) computes every period type itself and sets `Metric.per_period`.
EACH_PERIOD_TYPE = "CROSS JOIN (VALUES ('month'), ('quarter'), ('year')) AS k(period_type)"


# Each graded area of each assessment with the area's code, so an assessment's grades meet the
# previous one's by (assessment, code) in one hash join (OFFSET 0: not flattened into a join
# that pairs every grade with every area first).
GRADES_BY_AREA = """SELECT ag.assessment_id, ar.code, ag.grade
    FROM assessments_areagrade ag JOIN assessments_area ar ON ar.id = ag.area_id
    WHERE ag.grade IS NOT NULL OFFSET 0"""


def in_window(day: str) -> str:
    return f"{day} BETWEEN %(window_start)s::date AND %(as_at)s::date"


def period_of(day: str) -> str:
    return f"date_trunc(k.period_type, {day}::timestamp)::date"


def age_band(dob: str, unborn: str, on: str) -> str:
    return f"""CASE
        WHEN {unborn} OR {dob} IS NULL OR {dob} > {on} THEN 'unborn'
        WHEN {dob} > {on} - interval '1 year' THEN 'under_1'
        WHEN {dob} > {on} - interval '5 years' THEN '1_4'
        WHEN {dob} > {on} - interval '10 years' THEN '5_9'
        WHEN {dob} > {on} - interval '16 years' THEN '10_15'
        ELSE '16_over' END"""


def local_day(timestamp: str) -> str:
    return f"({timestamp} AT TIME ZONE 'Europe/London')::date"


LEVEL_RANK = _case("{}", {level: str(rank) for rank, level in enumerate(NEED_LEVEL_ORDER)})
SOCIAL_CARE_LEVELS = "('child_in_need', 'child_protection', 'looked_after')"


def level_rank(column: str) -> str:
    return f"({LEVEL_RANK.format(column)})::int"


def periods_spanned(started_on: str, ended_on: str) -> str:
    """The periods whose end falls while a record is open (from `started_on`, closed on
    `ended_on`), as a LATERAL over the small periods table: the planner then reads each record
    once and checks the month ends in memory, rather than re-scanning the record's table once
    per period (OFFSET 0 keeps the subquery from being flattened into such a join). Only months:
    every quarter and year ends on a month's end, and the build copies that month's figures."""
    return f"""CROSS JOIN LATERAL (
        SELECT p.period_type, p.period_start, p.as_at FROM periods p
        WHERE p.period_type = 'month' AND p.as_at >= {started_on}
          AND ({ended_on} IS NULL OR {ended_on} > p.as_at)
        OFFSET 0
    ) p"""  # nosec B608


def open_at_period_end(level: str) -> str:
    """Involvements at `level` open at the end of each period, with the child's age then."""
    return f"""
    FROM cases_involvement i
    JOIN cases_child c ON c.id = i.child_id
    {periods_spanned("i.started_on", "i.ended_on")}
    WHERE i.level = '{level}'"""


def period_ends(periods: Mapping[str, datetime.date]) -> list[datetime.date]:
    """Every day a period of a build ends on: each month's last day, and the as-at day."""
    as_at, month = periods["as_at"], periods["first_month"]
    ends = []
    while month <= as_at:
        year, index = divmod(month.year * 12 + month.month, 12)
        following = datetime.date(year, index + 1, 1)
        ends.append(min(following - datetime.timedelta(days=1), as_at))
        month = following
    return ends


def seen_boundaries(periods: Mapping[str, datetime.date]) -> dict[str, Any]:
    """For each period end, the latest day a child could last have been seen and be out of
    timescale, by level: the drift engine's CHILD_NOT_SEEN thresholds (with the partnership's
    settings) and its working-day arithmetic, one boundary per period end and level."""
    from cases.drift.evaluation import rule_configurations
    from cases.working_days import breach_boundary

    thresholds = next(
        c.thresholds for c in rule_configurations() if c.rule.code == "CHILD_NOT_SEEN"
    )
    ends = period_ends(periods)
    cp = [breach_boundary(end, thresholds["cp_working_days"]) for end in ends]
    cin = [breach_boundary(end, thresholds["cin_working_days"]) for end in ends]
    # How many month ends after its own a visit can count for: every month has 28 days or more.
    longest = max((end - min(b) for end, *b in zip(ends, cp, cin, strict=True)), default=None)
    return {
        "seen_period_ends": ends,
        "seen_cp_boundaries": cp,
        "seen_cin_boundaries": cin,
        "seen_cp_alone": bool(thresholds["cp_seen_alone"]),
        "seen_months_reach": longest.days // 28 + 1 if longest else 0,
    }


# --- The catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    priority: Priority
    breakdowns: tuple[str, ...]
    facts: str
    kind: Kind = Kind.RATE
    higher_is_better: bool | None = None
    # A stock metric counts what is open at each period end (its quarters and years take the
    # figures of the month they end in); otherwise a flow (its months add up to them).
    stock: bool = False
    # Facts already given for months, quarters and years (EACH_PERIOD_TYPE): nothing is added up.
    per_period: bool = False
    # Extra parameters for the SQL, computed once per build from the period parameters
    # (e.g. one working-day boundary per period end): never a value per record.
    params: Callable[[Mapping[str, datetime.date]], dict[str, Any]] | None = None

    def sql_params(self, periods: Mapping[str, datetime.date]) -> dict[str, Any]:
        return self.params(periods) if self.params else {}

    @property
    def dimensions(self) -> list[Dimension]:
        return [DIMENSIONS[code] for code in self.breakdowns]

    def insert_sql(self) -> str:
        """The one statement that computes this metric for a build and stores its rows."""
        columns = [d.column for d in self.dimensions]
        sets = ", ".join(
            ["(period_type, period_start)"]
            + [f"(period_type, period_start, {column})" for column in columns]
        )
        dimension = " ".join(
            f"WHEN GROUPING({d.column}) = 0 THEN '{d.code}'" for d in self.dimensions
        )
        key = " ".join(
            f"WHEN GROUPING({d.column}) = 0 THEN {d.column}::text" for d in self.dimensions
        )
        label = " ".join(
            f"WHEN '{d.code}' THEN COALESCE({d.label()}, 'Not recorded')" for d in self.dimensions
        )
        if self.kind is Kind.COUNT:
            denominator = "NULL::bigint"
        elif self.kind is Kind.SHARE_OF_TOTAL:
            groups = " ".join(
                f"WHEN '{d.code}' THEN split_part(key, ':', 1)"
                for d in self.dimensions
                if d.grouped
            )
            group = f"CASE dimension {groups} ELSE '' END" if groups else "''"
            denominator = (
                f"SUM(numerator) OVER (PARTITION BY period_type, period_start, dimension, {group})"
            )
        else:
            denominator = "denominator"
        if self.per_period:
            longer = ""
        elif self.stock:
            longer = """
    UNION ALL
    SELECT p.period_type, p.period_start, m.dimension, m.key, m.numerator, m.denominator
    FROM periods p
    JOIN monthly m ON m.period_start = date_trunc('month', p.as_at::timestamp)::date
    WHERE p.period_type <> 'month'"""
        else:
            longer = """
    UNION ALL
    SELECT k.period_type, date_trunc(k.period_type, m.period_start::timestamp)::date,
           m.dimension, m.key, SUM(m.numerator)::bigint, SUM(m.denominator)::bigint
    FROM monthly m CROSS JOIN (VALUES ('quarter'), ('year')) AS k(period_type)
    GROUP BY 1, 2, 3, 4"""
        return f"""
WITH {PERIODS_CTE},
facts AS ({self.facts}),
monthly AS (
    SELECT period_type, period_start,
           CASE {dimension} ELSE 'all' END AS dimension,
           COALESCE(CASE {key} END, '') AS key,
           SUM(num)::bigint AS numerator, SUM(den)::bigint AS denominator
    FROM facts
    GROUP BY GROUPING SETS ({sets})
),
grouped AS (
    SELECT period_type, period_start, dimension, key, numerator, denominator FROM monthly{longer}
),
filled AS (
    SELECT p.period_type, p.period_start, 'all' AS dimension, '' AS key,
           COALESCE(g.numerator, 0) AS numerator, COALESCE(g.denominator, 0) AS denominator
    FROM periods p
    LEFT JOIN grouped g ON g.dimension = 'all' AND g.period_type = p.period_type
         AND g.period_start = p.period_start
    UNION ALL
    SELECT g.period_type, g.period_start, g.dimension, g.key, g.numerator, g.denominator
    FROM grouped g JOIN periods p USING (period_type, period_start)
    WHERE g.dimension <> 'all'
)
INSERT INTO reporting_snapshotrow (build_id, metric, period_type, period_start, dimension,
    dimension_key, dimension_label, numerator, denominator)
SELECT %(build_id)s, %(metric)s, period_type, period_start, dimension, key,
       CASE dimension WHEN 'all' THEN 'All' {label} END,
       numerator, {denominator}
FROM filled"""  # nosec B608


METRICS: list[Metric] = [
    Metric(
        code="cp_neglect_share",
        stock=True,
        name="Neglect as a share of child protection plans",
        definition=(
            "Of the children on a child protection plan at the end of the period (or today, "
            "for the current period), the share whose plan is under the category of neglect."
        ),
        numerator="Children on a child protection plan under neglect (NEG)",
        denominator="All children on a child protection plan",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("agency", "team", "age_band"),
        facts=f"""
    SELECT p.period_type, p.period_start, (i.protection_category = 'NEG')::int AS num,
           1 AS den, i.lead_agency_id AS agency_id, i.team_id,
           {age_band("c.date_of_birth", "c.is_unborn", "p.as_at")} AS age_band
    {open_at_period_end(NeedLevel.CHILD_PROTECTION)}""",
    ),
    Metric(
        code="cp_plans_by_category",
        stock=True,
        name="Child protection plans by category",
        definition=(
            "Children on a child protection plan at the end of the period, by the category "
            "of the plan: neglect against emotional, physical, sexual abuse and multiple "
            "categories."
        ),
        numerator="Children on a plan under the category",
        denominator="All children on a child protection plan",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("category",),
        kind=Kind.SHARE_OF_TOTAL,
        facts=f"""
    SELECT p.period_type, p.period_start, 1 AS num, 1 AS den,
           i.protection_category AS category
    {open_at_period_end(NeedLevel.CHILD_PROTECTION)}""",
    ),
    Metric(
        code="cin_neglect_share",
        stock=True,
        name="Abuse or neglect as a share of child-in-need cases",
        definition=(
            "Of the children open as a child in need (not on a protection plan) at the end "
            "of the period, the share whose primary need is abuse or neglect (N1)."
        ),
        numerator="Child-in-need cases with primary need N1 (abuse or neglect)",
        denominator="All open child-in-need cases",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("agency", "team", "age_band"),
        facts=f"""
    SELECT p.period_type, p.period_start, (i.primary_need = 'N1')::int AS num, 1 AS den,
           i.lead_agency_id AS agency_id, i.team_id,
           {age_band("c.date_of_birth", "c.is_unborn", "p.as_at")} AS age_band
    {open_at_period_end(NeedLevel.CHILD_IN_NEED)}""",
    ),
    Metric(
        code="cin_by_primary_need",
        stock=True,
        name="Child-in-need cases by primary need",
        definition=(
            "Children open as a child in need at the end of the period, by the primary need "
            "recorded (children-in-need census codes N0 to N9)."
        ),
        numerator="Child-in-need cases with the primary need",
        denominator="All open child-in-need cases",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("primary_need",),
        kind=Kind.SHARE_OF_TOTAL,
        facts=f"""
    SELECT p.period_type, p.period_start, 1 AS num, 1 AS den,
           NULLIF(i.primary_need, '') AS primary_need
    {open_at_period_end(NeedLevel.CHILD_IN_NEED)}""",
    ),
    Metric(
        code="re_referrals",
        name="Re-referrals within 12 months",
        definition=(
            "Referrals to children's social care (a child-in-need, protection or looked-after "
            "involvement that does not follow on from another) made in the period, and the "
            "share of them made within 12 months of the child's previous social-care "
            "involvement closing."
        ),
        numerator="Referrals within 12 months of the previous social-care involvement closing",
        denominator="All referrals to children's social care",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("agency", "team", "level", "age_band"),
        higher_is_better=False,
        facts=f"""
    SELECT k.period_type, {period_of("r.started_on")} AS period_start,
           (r.previous_closed IS NOT NULL
            AND r.started_on <= r.previous_closed + interval '12 months')::int AS num,
           1 AS den, r.lead_agency_id AS agency_id, r.team_id, r.level,
           {age_band("c.date_of_birth", "c.is_unborn", "r.started_on")} AS age_band
    FROM (
        SELECT i.child_id, i.level, i.started_on, i.lead_agency_id, i.team_id,
               LAG(COALESCE(i.ended_on, 'infinity'::date))
                   OVER (PARTITION BY i.child_id ORDER BY i.started_on, i.id) AS previous_closed
        FROM cases_involvement i
        WHERE i.level IN {SOCIAL_CARE_LEVELS}
    ) r
    JOIN cases_child c ON c.id = r.child_id
    {MONTH_GRAIN}
    WHERE (r.previous_closed IS NULL OR r.previous_closed < r.started_on)
      AND {in_window("r.started_on")}""",  # nosec B608
    ),
    Metric(
        code="stepped_up",
        name="Cases stepped up",
        definition=(
            "Children whose involvement moved to a higher level of need in the period: an "
            "involvement that starts when the child's previous one has closed, at a higher "
            "level on the continuum (universal, early help, child in need, child protection, "
            "looked after). Counted by the level stepped up to."
        ),
        numerator="Involvements starting at a higher level than the child's previous one",
        denominator="",
        priority=Priority.RESPOND,
        breakdowns=("agency", "team", "level", "age_band"),
        kind=Kind.COUNT,
        facts=f"""
    SELECT k.period_type, {period_of("s.started_on")} AS period_start, 1 AS num,
           NULL::int AS den, s.lead_agency_id AS agency_id, s.team_id, s.level,
           {age_band("c.date_of_birth", "c.is_unborn", "s.started_on")} AS age_band
    FROM (
        SELECT i.child_id, i.level, i.started_on, i.lead_agency_id, i.team_id,
               LAG(i.level) OVER w AS previous_level,
               LAG(COALESCE(i.ended_on, 'infinity'::date)) OVER w AS previous_closed
        FROM cases_involvement i
        WINDOW w AS (PARTITION BY i.child_id ORDER BY i.started_on, i.id)
    ) s
    JOIN cases_child c ON c.id = s.child_id
    {MONTH_GRAIN}
    WHERE s.previous_closed <= s.started_on
      AND {level_rank("s.level")} > {level_rank("s.previous_level")}
      AND {in_window("s.started_on")}""",  # nosec B608
    ),
    Metric(
        code="stepped_down",
        name="Cases stepped down",
        definition=(
            "Children whose involvement moved to a lower level of need in the period: an "
            "involvement that starts when the child's previous one has closed, at a lower "
            "level on the continuum. Counted by the level stepped down to."
        ),
        numerator="Involvements starting at a lower level than the child's previous one",
        denominator="",
        priority=Priority.RESPOND,
        breakdowns=("agency", "team", "level", "age_band"),
        kind=Kind.COUNT,
        facts=f"""
    SELECT k.period_type, {period_of("s.started_on")} AS period_start, 1 AS num,
           NULL::int AS den, s.lead_agency_id AS agency_id, s.team_id, s.level,
           {age_band("c.date_of_birth", "c.is_unborn", "s.started_on")} AS age_band
    FROM (
        SELECT i.child_id, i.level, i.started_on, i.lead_agency_id, i.team_id,
               LAG(i.level) OVER w AS previous_level,
               LAG(COALESCE(i.ended_on, 'infinity'::date)) OVER w AS previous_closed
        FROM cases_involvement i
        WINDOW w AS (PARTITION BY i.child_id ORDER BY i.started_on, i.id)
    ) s
    JOIN cases_child c ON c.id = s.child_id
    {MONTH_GRAIN}
    WHERE s.previous_closed <= s.started_on
      AND {level_rank("s.level")} < {level_rank("s.previous_level")}
      AND {in_window("s.started_on")}""",  # nosec B608
    ),
    Metric(
        code="concerns_logged",
        name="Concerns logged per agency",
        definition=(
            "Neglect concerns logged in the period (by the day they were submitted), by the "
            "agency and team of the practitioner who logged them. A concern about several "
            "siblings counts once."
        ),
        numerator="Concerns logged",
        denominator="",
        priority=Priority.RECOGNISE,
        breakdowns=("agency", "team"),
        kind=Kind.COUNT,
        facts=f"""
    SELECT k.period_type, {period_of(local_day("c.submitted_at"))} AS period_start, 1 AS num,
           NULL::int AS den, c.author_agency_id AS agency_id, a.team_id
    FROM cases_concern c
    JOIN cases_practitioner a ON a.id = c.author_id
    {MONTH_GRAIN}
    WHERE {in_window(local_day("c.submitted_at"))}""",  # nosec B608
    ),
    Metric(
        code="child_voice_share",
        name="Voice of the child recorded",
        definition=(
            "Of the concerns logged in the period where the child was seen, the share that "
            "record the child's own words."
        ),
        numerator="Concerns where the child was seen that record the child's words",
        denominator="Concerns where the child was seen",
        priority=Priority.RECOGNISE,
        breakdowns=("agency", "team"),
        higher_is_better=True,
        facts=f"""
    SELECT k.period_type, {period_of(local_day("c.submitted_at"))} AS period_start,
           (btrim(c.child_voice) <> '')::int AS num, 1 AS den,
           c.author_agency_id AS agency_id, a.team_id
    FROM cases_concern c
    JOIN cases_practitioner a ON a.id = c.author_id
    {MONTH_GRAIN}
    WHERE c.child_seen AND {in_window(local_day("c.submitted_at"))}""",  # nosec B608
    ),
    Metric(
        code="early_help_neglect",
        name="Early-help involvements where neglect is a concern",
        definition=(
            "Early-help involvements started in the period, and the share where neglect is "
            "a concern: the primary need is abuse or neglect (N1), or a neglect concern about "
            "the child was logged in the 12 months before it started or while it was open. "
            "By the lead agency."
        ),
        numerator="Early-help involvements with primary need N1 or a neglect concern",
        denominator="All early-help involvements started",
        priority=Priority.RECOGNISE,
        breakdowns=("agency", "team", "age_band"),
        facts=f"""
    SELECT k.period_type, {period_of("i.started_on")} AS period_start,
           (i.primary_need = 'N1' OR EXISTS (
                SELECT 1 FROM cases_concernchild cc
                JOIN cases_concern c ON c.id = cc.concern_id
                WHERE cc.child_id = i.child_id
                  AND c.observed_on >= i.started_on - interval '12 months'
                  AND c.observed_on <= COALESCE(i.ended_on, %(as_at)s::date)
           ))::int AS num,
           1 AS den, i.lead_agency_id AS agency_id, i.team_id,
           {age_band("ch.date_of_birth", "ch.is_unborn", "i.started_on")} AS age_band
    FROM cases_involvement i
    JOIN cases_child ch ON ch.id = i.child_id
    {MONTH_GRAIN}
    WHERE i.level = 'early_help' AND {in_window("i.started_on")}""",  # nosec B608
    ),
    Metric(
        code="gcp2_completed",
        name="GCP2 assessments completed",
        definition=(
            "Graded Care Profile 2 assessments signed off in the period (by the day they were "
            "signed off), by the agency and team of the assessor. A correction of an assessment "
            "already signed off is not counted again."
        ),
        numerator="GCP2 assessments signed off",
        denominator="",
        priority=Priority.RESPOND,
        breakdowns=("agency", "team"),
        kind=Kind.COUNT,
        facts=f"""
    SELECT k.period_type, {period_of(local_day("a.signed_off_at"))} AS period_start, 1 AS num,
           NULL::int AS den, a.agency_id, pr.team_id
    FROM assessments_assessment a
    JOIN cases_practitioner pr ON pr.id = a.assessor_id
    {MONTH_GRAIN}
    WHERE a.signed_off_at IS NOT NULL AND a.supersedes_id IS NULL
      AND {in_window(local_day("a.signed_off_at"))}""",  # nosec B608
    ),
    Metric(
        code="gcp2_repeat_change",
        name="Repeat GCP2s: change by area",
        definition=(
            "For each repeat GCP2 assessment signed off in the period, each area graded both in "
            "it and in the child's previous signed-off assessment, compared: improved (a lower "
            "grade), no change, or deteriorated (a higher grade). Counts area comparisons, and "
            "each direction's share of the area's comparisons. Corrected assessments are "
            "compared in their corrected form."
        ),
        numerator="Area comparisons in the direction",
        denominator="All area comparisons (in the area, for a breakdown by area)",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("area_direction", "direction"),
        kind=Kind.SHARE_OF_TOTAL,
        facts=f"""
    SELECT k.period_type, {period_of(local_day("r.signed_off_at"))} AS period_start, 1 AS num,
           1 AS den, g.code || ':' || d.direction AS area_direction, d.direction
    FROM (
        SELECT a.id, a.signed_off_at,
               LAG(a.id) OVER (PARTITION BY a.child_id
                               ORDER BY a.assessed_on, a.signed_off_at, a.id) AS previous_id
        FROM assessments_assessment a
        WHERE a.status = 'signed_off'
    ) r
    JOIN ({GRADES_BY_AREA}) g ON g.assessment_id = r.id
    JOIN ({GRADES_BY_AREA}) pg ON pg.assessment_id = r.previous_id AND pg.code = g.code
    CROSS JOIN LATERAL (
        SELECT CASE WHEN g.grade < pg.grade THEN 'improved'
                    WHEN g.grade = pg.grade THEN 'same' ELSE 'deteriorated' END AS direction
    ) d
    {MONTH_GRAIN}
    WHERE {in_window(local_day("r.signed_off_at"))}""",  # nosec B608
    ),
    Metric(
        code="drift_flags_open",
        stock=True,
        name="Drift flags open",
        definition=(
            "Drift flags open at the end of the period (or today, for the current period): "
            "children a drift rule found stuck and not yet resolved, by the rule and by how "
            "long the flag had been open then (under 30 days, 30 to 89, 90 or more)."
        ),
        numerator="Drift flags open",
        denominator="",
        priority=Priority.RESPOND,
        breakdowns=("rule", "open_for"),
        kind=Kind.COUNT,
        higher_is_better=False,
        facts=f"""
    SELECT p.period_type, p.period_start, 1 AS num, NULL::int AS den, f.rule_code AS rule,
           CASE WHEN p.as_at - f.opened_on < 30 THEN 'under_30'
                WHEN p.as_at - f.opened_on < 90 THEN '30_89' ELSE '90_over' END AS open_for
    FROM cases_driftflag f
    {periods_spanned("f.opened_on", local_day("f.resolved_at"))}""",  # nosec B608
    ),
    Metric(
        code="children_seen_in_timescale",
        stock=True,
        name="Children seen within timescale",
        definition=(
            "Of the children on a child protection plan or open as a child in need at the end "
            "of the period, the share seen within the working days the partnership sets for "
            "the level (the drift rule 'Child not seen': by default 10 working days on a "
            "protection plan, seen alone, and 20 as a child in need). A child not yet seen "
            "whose plan or case started within that time counts as within timescale, as it "
            "does for the drift rule."
        ),
        numerator="Children seen (or started) within the working days for their level",
        denominator="Children on a child protection plan or open as a child in need",
        priority=Priority.RESPOND,
        breakdowns=("agency", "team", "level", "age_band"),
        higher_is_better=True,
        params=seen_boundaries,
        facts=f"""
    WITH ends AS MATERIALIZED (
        SELECT p.period_type, p.period_start, p.as_at, e.cp_boundary, e.cin_boundary
        FROM periods p
        JOIN unnest(%(seen_period_ends)s::date[], %(seen_cp_boundaries)s::date[],
                    %(seen_cin_boundaries)s::date[]) AS e(as_at, cp_boundary, cin_boundary)
             ON e.as_at = p.as_at
        WHERE p.period_type = 'month'
    ),
    -- The month ends each child's seen visits keep them within timescale for. A visit counts
    -- only for the ends of its own month and the few after it that the longest timescale
    -- reaches, so visits meet month ends by equality (one hash join), read once, rather than
    -- the visits being searched again for every open case and month.
    seen AS (
        SELECT v.child_id, e.as_at,
               bool_or(v.occurred_on > e.cp_boundary
                       AND (v.child_seen_alone OR NOT %(seen_cp_alone)s)) AS cp,
               bool_or(v.occurred_on > e.cin_boundary) AS cin
        FROM cases_visit v
        JOIN (
            SELECT e.*, (e.period_start - n.months * interval '1 month')::date AS visit_month
            FROM ends e CROSS JOIN generate_series(0, %(seen_months_reach)s) AS n(months)
        ) e ON e.visit_month = date_trunc('month', v.occurred_on::timestamp)::date
        WHERE v.child_seen AND v.occurred_on <= e.as_at
          AND v.occurred_on > LEAST(e.cp_boundary, e.cin_boundary)
        GROUP BY v.child_id, e.as_at
    )
    SELECT p.period_type, p.period_start,
           (i.started_on > p.boundary
            OR COALESCE(CASE i.level WHEN 'child_protection' THEN s.cp ELSE s.cin END, false)
           )::int AS num,
           1 AS den, i.lead_agency_id AS agency_id, i.team_id, i.level,
           {age_band("c.date_of_birth", "c.is_unborn", "p.as_at")} AS age_band
    FROM cases_involvement i
    JOIN cases_child c ON c.id = i.child_id
    CROSS JOIN LATERAL (
        SELECT e.period_type, e.period_start, e.as_at,
               CASE i.level WHEN 'child_protection' THEN e.cp_boundary
                            ELSE e.cin_boundary END AS boundary
        FROM ends e
        WHERE e.as_at >= i.started_on AND (i.ended_on IS NULL OR i.ended_on > e.as_at)
        OFFSET 0
    ) p
    LEFT JOIN seen s ON s.child_id = i.child_id AND s.as_at = p.as_at
    WHERE i.level IN ('child_in_need', 'child_protection')""",  # nosec B608
    ),
    Metric(
        code="audit_grades_good",
        name="Case audits: practice graded good or better",
        definition=(
            "Of the grades agreed at the moderation of multi-agency case audits moderated in "
            "the period (one per sampled child, question and agency taking part), the share "
            "graded good or outstanding, by the audit's theme, its question and the agency."
        ),
        numerator="Agreed grades of good or outstanding",
        denominator="Agreed grades",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("audit_theme", "audit_question", "agency"),
        higher_is_better=True,
        facts=f"""
    SELECT k.period_type, {period_of(local_day("a.moderated_at"))} AS period_start,
           (g.grade IN ('outstanding', 'good'))::int AS num, 1 AS den,
           a.id AS audit_id, g.question_id, g.agency_id
    FROM learning_agreedgrade g
    JOIN learning_auditsample s ON s.id = g.sample_id AND s.swapped_out_at IS NULL
    JOIN learning_caseaudit a ON a.id = s.audit_id
    {MONTH_GRAIN}
    WHERE a.moderated_at IS NOT NULL AND {in_window(local_day("a.moderated_at"))}""",  # nosec B608
    ),
    Metric(
        code="feedback_feel_safe",
        name="Children who say they feel safe at home",
        definition=(
            "Of the children who answered \u201cI feel safe at home\u201d in the period (their "
            "latest answer in it), the share who agreed: \u201cYes\u201d on the 3-point scale, "
            "\u201cAgree\u201d or \u201cStrongly agree\u201d on the 5-point one. By the agency "
            "of the practitioner who asked."
        ),
        numerator="Children who said they feel safe at home",
        denominator="Children who answered",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("agency",),
        higher_is_better=True,
        per_period=True,
        facts=f"""
    SELECT x.period_type, x.period_start, x.agreed::int AS num, 1 AS den, x.agency_id
    FROM (
        SELECT DISTINCT ON (k.period_type, {period_of("f.given_on")}, f.child_id)
               k.period_type, {period_of("f.given_on")} AS period_start, f.agency_id,
               a.score::numeric / f.scale >= 0.8 AS agreed
        FROM learning_feedback f
        JOIN learning_feedbackanswer a ON a.feedback_id = f.id AND a.question = 'safe_at_home'
        {EACH_PERIOD_TYPE}
        WHERE {in_window("f.given_on")}
        ORDER BY k.period_type, {period_of("f.given_on")}, f.child_id, f.given_on DESC, f.id DESC
    ) x""",  # nosec B608
    ),
    Metric(
        code="feedback_safe_change",
        name="Feeling safe at home: change since the first answer",
        definition=(
            "Children who answered \u201cI feel safe at home\u201d in the period and had "
            "answered it before: their latest answer in the period against their first, each "
            "as a share of its scale: better, no change or worse."
        ),
        numerator="Children whose answer moved in the direction",
        denominator="Children who answered again",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("answer_direction",),
        kind=Kind.SHARE_OF_TOTAL,
        per_period=True,
        facts=f"""
    SELECT x.period_type, x.period_start, 1 AS num, 1 AS den,
           CASE WHEN x.latest > x.first THEN 'improved' WHEN x.latest = x.first THEN 'same'
                ELSE 'deteriorated' END AS direction
    FROM (
        SELECT DISTINCT ON (k.period_type, {period_of("f.given_on")}, f.child_id)
               k.period_type, {period_of("f.given_on")} AS period_start, f.id,
               (a.score - 1)::numeric / (f.scale - 1) AS latest, s.first_id, s.first
        FROM learning_feedback f
        JOIN learning_feedbackanswer a ON a.feedback_id = f.id AND a.question = 'safe_at_home'
        CROSS JOIN LATERAL (
            SELECT f0.id AS first_id, (a0.score - 1)::numeric / (f0.scale - 1) AS first
            FROM learning_feedback f0
            JOIN learning_feedbackanswer a0
                 ON a0.feedback_id = f0.id AND a0.question = 'safe_at_home'
            WHERE f0.child_id = f.child_id
            ORDER BY f0.given_on, f0.id
            LIMIT 1
        ) s
        {EACH_PERIOD_TYPE}
        WHERE {in_window("f.given_on")}
        ORDER BY k.period_type, {period_of("f.given_on")}, f.child_id, f.given_on DESC, f.id DESC
    ) x
    WHERE x.id <> x.first_id""",  # nosec B608
    ),
]


def known_for_neglect(child: str, day: str) -> str:
    """The child was known for neglect on `day`: a neglect concern observed by then, or a
    protection plan under neglect (NEG) or a primary need of abuse or neglect (N1) started by
    then."""
    return f"""(EXISTS (SELECT 1 FROM cases_concernchild cc
                    JOIN cases_concern n ON n.id = cc.concern_id
                    WHERE cc.child_id = {child} AND n.observed_on <= {day})
             OR EXISTS (SELECT 1 FROM cases_involvement kn
                    WHERE kn.child_id = {child} AND kn.started_on <= {day}
                      AND (kn.protection_category = 'NEG' OR kn.primary_need = 'N1')))"""  # nosec B608


METRICS += [
    Metric(
        code="attendance_improved_neglect",
        name="School attendance improved among children known for neglect",
        definition=(
            "Attendance figures schools sent for a period ending in this period, for children "
            "known for neglect (a neglect concern, a protection plan under neglect or a primary "
            "need of abuse or neglect by the end of the school's period) who had an earlier "
            "figure: the share where the child attended a larger share of possible sessions "
            "than in their previous figure."
        ),
        numerator="Figures showing better attendance than the child's previous one",
        denominator="Figures for children known for neglect with an earlier figure",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("agency", "age_band"),
        higher_is_better=True,
        facts=f"""
    SELECT k.period_type, {period_of("r.period_end")} AS period_start,
           (r.rate > r.previous_rate)::int AS num, 1 AS den, r.agency_id,
           {age_band("c.date_of_birth", "c.is_unborn", "r.period_end")} AS age_band
    FROM (
        SELECT a.child_id, a.agency_id, a.period_end,
               a.sessions_attended::numeric / NULLIF(a.sessions_possible, 0) AS rate,
               LAG(a.sessions_attended::numeric / NULLIF(a.sessions_possible, 0))
                   OVER (PARTITION BY a.child_id ORDER BY a.period_end, a.id) AS previous_rate
        FROM cases_attendancerecord a
    ) r
    JOIN cases_child c ON c.id = r.child_id
    {MONTH_GRAIN}
    WHERE r.previous_rate IS NOT NULL AND r.rate IS NOT NULL
      AND {in_window("r.period_end")}
      AND {known_for_neglect("r.child_id", "r.period_end")}""",  # nosec B608
    ),
    Metric(
        code="permanent_exclusions_neglect",
        name="Permanent exclusions among children known for neglect",
        definition=(
            "Permanent exclusions from school starting in the period, of children known for "
            "neglect on the day of the exclusion (a neglect concern, a protection plan under "
            "neglect or a primary need of abuse or neglect by then), as schools sent them."
        ),
        numerator="Permanent exclusions",
        denominator="",
        priority=Priority.MAKE_A_DIFFERENCE,
        breakdowns=("agency", "age_band"),
        kind=Kind.COUNT,
        higher_is_better=False,
        facts=f"""
    SELECT k.period_type, {period_of("x.excluded_on")} AS period_start, 1 AS num,
           NULL::int AS den, x.agency_id,
           {age_band("c.date_of_birth", "c.is_unborn", "x.excluded_on")} AS age_band
    FROM cases_exclusionrecord x
    JOIN cases_child c ON c.id = x.child_id
    {MONTH_GRAIN}
    WHERE x.permanent AND {in_window("x.excluded_on")}
      AND {known_for_neglect("x.child_id", "x.excluded_on")}""",  # nosec B608
    ),
]

METRICS_BY_CODE = {metric.code: metric for metric in METRICS}
