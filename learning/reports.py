"""An audit's own report (PDF, for the business manager): the theme, questions, sample with
reasons for any swap, each agency's agreed grades, what worked well, what must change and the
learning actions. Every value goes through `pdf_text`."""

from __future__ import annotations

import io
from collections import Counter

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from cases.models import Practitioner
from cases.web.pdf import pdf_text

from .follow_ups import learning_actions_with_follow_ups
from .models import AgreedGrade, CaseAudit, Grade
from .selectors import agreed_grades


def grade_counts(grades: list[AgreedGrade]) -> dict[str, int]:
    """How many agreed grades of each kind, best first (every grade present, zero or not)."""
    counted = Counter(g.grade for g in grades)
    return {grade.value: counted.get(grade.value, 0) for grade in Grade}


def _table(rows: list[list[object]], widths: list[float]) -> PdfTable:
    table = PdfTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (0, 0), (-1, -1), "LEFT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def audit_report_pdf(*, audit: CaseAudit, reader: Practitioner) -> bytes:
    styles = getSampleStyleSheet()
    # Cell text the size of the tables' other cells, so every row's cells line up.
    text = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8, leading=10)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"Case audit: {audit.theme}", author="Neglect Tracker"
    )
    width = A4[0] - 4 * cm
    agreed = list(agreed_grades(audit=audit))
    story: list[object] = [
        Paragraph(pdf_text(f"Multi-agency case audit: {audit.theme}"), styles["Title"]),
        Paragraph(
            pdf_text(
                f"{audit.starts_on:%d %B %Y} to {audit.ends_on:%d %B %Y}. Status: "
                f"{audit.get_status_display()}. Sample seed {audit.seed}."
            ),
            styles["Normal"],
        ),
        Paragraph(
            pdf_text(
                "Agencies taking part: "
                + ", ".join(
                    f"{a.agency.name} ({a.auditor.get_full_name()})" for a in audit.agencies.all()
                )
            ),
            styles["Normal"],
        ),
        Paragraph("Questions", styles["Heading2"]),
        *[
            Paragraph(
                pdf_text(f"{q.position}. {q.text}" + (f" ({q.guidance})" if q.guidance else "")),
                styles["BodyText"],
            )
            for q in audit.questions.all()
        ],
        Paragraph("Sample", styles["Heading2"]),
        _table(
            [["#", "Child", "Group", "Swapped out"]]
            + [
                [
                    str(s.position),
                    Paragraph(
                        pdf_text(f"{s.child.first_name} {s.child.last_name} (record {s.child_id})"),
                        text,
                    ),
                    Paragraph(pdf_text(s.stratum), text),
                    Paragraph(pdf_text(s.swapped_out_reason or "No"), text),
                ]
                for s in audit.samples.select_related("child")
            ],
            [1 * cm, 5 * cm, 5 * cm, width - 11 * cm],
        ),
        Paragraph("Agreed grades", styles["Heading2"]),
    ]
    if agreed:
        story.append(
            _table(
                [["Child", "Question", "Agency", "Agreed grade"]]
                + [
                    [
                        str(g.sample.position),
                        Paragraph(pdf_text(g.question.text), text),
                        Paragraph(pdf_text(g.agency.name), text),
                        g.get_grade_display(),
                    ]
                    for g in sorted(agreed, key=lambda g: (g.sample.position, g.question.position))
                ],
                [1.2 * cm, 7 * cm, 4.5 * cm, width - 12.7 * cm],
            )
        )
        counts = grade_counts(agreed)
        story.append(
            Paragraph(
                pdf_text("; ".join(f"{Grade(k).label}: {v}" for k, v in counts.items())),
                styles["Normal"],
            )
        )
    else:
        story.append(Paragraph("Not moderated yet.", styles["Normal"]))
    story += [
        Paragraph("What worked well", styles["Heading2"]),
        Paragraph(pdf_text(audit.worked_well or "Not recorded yet."), styles["BodyText"]),
        Paragraph("What must change", styles["Heading2"]),
        Paragraph(pdf_text(audit.must_change or "Not recorded yet."), styles["BodyText"]),
        Paragraph("Learning actions", styles["Heading2"]),
        Spacer(1, 0.2 * cm),
    ]
    actions = learning_actions_with_follow_ups(actions=list(audit.actions.all()), user=reader)
    if actions:
        story.append(
            _table(
                [["Action", "Owner", "Due", "Taken up"]]
                + [
                    [
                        Paragraph(pdf_text(a.text), text),
                        Paragraph(pdf_text(a.owner), text),
                        f"{a.due_on:%d/%m/%Y}",
                        # Where it went (the delivery plan), never an offer to take it.
                        Paragraph(pdf_text("; ".join(f.text for f in ups if f.done)), text),
                    ]
                    for a, ups in actions
                ],
                [width - 11.5 * cm, 4 * cm, 2 * cm, 5.5 * cm],
            )
        )
    else:
        story.append(Paragraph("None yet.", styles["Normal"]))
    document.build(story)  # type: ignore[arg-type]
    return buffer.getvalue()
