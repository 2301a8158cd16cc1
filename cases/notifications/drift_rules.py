"""The drift rule health notifications feed: a child repeatedly not brought to appointments."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet

from cases.codes import ChronologyEventType, DriftSeverity
from cases.drift import DriftContext, DriftRule, register_drift_rule
from cases.models import Child, ChronologyEntry


def repeatedly_not_brought(context: DriftContext) -> QuerySet[Child]:
    window_start = context.as_of - datetime.timedelta(days=context.thresholds["window_days"])
    repeated = (
        ChronologyEntry.objects.filter(
            event_type=ChronologyEventType.WAS_NOT_BROUGHT,
            occurred_on__gte=window_start,
            occurred_on__lte=context.as_of,
        )
        .values("child_id")
        .annotate(count=Count("id"))
        .filter(count__gte=context.thresholds["appointments"])
        .values("child_id")
    )
    return context.children.filter(pk__in=repeated)


WAS_NOT_BROUGHT_REPEATED = DriftRule(
    code="WAS_NOT_BROUGHT_REPEATED",
    title="Repeatedly not brought to appointments",
    reason="Not brought to {appointments} or more health appointments in {window_days} days.",
    severity=DriftSeverity.MEDIUM,
    default_thresholds={"appointments": 3, "window_days": 365},
    matching_children=repeatedly_not_brought,
)


def register_notification_rules() -> None:
    register_drift_rule(WAS_NOT_BROUGHT_REPEATED)
