"""50,000-row notification imports on the bench partnership, each against a COPY of the same rows:
a school's attendance file (a chronology entry and an attendance record per row) and a police
force's domestic abuse notifications (a concern per row, with its chronology entry).

Each file is built from the partnership's own children: most rows by NHS number, some by UPN and
some by name, date of birth and postcode, plus a share of rows that match nobody. The import
runs in this process exactly as the worker runs it (`import_run`), and its records are deleted
afterwards so the next run measures the same work. The baseline is PostgreSQL's floor for
taking the same rows in: COPY of the file's text into a temporary table.
"""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from .harness import Result, ensure_scale_database, report, use_database

ROWS = 50_000


def bench_notifications(scale_children: int, rows: int = ROWS) -> None:
    database = ensure_scale_database(scale_children)
    use_database(database)
    from cases.codes import AgencyType

    _bench_kind("attendance", _lead_of(AgencyType.EDUCATION), rows)
    _bench_kind("domestic_abuse", _lead_of(AgencyType.POLICE), rows)


def _bench_kind(kind: str, sender: Any, rows: int) -> None:
    from django.db import connection, transaction

    from cases.notifications.importing import import_run
    from cases.notifications.layouts import header
    from cases.notifications.models import NotificationImport

    content = _file(kind, rows)
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(
            "CREATE TEMP TABLE bench_copy ("
            + ", ".join(f"{c} text" for c in header(kind))
            + ") ON COMMIT DROP"
        )
        start = time.perf_counter()
        cursor.copy_expert(
            "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)",
            io.StringIO(content.decode()),
        )
        baseline = time.perf_counter() - start
    notification_import = NotificationImport.objects.create(
        agency_id=sender.agency_id,
        kind=kind,
        sent_by=sender,
        file_name="bench.csv",
        content=content,
        submission_key=f"bench-{time.time_ns()}",
        status="running",
    )
    start = time.perf_counter()
    import_run(notification_import)
    seconds = time.perf_counter() - start
    notification_import.refresh_from_db()
    print(f"  {kind} rows by result: {notification_import.counts}", flush=True)
    report(
        Result(
            f"notifications import ({kind}), {rows:,} rows: time",
            seconds,
            "s",
            "COPY of the same rows",
            baseline,
            "under 60 s",
        )
    )
    report(Result(f"notifications import ({kind}), {rows:,} rows: rate", rows / seconds, "rows/s"))
    _clean_up(notification_import.pk)


def _lead_of(agency_type: str) -> Any:
    from django.utils import timezone

    from cases.codes import Role
    from cases.models import Agency, Practitioner

    agency = Agency.objects.filter(agency_type=agency_type).order_by("pk").first()
    lead, _created = Practitioner.objects.get_or_create(
        username=f"bench-notifications-{agency_type}",
        defaults={
            "agency": agency,
            "role": Role.SAFEGUARDING_LEAD,
            "confirmed_for_agency": agency,
            "confirmed_at": timezone.now(),
            "last_name": "Bench",
        },
    )
    return lead


def _file(kind: str, rows: int) -> bytes:
    """Rows for real children (60% by NHS number, 20% by UPN, 15% by name, date of birth and
    postcode) and 5% that match nobody."""
    from django.db import connection

    from cases.notifications.layouts import header

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.nhs_number, c.upn, c.first_name, c.last_name, c.date_of_birth,
                      a.postcode
               FROM cases_child c
               JOIN cases_address a ON a.family_id = c.family_id AND a.moved_out IS NULL
               WHERE NOT c.is_restricted AND NOT c.is_unborn AND c.date_of_birth IS NOT NULL
               ORDER BY c.id LIMIT %s""",
            [rows],
        )
        children = cursor.fetchall()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header(kind))
    writer.writeheader()
    for index in range(rows):
        nhs, upn, first, last, born, postcode = children[index % len(children)]
        share = index % 20
        row = (
            {
                "period_start": "2026-09-01",
                "period_end": "2026-10-31",
                "sessions_possible": "80",
                "sessions_attended": str(40 + index % 40),
            }
            if kind == "attendance"
            else {
                "incident_date": "2026-10-31",
                "incident_reference": f"BENCH-{index}",
                "summary": "Officers attended a domestic abuse incident; the child was present.",
            }
        )
        if share < 12 and nhs:
            row["nhs_number"] = nhs
        elif share < 16 and upn:
            row["upn"] = upn
        elif share < 19:
            row.update(
                first_name=first, last_name=last, date_of_birth=born.isoformat(), postcode=postcode
            )
        else:
            row.update(
                first_name="Nobody",
                last_name=f"Known{index}",
                date_of_birth="2018-01-01",
                postcode="NT9 9ZZ",
            )
        writer.writerow(row)
    return buffer.getvalue().encode()


def _clean_up(import_id: int) -> None:
    """Delete what the import wrote, so the next run imports the same rows as new."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_written ON COMMIT DROP AS "
            "SELECT id, concern_id, chronology_entry_id FROM cases_notificationrow "
            "WHERE notification_import_id = %s",
            [import_id],
        )
        for statement in (
            "DELETE FROM cases_attendancerecord WHERE source_row_id IN "
            "(SELECT id FROM bench_written)",
            "DELETE FROM cases_changelogentry WHERE record_kind = 'ChronologyEntry' "
            "AND record_id IN (SELECT chronology_entry_id FROM bench_written)",
            "DELETE FROM cases_changelogentry WHERE record_kind = 'Concern' "
            "AND record_id IN (SELECT concern_id FROM bench_written)",
            "DELETE FROM cases_notificationrow WHERE id IN (SELECT id FROM bench_written)",
            "DELETE FROM cases_chronologyentry WHERE id IN "
            "(SELECT chronology_entry_id FROM bench_written)",
            "DELETE FROM cases_concernchild WHERE concern_id IN "
            "(SELECT concern_id FROM bench_written)",
            "DELETE FROM cases_concern WHERE id IN (SELECT concern_id FROM bench_written)",
        ):
            cursor.execute(statement)
        cursor.execute("DELETE FROM cases_driftevaluationrequest")
        cursor.execute("DELETE FROM cases_notificationimport WHERE id = %s", [import_id])
