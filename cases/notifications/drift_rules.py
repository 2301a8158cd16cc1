"""The drift rule health notifications feed: a child repeatedly not brought to appointments."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject

from cases.codes import ChronologyEventType, DriftSeverity
from cases.drift import DriftContext, DriftRule, register_drift_rule
from cases.drift.wording import day_in, plural, short_date
from cases.models import Child, ChronologyEntry


def repeatedly_not_brought(context: DriftContext) -> QuerySet[Child]:
    window_start = context.as_of - datetime.timedelta(days=context.thresholds["window_days"])
    appointments = context.thresholds["appointments"]
    in_window = ChronologyEntry.objects.filter(
        event_type=ChronologyEventType.WAS_NOT_BROUGHT,
        occurred_on__gte=window_start,
        occurred_on__lte=context.as_of,
    )
    repeated = (
        in_window.values("child_id")
        .annotate(count=Count("id"))
        .filter(count__gte=appointments)
        .values("child_id")
    )
    of_child = in_window.filter(child=OuterRef("pk"))

    def about_child(**aggregate: Any) -> Subquery:
        (name,) = aggregate
        return Subquery(of_child.values("child_id").annotate(**aggregate).values(name)[:1])

    return context.children.filter(pk__in=repeated).annotate(
        # The threshold-th missed appointment in the window is when "N in a year" first held.
        drift_since=Subquery(
            of_child.order_by("occurred_on", "pk").values("occurred_on")[
                appointments - 1 : appointments
            ]
        ),
        drift_figures=JSONObject(
            appointments=about_child(n=Count("id")),
            first=about_child(first=Min("occurred_on")),
            last=about_child(last=Max("occurred_on")),
        ),
    )


def describe_repeatedly_not_brought(figures: Mapping[str, Any], today: datetime.date) -> str:
    first, last = day_in(figures, "first"), day_in(figures, "last")
    return (
        f"not brought to {plural(int(figures.get('appointments') or 0), 'health appointment')} "
        f"between {short_date(first, today)} and {short_date(last, today)}"
    )


WAS_NOT_BROUGHT_REPEATED = DriftRule(
    code="WAS_NOT_BROUGHT_REPEATED",
    title="Repeatedly not brought to appointments",
    reason="Not brought to {appointments} or more health appointments in {window_days} days.",
    severity=DriftSeverity.MEDIUM,
    default_thresholds={"appointments": 3, "window_days": 365},
    matching_children=repeatedly_not_brought,
    describe=describe_repeatedly_not_brought,
)


def register_notification_rules() -> None:
    register_drift_rule(WAS_NOT_BROUGHT_REPEATED)
