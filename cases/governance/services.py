"""The access-log export: itself recorded before the file is handed over."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cases.governance.selectors import (
    AccessLogFilters,
    access_log_search,
    is_information_governance,
)
from cases.models import AccessLogExport, Practitioner
from cases.request_context import current_request_id
from cases.web.spreadsheets import csv_cell

EXPORT_COLUMNS = [
    "When",
    "Username",
    "Name",
    "Role",
    "Agency",
    "Child id",
    "View",
    "Break glass",
    "Request id",
]
EXPORT_LIMIT = 100_000


@transaction.atomic
def access_log_export(*, officer: Practitioner, filters: AccessLogFilters) -> str:
    """The filtered access log as CSV (cells escaped against formula injection); the export
    is written to AccessLogExport in the same transaction, so an unrecorded export never
    leaves."""
    if not is_information_governance(officer):
        raise PermissionDenied("Only an information governance officer exports the access log")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    rows = 0
    for entry in access_log_search(user=officer, filters=filters)[:EXPORT_LIMIT].iterator(
        chunk_size=2000
    ):
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    timezone.localtime(entry.accessed_at).isoformat(timespec="seconds"),
                    entry.practitioner.username,
                    entry.practitioner.display_name,
                    entry.practitioner.get_role_display(),
                    entry.agency.name if entry.agency else "",
                    entry.child_id,
                    entry.view_name,
                    "yes" if entry.break_glass else "no",
                    entry.request_id,
                )
            ]
        )
        rows += 1
    AccessLogExport.objects.create(
        practitioner=officer,
        filters=filters.as_dict(),
        row_count=rows,
        request_id=current_request_id(),
    )
    return buffer.getvalue()
