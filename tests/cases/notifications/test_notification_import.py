"""Bulk notifications: every row checked, matched like search, written once, reported."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import Workbook

from cases.accounts.services import account_confirm
from cases.clients.services import machine_client_register
from cases.models import ChronologyEntry, DriftEvaluationRequest, SearchLogEntry
from cases.notifications import services
from cases.notifications.layouts import header
from cases.notifications.models import (
    AttendanceRecord,
    ExclusionRecord,
    NotificationImport,
    RowStatus,
)
from cases.notifications.tasks import notification_import_run
from tests.support import factories
from tests.support.world import World

pytestmark = pytest.mark.django_db

NHS = "9990000026"  # passes Modulus 11


def csv_file(kind: str, rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header(kind))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def run(
    world: World,
    kind: str,
    content: bytes,
    *,
    key: str,
    dry_run: bool = False,
    name: str = "file.csv",
) -> NotificationImport:
    notification_import, _created = services.notification_import_create(
        sender=world.users["lead"],
        kind=kind,
        file_name=name,
        content=content,
        dry_run=dry_run,
        submission_key=key,
    )
    notification_import_run(notification_import.pk)
    notification_import.refresh_from_db()
    return notification_import


def statuses(notification_import: NotificationImport) -> dict[int, str]:
    return dict(notification_import.rows.values_list("row_number", "status"))


@pytest.fixture
def children(world: World) -> dict[str, object]:
    known = factories.child(known_to=[world.health], first_name="Ada", nhs_number=NHS)
    by_name = factories.child(known_to=[world.school], first_name="Bea", last_name="Brook")
    factories.address(by_name.family, postcode="NT2 5CD")
    twin_a = factories.child(first_name="Cy", last_name="Twin", upn="A123456789012")
    twin_b = factories.child(first_name="Cy", last_name="Twin", upn="A123456789012")
    return {"known": known, "by_name": by_name, "twins": [twin_a, twin_b]}


def was_not_brought(**values: str) -> dict[str, str]:
    return {"appointment_date": "2026-10-12", "service": "Dental", **values}


def test_good_bad_unmatched_ambiguous_and_repeated_rows(world: World, children) -> None:
    content = csv_file(
        "was_not_brought",
        [
            was_not_brought(nhs_number=NHS),  # 2: by NHS number
            was_not_brought(
                first_name="bea", last_name="BROOK", date_of_birth="2019-05-04", postcode="nt25cd"
            ),  # 3: by name, date of birth and postcode
            was_not_brought(nhs_number="1234567890", service=""),  # 4: two errors
            was_not_brought(
                first_name="No", last_name="Body", date_of_birth="2018-01-01", postcode="NT9 9ZZ"
            ),  # 5: matches nobody
            was_not_brought(upn="A123456789012"),  # 6: matches two children
            was_not_brought(nhs_number=NHS),  # 7: the same as row 2
        ],
    )
    first = run(world, "was_not_brought", content, key="a")
    assert statuses(first) == {
        2: "created",
        3: "created",
        4: "invalid",
        5: "queued",
        6: "queued",
        7: "repeated",
    }
    errors = first.rows.get(row_number=4).errors
    assert {e["column"] for e in errors} == {"nhs_number", "service"}
    assert all(e["message"] for e in errors)
    entries = ChronologyEntry.objects.filter(event_type="was_not_brought")
    assert sorted(entries.values_list("child_id", flat=True)) == sorted(
        [children["known"].pk, children["by_name"].pk]
    )
    assert set(entries.values_list("source_agency_id", flat=True)) == {world.health.pk}
    assert DriftEvaluationRequest.objects.filter(child=children["known"]).exists()
    assert first.counts == {"created": 2, "invalid": 1, "queued": 2, "repeated": 1}
    # Matching confirms children are known, as a search does: logged without values.
    logged = SearchLogEntry.objects.get(view_name="notification_import")
    assert logged.masked_results == 2 and "nhs_number" in logged.identifier_kinds

    again = run(world, "was_not_brought", content, key="b")
    assert statuses(again) == {
        2: "repeated",
        3: "repeated",
        4: "invalid",
        5: "repeated",
        6: "repeated",
        7: "repeated",
    }
    assert entries.count() == 2


def test_a_dry_run_changes_nothing(world: World, children) -> None:
    content = csv_file("was_not_brought", [was_not_brought(nhs_number=NHS)])
    checked = run(world, "was_not_brought", content, key="dry", dry_run=True)
    assert statuses(checked) == {2: "would_create"}
    assert not ChronologyEntry.objects.filter(event_type="was_not_brought").exists()
    real = run(world, "was_not_brought", content, key="real")
    assert statuses(real) == {2: "created"}


def test_attendance_and_exclusions_become_school_records(world: World, children) -> None:
    attendance = csv_file(
        "attendance",
        [
            {
                "nhs_number": NHS,
                "period_start": "2026-09-01",
                "period_end": "2026-10-31",
                "sessions_possible": "80",
                "sessions_attended": "40",
            },
            {
                "nhs_number": NHS,
                "period_start": "2026-09-01",
                "period_end": "2026-10-31",
                "sessions_possible": "80",
                "sessions_attended": "90",
            },
        ],
    )
    done = run(world, "attendance", attendance, key="att")
    assert statuses(done) == {2: "created", 3: "invalid"}
    record = AttendanceRecord.objects.get()
    assert (record.sessions_possible, record.sessions_attended) == (80, 40)
    assert ChronologyEntry.objects.get(event_type="school_absence").significance == "medium"
    exclusion = csv_file(
        "exclusion",
        [
            {"nhs_number": NHS, "exclusion_date": "2026-10-10", "exclusion_type": "permanent"},
            {"nhs_number": NHS, "exclusion_date": "2026-10-11", "exclusion_type": "suspension"},
        ],
    )
    done = run(world, "exclusion", exclusion, key="exc")
    assert statuses(done) == {2: "created", 3: "invalid"}
    assert ExclusionRecord.objects.get().permanent


def test_an_xlsx_file_is_read_like_a_csv(world: World, children) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(header("domestic_abuse"))
    sheet.append([NHS, "", "", "", None, "", "", "", "2026-10-03", "DA/1", "Child present."])
    buffer = io.BytesIO()
    book.save(buffer)
    done = run(world, "domestic_abuse", buffer.getvalue(), key="x", name="police.xlsx")
    assert statuses(done) == {2: "created"}
    entry = ChronologyEntry.objects.get(event_type="domestic_abuse_notification")
    assert entry.child_id == children["known"].pk and "DA/1" in entry.summary


def test_a_file_without_the_layouts_columns_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.notification_import_create(
            sender=world.users["lead"],
            kind="attendance",
            file_name="a.csv",
            content=b"name,date\nx,y\n",
            dry_run=False,
            submission_key="k",
        )
    assert "missing" in str(refused.value)


def test_the_matching_queue_links_registers_and_rejects(world: World, children) -> None:
    content = csv_file(
        "was_not_brought",
        [
            was_not_brought(upn="A123456789012"),
            was_not_brought(
                first_name="New",
                last_name="Child",
                date_of_birth="2020-02-02",
                postcode="NT3 1AA",
                address_line_1="1 High Street",
                town="Newtown",
            ),
            was_not_brought(
                first_name="Not", last_name="Ours", date_of_birth="2020-02-02", postcode="NT3 1AA"
            ),
        ],
    )
    done = run(world, "was_not_brought", content, key="q")
    rows = {row.row_number: row for row in done.rows.all()}
    practitioner = world.users["practitioner"]
    twin = children["twins"][1]
    services.notification_row_link(practitioner=practitioner, row_id=rows[2].pk, child_id=twin.pk)
    child = services.notification_row_register(practitioner=practitioner, row_id=rows[3].pk)
    services.notification_row_reject(
        practitioner=practitioner, row_id=rows[4].pk, reason="Not a child in this area"
    )
    assert statuses(done) == {2: "linked", 3: "registered", 4: "rejected"}
    written = ChronologyEntry.objects.filter(event_type="was_not_brought")
    assert sorted(written.values_list("child_id", flat=True)) == sorted([twin.pk, child.pk])
    with pytest.raises(ValidationError):
        services.notification_row_reject(
            practitioner=practitioner, row_id=rows[4].pk, reason="again"
        )


def test_another_agency_cannot_work_the_queue(world: World, children) -> None:
    content = csv_file("was_not_brought", [was_not_brought(upn="A123456789012")])
    row = run(world, "was_not_brought", content, key="o").rows.get()
    other = Client()
    other.force_login(world.users["unrelated_practitioner"])
    assert other.get(f"/notifications/matching/{row.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.notification_row_reject(
            practitioner=world.users["unrelated_practitioner"], row_id=row.pk, reason="no"
        )


def test_a_machine_client_sends_a_file_through_the_api(world: World, children) -> None:
    machine, secret = machine_client_register(
        actor=world.users["admin"],
        name="Trust PAS",
        agency=world.health,
        scopes=["notifications:write"],
    )
    account_confirm(lead=world.users["lead"], account_id=machine.account_id)
    basic = base64.b64encode(f"{machine.application.client_id}:{secret}".encode()).decode()
    token = (
        Client()
        .post(
            "/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )
        .json()["access_token"]
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    upload = io.BytesIO(
        csv_file("was_not_brought", [was_not_brought(nhs_number=NHS), was_not_brought(service="")])
    )
    upload.name = "pas.csv"
    sent = api.post(
        "/api/notifications/",
        {"kind": "was_not_brought", "file": upload, "submission_key": "pas-1"},
    )
    assert sent.status_code == 202, sent.content
    notification_import_run(sent.json()["id"])
    report = api.get(f"/api/notifications/{sent.json()['id']}/").json()
    assert report["status"] == "done" and report["counts"] == {"created": 1, "invalid": 1}
    assert report["rows"][0]["row"] == 3 and report["rows"][0]["errors"]
    bad = api.post("/api/notifications/", {"kind": "nonsense", "submission_key": "x"})
    assert bad.status_code == 400 and set(json.loads(bad.content)) >= {"kind", "file"}
    assert RowStatus.CREATED in report["counts"]
