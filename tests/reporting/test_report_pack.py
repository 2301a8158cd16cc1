"""The report pack a chair presents, read the way a person would: its pages as images and its
text. Needs poppler-utils (scripts/setup.sh installs it)."""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cases.codes import Role
from learning.models import AuditGrade
from reporting.models import DeliveryAction
from reporting.services import snapshot_build_run
from tests.learning.test_case_audits import Partnership, _agree_with_every_grade, _grade_all
from tests.support import factories
from tests.support.seeding import seeded_partnership


@pytest.fixture(scope="module")
def partnership(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with seeded_partnership(django_db_blocker, children=300):
        yield


@pytest.fixture
def pack(partnership: None, db: None, tmp_path: Path) -> Path:
    """The pack after one moderated audit, built as at today."""
    from learning import services

    p = Partnership()
    audit = p.audit(size=4)
    services.audit_sample_draw(manager=p.manager, audit_id=audit.pk, seed=4)
    _grade_all(p, audit, p.health_lead, "good")
    _grade_all(p, audit, p.school_lead, "requires_improvement")
    _agree_with_every_grade(p, audit)
    action = services.learning_action_add(
        manager=p.manager,
        audit_id=audit.pk,
        text="Record the child's own words at every visit",
        owner="Designated safeguarding leads",
        due_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    from reporting.services import learning_action_link

    learning_action_link(
        manager=p.manager,
        learning_action=action,
        delivery_action=DeliveryAction.objects.order_by("reference").first(),
    )
    assert AuditGrade.objects.exists()
    snapshot_build_run(trigger="command", as_at=timezone.localdate())
    client = Client()
    client.force_login(factories.practitioner(factories.agency(), Role.EXECUTIVE))
    response = client.get("/dashboards/report-pack.pdf?period_type=quarter")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "pack.pdf"
    path.write_bytes(response.content)
    return path


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def test_the_pack_opens_with_a_cover_and_a_one_page_summary(pack: Path) -> None:
    pages = _pages(pack)
    assert "Report pack for the partnership executive" in pages[0]
    assert "Contents" in pages[0] and "Neglect strategy report pack, page 1" in pages[0]
    assert "Summary" in pages[1]
    for priority in ("Recognise", "Respond", "Make a difference"):
        assert priority in pages[1]
    assert "Direction" in pages[1] and ("better" in pages[1] or "worse" in pages[1])


def test_charts_label_periods_in_full_and_match_their_tables(pack: Path) -> None:
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.styles import getSampleStyleSheet

    from reporting.exports import _metric_part
    from reporting.selectors import current_build, headlines

    build = current_build()
    assert build is not None
    headline = next(
        h
        for h in headlines(build=build, period_type="quarter")
        if h.metric.code == "concerns_logged"
    )
    part = _metric_part(
        build=build,
        headline=headline,
        period_type="quarter",
        width=400,
        styles=getSampleStyleSheet(),
    )
    chart = next(item for item in part if isinstance(item, Drawing)).contents[0]
    chart_labels = list(chart.categoryAxis.categoryNames)
    table_labels = [
        row[0]
        for row in next(item for item in part if hasattr(item, "_cellvalues"))._cellvalues[1:]
    ]
    # Eight quarters in the chart, each named with its year, and the same eight in its table.
    assert len(chart_labels) == len(table_labels) == 8
    for short, full in zip(chart_labels, table_labels, strict=True):
        first, _, rest = full.partition(" to ")
        assert short == f"{first[:3]}\u2013{rest[:3]} {rest[-4:]}"  # "April to June 2026"
    text = "\n".join(_pages(pack))
    assert "April to\n" not in text and table_labels[-1] in text


def test_a_share_of_its_own_total_is_drawn_as_its_parts(pack: Path) -> None:
    text = "\n".join(_pages(pack))
    assert "Repeat GCP2s: change by area: share of each period's total by change" in text
    assert "Improved" in text and "Deteriorated" in text


def test_audit_findings_and_the_delivery_plan_have_their_own_sections(pack: Path) -> None:
    pages = _pages(pack)
    audits = next(i for i, page in enumerate(pages) if "Multi-agency case audits" in page and i > 0)
    assert "Voice of the child in neglect cases" in pages[audits]
    assert "What must change" in pages[audits]
    assert "Record the child's own words" in pages[audits]
    assert any(page.lstrip().startswith("Delivery plan") for page in pages[audits:])


def test_every_page_turns_into_an_image(pack: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pack), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(_pages(pack)) >= 6
    assert all(image.stat().st_size > 2000 for image in images)


def test_the_seed_gives_some_children_feedback_over_time(pack: Path) -> None:
    from django.db.models import Count

    from learning.models import Feedback

    per_child = Feedback.objects.values("child_id").annotate(n=Count("pk"))
    assert per_child.count() > 10 and any(row["n"] >= 2 for row in per_child)
    text = "\n".join(_pages(pack))
    assert "Children who say they feel safe at home" in text
