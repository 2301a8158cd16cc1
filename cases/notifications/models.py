"""Bulk notifications from agencies' systems: each import, its rows (the row-level report and
the matching queue), and the structured school records the rows become."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import Agency, Child, ChronologyEntry, Concern, Practitioner


class NotificationKind(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Police: child present at a domestic abuse incident"
    ATTENDANCE = "attendance", "School: attendance"
    EXCLUSION = "exclusion", "School: exclusion"
    WAS_NOT_BROUGHT = "was_not_brought", "Health: was not brought to an appointment"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class RowStatus(models.TextChoices):
    INVALID = "invalid", "Not imported: errors"
    CREATED = "created", "Imported"
    REPEATED = "repeated", "Already imported: nothing new"
    QUEUED = "queued", "Waiting for matching"
    LINKED = "linked", "Matched by a practitioner"
    REGISTERED = "registered", "New child registered"
    REJECTED = "rejected", "Rejected"
    WOULD_CREATE = "would_create", "Dry run: would be imported"
    WOULD_QUEUE = "would_queue", "Dry run: would wait for matching"


class NotificationImport(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    sent_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()  # kept until the worker has read it: durable before queued
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default="queued")
    total_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)  # row status -> number of rows
    progress = models.CharField(max_length=100, blank=True)  # the stage now running
    error = models.CharField(max_length=400, blank=True)
    submission_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sent_by", "submission_key"], name="notification_import_key"
            )
        ]


class NotificationRow(models.Model):
    notification_import = models.ForeignKey(
        NotificationImport, on_delete=models.CASCADE, related_name="rows"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField()  # as a spreadsheet numbers it: 2 is the first
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=RowStatus.choices)
    errors = models.JSONField(default=list)  # [{"column": ..., "message": ...}]
    data = models.JSONField(default=dict)  # the cleaned values
    candidates = models.JSONField(default=list)  # child ids the row matched
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, related_name="+")
    chronology_entry = models.ForeignKey(
        ChronologyEntry, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A police notification is written as a concern from the police (with its entry above).
    concern = models.ForeignKey(Concern, on_delete=models.SET_NULL, null=True, related_name="+")
    resolved_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(blank=True, max_length=2000)
    # The key of the practitioner's answer in the matching queue: a double submit answers once.
    submission_key = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["row_number"]
        indexes = [models.Index(fields=["notification_import", "row_number"])]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=Q(submission_key__isnull=False),
                name="notification_row_submission_key",
            ),
            # Idempotency: one accepted row per fingerprint per agency.
            models.UniqueConstraint(
                fields=["agency", "fingerprint"],
                condition=Q(status__in=["created", "queued", "linked", "registered", "rejected"]),
                name="notification_row_once_per_agency",
            ),
        ]


class AttendanceRecord(models.Model):
    """A school's attendance figure for one child over one period."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attendance_records")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    sessions_possible = models.PositiveIntegerField()
    sessions_attended = models.PositiveIntegerField()
    source_row = models.ForeignKey(
        NotificationRow, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "cases"
        indexes = [models.Index(fields=["child", "period_end"])]


class ExclusionRecord(models.Model):
    """A school's exclusion of one child: permanent, or a suspension for some days."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="exclusions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    excluded_on = models.DateField()
    permanent = models.BooleanField()
    days = models.PositiveIntegerField(null=True, blank=True)
    source_row = models.ForeignKey(
        NotificationRow, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "cases"
        indexes = [models.Index(fields=["child", "excluded_on"])]
