"""The child's page: one merged multi-agency chronology with filters, the family chronology,
concern counts over time, the voice of the child, and logged CSV and PDF exports."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.codes import AgencyType, Role
from cases.models import AccessLogEntry, ChronologyEntry
from tests.support import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def casefile() -> dict:
    health = factories.agency("Health", AgencyType.HEALTH)
    school = factories.agency("School", AgencyType.EDUCATION)
    family = factories.family()
    child = factories.child(known_to=[health, school], in_family=family, first_name="Ada")
    sibling = factories.child(known_to=[health], in_family=family, first_name="Bea")
    hidden_sibling = factories.child(known_to=[school], in_family=family, first_name="Cy")
    nurse = factories.practitioner(health, Role.PRACTITIONER)
    return {
        "health": health,
        "school": school,
        "child": child,
        "sibling": sibling,
        "hidden_sibling": hidden_sibling,
        "nurse": nurse,
    }


def entry(child, agency, days_ago: int, event_type: str = "school_absence", **extra) -> None:
    ChronologyEntry.objects.create(
        child=child,
        family_id=child.family_id,
        occurred_on=TODAY - datetime.timedelta(days=days_ago),
        event_type=event_type,
        significance=extra.pop("significance", "low"),
        summary=extra.pop("summary", f"{event_type} {days_ago} days ago"),
        source_agency=agency,
        **extra,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def chronology_rows(html: str) -> str:
    return html.split('data-testid="chronology"')[1].split("</table>")[0]


def test_it_merges_every_agencys_entries_newest_first(casefile) -> None:
    entry(casefile["child"], casefile["school"], 10, summary="Absent all week")
    entry(casefile["child"], casefile["health"], 3, "missed_health_appointment", summary="DNA")
    entry(casefile["child"], casefile["school"], 30, summary="Late every day")
    html = client_for(casefile["nurse"]).get(f"/children/{casefile['child'].pk}/").content.decode()
    rows = chronology_rows(html)
    assert rows.index("DNA") < rows.index("Absent all week") < rows.index("Late every day")


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"agency": "health"}, "Health note", "School note"),
        ({"event_type": "missed_health_appointment"}, "Health note", "School note"),
        ({"significance": "high"}, "School note", "Health note"),
        (
            {
                "date_from-day": str((TODAY - datetime.timedelta(days=20)).day),
                "date_from-month": str((TODAY - datetime.timedelta(days=20)).month),
                "date_from-year": str((TODAY - datetime.timedelta(days=20)).year),
            },
            "Health note",
            "School note",
        ),
    ],
)
def test_the_chronology_filters(casefile, params, shown: str, hidden: str) -> None:
    entry(
        casefile["child"], casefile["health"], 5, "missed_health_appointment", summary="Health note"
    )
    entry(casefile["child"], casefile["school"], 40, significance="high", summary="School note")
    if params.get("agency") == "health":
        params = {"agency": str(casefile["health"].pk)}
    html = client_for(casefile["nurse"]).get(f"/children/{casefile['child'].pk}/", params)
    rows = chronology_rows(html.content.decode())
    assert shown in rows and hidden not in rows


def test_the_chronology_is_paginated_and_keeps_the_filters(casefile) -> None:
    for n in range(60):
        entry(casefile["child"], casefile["school"], n, significance="medium")
    client = client_for(casefile["nurse"])
    html = client.get(f"/children/{casefile['child'].pk}/", {"significance": "medium"}).content
    assert b"significance=medium&amp;page=2" in html
    last = client.get(f"/children/{casefile['child'].pk}/", {"significance": "medium", "page": "3"})
    assert chronology_rows(last.content.decode()).count("app-nowrap") == 10  # 60 - 2 x 25


def test_the_page_runs_the_same_number_of_queries_at_30_and_300_entries(casefile) -> None:
    client = client_for(casefile["nurse"])
    path = f"/children/{casefile['child'].pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            child=casefile["child"],
            family_id=casefile["child"].family_id,
            occurred_on=TODAY - datetime.timedelta(days=n),
            event_type="visit",
            significance="low",
            summary="Visit",
            source_agency=casefile["health"],
        )
        for n in range(30)
    )
    factories.concern(casefile["nurse"], [casefile["child"]])
    at_30 = queries()
    assert at_30 > 10  # the capture really counted the page's queries
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            child=casefile["child"],
            family_id=casefile["child"].family_id,
            occurred_on=TODAY - datetime.timedelta(days=n),
            event_type="visit",
            significance="low",
            summary="Visit",
            source_agency=casefile["school"],
        )
        for n in range(270)
    )
    for _ in range(5):
        factories.concern(casefile["nurse"], [casefile["child"]])
    assert queries() == at_30


def test_the_family_chronology_adds_only_siblings_the_user_may_see(casefile) -> None:
    entry(casefile["child"], casefile["health"], 1, summary="Own entry")
    entry(casefile["sibling"], casefile["health"], 2, summary="Sibling entry")
    entry(casefile["hidden_sibling"], casefile["school"], 3, summary="Hidden entry")
    client = client_for(casefile["nurse"])
    path = f"/children/{casefile['child'].pk}/"
    assert "Sibling entry" not in chronology_rows(client.get(path).content.decode())
    html = chronology_rows(client.get(path, {"family": "on"}).content.decode())
    assert "Own entry" in html and "Sibling entry" in html
    assert "Hidden entry" not in html
    assert AccessLogEntry.objects.filter(child=casefile["sibling"]).count() == 1
    assert not AccessLogEntry.objects.filter(child=casefile["hidden_sibling"]).exists()


def test_adding_an_event_records_the_authors_agency(casefile) -> None:
    day = TODAY - datetime.timedelta(days=1)
    response = client_for(casefile["nurse"]).post(
        f"/children/{casefile['child'].pk}/chronology/new/",
        {
            "event_type": "hospital_attendance",
            "occurred_on-day": day.day,
            "occurred_on-month": day.month,
            "occurred_on-year": day.year,
            "significance": "high",
            "summary": "A&E with a burn; late presentation.",
        },
    )
    assert response.status_code == 302
    added = ChronologyEntry.objects.get()
    assert (added.source_agency, added.recorded_by, added.occurred_on) == (
        casefile["health"],
        casefile["nurse"],
        day,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on-year": "2999"}, "occurred_on-day", "must be today or in the past"),
        ({"summary": "x" * 2001}, "summary", "2,000 characters or fewer"),
        ({"event_type": ""}, "event_type", "Select what happened"),
        ({"event_type": "concern"}, "event_type", "Select a valid choice"),
    ],
)
def test_a_bad_event_gets_a_field_message(casefile, overrides, field: str, message: str) -> None:
    data = {
        "event_type": "school_absence",
        "occurred_on-day": "1",
        "occurred_on-month": "2",
        "occurred_on-year": "2025",
        "significance": "low",
        "summary": "Absent",
    }
    data.update(overrides)
    response = client_for(casefile["nurse"]).post(
        f"/children/{casefile['child'].pk}/chronology/new/", data
    )
    html = response.content.decode()
    assert f'href="#id_{field}"' in html and message in html
    assert ChronologyEntry.objects.count() == 0


def test_concern_counts_by_type_accumulate_month_by_month(casefile) -> None:
    nurse, child = casefile["nurse"], casefile["child"]
    factories.concern(
        nurse,
        [child],
        neglect_types=["physical"],
        observed_on=TODAY.replace(day=1) - datetime.timedelta(days=40),
    )
    factories.concern(nurse, [child], neglect_types=["physical", "medical"], observed_on=TODAY)
    html = client_for(nurse).get(f"/children/{child.pk}/").content.decode()
    table = html.split('data-testid="concern-counts"')[1].split("</table>")[0]
    last_row = table.split("<tr")[-1]
    cells = [c.split("</td>")[0] for c in last_row.split('numeric">')[1:]]
    # Columns follow NeglectType: medical, nutritional, emotional, educational, physical, supervision.
    assert cells == ["1", "0", "0", "0", "2", "0"]


def test_the_voice_of_the_child_shows_their_words_across_contacts(casefile) -> None:
    nurse, child = casefile["nurse"], casefile["child"]
    factories.concern(nurse, [child], child_voice="I was hungry.")
    factories.concern(nurse, [child], child_voice="", child_spoken_to=False)
    html = client_for(nurse).get(f"/children/{child.pk}/").content.decode()
    voice = html.split('data-testid="voice-of-the-child"')[1].split("</table>")[0]
    assert "I was hungry." in voice and "Not recorded" in voice


def test_the_csv_export_holds_the_filtered_chronology_and_is_logged(casefile) -> None:
    entry(casefile["child"], casefile["health"], 1, summary="=HYPERLINK(evil)", significance="high")
    entry(casefile["child"], casefile["school"], 2, summary="School low")
    response = client_for(casefile["nurse"]).get(
        f"/children/{casefile['child'].pk}/chronology.csv", {"significance": "high"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Date" and len(rows) == 2
    assert rows[1][5] == "'=HYPERLINK(evil)"  # never a live spreadsheet formula
    assert AccessLogEntry.objects.filter(view_name="chronology_csv").count() == 1


def test_the_pdf_export_is_a_pdf_and_is_logged(casefile) -> None:
    entry(casefile["child"], casefile["health"], 1, summary="Seen at clinic <b>")
    response = client_for(casefile["nurse"]).get(f"/children/{casefile['child'].pk}/chronology.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(view_name="chronology_pdf").count() == 1


def test_every_view_of_the_childs_page_is_logged(casefile) -> None:
    client = client_for(casefile["nurse"])
    for _ in range(3):
        client.get(f"/children/{casefile['child'].pk}/")
    assert (
        AccessLogEntry.objects.filter(child=casefile["child"], view_name="child_detail").count()
        == 3
    )
