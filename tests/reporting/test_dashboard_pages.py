"""Dashboard pages, exports and the API read the current snapshot, suppressed."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from cases.codes import AgencyType, NeedLevel, Role
from reporting.metrics import METRICS, Metric
from reporting.services import snapshot_build_run
from tests.support import factories

AS_AT = datetime.date(2026, 6, 15)
MARCH = datetime.date(2026, 3, 10)


@pytest.fixture
def executive(db: None) -> Client:
    client = Client()
    client.force_login(factories.practitioner(factories.agency(), Role.EXECUTIVE))
    return client


def partnership_with_small_counts() -> dict[str, object]:
    """Three concerns in March 2026 (a count to suppress), 40 in April; 12 neglect plans."""
    health = factories.agency("Health visiting", AgencyType.HEALTH)
    nurse = factories.practitioner(health)
    child = factories.child(first_name="Ottoline", last_name="Quench")
    for _ in range(3):
        factories.concern_submitted_on([child], nurse, MARCH)
    for _ in range(40):
        factories.concern_submitted_on(
            [child], nurse, datetime.date(2026, 4, 2), child_voice="Hungry"
        )
    for n in range(12):
        factories.involvement(
            factories.child(first_name=f"K{n}"),
            NeedLevel.CHILD_PROTECTION,
            health,
            started_on=datetime.date(2025, 1, 1),
            protection_category="NEG",
        )
    snapshot_build_run(as_at=AS_AT)
    return {"child": child}


def test_before_the_first_build_the_pages_say_there_is_nothing_yet(executive: Client) -> None:
    for path in ("/dashboards/", "/dashboards/metrics/re_referrals/"):
        page = executive.get(path).content.decode()
        assert "No figures have been built yet" in page
    home = executive.get("/").content.decode()
    assert "No figures have been built yet" in home


def test_a_metric_page_shows_its_definition(executive: Client) -> None:
    page = executive.get("/dashboards/metrics/re_referrals/").content.decode()
    assert "within 12 months of the child&#x27;s previous social-care" in page
    assert "All referrals to children&#x27;s social care" in page  # the denominator
    assert "Make a difference" in page


def test_headlines_show_the_last_complete_period_against_the_one_before(
    executive: Client,
) -> None:
    partnership_with_small_counts()
    page = executive.get("/dashboards/?period_type=month").content.decode()
    # May 2026 is the last complete month; April had 40 concerns.
    assert "May 2026. Previous: 40 (April 2026), now lower" in page
    quarter = executive.get("/dashboards/?period_type=quarter").content.decode()
    assert "January to March 2026" in quarter
    home = executive.get("/").content.decode()
    assert "Headline figures" in home and "Concerns logged per agency" in home


def test_a_metric_page_has_a_chart_with_its_table_and_suppresses_small_counts(
    executive: Client,
) -> None:
    partnership_with_small_counts()
    page = executive.get("/dashboards/metrics/concerns_logged/?period_type=month").content.decode()
    assert 'id="trend-chart"' in page and 'id="trend-chart-data"' in page
    assert "chart.umd.min.js" in page
    trend = page[page.index('data-testid="trend-table"') :]
    march_row = trend[trend.index("March 2026") : trend.index("</tr>", trend.index("March 2026"))]
    assert "[c]" in march_row and ">3<" not in march_row
    assert "What [c] means" in page


def test_the_breakdown_can_be_chosen_by_period_and_dimension(executive: Client) -> None:
    partnership_with_small_counts()
    page = executive.get(
        "/dashboards/metrics/concerns_logged/?period_type=month&period=2026-04-01&breakdown=agency"
    ).content.decode()
    table = page[page.index('data-testid="breakdown-table"') :]
    assert "by agency, April 2026" in table
    assert "Health visiting" in table and ">40<" in table


def test_csv_exports_are_suppressed_like_the_page(executive: Client) -> None:
    partnership_with_small_counts()
    response = executive.get(
        "/dashboards/metrics/concerns_logged/export.csv?table=trend&period_type=month"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_period = {row[0]: row[1:] for row in rows if len(row) > 1}
    assert by_period["March 2026"] == ["[c]"]
    assert by_period["April 2026"] == ["40"]
    headlines = executive.get("/dashboards/headlines.csv?period_type=month").content.decode()
    assert "Concerns logged per agency" in headlines


def test_the_report_pack_is_a_pdf(executive: Client) -> None:
    partnership_with_small_counts()
    factories.practitioner(factories.agency(), Role.ANALYST)
    response = executive.get("/dashboards/report-pack.pdf?period_type=quarter")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000


def test_the_api_serves_the_same_suppressed_figures(executive: Client) -> None:
    partnership_with_small_counts()
    body = executive.get("/api/reporting/snapshot/?metric=concerns_logged&period_type=month").json()
    march = next(row for row in body["rows"] if row["label"] == "March 2026")
    assert march == {
        "label": "March 2026",
        "numerator": None,
        "denominator": None,
        "rate": None,
        "suppressed": True,
    }
    refused = executive.get("/api/reporting/snapshot/?metric=cp_neglect_share&breakdown=nope")
    assert refused.status_code == 400 and "breakdown" in refused.json()


def test_an_executive_can_open_no_childs_record(executive: Client) -> None:
    child = partnership_with_small_counts()["child"]
    assert executive.get(f"/children/{child.pk}/").status_code == 403  # type: ignore[attr-defined]
    assert executive.get(f"/api/children/{child.pk}/").status_code == 403  # type: ignore[attr-defined]
    assert executive.get("/api/children/").status_code == 403
    for path in (
        "/",
        "/dashboards/",
        "/dashboards/metrics/concerns_logged/?breakdown=team",
        "/api/reporting/snapshot/?metric=concerns_logged&breakdown=agency",
    ):
        assert b"Quench" not in executive.get(path).content


@pytest.mark.parametrize("metric", METRICS, ids=lambda metric: metric.code)
def test_every_metric_page_shows_its_definition(executive: Client, metric: Metric) -> None:
    page = executive.get(f"/dashboards/metrics/{metric.code}/").content.decode()
    assert escape(metric.definition) in page
    assert escape(metric.numerator) in page
    assert metric.priority.label in page


def test_pages_read_the_snapshot_and_never_the_case_records(executive: Client) -> None:
    partnership_with_small_counts()
    paths = (
        "/",
        "/dashboards/?period_type=year",
        "/dashboards/metrics/early_help_neglect/?period_type=month&breakdown=team",
        "/dashboards/metrics/concerns_logged/export.csv?table=breakdown",
        "/api/reporting/snapshot/?metric=re_referrals&breakdown=age_band",
    )
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert executive.get(path).status_code == 200, path
        case_tables = ("cases_involvement", "cases_concern", "cases_child")
        read = [
            q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in case_tables)
        ]
        assert read == [], path


def test_a_small_agency_cannot_be_recovered_from_an_exported_breakdown(
    executive: Client,
) -> None:
    counts = {"Alder School": 3, "Birch Health": 40, "Cedar Police": 12}
    for name, count in counts.items():
        author = factories.practitioner(factories.agency(name))
        child = factories.child()
        for _ in range(count):
            factories.concern_submitted_on([child], author, datetime.date(2026, 4, 2))
    snapshot_build_run(as_at=AS_AT)
    response = executive.get(
        "/dashboards/metrics/concerns_logged/export.csv"
        "?table=breakdown&period_type=month&period=2026-04-01&breakdown=agency"
    )
    rows = {
        row[0]: row[1] for row in csv.reader(io.StringIO(response.content.decode())) if len(row) > 1
    }
    assert rows["Alder School"] == "[c]"
    assert rows["Cedar Police"] == "[c]"  # else 55 - 40 - 12 gives Alder's 3 back
    assert rows["Birch Health"] == "40" and rows["Total"] == "55"
