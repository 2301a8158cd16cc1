"""Exports: CSV of any dashboard table and the PDF report pack, both suppressed exactly as
the pages are (they take the same `Table`s from the selectors)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from cases.web.pdf import pdf_text

from .metrics import PERIOD_TYPES, Kind
from .models import Priority, SnapshotBuild
from .selectors import Headline, Table, delivery_plan, headlines, trend_table
from .suppression import SUPPRESSED

KEY = f"{SUPPRESSED} = suppressed: a count from 1 to 4, or a figure that would reveal one"


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(rows)
    return response


def csv_response(table: Table, filename: str) -> HttpResponse:
    return _csv([[table.title], table.headers, *table.body, [], [KEY]], filename)


def headlines_csv_response(items: list[Headline], filename: str) -> HttpResponse:
    rows = [["Metric", "Priority", "Period", "Figure", "Previous period", "Previous figure"]]
    rows += [
        [
            h.metric.name,
            h.metric.priority.label,
            h.period_label,
            h.text,
            h.previous_label,
            h.previous_text,
        ]
        for h in items
    ]
    return _csv([*rows, [], [KEY]], filename)


def _trend_chart(table: Table, width: float, height: float) -> Drawing:
    """A simple bar chart of the last 12 periods; suppressed periods are drawn as gaps."""
    data = table.chart_data()
    labels = list(data["labels"])[-12:]  # type: ignore[call-overload]
    values = [v if v is not None else 0 for v in list(data["values"])[-12:]]  # type: ignore[call-overload]
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 40
    chart.width, chart.height = width - 60, height - 60
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = [str(label)[:8] for label in labels] or [""]
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#1d70b8")
    drawing.add(chart)
    unit = "percentage" if data["unit"] == "%" else "count"
    drawing.add(String(40, height - 12, f"{table.metric.name} ({unit})", fontSize=8))
    return drawing


def _pdf_table(headers: list[str], body: list[list[str]], widths: list[float]) -> PdfTable:
    table = PdfTable([headers, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def report_pack_pdf(*, build: SnapshotBuild, period_type: str) -> bytes:
    """The annual report pack: for each strategy priority, its metrics (headline, trend table
    and chart) and the delivery plan's status."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title="Neglect strategy report pack", author="Neglect Tracker"
    )
    width = A4[0] - 4 * cm
    story: list[object] = [
        Paragraph("Neglect strategy: report pack", styles["Title"]),
        Paragraph(
            pdf_text(
                f"Figures as at {build.as_at:%d %B %Y} (build {build.pk}), by "
                f"{PERIOD_TYPES[period_type].lower()}. {KEY}."
            ),
            styles["Normal"],
        ),
    ]
    plan = delivery_plan()
    items = headlines(build=build, period_type=period_type)
    for priority in Priority:
        story += [PageBreak(), Paragraph(pdf_text(priority.label), styles["Heading1"])]
        for headline in [h for h in items if h.metric.priority == priority.value]:
            metric = headline.metric
            table = trend_table(build=build, metric=metric, period_type=period_type)
            recent = table.body[-8:]
            part = [
                Paragraph(pdf_text(metric.name), styles["Heading2"]),
                Paragraph(pdf_text(metric.definition), styles["Normal"]),
                Paragraph(
                    f"{pdf_text(headline.period_label)}: <b>{pdf_text(headline.text)}</b>"
                    + (
                        pdf_text(
                            f" (previous period {headline.previous_label}: "
                            f"{headline.previous_text})"
                        )
                        if headline.previous_label
                        else ""
                    ),
                    styles["Normal"],
                ),
                Spacer(1, 0.2 * cm),
                _trend_chart(table, width, 150),
                _pdf_table(
                    table.headers,
                    recent,
                    [width * 0.4]
                    + [width * 0.6 / (len(table.headers) - 1)] * (len(table.headers) - 1),
                ),
            ]
            if metric.kind is Kind.SHARE_OF_TOTAL:
                part.append(Paragraph("Shares are of the period's total.", styles["Italic"]))
            story.append(KeepTogether(part))
        story.append(Paragraph("Delivery plan", styles["Heading2"]))
        actions = plan[priority.value]
        if actions:
            story.append(
                _pdf_table(
                    ["Ref", "Activity", "Responsible", "Due", "Status", "Latest evidence"],
                    [
                        [
                            action.reference,
                            Paragraph(pdf_text(action.activity), styles["BodyText"]),
                            Paragraph(pdf_text(action.responsible), styles["BodyText"]),
                            f"{action.due_date:%d/%m/%Y}",
                            action.get_rag_status_display().split(":")[0],
                            Paragraph(
                                next(
                                    (
                                        f"{e.recorded_on:%d/%m/%Y}: {pdf_text(e.text)}"
                                        for e in action.evidence.all()
                                    ),
                                    "None yet",
                                ),
                                styles["BodyText"],
                            ),
                        ]
                        for action in actions
                    ],
                    [1.2 * cm, 5 * cm, 3 * cm, 2 * cm, 1.6 * cm, width - 12.8 * cm],
                )
            )
        else:
            story.append(Paragraph("No actions recorded.", styles["Normal"]))
    document.build(story)  # type: ignore[arg-type]
    return buffer.getvalue()
