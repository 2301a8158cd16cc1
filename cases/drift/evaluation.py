"""The drift engine: evaluates every registered rule and opens or closes flags, idempotently.

Each rule's breaching children (with the day the condition first held and their figures) are
computed once, into a temporary table; from it one INSERT ... SELECT opens the flags that now
apply (an open flag already there keeps its dates and only takes new figures, through the
partial unique index) and one UPDATE closes the open flags that no longer apply, with the time
they resolved. Re-running with nothing changed changes nothing.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import DateField, JSONField, QuerySet, Value
from django.utils import timezone

from cases.codes import DriftSeverity
from cases.drift import DriftContext, DriftRule, drift_rules
from cases.drift.queue import drift_queue_entries_refresh, drift_queue_entries_refresh_due
from cases.models import Child, DriftEvaluationRun, DriftFlag, DriftRuleSetting
from cases.services import drift_evaluation_requests_take

logger = logging.getLogger(__name__)

SEVERITY_RANK = {DriftSeverity.HIGH: 0, DriftSeverity.MEDIUM: 1, DriftSeverity.LOW: 2}


@dataclass(frozen=True)
class RuleConfiguration:
    rule: DriftRule
    enabled: bool
    thresholds: Mapping[str, int]
    severity: str

    @property
    def reason(self) -> str:
        return self.rule.reason_with(self.thresholds)


@dataclass
class DriftEvaluation:
    as_of: datetime.date
    children: int | None  # None for a full evaluation
    opened: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # time each rule took
    updated: int = 0

    @property
    def changed(self) -> int:
        return sum(self.opened.values()) + sum(self.closed.values()) + self.updated


def rule_configurations() -> list[RuleConfiguration]:
    """Every registered rule with the partnership's settings applied (unknown keys ignored)."""
    settings = {setting.code: setting for setting in DriftRuleSetting.objects.all()}
    configured = []
    for rule in drift_rules():
        setting = settings.get(rule.code)
        thresholds = dict(rule.default_thresholds)
        if setting is not None:
            thresholds.update(
                {k: int(v) for k, v in setting.thresholds.items() if k in rule.default_thresholds}
            )
        configured.append(
            RuleConfiguration(
                rule=rule,
                enabled=setting.enabled if setting is not None else True,
                thresholds=thresholds,
                severity=(setting.severity if setting and setting.severity else rule.severity),
            )
        )
    return configured


def drift_evaluate(
    *, as_of: datetime.date | None = None, child_ids: Iterable[int] | None = None
) -> DriftEvaluation:
    """Evaluate every registered rule for all children, or only the given ones."""
    as_of = as_of or timezone.localdate()
    ids = sorted(set(child_ids)) if child_ids is not None else None
    children: QuerySet[Child] = (
        Child.objects.filter(pk__in=ids) if ids is not None else Child.objects.all()
    )
    result = DriftEvaluation(as_of=as_of, children=len(ids) if ids is not None else None)
    now = timezone.now()
    run_started = time.perf_counter()
    configurations = rule_configurations()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The rules group every child's evidence in hashes: at 300,000 children some pass
            # the default 32 MB and spill to disk, which costs more per child as the
            # partnership grows. One session, once a night: let them stay in memory.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        open_flags = DriftFlag.objects.filter(resolved_at__isnull=True)
        if ids is not None:
            open_flags = open_flags.filter(child_id__in=ids)
        active_codes = [c.rule.code for c in configurations if c.enabled]
        # Flags of rules that are disabled or no longer registered close.
        retired = open_flags.exclude(rule_code__in=active_codes).update(resolved_at=now)
        if retired:
            result.closed["(retired rules)"] = retired
        with connection.cursor() as cursor:
            # Each rule's rows replace the previous rule's; dropped when the rules are done (or
            # with the transaction, when it fails: an outer transaction may go on).
            cursor.execute(
                f"CREATE TEMPORARY TABLE {BREACHING} "
                "(child_id bigint NOT NULL, since date, figures jsonb) ON COMMIT DROP"
            )
        for configuration in configurations:
            if not configuration.enabled:
                continue
            code = configuration.rule.code
            started = time.perf_counter()
            context = DriftContext(
                as_of=as_of, thresholds=configuration.thresholds, children=children
            )
            _breaching_store(configuration.rule, context)
            opened, refigured = _open_flags(configuration, as_of, now)
            result.opened[code] = opened
            result.updated += refigured
            result.closed[code] = _close_flags(code, ids, now)
            result.updated += (
                open_flags.filter(rule_code=code)
                .exclude(severity=configuration.severity, reason=configuration.reason)
                .update(
                    severity=configuration.severity,
                    severity_rank=SEVERITY_RANK[DriftSeverity(configuration.severity)],
                    reason=configuration.reason,
                )
            )
            result.seconds[code] = round(time.perf_counter() - started, 3)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {BREACHING}")
        started = time.perf_counter()
        drift_queue_entries_refresh(child_ids=ids, as_of=as_of)
        result.seconds["(queue)"] = round(time.perf_counter() - started, 3)
        if ids is None:
            DriftEvaluationRun.objects.create(
                as_of=as_of,
                settings=settings_fingerprint(configurations),
                seconds=round(time.perf_counter() - run_started, 3),
            )
    logger.info(
        "drift evaluated as_of=%s children=%s opened=%d closed=%d updated=%d",
        as_of,
        "all" if ids is None else len(ids),
        sum(result.opened.values()),
        sum(result.closed.values()),
        result.updated,
    )
    return result


def settings_fingerprint(configurations: Iterable[RuleConfiguration]) -> str:
    """The registered rules with the partnership's settings, as canonical JSON."""
    return json.dumps(
        [
            [c.rule.code, c.enabled, c.severity, dict(sorted(c.thresholds.items()))]
            for c in configurations
        ],
        sort_keys=True,
    )


def drift_evaluate_scheduled(*, as_of: datetime.date | None = None) -> DriftEvaluation:
    """The scheduled run: everyone, or only the children whose records changed.

    Every rule's deadline is a day, so between two runs on the same day with the same rule
    settings no deadline can fall due: only a change to a child's records (its evaluation
    request, written with the change) can change a flag. The first run of each day, or after
    the settings change, evaluates every child (the nightly full run, which also catches up
    on a missed one).
    """
    as_of = as_of or timezone.localdate()
    latest = DriftEvaluationRun.objects.order_by("-finished_at").first()
    if (
        latest is None
        or latest.as_of != as_of
        or latest.settings != settings_fingerprint(rule_configurations())
    ):
        return drift_evaluate(as_of=as_of)
    with transaction.atomic():
        # Decisions whose review date has come put their flags back on the agency's queue.
        drift_queue_entries_refresh_due(as_of=as_of)
        child_ids = drift_evaluation_requests_take()
        if not child_ids:
            return DriftEvaluation(as_of=as_of, children=0)
        return drift_evaluate(as_of=as_of, child_ids=child_ids)


BREACHING = "drift_breaching"  # the temporary table of one rule's breaching children


def _breaching_store(rule: DriftRule, context: DriftContext) -> None:
    """Run the rule's query once, keeping its rows for opening and closing flags.

    A rule without the annotations (a partnership's own, say) opens its flags as of the
    evaluation date with no figures.
    """
    if rule.rows is not None:
        sql, params = rule.rows(context)
    else:
        matching = rule.matching_children(context)
        if not {"drift_since", "drift_figures"} <= set(matching.query.annotations):
            matching = matching.annotate(
                drift_since=Value(context.as_of, output_field=DateField()),
                drift_figures=Value({}, output_field=JSONField()),
            )
        columns = matching.values("pk", "drift_since", "drift_figures")  # type: ignore[misc]
        compiled, compiled_params = columns.query.sql_with_params()
        sql = f"SELECT pk, drift_since, drift_figures FROM ({compiled}) AS matching"  # noqa: S608  # nosec B608
        params = list(compiled_params)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {BREACHING}")  # noqa: S608  # nosec B608
        # The rule's SQL, compiled by the ORM or written with parameters for every value.
        cursor.execute(f"INSERT INTO {BREACHING} {sql}", params)  # nosec B608


def _open_flags(
    configuration: RuleConfiguration, as_of: datetime.date, now: datetime.datetime
) -> tuple[int, int]:
    """Open the flags that now apply; refresh the figures of those already open.

    Returns (opened, refigured).
    """
    table = DriftFlag._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # Table names from the model and a constant; every value is a parameter.
            # xmax is 0 on a row this statement inserted, not on one it updated.
            f"WITH upserted AS (INSERT INTO {table} AS flag "  # noqa: S608  # nosec B608
            "(child_id, rule_code, severity, severity_rank, reason, opened_at, opened_on, "
            "condition_since, figures) "
            "SELECT breaching.child_id, %s, %s, %s, %s, %s, %s, "
            "LEAST(COALESCE(breaching.since, %s), %s), "
            "COALESCE(breaching.figures, '{}'::jsonb) "
            f"FROM {BREACHING} AS breaching "
            "ON CONFLICT (child_id, rule_code) WHERE resolved_at IS NULL "
            "DO UPDATE SET figures = EXCLUDED.figures "
            "WHERE flag.figures IS DISTINCT FROM EXCLUDED.figures "
            "RETURNING (flag.xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            "FROM upserted",
            [
                configuration.rule.code,
                configuration.severity,
                SEVERITY_RANK[DriftSeverity(configuration.severity)],
                configuration.reason,
                now,
                as_of,
                as_of,
                as_of,
            ],
        )
        opened, refigured = cursor.fetchone()  # type: ignore[misc]
        return int(opened), int(refigured)


def _close_flags(code: str, ids: list[int] | None, now: datetime.datetime) -> int:
    """Close the rule's open flags (of the children evaluated) that no longer apply."""
    table = DriftFlag._meta.db_table
    children = "" if ids is None else "AND flag.child_id = ANY(%s) "
    with connection.cursor() as cursor:
        cursor.execute(
            # Table names from the model and a constant; every value is a parameter.
            f"UPDATE {table} AS flag SET resolved_at = %s "  # noqa: S608  # nosec B608
            f"WHERE flag.resolved_at IS NULL AND flag.rule_code = %s {children}"
            f"AND NOT EXISTS (SELECT 1 FROM {BREACHING} AS breaching "
            "WHERE breaching.child_id = flag.child_id)",
            [now, code] if ids is None else [now, code, ids],
        )
        return int(cursor.rowcount)
