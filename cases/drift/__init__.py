"""The drift rule registry: what "stuck" means, as data the drift engine evaluates.

Each rule is set-based: given the children under evaluation, it returns the queryset of those
that breach it, so evaluating 100,000 children is a handful of SQL queries, never a Python loop
per child. The queryset also annotates, per child, `drift_since` (the date the condition first
held) and `drift_figures` (the child's own facts as a JSON object of dates and counts); the
engine stores both on the flag, and the rule's `describe` turns the figures into one sentence. Apps above `cases` register their own rules in `AppConfig.ready` (the GCP2 rules
live in `assessments`), so this module never imports them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

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

    def reason_with(self, thresholds: Mapping[str, int]) -> str:
        return self.reason.format(**thresholds)

    def sentence(self, figures: Mapping[str, Any], today: datetime.date) -> str:
        if self.describe is None or not figures:
            return ""
        words = self.describe(figures, today)
        return words[:1].upper() + words[1:]


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
