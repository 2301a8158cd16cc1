"""The census comparison: the tracker's own figures beside those of the latest imported children
in need census, for the census's collection year.

The census's figures were added up when its file was imported (`cases.census.figures`, stored
on the import job). The tracker's figures for the same year are computed by the dashboard build,
like every other figure (pages never aggregate on request), and stored in the build's snapshot
under `COMPARISON`: the counts with the census's own definitions over the tracker's records, and
the two breakdowns with the metrics catalogue's own queries (`cp_plans_by_category` and
`cin_by_primary_need`) evaluated on the census's reference date. Shown with the same suppression
as every dashboard table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection

from cases.census.figures import BREAKDOWNS, COUNTS
from cases.census.layout import census_period
from cases.codes import MeetingKind, NeedLevel, PrimaryNeed, ProtectionCategory, ReferralDecision
from cases.models import CensusJob, CensusJobKind, CensusJobStatus

from .metrics import METRICS_BY_CODE
from .models import SnapshotBuild, SnapshotRow
from .suppression import SUPPRESSED, Figure, ShownFigure, suppress

COMPARISON = "census_comparison"
PERIOD_TYPE = "census"
# Each census breakdown: the catalogue metric that defines it, its breakdown, and the labels.
CATALOGUE = {
    "protection_by_category": (
        "cp_plans_by_category",
        "category",
        dict(ProtectionCategory.choices),
    ),
    "in_need_by_primary_need": ("cin_by_primary_need", "primary_need", dict(PrimaryNeed.choices)),
}

# The census's definitions (cases.census.figures.COUNTS) over the tracker's records, from the
# first day of the collection year to `as_at` (its last day, or the build's day if earlier).
TRACKER_COUNTS = """
SELECT
  (SELECT count(*) FROM cases_referral
    WHERE received_on BETWEEN %(start)s AND %(as_at)s) AS referrals,
  (SELECT count(*) FROM cases_referral
    WHERE assessment_completed_on BETWEEN %(start)s AND %(as_at)s) AS assessments_completed,
  (SELECT count(*) FROM cases_protectionmeeting WHERE kind = %(strategy)s
    AND held_on BETWEEN %(start)s AND %(as_at)s) AS section47_enquiries,
  (SELECT count(*) FROM cases_protectionmeeting WHERE kind = %(initial)s
    AND held_on BETWEEN %(start)s AND %(as_at)s) AS initial_conferences,
  (SELECT count(*) FROM cases_involvement WHERE level = %(protection)s
    AND started_on BETWEEN %(start)s AND %(as_at)s) AS protection_plans_started,
  (SELECT count(DISTINCT child_id) FROM cases_referral
    WHERE received_on <= %(as_at)s AND (closed_on IS NULL OR closed_on > %(as_at)s)
      AND decision <> %(nfa)s) AS in_need_at_end"""


def latest_census() -> CensusJob | None:
    """The latest import that brought a census in (and so holds its figures)."""
    return (
        CensusJob.objects.filter(kind=CensusJobKind.IMPORT, status=CensusJobStatus.DONE)
        .filter(figures__has_key="counts")  # imports before the figures were kept hold none
        .order_by("-finished_at", "-pk")
        .first()
    )


def census_comparison_build(build: SnapshotBuild) -> None:
    """Store the tracker's figures for the latest imported census's year in the build."""
    job = latest_census()
    if job is None or build.as_at is None:
        return
    start, end = census_period(job.collection_year)
    as_at = min(end, build.as_at)
    rows: list[tuple[str, str, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            TRACKER_COUNTS,
            {
                "start": start,
                "as_at": as_at,
                "strategy": MeetingKind.STRATEGY_DISCUSSION,
                "initial": MeetingKind.INITIAL_CONFERENCE,
                "protection": NeedLevel.CHILD_PROTECTION,
                "nfa": ReferralDecision.NO_FURTHER_ACTION,
            },
        )
        values = cursor.fetchone() or ()
        names = [column.name for column in cursor.description or ()]
        rows += [("count", name, int(value)) for name, value in zip(names, values, strict=True)]
        for metric_code, dimension, _ in CATALOGUE.values():
            metric = METRICS_BY_CODE[metric_code]
            cursor.execute(_on_one_day(metric.facts, dimension), {"as_at": as_at})
            rows += [(dimension, key, int(count)) for key, count in cursor.fetchall()]
    SnapshotRow.objects.bulk_create(
        SnapshotRow(
            build=build,
            metric=COMPARISON,
            period_type=PERIOD_TYPE,
            period_start=end,
            dimension=dimension,
            dimension_key=key,
            dimension_label=key,
            numerator=count,
        )
        for dimension, key, count in rows
    )


def _on_one_day(facts: str, dimension: str) -> str:
    """A catalogue metric's facts on one period ending on `as_at`, added up by its breakdown
    (both from the catalogue's own constants, never from a request)."""
    return (
        "WITH periods AS (SELECT 'month'::text AS period_type, "  # noqa: S608  # nosec B608
        "%(as_at)s::date AS period_start, %(as_at)s::date AS as_at), "
        f"facts AS ({facts}) "
        f"SELECT COALESCE({dimension}::text, ''), SUM(num) FROM facts GROUP BY 1"
    )


@dataclass
class ComparisonRow:
    label: str
    census: str
    tracker: str
    difference: str


@dataclass
class ComparisonTable:
    caption: str
    rows: list[ComparisonRow]
    total: ComparisonRow | None = None


@dataclass
class CensusComparison:
    job: CensusJob
    period_start: datetime.date
    reference_date: datetime.date
    build: SnapshotBuild | None
    tracker_as_at: datetime.date | None
    # False when the current build ran before this census was imported (or has no figures).
    tracker_ready: bool
    counts: ComparisonTable
    breakdowns: list[ComparisonTable]

    @property
    def tables(self) -> list[ComparisonTable]:
        return [self.counts, *self.breakdowns]


def _difference(census: ShownFigure, tracker: ShownFigure | None) -> str:
    """The tracker's figure less the census's; hidden when either is (it would give it back)."""
    if tracker is None:
        return ""
    if census.numerator is None or tracker.numerator is None:
        return SUPPRESSED
    difference = tracker.numerator - census.numerator
    return f"{difference:+,}" if difference else "0"


def _row(label: str, census: ShownFigure, tracker: ShownFigure | None) -> ComparisonRow:
    return ComparisonRow(
        label=label,
        census=census.numerator_text,
        tracker=tracker.numerator_text if tracker else "",
        difference=_difference(census, tracker),
    )


def census_comparison(*, build: SnapshotBuild | None) -> CensusComparison | None:
    """The latest imported census's figures beside the tracker's, suppressed; None when no
    census has been imported."""
    job = latest_census()
    if job is None:
        return None
    start, end = census_period(job.collection_year)
    tracker: dict[tuple[str, str], int] = {}
    if build is not None:
        tracker = {
            (row.dimension, row.dimension_key): row.numerator
            for row in SnapshotRow.objects.filter(
                build=build, metric=COMPARISON, period_type=PERIOD_TYPE, period_start=end
            )
        }
    ready = bool(tracker) and build is not None and _built_after(build, job)
    figures = job.figures
    census_counts = figures.get("counts", {})
    counts = _table(
        "Counts for the year",
        [
            (label, census_counts.get(key, 0), tracker.get(("count", key)))
            for key, label in COUNTS.items()
        ],
        ready,
        total=False,
    )
    breakdowns = []
    for key, caption in BREAKDOWNS.items():
        _, dimension, labels = CATALOGUE[key]
        census_side: dict[str, int] = figures.get(key, {})
        tracker_side = {k: v for (d, k), v in tracker.items() if d == dimension}
        codes = sorted(set(census_side) | set(tracker_side), key=lambda code: (code == "", code))
        breakdowns.append(
            _table(
                caption,
                [
                    (
                        labels.get(code, "Not recorded"),
                        census_side.get(code, 0),
                        tracker_side.get(code, 0),
                    )
                    for code in codes
                ],
                ready,
                total=True,
            )
        )
    return CensusComparison(
        job=job,
        period_start=start,
        reference_date=end,
        build=build,
        tracker_as_at=min(end, build.as_at) if build and build.as_at else None,
        tracker_ready=ready,
        counts=counts,
        breakdowns=breakdowns,
    )


def _built_after(build: SnapshotBuild, job: CensusJob) -> bool:
    return (
        build.started_at is not None
        and job.finished_at is not None
        and build.started_at >= job.finished_at
    )


def _table(
    caption: str, rows: list[tuple[str, int, int | None]], ready: bool, *, total: bool
) -> ComparisonTable:
    """Each column suppressed on its own (against its total, where the rows add up to one)."""

    def column(values: list[int]) -> tuple[list[ShownFigure], ShownFigure | None]:
        figures = [
            Figure(label, value, None) for (label, _, _), value in zip(rows, values, strict=True)
        ]
        return suppress(figures, Figure("Total", sum(values), None) if total else None)

    census, census_total = column([census for _, census, _ in rows])
    tracker: list[ShownFigure | None] = [None] * len(rows)
    tracker_total: ShownFigure | None = None
    if ready:
        shown, tracker_total = column([value or 0 for _, _, value in rows])
        tracker = list(shown)
    return ComparisonTable(
        caption=caption,
        rows=[_row(label, c, t) for (label, _, _), c, t in zip(rows, census, tracker, strict=True)],
        total=_row("Total", census_total, tracker_total) if census_total else None,
    )
