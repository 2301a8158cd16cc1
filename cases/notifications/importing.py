"""Running an import, set-based: read the file, check every row, match every row to a child
with three SQL joins against a temporary table, and write the records with bulk inserts, all
in one transaction (a killed worker leaves nothing half-written; the task runs it again).

Matching follows search's rules: by NHS number, else UPN, else first name + last name + date of
birth + current postcode (exact, case-insensitive); a restricted record matches only for the
people named on it. One child: the row is written. None or several: the row waits in the
matching queue for a practitioner of the agency.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from psycopg2.extras import execute_values

from cases.bulk import change_log_created
from cases.casework.concerns import concerns_record_notified
from cases.codes import ConcernAction, ConcernSeverity, ConsentToShare, NeglectType
from cases.models import Child, ChronologyEntry, Concern, SearchLogEntry
from cases.notifications import layouts
from cases.notifications.models import (
    AttendanceRecord,
    ExclusionRecord,
    ImportStatus,
    NotificationImport,
    NotificationKind,
    NotificationRow,
    RowStatus,
)
from cases.request_context import current_request_id
from cases.services import drift_evaluation_request

ACCEPTED = [
    RowStatus.CREATED,
    RowStatus.QUEUED,
    RowStatus.LINKED,
    RowStatus.REGISTERED,
    RowStatus.REJECTED,
]


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file with the kind's header row."""


def file_rows(content: bytes, file_name: str) -> Iterator[dict[str, str]]:
    """Each data row as {column: text}; header names are matched without case or spaces."""
    if file_name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile("Save the file as CSV UTF-8 and upload it again") from None
        rows = csv.reader(io.StringIO(text))
    names: list[str] | None = None
    for cells in rows:
        if names is None:
            names = [str(cell or "").strip().lower().replace(" ", "_") for cell in cells]
            continue
        if not any(str(cell or "").strip() for cell in cells):
            continue
        yield {name: _text(cell) for name, cell in zip(names, cells, strict=False)}
    if names is None:
        raise UnreadableFile("The file is empty")


def file_header(content: bytes, file_name: str) -> list[str]:
    if file_name.lower().endswith(".xlsx"):
        first = next(iter(_xlsx_rows(content)), [])
    else:
        first = next(csv.reader(io.StringIO(content.decode("utf-8-sig", "replace"))), [])
    return [str(cell or "").strip().lower().replace(" ", "_") for cell in first]


def _text(cell: Any) -> str:
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def _xlsx_rows(content: bytes) -> Iterable[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise UnreadableFile("The file is not a readable XLSX workbook") from None
    sheet = book.worksheets[0]
    return (list(row) for row in sheet.iter_rows(values_only=True))


# --- Matching --------------------------------------------------------------------------------

_MATCHES = {
    "nhs": """
        SELECT r.row_number, c.id FROM nt_import_rows r
        JOIN cases_child c ON c.nhs_number = r.nhs_number
        WHERE r.nhs_number <> '' AND {visible}""",
    "upn": """
        SELECT r.row_number, c.id FROM nt_import_rows r
        JOIN cases_child c ON c.upn = r.upn
        WHERE r.upn <> '' AND {visible}""",
    "name": """
        SELECT r.row_number, c.id FROM nt_import_rows r
        JOIN cases_child c ON c.date_of_birth = r.date_of_birth
            AND lower(c.last_name) = r.last_name AND lower(c.first_name) = r.first_name
        JOIN cases_address a ON a.family_id = c.family_id AND a.moved_out IS NULL
            AND a.postcode = r.postcode
        WHERE r.postcode <> '' AND {visible}""",
}
# A restricted record is found only by the people named on it (as in search).
_VISIBLE = """(NOT c.is_restricted OR EXISTS (SELECT 1 FROM cases_child_restricted_to n
               WHERE n.child_id = c.id AND n.practitioner_id = %s))"""


def rows_match(
    rows: list[tuple[int, dict[str, Any]]], *, practitioner_id: int
) -> dict[int, list[int]]:
    """row number -> the children it matches, by the first identifier that matches any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE nt_import_rows (row_number int, nhs_number text, upn text, "
            "first_name text, last_name text, date_of_birth date, postcode text) "
            "ON COMMIT DROP"
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for number, values in rows:
            writer.writerow(
                [
                    number,
                    values["nhs_number"],
                    values["upn"],
                    values["first_name"].lower(),
                    values["last_name"].lower(),
                    values["date_of_birth"] or "\\N",
                    values["postcode"],
                ]
            )
        buffer.seek(0)
        cursor.copy_expert("COPY nt_import_rows FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
        cursor.execute("ANALYZE nt_import_rows")
        found: dict[str, dict[int, list[int]]] = {}
        for key, sql in _MATCHES.items():
            cursor.execute(sql.format(visible=_VISIBLE), [practitioner_id])
            by_row: dict[int, list[int]] = {}
            for number, child_id in cursor.fetchall():
                by_row.setdefault(number, []).append(child_id)
            found[key] = by_row
        cursor.execute("DROP TABLE nt_import_rows")
    matches: dict[int, list[int]] = {}
    for number, _values in rows:
        for key in ("nhs", "upn", "name"):
            if number in found[key]:
                matches[number] = sorted(set(found[key][number]))
                break
        else:
            matches[number] = []
    return matches


# --- Writing ---------------------------------------------------------------------------------


def _entry_for(kind: str, values: dict[str, Any]) -> tuple[str, str, str, str]:
    """(occurred_on, event type, significance, summary) of a school or health row's entry."""
    if kind == NotificationKind.ATTENDANCE:
        share = values["sessions_attended"] * 100 // max(values["sessions_possible"], 1)
        return (
            values["period_end"],
            "school_absence",
            "high" if share < 50 else "medium" if share < 90 else "low",
            f"Attended {values['sessions_attended']} of {values['sessions_possible']} sessions "
            f"({share}%) from {values['period_start']} to {values['period_end']}.",
        )
    if kind == NotificationKind.EXCLUSION:
        permanent = values["exclusion_type"] == "permanent"
        return (
            values["exclusion_date"],
            "school_exclusion",
            "high" if permanent else "medium",
            "Permanently excluded from school."
            if permanent
            else f"Suspended from school for {values['days']} day(s).",
        )
    return (
        values["appointment_date"],
        "was_not_brought",
        "medium",
        f"Was not brought to a {values['service']} appointment."
        + (f" {values['summary']}" if values["summary"] else ""),
    )


# A police notification carries no practitioner's judgement: these are the partnership's
# defaults for one (README, "Bulk notifications"); the lead's queue asks for its outcome.
POLICE_SHARING_REASON = (
    "Police notification of a domestic abuse incident at which a child was present, shared "
    "with the partnership to safeguard the child."
)


def _police_concern(row: NotificationRow, family_id: int) -> Concern:
    values = row.data
    return Concern(
        family_id=family_id,
        neglect_types=[NeglectType.EMOTIONAL],
        what_was_seen=(
            f"Police notification {values['incident_reference']}: a child was present at a "
            f"domestic abuse incident. {values['summary']}"
        ),
        severity=ConcernSeverity.MEDIUM,
        observed_on=datetime.date.fromisoformat(values["incident_date"]),
        child_seen=False,
        actions_taken=[ConcernAction.POLICE],
        consent_to_share=ConsentToShare.NOT_SOUGHT,
        sharing_reason=POLICE_SHARING_REASON,
        submission_key=f"notification-row-{row.pk}",  # one concern per row, ever
    )


def _entries_write(
    notification_import: NotificationImport, rows: list[NotificationRow], family_of: dict[int, int]
) -> list[ChronologyEntry]:
    """A school or health row's chronology entry, as `chronology_entry_record` writes one."""
    now = timezone.now()
    entries = []
    for row in rows:
        occurred_on, event_type, significance, summary = _entry_for(
            notification_import.kind, row.data
        )
        entries.append(
            ChronologyEntry(
                child_id=int(row.child_id or 0),
                family_id=family_of[int(row.child_id or 0)],
                occurred_on=occurred_on,
                event_type=event_type,
                significance=significance,
                summary=summary,
                source_agency_id=notification_import.agency_id,
                recorded_by_id=notification_import.sent_by_id,
                recorded_at=now,
                source_kind="notification_row",
                source_id=row.pk,
            )
        )
    ChronologyEntry.objects.bulk_create(entries, batch_size=5000)
    change_log_created((notification_import.sent_by_id, entry.child_id, entry) for entry in entries)
    return entries


def _rows_link_records(rows: list[NotificationRow]) -> None:
    """Point each row at what it wrote. The links go through a keyed temporary table: the rows
    may be new since the table's statistics were last gathered, and an UPDATE joined to plain
    VALUES is then planned as every row against every value (seconds per thousand rows); with
    a key on both sides either join order is an index lookup. (Django's bulk_update builds a
    CASE per row and field, which cost more than writing the records.)"""
    table = NotificationRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE nt_row_links (id bigint PRIMARY KEY, entry bigint, concern bigint)"
            " ON COMMIT DROP"
        )
        execute_values(
            cursor.cursor,
            "INSERT INTO nt_row_links VALUES %s",
            [(row.pk, row.chronology_entry_id, row.concern_id) for row in rows],
            page_size=5000,
        )
        cursor.execute("ANALYZE nt_row_links")
        cursor.execute(
            # The table name comes from the model.
            f"UPDATE {table} AS r SET chronology_entry_id = v.entry, "  # noqa: S608  # nosec B608
            "concern_id = COALESCE(v.concern, r.concern_id) "
            "FROM nt_row_links v WHERE r.id = v.id"
        )
        cursor.execute("DROP TABLE nt_row_links")


def rows_write(*, notification_import: NotificationImport, rows: list[NotificationRow]) -> None:
    """Write each matched row's records, the same whether matching or a practitioner found the
    child: a police notification becomes a concern from the police (with the chronology entry
    and change log a concern has); a school or health row a chronology entry (and an
    attendance or exclusion record). Then drift re-evaluation of the children. Rows are saved
    already; this runs inside the caller's transaction."""
    if not rows:
        return
    kind = notification_import.kind
    family_of = dict(
        Child.objects.filter(pk__in={row.child_id for row in rows}).values_list("pk", "family_id")
    )
    if kind == NotificationKind.DOMESTIC_ABUSE:
        concerns = [(_police_concern(row, family_of[int(row.child_id or 0)]), row) for row in rows]
        entries = concerns_record_notified(
            author=notification_import.sent_by,
            concerns=[(concern, int(row.child_id or 0)) for concern, row in concerns],
        )
        for concern, row in concerns:
            row.concern_id = concern.pk
    else:
        entries = _entries_write(notification_import, rows, family_of)
    for row, entry in zip(rows, entries, strict=True):
        row.chronology_entry_id = entry.pk
    _rows_link_records(rows)
    written = [(row, int(row.child_id or 0)) for row in rows]
    if kind == NotificationKind.ATTENDANCE:
        AttendanceRecord.objects.bulk_create(
            [
                AttendanceRecord(
                    child_id=child_id,
                    agency_id=notification_import.agency_id,
                    period_start=row.data["period_start"],
                    period_end=row.data["period_end"],
                    sessions_possible=row.data["sessions_possible"],
                    sessions_attended=row.data["sessions_attended"],
                    source_row=row,
                )
                for row, child_id in written
            ],
            batch_size=5000,
        )
    if kind == NotificationKind.EXCLUSION:
        ExclusionRecord.objects.bulk_create(
            [
                ExclusionRecord(
                    child_id=child_id,
                    agency_id=notification_import.agency_id,
                    excluded_on=row.data["exclusion_date"],
                    permanent=row.data["exclusion_type"] == "permanent",
                    days=row.data["days"],
                    source_row=row,
                )
                for row, child_id in written
            ],
            batch_size=5000,
        )
    drift_evaluation_request(child_ids={row.child_id for row in rows if row.child_id})


def _search_log(
    notification_import: NotificationImport,
    valid: list[tuple[int, dict[str, Any]]],
    rows: list[NotificationRow],
) -> None:
    """Matching confirms that children with these identifiers are known, as a search does: one
    search-log row per import (kinds of identifier, never values; matches count as masked)."""
    kinds = [
        kind
        for kind in ("nhs_number", "upn", "name", "date_of_birth", "postcode")
        if any(values.get("first_name" if kind == "name" else kind) for _n, values in valid)
    ]
    SearchLogEntry.objects.create(
        practitioner_id=notification_import.sent_by_id,
        agency_id=notification_import.agency_id,
        identifier_kinds=kinds,
        masked_results=sum(1 for row in rows if row.child_id),
        view_name="notification_import",
        request_id=current_request_id(),
    )


# --- The import ------------------------------------------------------------------------------


def _progress(notification_import: NotificationImport, stage: str) -> None:
    """Progress is written outside the import's transaction, so the page sees it."""
    NotificationImport.objects.filter(pk=notification_import.pk).update(progress=stage)


def import_run(notification_import: NotificationImport) -> None:
    kind = notification_import.kind
    _progress(notification_import, "Checking every row")
    try:
        raw_rows = list(
            file_rows(bytes(notification_import.content), notification_import.file_name)
        )
    except UnreadableFile as error:
        NotificationImport.objects.filter(pk=notification_import.pk).update(
            status=ImportStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        return
    checked = [
        (number, *layouts.row_check(kind, raw)) for number, raw in enumerate(raw_rows, start=2)
    ]
    with transaction.atomic():
        # One import per agency at a time, so two copies of a file cannot both be "new".
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('notifications'), %s)",
                [notification_import.agency_id],
            )
        if NotificationImport.objects.filter(
            pk=notification_import.pk, status=ImportStatus.DONE
        ).exists():
            return  # another run finished it while this one waited for the lock
        NotificationRow.objects.filter(notification_import=notification_import).delete()
        fingerprints = {number: layouts.fingerprint(kind, values) for number, values, _ in checked}
        already = set(
            NotificationRow.objects.filter(
                agency_id=notification_import.agency_id,
                status__in=ACCEPTED,
                fingerprint__in=[fingerprints[n] for n, _v, errors in checked if not errors],
            ).values_list("fingerprint", flat=True)
        )
        _progress(notification_import, "Matching rows to children")
        valid = [(n, values) for n, values, errors in checked if not errors]
        matches = rows_match(valid, practitioner_id=notification_import.sent_by_id)
        dry_run = notification_import.dry_run
        rows: list[NotificationRow] = []
        seen: set[str] = set()
        for number, values, errors in checked:
            row = NotificationRow(
                notification_import=notification_import,
                agency_id=notification_import.agency_id,
                row_number=number,
                fingerprint=fingerprints[number],
                errors=errors,
                data=values,
            )
            if errors:
                row.status = RowStatus.INVALID
            elif row.fingerprint in already or row.fingerprint in seen:
                row.status = RowStatus.REPEATED
            else:
                seen.add(row.fingerprint)
                candidates = matches[number]
                row.candidates = candidates
                if len(candidates) == 1:
                    row.child_id = candidates[0]
                    row.status = RowStatus.WOULD_CREATE if dry_run else RowStatus.CREATED
                else:
                    row.status = RowStatus.WOULD_QUEUE if dry_run else RowStatus.QUEUED
            rows.append(row)
        _search_log(notification_import, valid, rows)
        _progress(notification_import, "Writing records")
        NotificationRow.objects.bulk_create(rows, batch_size=5000)
        if not dry_run:
            rows_write(
                notification_import=notification_import,
                rows=[row for row in rows if row.status == RowStatus.CREATED],
            )
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        NotificationImport.objects.filter(pk=notification_import.pk).update(
            status=ImportStatus.DONE,
            total_rows=len(rows),
            counts=counts,
            progress="",
            content=b"",
            finished_at=timezone.now(),
        )
