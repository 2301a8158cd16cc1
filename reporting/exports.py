"""Exports: CSV of any dashboard table and the PDF report pack, both suppressed exactly as
the pages are (they take the same `Table`s from the selectors)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
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
from learning.models import CaseAudit, Grade
from learning.reports import grade_counts
from learning.selectors import agreed_grades

from .metrics import PERIOD_TYPES, Kind
from .models import DeliveryAction, Priority, SnapshotBuild
from .selectors import (
    PALETTE,
    Headline,
    SharesTable,
    Table,
    delivery_plan,
    headlines,
    period_short_label,
    shares_over_time,
    stack_dimension,
    trend_table,
)
from .suppression import SUPPRESSED, Figure, suppress

KEY = f"{SUPPRESSED} = suppressed: a count from 1 to 4, or a figure that would reveal one"


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(rows)
    return response


def csv_response(table: Table | SharesTable, filename: str) -> HttpResponse:
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


# The report pack shows the same recent periods in every chart and its table.
PACK_PERIODS = 8
TREND_WORDS = {"up": "Up", "down": "Down", "same": "No change", "": "Not comparable"}


def _bar_chart(
    *,
    title: str,
    labels: list[str],
    series: list[list[float]],
    names: list[str],
    width: float,
    height: float,
    percent: bool,
    colours: list[str] | None = None,
) -> Drawing:
    """Bars over the periods the table beside it shows, each labelled in full with its year.
    Several series are stacked (the shares a whole is made of); suppressed values are gaps."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    # The legend's one column is as wide as its longest name (swatch and gap included).
    legend_width = (
        max(stringWidth(name, "Helvetica", 7) for name in names) + 25 if len(series) > 1 else 0
    )
    chart.x, chart.y = 40, 50
    chart.width, chart.height = width - 60 - legend_width, height - 75
    chart.data = series or [[0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    if not percent and not any(v for values in series for v in values):
        # Nothing to show (or all suppressed): whole numbers, not 0.002 steps.
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = 5, 1
    if percent:
        chart.valueAxis.valueMax = 100
        chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontSize = 7
    if len(series) > 1:
        chart.categoryAxis.style = "stacked"
    palette = colours or [PALETTE[0]]
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(palette[index % len(palette)])
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = width - legend_width + 5, height - 30
        legend.fontSize = 7
        legend.alignment = "right"
        legend.columnMaximum = len(names)
        # Top to bottom, as the stack reads (its first series is at the bottom).
        legend.colorNamePairs = [
            (colors.HexColor(palette[i]), name) for i, name in reversed(list(enumerate(names)))
        ]
        drawing.add(legend)
    drawing.add(String(40, height - 12, title, fontSize=8))
    return drawing


def _pdf_table(
    headers: list[str],
    body: list[list[object]],
    widths: list[float],
    numeric_columns: tuple[int, ...] | None = None,
) -> PdfTable:
    """A table whose headers sit over their columns: numbers (every column after the first,
    unless `numeric_columns` names them) and their headers right-aligned, words left-aligned.
    A header too long for its column wraps within it rather than running into the next."""
    numeric = range(1, len(headers)) if numeric_columns is None else numeric_columns
    shown: list[object] = [
        Paragraph(
            pdf_text(header),
            ParagraphStyle(
                "header",
                fontName="Helvetica-Bold",
                fontSize=8,
                leading=10,
                alignment=TA_RIGHT if column in numeric else 0,
            ),
        )
        if stringWidth(header, "Helvetica-Bold", 8) > width - 6
        else header
        for column, (header, width) in enumerate(zip(headers, widths, strict=True))
    ]
    table = PdfTable([shown, *body], colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("ALIGN", (0, 0), (-1, -1), "LEFT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric]
    table.setStyle(TableStyle(style))
    return table


def _recent(table: Table, period_type: str) -> tuple[list[str], list[int]]:
    """The short labels and row indexes of the table's last PACK_PERIODS periods."""
    starts = table.period_starts or []
    indexes = list(range(len(table.rows)))[-PACK_PERIODS:]
    return [period_short_label(period_type, starts[i]) for i in indexes], indexes


def _metric_part(
    *, build: SnapshotBuild, headline: Headline, period_type: str, width: float, styles: object
) -> list[object]:
    metric = headline.metric
    sheet = styles  # reportlab's StyleSheet1
    table = trend_table(build=build, metric=metric, period_type=period_type)
    labels, indexes = _recent(table, period_type)
    part: list[object] = [
        Paragraph(pdf_text(metric.name), sheet["Heading2"]),  # type: ignore[index]
        Paragraph(pdf_text(metric.definition), sheet["Normal"]),  # type: ignore[index]
        Paragraph(
            f"{pdf_text(headline.period_label)}: <b>{pdf_text(headline.text)}</b>"
            + (
                pdf_text(f" (previous period {headline.previous_label}: {headline.previous_text})")
                if headline.previous_label
                else ""
            ),
            sheet["Normal"],  # type: ignore[index]
        ),
        Spacer(1, 0.2 * cm),
    ]
    if metric.kind is Kind.SHARE_OF_TOTAL:
        # Each period's figure is its own total, 100% by definition: draw what it is made of,
        # as the metric's page does.
        shares = shares_over_time(
            build=build, metric=metric, period_type=period_type, last=PACK_PERIODS
        )
        name = stack_dimension(metric).name
        name = name[0].lower() + name[1:]
        part.append(
            _bar_chart(
                title=f"{metric.name}: share of each period's total by {name} (%)",
                labels=[period_short_label(period_type, start) for start in shares.period_starts],
                series=[[v or 0.0 for v in values] for values in shares.percentages()],
                names=shares.names,
                colours=shares.colours(),
                width=width,
                height=190,
                percent=True,
            )
        )
        headers = shares.headers
        first = width * 0.3
        part.append(
            _pdf_table(
                headers,
                [list[object](row) for row in shares.body],
                [first] + [(width - first) / (len(headers) - 1)] * (len(headers) - 1),
            )
        )
        part.append(
            Paragraph(
                pdf_text(f"Each {name}: its share of the period's total; {SUPPRESSED} hidden."),
                sheet["Italic"],  # type: ignore[index]
            )
        )
        return part
    data = table.chart_data()
    values = list(data["values"])  # type: ignore[call-overload]
    percent = data["unit"] == "%"
    part.append(
        _bar_chart(
            title=f"{metric.name} ({'percentage' if percent else 'count'})",
            labels=labels,
            series=[[values[i] if values[i] is not None else 0 for i in indexes]],
            names=[],
            width=width,
            height=170,
            percent=percent,
        )
    )
    part.append(
        _pdf_table(
            table.headers,
            [list[object](table.body[i]) for i in indexes],
            [width * 0.4] + [width * 0.6 / (len(table.headers) - 1)] * (len(table.headers) - 1),
        )
    )
    return part


def _direction(headline: Headline) -> str:
    word = TREND_WORDS[headline.trend]
    good = headline.trend_is_good
    if good is None:
        return word
    return f"{word}, {'better' if good else 'worse'}"


def _cell_style(styles: object) -> ParagraphStyle:
    """Text in a table cell: the size of the table's other cells, so rows line up."""
    return ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8, leading=10)  # type: ignore[index]


def _summary(items: list[Headline], width: float, styles: object) -> list[object]:
    """One page: each priority's headline figures beside the period before and the direction."""
    sheet = styles
    story: list[object] = [Paragraph("Summary", sheet["Heading1"])]  # type: ignore[index]
    for priority in Priority:
        rows = [h for h in items if h.metric.priority == priority.value]
        story.append(Paragraph(pdf_text(priority.label), sheet["Heading3"]))  # type: ignore[index]
        if not rows:
            story.append(Paragraph("No metrics yet.", sheet["Normal"]))  # type: ignore[index]
            continue
        story.append(
            _pdf_table(
                ["Metric", "Latest", "Previous", "Direction"],
                [
                    [
                        Paragraph(pdf_text(h.metric.name), _cell_style(sheet)),
                        h.text,
                        h.previous_text,
                        _direction(h),
                    ]
                    for h in rows
                ],
                [width * 0.5, width * 0.14, width * 0.14, width * 0.22],
                numeric_columns=(1, 2),
            )
        )
    return story


def _delivery_plan_section(width: float, styles: object) -> list[object]:
    sheet = styles
    plan = delivery_plan()
    story: list[object] = [Paragraph("Delivery plan", sheet["Heading1"])]  # type: ignore[index]
    for priority in Priority:
        story.append(Paragraph(pdf_text(priority.label), sheet["Heading2"]))  # type: ignore[index]
        actions: list[DeliveryAction] = plan[priority.value]
        if not actions:
            story.append(Paragraph("No actions recorded.", sheet["Normal"]))  # type: ignore[index]
            continue
        text = _cell_style(sheet)
        story.append(
            _pdf_table(
                ["Ref", "Activity", "Responsible", "Due", "Status", "Latest evidence"],
                [
                    [
                        action.reference,
                        Paragraph(pdf_text(action.activity), text),
                        Paragraph(pdf_text(action.responsible), text),
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
                            text,
                        ),
                    ]
                    for action in actions
                ],
                [1.3 * cm, 5 * cm, 3 * cm, 1.9 * cm, 1.6 * cm, width - 12.8 * cm],
                numeric_columns=(),
            )
        )
    return story


def audit_findings_section(*, width: float, styles: object) -> list[object]:
    """Each moderated case audit: its theme, dates, agencies, how the agreed grades fell
    (counts suppressed like every other table), what worked well, what must change and its
    learning actions with where the delivery plan took them up."""
    sheet = styles
    text = _cell_style(sheet)
    story: list[object] = [
        Paragraph("Multi-agency case audits", sheet["Heading1"])  # type: ignore[index]
    ]
    audits = (
        CaseAudit.objects.filter(moderated_at__isnull=False)
        .prefetch_related("agencies__agency", "actions")
        .order_by("-moderated_at")[:10]
    )
    if not audits:
        story.append(Paragraph("No case audit has been moderated yet.", sheet["Normal"]))  # type: ignore[index]
        return story
    from .models import LearningActionLink

    links = {
        link.learning_action_id: link
        for link in LearningActionLink.objects.select_related("delivery_action")
    }
    for audit in audits:
        counts = grade_counts(list(agreed_grades(audit=audit)))
        total = sum(counts.values())
        shown, shown_total = suppress(
            [Figure(Grade(code).label, n, total) for code, n in counts.items()],
            Figure("All agreed grades", total, total),
            share_of_total=True,
        )
        rows = [*shown, *([shown_total] if shown_total else [])]
        story += [
            Paragraph(pdf_text(audit.theme), sheet["Heading2"]),  # type: ignore[index]
            Paragraph(
                pdf_text(
                    f"{audit.starts_on:%d %B %Y} to {audit.ends_on:%d %B %Y}; agencies: "
                    + ", ".join(a.agency.name for a in audit.agencies.all())
                    + f"; {audit.samples.filter(swapped_out_at__isnull=True).count()} children "
                    "sampled."
                ),
                sheet["Normal"],  # type: ignore[index]
            ),
            Spacer(1, 0.2 * cm),
            _pdf_table(
                ["Agreed grade", "Number", "Percentage"],
                [[row.label, row.numerator_text, row.rate_text] for row in rows],
                [width * 0.5, width * 0.25, width * 0.25],
            ),
            Paragraph("What worked well", sheet["Heading4"]),  # type: ignore[index]
            Paragraph(pdf_text(audit.worked_well), text),
            Paragraph("What must change", sheet["Heading4"]),  # type: ignore[index]
            Paragraph(pdf_text(audit.must_change), text),
        ]
        actions = list(audit.actions.all())
        if actions:
            story.append(Paragraph("Learning actions", sheet["Heading4"]))  # type: ignore[index]
            story.append(
                _pdf_table(
                    ["Action", "Owner", "Due", "Delivery plan"],
                    [
                        [
                            Paragraph(pdf_text(a.text), text),
                            Paragraph(pdf_text(a.owner), text),
                            f"{a.due_on:%d/%m/%Y}",
                            links[a.pk].delivery_action.reference
                            if a.pk in links
                            else "Not linked",
                        ]
                        for a in actions
                    ],
                    [width * 0.45, width * 0.25, width * 0.12, width * 0.18],
                    numeric_columns=(),
                )
            )
    return story


def _page_number(canvas: object, document: object) -> None:
    canvas.saveState()  # type: ignore[attr-defined]
    canvas.setFont("Helvetica", 8)  # type: ignore[attr-defined]
    canvas.drawRightString(  # type: ignore[attr-defined]
        A4[0] - 2 * cm,
        1.2 * cm,
        f"Neglect strategy report pack, page {document.page}",  # type: ignore[attr-defined]
    )
    canvas.restoreState()  # type: ignore[attr-defined]


def report_pack_pdf(*, build: SnapshotBuild, period_type: str) -> bytes:
    """The report pack a chair presents: a cover, a one-page summary of each priority's
    headline figures and direction, each priority's metrics (chart and table over the same
    recent periods), the multi-agency case audits' findings and the delivery plan."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title="Neglect strategy report pack",
        author="Neglect Tracker",
        bottomMargin=2 * cm,
    )
    width = A4[0] - 4 * cm
    items = headlines(build=build, period_type=period_type)
    latest = items[0].period_label if items else "no complete period yet"
    story: list[object] = [
        Spacer(1, 5 * cm),
        Paragraph("Neglect strategy", styles["Title"]),
        Paragraph("Report pack for the partnership executive", styles["Heading2"]),
        Spacer(1, 1 * cm),
        Paragraph(
            pdf_text(
                f"Figures by {PERIOD_TYPES[period_type].lower()}, latest complete period: "
                f"{latest}. Built from the records as at {build.as_at:%d %B %Y} (build {build.pk})."
            ),
            styles["Normal"],
        ),
        Spacer(1, 0.5 * cm),
        Paragraph("Contents", styles["Heading3"]),
        Paragraph(
            "1. Summary<br/>"
            + "".join(f"{i}. {pdf_text(p.label)}<br/>" for i, p in enumerate(Priority, start=2))
            + f"{len(Priority) + 2}. Multi-agency case audits<br/>"
            + f"{len(Priority) + 3}. Delivery plan",
            styles["Normal"],
        ),
        Spacer(1, 1 * cm),
        Paragraph(pdf_text(KEY + "."), styles["Italic"]),
        PageBreak(),
        *_summary(items, width, styles),
    ]
    for priority in Priority:
        story += [PageBreak(), Paragraph(pdf_text(priority.label), styles["Heading1"])]
        for headline in [h for h in items if h.metric.priority == priority.value]:
            story.append(
                KeepTogether(
                    _metric_part(
                        build=build,
                        headline=headline,
                        period_type=period_type,
                        width=width,
                        styles=styles,
                    )
                )
            )
    story += [PageBreak(), *audit_findings_section(width=width, styles=styles)]
    story += [PageBreak(), *_delivery_plan_section(width, styles)]
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)  # type: ignore[arg-type]
    return buffer.getvalue()
