"""Snapshot builds: switched in atomically, never mixed, and survivable.

A failed query or a killed worker leaves the previous snapshot in place; two builds cannot
run at once; the refresh button cannot start a second build while one runs.
"""

from __future__ import annotations

import datetime
import os
import signal
import time
from collections.abc import Iterator

import psycopg2
import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.test import Client

from cases.codes import NeedLevel, Role
from neglect_tracker.celery import app
from reporting import services
from reporting.metrics import METRICS, Metric
from reporting.models import BuildStatus, CurrentSnapshot, SnapshotBuild, SnapshotRow
from reporting.services import BUILD_LOCK, BuildRefused, snapshot_build_run
from tests.support import factories
from tests.support.processes import start_celery_worker, stop_celery_worker


def small_partnership() -> None:
    agency = factories.agency()
    author = factories.practitioner(agency)
    for n in range(6):
        child = factories.child(first_name=f"C{n}")
        factories.involvement(
            child,
            NeedLevel.CHILD_PROTECTION,
            agency,
            started_on=datetime.date.today() - datetime.timedelta(days=200),
            protection_category="NEG",
        )
        factories.concern_submitted_on(
            [child], author, datetime.date.today() - datetime.timedelta(days=40)
        )


def current_build_id() -> int | None:
    return CurrentSnapshot.objects.filter(pk=1).values_list("build_id", flat=True).first()


def other_connection() -> psycopg2.extensions.connection:
    database = settings.DATABASES["default"]
    return psycopg2.connect(
        host=database["HOST"],
        port=database["PORT"],
        user=database["USER"],
        password=database["PASSWORD"],
        dbname=database["NAME"],
    )


def wait_for(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail("Timed out waiting")
        time.sleep(0.1)


BROKEN = Metric(
    code="broken",
    name="A metric whose query fails",
    definition="Divides by zero.",
    numerator="-",
    denominator="-",
    priority=METRICS[0].priority,
    breakdowns=(),
    facts="SELECT 'month' AS period_type, %(as_at)s::date AS period_start, 1 / 0 AS num, 1 AS den",
)


@pytest.mark.django_db
def test_a_failed_query_leaves_the_previous_snapshot_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small_partnership()
    first = snapshot_build_run()
    assert first.status == BuildStatus.FINISHED
    rows_before = SnapshotRow.objects.filter(build=first).count()
    monkeypatch.setattr(services, "METRICS", [*METRICS[:3], BROKEN, *METRICS[3:]])

    failed = snapshot_build_run()

    assert failed.status == BuildStatus.FAILED
    assert "broken" in failed.error
    assert failed.metrics_done == 3
    assert current_build_id() == first.pk
    assert not SnapshotRow.objects.filter(build=failed).exists()  # its partial rows are gone
    assert SnapshotRow.objects.filter(build=first).count() == rows_before


def build_rows(build: SnapshotBuild) -> list[tuple[object, ...]]:
    fields = ("metric", "period_type", "period_start", "dimension", "dimension_key")
    values = ("numerator", "denominator", "dimension_label")
    return sorted(
        SnapshotRow.objects.filter(build=build).values_list(*fields, *values).order_by(*fields)
    )


@pytest.mark.django_db(transaction=True)
def test_a_build_on_two_connections_stores_what_a_build_on_one_does(settings) -> None:
    small_partnership()
    settings.DASHBOARD_BUILD_CONNECTIONS = 1
    one = snapshot_build_run()
    settings.DASHBOARD_BUILD_CONNECTIONS = 2
    two = snapshot_build_run()
    assert two.status == BuildStatus.FINISHED and two.metrics_done == len(METRICS)
    assert build_rows(two) == build_rows(one) != []
    assert current_build_id() == two.pk


@pytest.mark.django_db(transaction=True)
def test_a_metric_failing_on_another_connection_fails_the_build_and_keeps_nothing(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_partnership()
    settings.DASHBOARD_BUILD_CONNECTIONS = 2
    first = snapshot_build_run()
    monkeypatch.setattr(services, "METRICS", [*METRICS[:3], BROKEN, *METRICS[3:]])

    failed = snapshot_build_run()

    assert failed.status == BuildStatus.FAILED
    assert "broken" in failed.error
    assert current_build_id() == first.pk
    assert not SnapshotRow.objects.filter(build=failed).exists()


@pytest.mark.django_db
def test_a_finished_build_is_not_built_again() -> None:
    small_partnership()
    build = snapshot_build_run()
    finished_at = build.finished_at
    again = snapshot_build_run(build_id=build.pk)
    assert again.finished_at == finished_at
    assert SnapshotBuild.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_build_is_refused_while_one_holds_the_lock() -> None:
    small_partnership()
    first = snapshot_build_run()
    holder = other_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [BUILD_LOCK])
        assert services.build_is_running()
        queued, _ = services.snapshot_build_request(
            trigger="refresh", requested_by=None, enqueue=lambda build_id: None
        )
        with pytest.raises(BuildRefused):
            snapshot_build_run(build_id=queued.pk)
    finally:
        holder.close()
    queued.refresh_from_db()
    assert queued.status == BuildStatus.FAILED
    assert "already running" in queued.error
    assert not SnapshotRow.objects.filter(build=queued).exists()
    assert current_build_id() == first.pk


@pytest.mark.django_db(transaction=True)
def test_builds_started_together_never_mix_their_rows() -> None:
    import threading

    small_partnership()
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def build() -> None:
        barrier.wait()
        try:
            outcomes.append(snapshot_build_run().status)
        except BuildRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert BuildStatus.FINISHED in outcomes
    current = current_build_id()
    rows = SnapshotRow.objects.filter(build_id=current)
    keys = rows.values_list("metric", "period_type", "period_start", "dimension", "dimension_key")
    assert len(set(keys)) == rows.count()  # one figure per cell: nothing from another build
    assert set(rows.values_list("metric", flat=True)) == {metric.code for metric in METRICS}


@pytest.mark.django_db
def test_refresh_twice_starts_one_build(django_capture_on_commit_callbacks: object) -> None:
    analyst = factories.practitioner(factories.agency(), Role.ANALYST)
    client = Client()
    client.force_login(analyst)
    first = client.post("/dashboards/builds/refresh/")
    second = client.post("/dashboards/builds/refresh/", follow=True)
    assert SnapshotBuild.objects.count() == 1
    build = SnapshotBuild.objects.get()
    assert first["Location"] == f"/dashboards/builds/{build.pk}/"
    assert b"already under way" in second.content


@pytest.mark.django_db
def test_a_build_that_cannot_be_queued_says_so(
    django_capture_on_commit_callbacks: object,
) -> None:
    def broker_down(build_id: int) -> None:
        raise ConnectionError("no broker")

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        build, created = services.snapshot_build_request(
            trigger="refresh", requested_by=None, enqueue=broker_down
        )
    build.refresh_from_db()
    assert created and build.status == BuildStatus.FAILED
    assert "could not be queued" in build.error


@pytest.mark.django_db
def test_the_status_page_refreshes_itself_while_a_build_runs() -> None:
    executive = factories.practitioner(factories.agency(), Role.EXECUTIVE)
    build = SnapshotBuild.objects.create(
        status=BuildStatus.RUNNING, trigger="nightly", metrics_done=3, metrics_total=10
    )
    client = Client()
    client.force_login(executive)
    worker_session = other_connection()  # stands for the worker holding the build lock
    try:
        with worker_session.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [BUILD_LOCK])
        page = client.get(f"/dashboards/builds/{build.pk}/").content.decode()
        assert '<meta http-equiv="refresh"' in page
        assert "3 of 10 metrics built" in page
        status = client.get(f"/dashboards/builds/{build.pk}/status.json").json()
        assert status["metrics_done"] == 3 and status["active"] is True
    finally:
        worker_session.close()
    # The worker's session has gone without finishing: the page says so and stops refreshing.
    page = client.get(f"/dashboards/builds/{build.pk}/").content.decode()
    assert '<meta http-equiv="refresh"' not in page
    assert "The worker stopped before the build finished" in page


def test_the_nightly_build_is_scheduled_on_the_builds_queue() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["build-dashboards-nightly"]
    assert entry["task"] == "reporting.tasks.build_dashboards"
    route = app.amqp.router.route({}, "reporting.tasks.build_dashboards")
    assert route["queue"].name == "builds"


@pytest.fixture
def concern_table_locked() -> Iterator[psycopg2.extensions.connection]:
    """Another session holding an exclusive lock on concerns, so a build stops part-way."""
    holder = other_connection()
    with holder.cursor() as cursor:
        cursor.execute("LOCK TABLE cases_concern IN ACCESS EXCLUSIVE MODE")
    yield holder
    holder.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_leaves_the_previous_snapshot_served(
    throwaway_redis: tuple[str, object], concern_table_locked: psycopg2.extensions.connection
) -> None:
    broker_url, _ = throwaway_redis
    concern_table_locked.rollback()  # the first build needs the table
    small_partnership()
    first = snapshot_build_run()
    with concern_table_locked.cursor() as cursor:
        cursor.execute("LOCK TABLE cases_concern IN ACCESS EXCLUSIVE MODE")
    worker = start_celery_worker(broker_url)
    sender = Celery("test-sender", broker=broker_url, set_as_current=False)
    try:
        build, _ = services.snapshot_build_request(
            trigger="refresh",
            requested_by=None,
            enqueue=lambda build_id: sender.send_task(
                "reporting.tasks.build_dashboards", args=[build_id], queue="builds"
            ),
        )
        # on_commit ran at once (autocommit): the worker builds until it reaches concerns.
        wait_for(
            lambda: (
                SnapshotBuild.objects.get(pk=build.pk).metrics_done >= 1
                and services.build_is_running()
            )
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            stop_celery_worker(worker)
    concern_table_locked.rollback()  # let the dead worker's session run into its closed socket
    wait_for(lambda: not services.build_is_running())

    assert current_build_id() == first.pk
    executive = factories.practitioner(factories.agency(), Role.EXECUTIVE)
    client = Client()
    client.force_login(executive)
    served = client.get("/api/reporting/snapshot/?metric=cp_neglect_share&period_type=month")
    assert served.json()["build"] == first.pk
    # The dead build's finished metrics are stored under its own id, never read...
    assert SnapshotRow.objects.filter(build=build).exists()

    # ...and the next request or build notices it died, says so and drops them.
    assert services.snapshot_build_fail_abandoned() == 1
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and "worker stopped" in build.error
    assert not SnapshotRow.objects.filter(build=build).exists()
    rebuilt = snapshot_build_run()
    assert rebuilt.status == BuildStatus.FINISHED and current_build_id() == rebuilt.pk


@pytest.mark.django_db
def test_the_command_builds_and_switches_in_a_snapshot() -> None:
    from io import StringIO

    from django.core.management import call_command

    small_partnership()
    out = StringIO()
    call_command("build_dashboards", stdout=out)
    assert f"{len(METRICS)} metrics" in out.getvalue()
    assert current_build_id() == SnapshotBuild.objects.get().pk


@pytest.mark.django_db
def test_another_databases_build_lock_is_not_this_ones() -> None:
    database = settings.DATABASES["default"]
    elsewhere = psycopg2.connect(
        host=database["HOST"],
        port=database["PORT"],
        user=database["USER"],
        password=database["PASSWORD"],
        dbname="postgres",
    )
    try:
        with elsewhere.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [BUILD_LOCK])
        assert not services.build_is_running()
    finally:
        elsewhere.close()
