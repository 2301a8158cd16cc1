"""Bulk notifications: accepting a file (queued for the worker once it is durable), and the
matching queue's three answers (link to a child, register a new child, reject)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases import access
from cases.casework.registration import child_register
from cases.models import Child, Practitioner
from cases.notifications import layouts
from cases.notifications.importing import UnreadableFile, file_header, rows_write
from cases.notifications.models import NotificationImport, NotificationRow, RowStatus
from cases.services import submission_repeat

logger = logging.getLogger(__name__)


def may_send_notifications(user: Practitioner) -> bool:
    """A lead on the upload page, or an agency's machine client through the API."""
    return access.is_lead(user) or (user.is_machine and access.does_casework(user))


def notification_import_create(
    *,
    sender: Practitioner,
    kind: str,
    file_name: str,
    content: bytes,
    dry_run: bool,
    submission_key: str,
) -> tuple[NotificationImport, bool]:
    """The import, saved with its file and queued; (import, created). The same submission key
    from the same sender returns the first import."""
    if not may_send_notifications(sender) or sender.agency_id is None:
        raise PermissionDenied()
    existing = NotificationImport.objects.filter(
        sent_by=sender, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    if kind not in layouts.KIND_COLUMNS:
        raise ValidationError({"kind": "Choose the kind of notification"})
    if not content:
        raise ValidationError({"file": "The selected file is empty"})
    if len(content) > settings.NOTIFICATION_MAX_BYTES:
        raise ValidationError(
            {"file": f"The file must be smaller than {settings.NOTIFICATION_MAX_BYTES // 2**20} MB"}
        )
    if not file_name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": "The selected file must be a CSV or XLSX file"})
    try:
        found = file_header(content, file_name)
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    missing = [name for name in layouts.header(kind) if name not in found]
    if missing:
        raise ValidationError(
            {"file": f"The first row must name the columns; missing: {', '.join(missing)}"}
        )
    with transaction.atomic():
        notification_import = NotificationImport.objects.create(
            agency_id=sender.agency_id,
            kind=kind,
            sent_by=sender,
            file_name=file_name[:200],
            content=content,
            dry_run=dry_run,
            submission_key=submission_key,
        )
        transaction.on_commit(lambda: _queue(notification_import.pk))
    return notification_import, True


def _queue(import_id: int) -> None:
    from cases.notifications.tasks import notification_import_run

    try:
        notification_import_run.apply_async(args=(import_id,), retry=False)
    except Exception as error:
        logger.warning(
            "notification import %s not queued (%s); the scheduled run will start it",
            import_id,
            type(error).__name__,
        )


# --- The matching queue ------------------------------------------------------------------------


def _queued_row(
    *, practitioner: Practitioner, row_id: int, submission_key: str
) -> tuple[NotificationRow, bool]:
    """(the row, locked; whether this submission answered it already). A row is worked only by
    its agency's practitioners; a double submit finds its own answer by its key."""
    if not access.does_casework(practitioner):
        raise PermissionDenied()
    agency_rows = NotificationRow.objects.filter(agency=practitioner.agency)
    row = (
        agency_rows.select_for_update()
        .select_related("notification_import")
        .filter(pk=row_id)
        .first()
    )
    if row is None:
        raise PermissionDenied()
    answered = submission_repeat(
        agency_rows, submission_key=submission_key, pk=row.pk, resolved_by_id=practitioner.pk
    )
    if answered is not None:
        return row, True
    if row.status != RowStatus.QUEUED:
        raise ValidationError("Someone has already dealt with this row", code="resolved")
    return row, False


def _resolve(row: NotificationRow, practitioner: Practitioner, status: str, key: str) -> None:
    row.status = status
    row.resolved_by = practitioner
    row.resolved_at = timezone.now()
    row.submission_key = key
    row.save()


@transaction.atomic
def notification_row_link(
    *, practitioner: Practitioner, row_id: int, child_id: int, submission_key: str
) -> Child:
    """The row is about this child: one the row matched, or one the practitioner may see (found
    by searching from the row). Its records are written exactly as an automatic match writes
    them."""
    row, answered = _queued_row(
        practitioner=practitioner, row_id=row_id, submission_key=submission_key
    )
    if answered:
        assert row.child is not None
        return row.child
    if child_id in row.candidates:
        child = Child.objects.get(pk=child_id)
    else:
        try:
            child = access.child_for_reading(
                user=practitioner, child_id=child_id, view_name="notification_row_link"
            )
        except access.ChildAccessRefused:
            raise ValidationError(
                {"child": "Choose a child your agency can see, or one the row matches"}
            ) from None
    row.child = child
    _resolve(row, practitioner, RowStatus.LINKED, submission_key)
    rows_write(notification_import=row.notification_import, rows=[row])
    return child


def registration_from_row(row: NotificationRow) -> dict[str, object] | None:
    """What registering the row's child would record, or None if the row lacks a name or a
    date of birth."""
    data = row.data
    if not (data.get("first_name") or data.get("last_name")) or not data.get("date_of_birth"):
        return None
    return {
        "first_name": data.get("first_name", ""),
        "last_name": data.get("last_name", "") or "Not known",
        "date_of_birth": datetime.date.fromisoformat(data["date_of_birth"]),
        "nhs_number": data.get("nhs_number", ""),
        "upn": data.get("upn", ""),
        "address_line_1": data.get("address_line_1") or "Not given",
        "town": data.get("town") or "Not given",
        "postcode": data.get("postcode", ""),
    }


@transaction.atomic
def notification_row_register(
    *, practitioner: Practitioner, row_id: int, submission_key: str
) -> Child:
    """A child nobody has registered yet: registered from the row, then the row written."""
    row, answered = _queued_row(
        practitioner=practitioner, row_id=row_id, submission_key=submission_key
    )
    if answered:
        assert row.child is not None
        return row.child
    details = registration_from_row(row)
    if details is None:
        raise ValidationError(
            "The row has no name or date of birth: register the child from 'Register a child', "
            "then find them from this row and link it"
        )
    child = child_register(
        registered_by=practitioner,
        is_unborn=False,
        expected_date_of_delivery=None,
        sex="U",
        **details,  # type: ignore[arg-type]
    )
    row.child = child
    _resolve(row, practitioner, RowStatus.REGISTERED, submission_key)
    rows_write(notification_import=row.notification_import, rows=[row])
    return child


@transaction.atomic
def notification_row_reject(
    *, practitioner: Practitioner, row_id: int, reason: str, submission_key: str
) -> None:
    row, answered = _queued_row(
        practitioner=practitioner, row_id=row_id, submission_key=submission_key
    )
    if answered:
        return
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the row is rejected"})
    row.reject_reason = reason.strip()
    _resolve(row, practitioner, RowStatus.REJECTED, submission_key)
