"""Services: building dashboard snapshots, and changing the delivery plan.

Each state change is one transaction. A build is several: it records progress as it goes
(so the status page can show it), but its rows are only ever read once the final
transaction has switched the current-snapshot pointer to it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases.access import is_business_manager
from cases.models import Practitioner
from cases.services import submission_repeat
from learning.models import LearningAction

from .census import census_comparison_build
from .metrics import METRICS, MONTHS_KEPT, Metric
from .models import (
    BuildStatus,
    BuildTrigger,
    CurrentSnapshot,
    DeliveryAction,
    DeliveryActionChange,
    DeliveryEvidence,
    LearningActionLink,
    LearningLinkKind,
    RagStatus,
    SnapshotBuild,
    SnapshotRow,
)

logger = logging.getLogger(__name__)

# The PostgreSQL advisory lock a running build holds for its whole life. Because it belongs to
# the worker's database session, a killed worker releases it when its connection goes.
BUILD_LOCK = 60_061_801
BUILDS_KEPT = 5  # finished builds whose rows are kept (the current one and the previous few)
QUEUED_TOO_LONG = datetime.timedelta(hours=1)


class BuildRefused(Exception):
    """Another build holds the lock; this one did nothing."""


class DeliveryPlanError(Exception):
    """A change to the delivery plan a user can fix; carries field messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# --- Snapshot builds -------------------------------------------------------------------------


def build_is_running() -> bool:
    """Whether some session holds this database's build lock right now (advisory locks are
    per database; another database on the same server may be building its own)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND granted AND ((classid::bigint << 32) | objid::bigint) = %s)",
            [BUILD_LOCK],
        )
        return bool(cursor.fetchone()[0])  # type: ignore[index]


def _current_pointer() -> CurrentSnapshot:
    pointer, _ = CurrentSnapshot.objects.get_or_create(pk=1)
    return pointer


def snapshot_build_fail_abandoned() -> int:
    """Mark builds that can no longer finish as failed, and drop their partial rows: running
    without the lock (their worker died) or queued for too long (their task was lost).
    Returns how many."""
    now = timezone.now()
    abandoned = []
    if not build_is_running():
        dead = SnapshotBuild.objects.filter(status=BuildStatus.RUNNING)
        abandoned += list(dead.values_list("pk", flat=True))
        dead.update(
            status=BuildStatus.FAILED,
            finished_at=now,
            error="The worker stopped before the build finished.",
        )
    lost = SnapshotBuild.objects.filter(
        status=BuildStatus.QUEUED, requested_at__lt=now - QUEUED_TOO_LONG
    )
    abandoned += list(lost.values_list("pk", flat=True))
    lost.update(
        status=BuildStatus.FAILED,
        finished_at=now,
        error="No worker picked the build up within an hour.",
    )
    SnapshotRow.objects.filter(build_id__in=abandoned).delete()
    return len(abandoned)


def snapshot_build_request(
    *, trigger: str, requested_by: Practitioner | None, enqueue: Callable[[int], object]
) -> tuple[SnapshotBuild, bool]:
    """Ask for a build; returns (build, created).

    Double-click safe: while a build is queued or running, the request returns that build
    instead of creating another. The pointer row is locked so two requests serialise.
    """
    with transaction.atomic():
        CurrentSnapshot.objects.get_or_create(pk=1)
        CurrentSnapshot.objects.select_for_update().get(pk=1)
        snapshot_build_fail_abandoned()
        active = SnapshotBuild.objects.filter(
            status__in=(BuildStatus.QUEUED, BuildStatus.RUNNING)
        ).first()
        if active is not None:
            return active, False
        build = SnapshotBuild.objects.create(
            status=BuildStatus.QUEUED, trigger=trigger, requested_by=requested_by
        )
        transaction.on_commit(lambda: _enqueue_or_fail(build.pk, enqueue))
    return build, True


def _enqueue_or_fail(build_id: int, enqueue: Callable[[int], object]) -> None:
    try:
        enqueue(build_id)
    except Exception:  # the broker is down: say so on the build rather than leave it queued
        logger.exception("Could not queue dashboard build %s", build_id)
        SnapshotBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
            status=BuildStatus.FAILED,
            finished_at=timezone.now(),
            error="The build could not be queued: the task queue is not available.",
        )


def snapshot_build_run(
    *,
    build_id: int | None = None,
    trigger: str = BuildTrigger.NIGHTLY,
    as_at: datetime.date | None = None,
) -> SnapshotBuild:
    """Build every metric into a new snapshot and switch it in.

    Idempotent: running it again for a finished build does nothing, and for an interrupted
    one starts that build's rows again. Raises BuildRefused while another build runs.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [BUILD_LOCK])
        locked = cursor.fetchone()[0]  # type: ignore[index]
    if not locked:
        if build_id is not None:
            SnapshotBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
                status=BuildStatus.FAILED,
                finished_at=timezone.now(),
                error="Another build was already running; this one was not started.",
            )
        raise BuildRefused("Another dashboard build is running")
    try:
        return _run_locked(build_id=build_id, trigger=trigger, as_at=as_at)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [BUILD_LOCK])


def _run_locked(
    *, build_id: int | None, trigger: str, as_at: datetime.date | None
) -> SnapshotBuild:
    if build_id is None:
        build = SnapshotBuild.objects.create(status=BuildStatus.QUEUED, trigger=trigger)
    else:
        build = SnapshotBuild.objects.get(pk=build_id)
        if build.status == BuildStatus.FINISHED:
            return build
    # Any other build marked running lost its worker: we hold the lock.
    dead = SnapshotBuild.objects.filter(status=BuildStatus.RUNNING).exclude(pk=build.pk)
    SnapshotRow.objects.filter(build__in=dead).delete()
    dead.update(
        status=BuildStatus.FAILED,
        finished_at=timezone.now(),
        error="The worker stopped before the build finished.",
    )
    build.rows.all().delete()  # a retried build starts its own rows again
    build.status = BuildStatus.RUNNING
    build.started_at = timezone.now()
    build.finished_at = None
    build.error = ""
    build.metrics_done = 0
    build.metrics_total = len(METRICS)
    build.as_at = as_at or timezone.localdate()
    build.save()
    params = _period_params(build.as_at)
    step = "the metrics"
    try:
        for _metric in _metrics_built(build, params):
            build.metrics_done += 1
            SnapshotBuild.objects.filter(pk=build.pk).update(metrics_done=build.metrics_done)
        step = "the census comparison"
        census_comparison_build(build)
        step = "the switch to the new snapshot"
        with transaction.atomic():
            pointer = _current_pointer()
            pointer = CurrentSnapshot.objects.select_for_update().get(pk=pointer.pk)
            build.status = BuildStatus.FINISHED
            build.finished_at = timezone.now()
            build.save(update_fields=["status", "finished_at"])
            pointer.build = build
            pointer.switched_at = build.finished_at
            pointer.save()
    except Exception as raised:
        error, step = (
            (raised.error, raised.metric.code)
            if isinstance(raised, _MetricFailed)
            else (raised, step)
        )
        # The previous snapshot stays current; this build's partial rows go.
        build.rows.all().delete()
        build.status = BuildStatus.FAILED
        build.finished_at = timezone.now()
        build.error = f"{type(error).__name__} while building {step}"
        build.save(update_fields=["status", "finished_at", "error"])
        logger.warning("Dashboard build %s failed at %s", build.pk, step)
        if isinstance(error, DatabaseError):
            return build
        raise error from None
    _prune_old_builds()
    logger.info("Dashboard build %s finished", build.pk)
    return build


def _period_params(as_at: datetime.date) -> dict[str, datetime.date]:
    month = as_at.replace(day=1)
    year, index = divmod(month.year * 12 + month.month - 1 - (MONTHS_KEPT - 1), 12)
    first_month = datetime.date(year, index + 1, 1)
    return {
        "as_at": as_at,
        "first_month": first_month,
        "window_start": first_month.replace(month=1),
    }


class _MetricFailed(Exception):
    def __init__(self, metric: Metric, error: Exception) -> None:
        super().__init__(metric.code)
        self.metric, self.error = metric, error


def _metrics_built(build: SnapshotBuild, params: dict[str, datetime.date]) -> Iterator[Metric]:
    """Build every metric, yielding each as it finishes. Metrics are independent statements, so
    with more than one connection they run side by side (the build's wall time is then about
    its longest share, not the sum); a failure raises once the metrics already running end."""
    connections_used = settings.DASHBOARD_BUILD_CONNECTIONS
    if connections_used <= 1:
        for metric in METRICS:
            _build_metric_or_fail(build, metric, params)
            yield metric
        return
    with ThreadPoolExecutor(max_workers=connections_used) as pool:
        running = {
            pool.submit(_build_metric_on_own_connection, build, metric, params): metric
            for metric in METRICS
        }
        try:
            for done in as_completed(running):
                done.result()
                yield running[done]
        finally:
            for future in running:
                future.cancel()


def _build_metric_on_own_connection(
    build: SnapshotBuild, metric: Metric, params: dict[str, datetime.date]
) -> None:
    try:
        _build_metric_or_fail(build, metric, params)
    finally:
        connection.close()  # this thread's own connection


def _build_metric_or_fail(
    build: SnapshotBuild, metric: Metric, params: dict[str, datetime.date]
) -> None:
    try:
        _build_metric(build, metric, params)
    except Exception as error:
        raise _MetricFailed(metric, error) from error


def _build_metric(build: SnapshotBuild, metric: Metric, params: dict[str, datetime.date]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner overestimates the small periods series, which would switch on JIT
        # compilation that costs more than the query; the sorts fit in memory with a little more.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            metric.insert_sql(),
            {**params, **metric.sql_params(params), "build_id": build.pk, "metric": metric.code},
        )


def _prune_old_builds() -> None:
    """Drop the rows of finished builds older than the few kept (never the current one)."""
    current = CurrentSnapshot.objects.filter(pk=1).values_list("build_id", flat=True).first()
    keep = list(
        SnapshotBuild.objects.filter(status=BuildStatus.FINISHED)
        .order_by("-finished_at")
        .values_list("pk", flat=True)[:BUILDS_KEPT]
    )
    old = SnapshotBuild.objects.exclude(pk__in=[*keep, current]).exclude(
        status__in=(BuildStatus.QUEUED, BuildStatus.RUNNING)
    )
    SnapshotRow.objects.filter(build__in=old).delete()


# --- The delivery plan -----------------------------------------------------------------------

ACTION_FIELDS = ("reference", "priority", "activity", "responsible", "due_date", "rag_status")


@dataclass
class ActionFields:
    reference: str
    priority: str
    activity: str
    responsible: str
    due_date: datetime.date
    rag_status: str


def _history_value(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def delivery_action_create(*, author: Practitioner, fields: ActionFields) -> DeliveryAction:
    if DeliveryAction.objects.filter(reference__iexact=fields.reference).exists():
        raise DeliveryPlanError({"reference": "An action with this reference already exists"})
    action = DeliveryAction.objects.create(
        **{name: getattr(fields, name) for name in ACTION_FIELDS}
    )
    DeliveryActionChange.objects.create(
        action=action,
        changed_by=author,
        kind="created",
        changes={name: [None, _history_value(getattr(fields, name))] for name in ACTION_FIELDS},
    )
    return action


@transaction.atomic
def delivery_action_update(
    *, editor: Practitioner, action_id: int, expected_version: int, fields: ActionFields
) -> DeliveryAction:
    """Change an action, if nobody else has since the editor opened it (optimistic locking)."""
    action = DeliveryAction.objects.select_for_update().get(pk=action_id)
    if action.version != expected_version:
        raise DeliveryPlanError(
            {
                "__all__": "Someone else changed this action after you opened it. "
                "Your changes were not saved: check the action as it is now and make "
                "them again."
            }
        )
    if (
        DeliveryAction.objects.filter(reference__iexact=fields.reference)
        .exclude(pk=action.pk)
        .exists()
    ):
        raise DeliveryPlanError({"reference": "An action with this reference already exists"})
    changes = {
        name: [_history_value(getattr(action, name)), _history_value(getattr(fields, name))]
        for name in ACTION_FIELDS
        if getattr(action, name) != getattr(fields, name)
    }
    if not changes:
        return action
    for name in ACTION_FIELDS:
        setattr(action, name, getattr(fields, name))
    action.version += 1
    action.updated_at = timezone.now()
    action.save()
    DeliveryActionChange.objects.create(
        action=action, changed_by=editor, kind="updated", changes=changes
    )
    return action


@transaction.atomic
def delivery_evidence_add(
    *,
    author: Practitioner,
    action: DeliveryAction,
    recorded_on: datetime.date,
    text: str,
    submission_key: str,
) -> DeliveryEvidence:
    """Add a dated evidence update. A resubmitted form (same key) returns the first one."""
    existing = submission_repeat(
        DeliveryEvidence.objects.all(),
        submission_key=submission_key,
        added_by_id=author.pk,
        action_id=action.pk,
    )
    if existing is not None:
        return existing
    if recorded_on > timezone.localdate():
        raise DeliveryPlanError({"recorded_on": "The date must be today or in the past"})
    evidence = DeliveryEvidence.objects.create(
        action=action,
        recorded_on=recorded_on,
        text=text,
        added_by=author,
        submission_key=submission_key,
    )
    DeliveryActionChange.objects.create(
        action=action,
        changed_by=author,
        kind="evidence",
        changes={"evidence": [None, f"{recorded_on.isoformat()}: {text}"]},
    )
    return evidence


@transaction.atomic
def learning_action_link(
    *,
    manager: Practitioner,
    learning_action: LearningAction,
    delivery_action: DeliveryAction | None,
    new_reference: str = "",
    priority: str = "",
) -> LearningActionLink:
    """Take an audit's learning action into the delivery plan: as evidence on an existing
    action (a dated evidence update quoting it), or as a new action (its text, owner and due
    date). A learning action is linked once."""
    if not is_business_manager(manager):
        raise DeliveryPlanError({"__all__": "Only the partnership business manager may do this"})
    if LearningActionLink.objects.filter(learning_action=learning_action).exists():
        raise DeliveryPlanError({"__all__": "This learning action is already in the delivery plan"})
    audit = learning_action.audit
    if delivery_action is None:
        if not new_reference or not priority:
            raise DeliveryPlanError(
                {
                    "delivery_action": "Choose an action, or give a reference and priority for a new one"
                }
            )
        delivery_action = delivery_action_create(
            author=manager,
            fields=ActionFields(
                reference=new_reference,
                priority=priority,
                activity=f"{learning_action.text} (from the case audit: {audit.theme})",
                responsible=learning_action.owner,
                due_date=learning_action.due_on,
                rag_status=RagStatus.AMBER,
            ),
        )
        kind = LearningLinkKind.NEW_ACTION
    else:
        delivery_evidence_add(
            author=manager,
            action=delivery_action,
            recorded_on=timezone.localdate(),
            text=f"Case audit \u201c{audit.theme}\u201d: {learning_action.text} "
            f"(owner {learning_action.owner}, due {learning_action.due_on:%d/%m/%Y})",
            submission_key=f"learning-{learning_action.pk}",
        )
        kind = LearningLinkKind.EVIDENCE
    return LearningActionLink.objects.create(
        learning_action=learning_action,
        delivery_action=delivery_action,
        kind=kind,
        linked_by=manager,
    )
