"""The multi-agency chronology: selectors for the child's page and its CSV and PDF exports.

Every function here takes children the caller has already read through the access policy
(`child_for_reading`), and a sibling's entries are included only for siblings the user may
see. Each page is a fixed number of queries however long the chronology is.
"""

from __future__ import annotations

import csv
import datetime
import io
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.access import children_visible_to
from cases.codes import NeglectType
from cases.models import Child, ChronologyEntry, Concern, ConcernChild, Practitioner
from cases.web.pdf import pdf_text
from cases.web.spreadsheets import csv_cell

PAGE_SIZE = 25
VOICE_CONTACTS = 10


@dataclass
class ChronologyFilters:
    agency_id: int | None = None
    event_type: str | None = None
    significance: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def describe(self) -> str:
        parts = [
            f"{name} {value}"
            for name, value in (
                ("agency", self.agency_id),
                ("event", self.event_type),
                ("significance", self.significance),
                ("from", self.date_from),
                ("to", self.date_to),
            )
            if value
        ]
        return ", ".join(parts) or "none"


def siblings_visible_to(*, user: Practitioner, child: Child) -> list[Child]:
    return list(
        children_visible_to(user=user)
        .filter(family_id=child.family_id)
        .exclude(pk=child.pk)
        .order_by("date_of_birth", "pk")
    )


def chronology_for_children(
    *, children: list[Child], filters: ChronologyFilters
) -> QuerySet[ChronologyEntry]:
    """Entries for these (already policy-checked) children, newest first, filtered. One child's
    entries come through its related manager, which gives each entry the caller's child object
    (no join to read it again); a family's join their children."""
    if len(children) == 1:
        entries = children[0].chronology.select_related("source_agency")
    else:
        entries = ChronologyEntry.objects.filter(
            child_id__in=[c.pk for c in children]
        ).select_related("source_agency", "child")
    return chronology_filtered(entries, filters).order_by("-occurred_on", "-recorded_at", "-pk")


def chronology_filtered(
    entries: QuerySet[ChronologyEntry], filters: ChronologyFilters
) -> QuerySet[ChronologyEntry]:
    if filters.agency_id:
        entries = entries.filter(source_agency_id=filters.agency_id)
    if filters.event_type:
        entries = entries.filter(event_type=filters.event_type)
    if filters.significance:
        entries = entries.filter(significance=filters.significance)
    if filters.date_from:
        entries = entries.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(occurred_on__lte=filters.date_to)
    return entries


def cumulative_concerns_by_type(*, child: Child) -> dict[str, Any]:
    """How many concerns of each neglect type have been logged by the end of each month.

    PostgreSQL counts concerns per month and combination of types, so the rows read here grow
    with the months of history, not with the number of concerns."""
    rows = (
        Concern.objects.filter(concernchild__child=child)
        .annotate(month=TruncMonth("observed_on"))
        .values_list("month", "neglect_types")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    codes = NeglectType.values
    running: Counter[str] = Counter()
    by_month: dict[datetime.date, list[int]] = {}
    for month, neglect_types, n in rows:
        running.update(dict.fromkeys(neglect_types, n))
        by_month[month] = [running[code] for code in codes]
    return {
        "types": NeglectType.labels,
        "codes": codes,
        "rows": [(month.strftime("%b %Y"), counts) for month, counts in by_month.items()],
        "dates": [month.isoformat() for month in by_month],
    }


def voice_of_the_child(*, child: Child, limit: int = VOICE_CONTACTS) -> list[ConcernChild]:
    """The child's most recent contacts logged as concerns, with this child's own answers (seen,
    seen alone, spoken to, words), never a brother's or sister's from the same concern."""
    return list(
        ConcernChild.objects.filter(child=child)
        .select_related("concern", "concern__author_agency")
        .order_by("-concern__observed_on", "-concern__submitted_at")[:limit]
    )


def chronology_page(
    *, entries: QuerySet[ChronologyEntry], page_number: str | int | None
) -> Page[ChronologyEntry]:
    """A page of entries, as `Paginator.get_page` answers it, in one statement: the page's rows
    carry the total (a window count), so the paginator need not count them first. Only a page
    past the end (or an empty chronology) takes Paginator's own way to the nearest page."""
    paginator = Paginator(entries, PAGE_SIZE)
    try:
        number = int(page_number or 1)
    except (TypeError, ValueError):
        number = 1
    # A page whose offset PostgreSQL's bigint cannot hold (a hostile ?page=) is past the end.
    if 1 <= number <= sys.maxsize // PAGE_SIZE:
        start = (number - 1) * PAGE_SIZE
        rows = list(entries.annotate(total=Window(Count("pk")))[start : start + PAGE_SIZE])
        if rows:
            paginator.count = rows[0].total  # type: ignore[attr-defined, misc]
            return Page(rows, number, paginator)
    return paginator.get_page(page_number)


EXPORT_COLUMNS = ("Date", "Child", "Agency", "Event", "Significance", "Summary")


def _export_rows(entries: QuerySet[ChronologyEntry]) -> list[list[str]]:
    return [
        [
            entry.occurred_on.isoformat(),
            entry.child.full_name,
            entry.source_agency.name,
            entry.get_event_type_display(),
            entry.get_significance_display(),
            entry.summary,
        ]
        for entry in entries.iterator(chunk_size=500)
    ]


def chronology_csv(*, entries: QuerySet[ChronologyEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in _export_rows(entries):
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def chronology_pdf(
    *,
    child: Child,
    entries: QuerySet[ChronologyEntry],
    filters: ChronologyFilters,
    user: Practitioner,
) -> bytes:
    """A printable chronology for conferences and court, on A4 landscape."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    cell.fontSize = 8
    cell.leading = 10
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Chronology: {child.full_name}",
    )
    born = (
        f"due {child.expected_date_of_delivery:%d %b %Y}"
        if child.is_unborn
        else f"born {child.date_of_birth:%d %b %Y}"
    )
    story: list[Any] = [
        Paragraph("OFFICIAL-SENSITIVE", styles["Normal"]),
        Paragraph(
            pdf_text(f"Multi-agency chronology: {child.full_name} ({born})"), styles["Title"]
        ),
        Paragraph(
            pdf_text(
                f"Family {child.family.reference}. Filters: {filters.describe()}. "
                f"Produced {timezone.localtime():%d %b %Y %H:%M} by {user.display_name}."
            ),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
    ]
    data: list[list[Any]] = [list(EXPORT_COLUMNS)]
    for row in _export_rows(entries):
        data.append([Paragraph(pdf_text(value), cell) for value in row])
    widths = [22 * mm, 35 * mm, 45 * mm, 38 * mm, 22 * mm, 110 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, 0), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()
