"""The import runs on a worker; safe to run again (it starts over in one transaction)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from cases.notifications.importing import import_run
from cases.notifications.models import ImportStatus, NotificationImport


@shared_task(acks_late=True)
def notification_import_run(import_id: int) -> None:
    notification_import = NotificationImport.objects.filter(pk=import_id).first()
    if notification_import is None or notification_import.status in (
        ImportStatus.DONE,
        ImportStatus.FAILED,
    ):
        return
    NotificationImport.objects.filter(pk=import_id).update(status=ImportStatus.RUNNING)
    import_run(notification_import)


@shared_task(acks_late=True)
def notification_imports_pending() -> int:
    """Beat, every minute: imports saved while the broker was down, or whose worker died."""
    stale = timezone.now() - datetime.timedelta(minutes=10)
    ids = list(
        NotificationImport.objects.filter(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING], created_at__lt=stale
        ).values_list("pk", flat=True)[:20]
    )
    for import_id in ids:
        notification_import_run.delay(import_id)
    return len(ids)
