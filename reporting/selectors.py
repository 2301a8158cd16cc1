"""Selectors: reads of the current snapshot and the delivery plan.

Pages, exports and the API all read through these, and every table passes through
`suppression.suppress` on its way out. Nothing here aggregates case records: the figures were
computed by the last finished build.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from cases.access import sees_aggregates
from cases.codes import Role
from cases.models import Practitioner

from .metrics import (
    DIRECTIONS,
    METRICS,
    METRICS_BY_CODE,
    PERIOD_TYPES,
    Dimension,
    Kind,
    Metric,
)
from .models import (
    CurrentSnapshot,
    DeliveryAction,
    Priority,
    SnapshotBuild,
    SnapshotRow,
)
from .suppression import Figure, ShownFigure, suppress


def may_refresh(user: Practitioner) -> bool:
    return sees_aggregates(user) and user.role == Role.ANALYST


def current_build() -> SnapshotBuild | None:
    """The finished build every page reads, or None before the first one."""
    pointer = CurrentSnapshot.objects.select_related("build").filter(pk=1).first()
    return pointer.build if pointer else None


def recent_builds(limit: int = 10) -> QuerySet[SnapshotBuild]:
    return SnapshotBuild.objects.select_related("requested_by")[:limit]


# --- Periods ---------------------------------------------------------------------------------


def period_end(period_type: str, start: datetime.date) -> datetime.date:
    months = {"month": 1, "quarter": 3, "year": 12}[period_type]
    year, index = divmod(start.year * 12 + start.month - 1 + months, 12)
    return datetime.date(year, index + 1, 1) - datetime.timedelta(days=1)


def period_label(period_type: str, start: datetime.date) -> str:
    if period_type == "year":
        return str(start.year)
    if period_type == "quarter":
        return f"{start:%B} to {period_end(period_type, start):%B %Y}"
    return f"{start:%B %Y}"


def period_short_label(period_type: str, start: datetime.date) -> str:
    """A period as a chart's axis names it, year always included: "Apr to Jun 2026" drawn with an en dash."""
    if period_type == "year":
        return str(start.year)
    if period_type == "quarter":
        end = period_end(period_type, start)
        return f"{start:%b}\u2013{end:%b %Y}"
    return f"{start:%b %Y}"


def available_periods(*, build: SnapshotBuild, period_type: str) -> list[datetime.date]:
    """Period starts the build holds, newest first."""
    return list(
        SnapshotRow.objects.filter(
            build=build, metric=METRICS[0].code, period_type=period_type, dimension="all"
        )
        .order_by("-period_start")
        .values_list("period_start", flat=True)
    )


def last_complete_period(
    *, build: SnapshotBuild, periods: list[datetime.date], period_type: str
) -> datetime.date | None:
    """The newest period that had ended by the build's as-at day (else the newest)."""
    for start in periods:
        if build.as_at and period_end(period_type, start) <= build.as_at:
            return start
    return periods[0] if periods else None


# --- Tables ----------------------------------------------------------------------------------


@dataclass
class Table:
    """A table as it may be shown: suppressed, with its columns named for people."""

    title: str
    first_column: str
    metric: Metric
    rows: list[ShownFigure]
    total: ShownFigure | None = None
    # For a table over time, each row's period start (the report pack labels charts by it).
    period_starts: list[datetime.date] | None = None

    @property
    def has_rate(self) -> bool:
        return self.metric.kind is not Kind.COUNT

    @property
    def headers(self) -> list[str]:
        if not self.has_rate:
            return [self.first_column, "Number"]
        return [self.first_column, "Number", "Out of", "Percentage"]

    def cells(self, row: ShownFigure) -> list[str]:
        cells = [row.label, row.numerator_text]
        if self.has_rate:
            cells += [row.denominator_text, row.rate_text]
        return cells

    @property
    def body(self) -> list[list[str]]:
        rows = [self.cells(row) for row in self.rows]
        if self.total is not None:
            rows.append(self.cells(self.total))
        return rows

    @property
    def any_suppressed(self) -> bool:
        every = [*self.rows, *([self.total] if self.total else [])]
        return any(row.numerator is None or row.denominator_hidden for row in every)

    def chart_data(self) -> dict[str, object]:
        """What Chart.js draws: suppressed values are left as gaps (null), never estimated."""
        rows = self.rows
        if self.has_rate:
            values = [None if row.rate is None else round(row.rate * 100, 1) for row in rows]
            unit = "%"
        else:
            values = [row.numerator for row in rows]
            unit = "count"
        return {"labels": [row.label for row in rows], "values": values, "unit": unit}


def _figure(row: SnapshotRow, label: str | None = None) -> Figure:
    return Figure(label or row.dimension_label, row.numerator, row.denominator)


def trend_table(*, build: SnapshotBuild, metric: Metric, period_type: str) -> Table:
    rows = SnapshotRow.objects.filter(
        build=build, metric=metric.code, period_type=period_type, dimension="all"
    ).order_by("period_start")
    figures = [_figure(row, period_label(period_type, row.period_start)) for row in rows]
    shown, _ = suppress(figures)
    return Table(
        title=f"{metric.name}, by {PERIOD_TYPES[period_type].lower()}",
        first_column=PERIOD_TYPES[period_type],
        metric=metric,
        rows=shown,
        period_starts=[row.period_start for row in rows],
    )


def breakdown_table(
    *,
    build: SnapshotBuild,
    metric: Metric,
    period_type: str,
    period_start: datetime.date,
    dimension: str,
) -> Table:
    rows = list(
        SnapshotRow.objects.filter(
            build=build,
            metric=metric.code,
            period_type=period_type,
            period_start=period_start,
            dimension__in=(dimension, "all"),
        ).order_by("dimension_label", "dimension_key")
    )
    return _breakdown(metric, dimension, rows, period_label(period_type, period_start))


def _breakdown(metric: Metric, dimension: str, rows: list[SnapshotRow], period: str) -> Table:
    """One period's rows of a breakdown (and its "all" row), suppressed as one table."""
    total = next((row for row in rows if row.dimension == "all"), None)
    chosen = next(d for d in metric.dimensions if d.code == dimension)
    body_rows = [row for row in rows if row.dimension == dimension]
    if chosen.grouped:  # each group's rows together, in the order their labels sort
        body_rows.sort(key=lambda row: chosen.group_of(row.dimension_key))
    shown, shown_total = suppress(
        [_figure(row) for row in body_rows],
        _figure(total, "Total") if total else None,
        share_of_total=metric.kind is Kind.SHARE_OF_TOTAL,
        groups=[chosen.group_of(row.dimension_key) for row in body_rows]
        if chosen.grouped
        else None,
    )
    name = chosen.name
    return Table(
        title=f"{metric.name}, by {name.lower()}, {period}",
        first_column=name,
        metric=metric,
        rows=shown,
        total=shown_total,
    )


# Directions of change stack better first, in the colours people read them by; other parts
# take the palette in turn. The screen and the report pack draw with the same colours.
PALETTE = ["#1d70b8", "#00703c", "#d4351c", "#f47738", "#4c2c92", "#505a5f", "#912b88"]
DIRECTION_COLOURS = {
    DIRECTIONS["improved"]: "#00703c",
    DIRECTIONS["same"]: "#b1b4b6",
    DIRECTIONS["deteriorated"]: "#d4351c",
}


def stack_dimension(metric: Metric) -> Dimension:
    """The breakdown whose shares make up a share-of-total metric's whole (a grouped one, such
    as area and direction, is shares within each group, so never the stack)."""
    return next(d for d in metric.dimensions if not d.grouped)


@dataclass
class SharesTable:
    """A share-of-total metric over time drawn as the shares its whole is made of: each period's
    total and each part's share of it. (Its trend alone would be 100% in every period.) Shown
    on the metric's page, exported as its CSV and drawn in the report pack the same way."""

    title: str
    first_column: str
    metric: Metric
    names: list[str]
    period_starts: list[datetime.date]
    labels: list[str]
    totals: list[ShownFigure | None]
    shares: list[dict[str, ShownFigure]]

    @property
    def headers(self) -> list[str]:
        return [self.first_column, "Total", *self.names]

    @property
    def body(self) -> list[list[str]]:
        return [
            [
                label,
                total.numerator_text if total else "-",
                *(parts[n].rate_text if n in parts else "-" for n in self.names),
            ]
            for label, total, parts in zip(self.labels, self.totals, self.shares, strict=True)
        ]

    @property
    def any_suppressed(self) -> bool:
        every = [t for t in self.totals if t] + [f for p in self.shares for f in p.values()]
        return any(f.numerator is None or f.denominator_hidden for f in every)

    def colours(self) -> list[str]:
        return [
            DIRECTION_COLOURS.get(name, PALETTE[i % len(PALETTE)])
            for i, name in enumerate(self.names)
        ]

    def percentages(self) -> list[list[float | None]]:
        """Each part's share by period, in percent; a suppressed share is None (a gap)."""
        rates = [
            [parts[n].rate if n in parts else None for parts in self.shares] for n in self.names
        ]
        return [[None if r is None else round(r * 100, 1) for r in row] for row in rates]

    def chart_data(self) -> dict[str, object]:
        """What Chart.js stacks: one series per part, suppressed shares left as gaps."""
        return {
            "labels": self.labels,
            "unit": "%",
            "stacked": True,
            "series": [
                {"label": name, "values": values, "colour": colour}
                for name, values, colour in zip(
                    self.names, self.percentages(), self.colours(), strict=True
                )
            ],
        }


def shares_over_time(
    *, build: SnapshotBuild, metric: Metric, period_type: str, last: int | None = None
) -> SharesTable:
    """The shares table of a share-of-total metric over the build's periods (the `last` few),
    each period suppressed exactly as its breakdown table is."""
    dimension = stack_dimension(metric)
    rows = SnapshotRow.objects.filter(
        build=build,
        metric=metric.code,
        period_type=period_type,
        dimension__in=(dimension.code, "all"),
    ).order_by("period_start", "dimension_label", "dimension_key")
    by_period: dict[datetime.date, list[SnapshotRow]] = {}
    for row in rows:
        by_period.setdefault(row.period_start, []).append(row)
    starts = sorted(by_period)[-last:] if last else sorted(by_period)
    tables = [
        _breakdown(metric, dimension.code, by_period[start], period_label(period_type, start))
        for start in starts
    ]
    order = list(DIRECTION_COLOURS)
    names = sorted(
        {row.label for t in tables for row in t.rows},
        key=lambda label: (order.index(label) if label in order else len(order), label),
    )
    name = dimension.name[0].lower() + dimension.name[1:]
    return SharesTable(
        title=f"{metric.name}: share of each {PERIOD_TYPES[period_type].lower()}'s total by {name}",
        first_column=PERIOD_TYPES[period_type],
        metric=metric,
        names=names,
        period_starts=starts,
        labels=[period_label(period_type, start) for start in starts],
        totals=[t.total for t in tables],
        shares=[{row.label: row for row in t.rows} for t in tables],
    )


# --- Headlines -------------------------------------------------------------------------------


@dataclass
class Headline:
    """A metric's figure for a period beside the period before. A share-of-total metric's
    headline is its total count (its shares are in the breakdown)."""

    metric: Metric
    period_label: str
    previous_label: str
    current: ShownFigure | None
    previous: ShownFigure | None

    def _value(self, figure: ShownFigure | None) -> float | None:
        if figure is None:
            return None
        if self.metric.kind is not Kind.RATE:
            return None if figure.numerator is None else float(figure.numerator)
        return figure.rate

    @property
    def text(self) -> str:
        if self.current is None:
            return "-"
        if self.metric.kind is not Kind.RATE:
            return self.current.numerator_text
        return self.current.rate_text

    @property
    def previous_text(self) -> str:
        if self.previous is None:
            return "-"
        if self.metric.kind is not Kind.RATE:
            return self.previous.numerator_text
        return self.previous.rate_text

    @property
    def trend(self) -> str:
        """up, down, same, or "" when either figure is suppressed or missing."""
        now, before = self._value(self.current), self._value(self.previous)
        if now is None or before is None:
            return ""
        if abs(now - before) < 1e-9:
            return "same"
        return "up" if now > before else "down"

    @property
    def trend_is_good(self) -> bool | None:
        if not self.trend or self.trend == "same" or self.metric.higher_is_better is None:
            return None
        return (self.trend == "up") == self.metric.higher_is_better


def headlines(
    *, build: SnapshotBuild, period_type: str, metrics: list[Metric] | None = None
) -> list[Headline]:
    """Each metric's figure for the last complete period, beside the period before it."""
    periods = available_periods(build=build, period_type=period_type)
    latest = last_complete_period(build=build, periods=periods, period_type=period_type)
    if latest is None:
        return []
    earlier = [start for start in periods if start < latest]
    previous = earlier[0] if earlier else None
    chosen = metrics if metrics is not None else METRICS
    rows = SnapshotRow.objects.filter(
        build=build,
        metric__in=[metric.code for metric in chosen],
        period_type=period_type,
        dimension="all",
        period_start__in=[start for start in (latest, previous) if start],
    )
    found = {(row.metric, row.period_start): row for row in rows}
    result = []
    for metric in chosen:
        figures = {
            start: suppress([_figure(found[(metric.code, start)])])[0][0]
            for start in (latest, previous)
            if start and (metric.code, start) in found
        }
        result.append(
            Headline(
                metric=metric,
                period_label=period_label(period_type, latest),
                previous_label=period_label(period_type, previous) if previous else "",
                current=figures.get(latest),
                previous=figures.get(previous) if previous else None,
            )
        )
    return result


def metric_or_none(code: str) -> Metric | None:
    return METRICS_BY_CODE.get(code)


# --- Delivery plan ---------------------------------------------------------------------------


def delivery_plan() -> dict[str, list[DeliveryAction]]:
    """Actions by priority, in the strategy's order, each with its latest evidence."""
    actions = DeliveryAction.objects.prefetch_related("evidence").order_by("reference")
    plan: dict[str, list[DeliveryAction]] = {priority.value: [] for priority in Priority}
    for action in actions:
        plan[action.priority].append(action)
    return plan


def delivery_action_detail(*, action_id: int) -> DeliveryAction | None:
    return (
        DeliveryAction.objects.prefetch_related("evidence__added_by", "history__changed_by")
        .filter(pk=action_id)
        .first()
    )
