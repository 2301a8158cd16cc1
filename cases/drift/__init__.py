"""The drift rule registry: what "stuck" means, as data the drift engine evaluates.

Each rule is set-based: given the children under evaluation, it returns the queryset of those
that breach it, so evaluating 100,000 children is a handful of SQL queries, never a Python loop
per child. The queryset also annotates, per child, `drift_since` (the date the condition first
held) and `drift_figures` (the child's own facts as a JSON object of dates and counts); the
engine stores both on the flag, and the rule's `describe` turns the figures into one sentence.

A rule whose evidence is best read in one grouped pass over each table (rather than a
correlated lookup per child, which is what a queryset's annotations become) gives `rows`
instead: SQL selecting `(child_id, drift_since, drift_figures)` of the breaching children, and
`matching_children=children_in(rows)`. Apps above `cases` register their own rules in
`AppConfig.ready` (the GCP2 rules live in `assessments`), so this module never imports them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from cases.codes import DriftSeverity
from cases.models import Child


@dataclass(frozen=True)
class DriftContext:
    """What a rule is evaluated against."""

    as_of: datetime.date
    thresholds: Mapping[str, int]  # the rule's defaults, overridden by the partnership's settings
    children: QuerySet[Child]  # the children under evaluation: all open cases, or one child


@dataclass(frozen=True)
class DriftRule:
    code: str  # stable identifier, e.g. "GCP2_OVERDUE"
    title: str  # short name for filters and headings
    reason: str  # one plain-English sentence for the lead; may name thresholds as {placeholders}
    severity: DriftSeverity
    default_thresholds: Mapping[str, int]
    matching_children: Callable[[DriftContext], QuerySet[Child]]
    # Which of the child's records show why (the lead's queue links to them): "concerns",
    # "visits", "plan_actions", "referrals", "meetings", "involvement" or "" for the child's page.
    evidence: str = ""
    # The child's figures (as stored on the flag) in one sentence, as of a day: figures hold
    # dates rather than ages, so a flag left open reads true tomorrow without re-evaluation.
    describe: Callable[[Mapping[str, Any], datetime.date], str] | None = None
    # SQL and parameters selecting (child_id, drift_since, drift_figures) of the breaching
    # children, for a rule written as grouped scans; the engine runs it once per evaluation.
    rows: Callable[[DriftContext], tuple[str, list[Any]]] | None = None

    def reason_with(self, thresholds: Mapping[str, int]) -> str:
        return self.reason.format(**thresholds)

    def sentence(self, figures: Mapping[str, Any], today: datetime.date) -> str:
        if self.describe is None or not figures:
            return ""
        words = self.describe(figures, today)
        return words[:1].upper() + words[1:]


def children_sql(children: QuerySet[Child]) -> tuple[str, list[Any]]:
    """The ids of the children under evaluation, as SQL for a rule's `rows` to filter by."""
    sql, params = children.order_by().values("pk").query.sql_with_params()
    return sql, list(params)


def children_in(
    rows: Callable[[DriftContext], tuple[str, list[Any]]],
) -> Callable[[DriftContext], QuerySet[Child]]:
    """`matching_children` for a rule given as `rows`: the children its SQL selects."""

    def matching(context: DriftContext) -> QuerySet[Child]:
        sql, params = rows(context)
        # The rule's own SQL; every value in it is a parameter.
        breaching = RawSQL(f"SELECT child_id FROM ({sql}) AS breaching", params)  # noqa: S611, S608  # nosec
        return context.children.filter(pk__in=breaching)

    return matching


_rules: dict[str, DriftRule] = {}


def register_drift_rule(rule: DriftRule) -> DriftRule:
    """Add a rule to the registry. Registering the same code twice is a bug and fails loudly."""
    existing = _rules.get(rule.code)
    if existing is not None and existing != rule:
        raise ValueError(f"Drift rule {rule.code} is already registered")
    _rules[rule.code] = rule
    return rule


def drift_rules() -> list[DriftRule]:
    return sorted(_rules.values(), key=lambda rule: rule.code)


def drift_rule(code: str) -> DriftRule:
    return _rules[code]
