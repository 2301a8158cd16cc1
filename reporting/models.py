"""Dashboard snapshots and the strategy delivery plan.

A snapshot build writes its rows under its own build id; readers follow the single
`CurrentSnapshot` pointer, which a build switches in one transaction when it has finished, so
a half-written or failed build is never read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class BuildTrigger(models.TextChoices):
    NIGHTLY = "nightly", "Nightly schedule"
    REFRESH = "refresh", "Refresh requested by an analyst"
    COMMAND = "command", "Command line"


class SnapshotBuild(models.Model):
    status = models.CharField(max_length=10, choices=BuildStatus.choices)
    trigger = models.CharField(max_length=10, choices=BuildTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    metrics_done = models.PositiveIntegerField(default=0)
    metrics_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # The day the figures describe: periods run up to and including it.
    as_at = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Build {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def percent_done(self) -> int:
        return round(100 * self.metrics_done / self.metrics_total) if self.metrics_total else 0


class CurrentSnapshot(models.Model):
    """The singleton pointer (pk 1) to the finished build every page reads."""

    build = models.ForeignKey(SnapshotBuild, on_delete=models.PROTECT, null=True, related_name="+")
    switched_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="one_current_snapshot")
        ]


class SnapshotRow(models.Model):
    """One figure: a metric for one period and one value of one breakdown (true counts)."""

    build = models.ForeignKey(SnapshotBuild, on_delete=models.CASCADE, related_name="rows")
    metric = models.CharField(max_length=40)
    period_type = models.CharField(max_length=7)  # month, quarter, year
    period_start = models.DateField()
    dimension = models.CharField(max_length=20)  # "all" or a breakdown code
    dimension_key = models.CharField(max_length=60)
    dimension_label = models.CharField(max_length=200)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["build", "metric", "period_type", "dimension", "period_start"],
                name="snapshotrow_lookup",
            )
        ]

    @property
    def value(self) -> float | None:
        if self.denominator is None:
            return float(self.numerator)
        return self.numerator / self.denominator if self.denominator else None


class Priority(models.TextChoices):
    """The neglect strategy's three priorities."""

    RECOGNISE = "recognise", "Recognise"
    RESPOND = "respond", "Respond"
    MAKE_A_DIFFERENCE = "make_a_difference", "Make a difference"


class RagStatus(models.TextChoices):
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    COMPLETE = "complete", "Complete"


class DeliveryAction(models.Model):
    """One action of the strategy delivery plan. Edits carry the version they started from."""

    reference = models.CharField(max_length=20, unique=True)
    priority = models.CharField(max_length=20, choices=Priority.choices)
    activity = models.TextField(max_length=2000)
    responsible = models.CharField(max_length=200)
    due_date = models.DateField()
    rag_status = models.CharField(max_length=10, choices=RagStatus.choices)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "reference"]

    def __str__(self) -> str:
        return self.reference


class DeliveryEvidence(models.Model):
    """A dated evidence update on an action. Never edited: a later update supersedes it."""

    action = models.ForeignKey(DeliveryAction, on_delete=models.PROTECT, related_name="evidence")
    recorded_on = models.DateField()
    text = models.TextField(max_length=2000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-recorded_on", "-added_at"]


class DeliveryActionChange(models.Model):
    """Append-only history of an action: who changed what, when (old and new values)."""

    action = models.ForeignKey(DeliveryAction, on_delete=models.PROTECT, related_name="history")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10)  # created, updated, evidence
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class LearningLinkKind(models.TextChoices):
    EVIDENCE = "evidence", "Evidence for an existing action"
    NEW_ACTION = "new_action", "A new action"


class LearningActionLink(models.Model):
    """A case audit's learning action taken into the delivery plan: as dated evidence on an
    existing action, or as a new action of its own. Reporting reads learning, never back."""

    learning_action = models.OneToOneField(
        "learning.LearningAction", on_delete=models.PROTECT, related_name="+"
    )
    delivery_action = models.ForeignKey(
        DeliveryAction, on_delete=models.PROTECT, related_name="learning_links"
    )
    kind = models.CharField(max_length=12, choices=LearningLinkKind.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)
