"""Census jobs: an export or import requested on a page (or by a command) and run by a worker,
with its progress saved as it goes so the page can poll it."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.census.export import census_children_count, census_xml_write
from cases.census.importing import census_file_import, census_file_layout_errors
from cases.census.layout import ruleset_for
from cases.census.validation import census_file_validate
from cases.models import CensusJob, CensusJobKind, CensusJobStatus, Practitioner


def census_dir() -> Path:
    path = Path(settings.NT_CENSUS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def census_job_path(job: CensusJob) -> Path:
    return census_dir() / job.file_name


@transaction.atomic
def census_export_request(*, year: int, requested_by: Practitioner | None) -> CensusJob:
    job = CensusJob.objects.create(
        kind=CensusJobKind.EXPORT,
        collection_year=year,
        file_name=f"export-{uuid.uuid4().hex}.xml",
        requested_by=requested_by,
    )
    _queue_on_commit(job)
    return job


@transaction.atomic
def census_import_request(
    *, year: int, upload: object, requested_by: Practitioner | None
) -> CensusJob:
    """Save the uploaded file where the worker can read it, then queue the import."""
    job = CensusJob.objects.create(
        kind=CensusJobKind.IMPORT,
        collection_year=year,
        file_name=f"import-{uuid.uuid4().hex}.xml",
        requested_by=requested_by,
    )
    with census_job_path(job).open("wb") as handle:
        for chunk in upload.chunks():  # type: ignore[attr-defined]
            handle.write(chunk)
    _queue_on_commit(job)
    return job


def _queue_on_commit(job: CensusJob) -> None:
    from cases.census.tasks import census_job_run

    def publish() -> None:
        try:
            census_job_run.delay(job.pk)
        except Exception:
            CensusJob.objects.filter(pk=job.pk).update(stage="Waiting: the worker queue is down")

    transaction.on_commit(publish)


def _progress(job: CensusJob, stage: str, done: int | None = None) -> None:
    job.stage = stage
    fields = ["stage", "status"]
    if done is not None:
        job.done_children = done
        fields.append("done_children")
    job.status = CensusJobStatus.RUNNING
    job.save(update_fields=fields)


def census_job_run(*, job_id: int, validate: bool = True) -> CensusJob:
    """Run a queued job (the worker's task and the commands call this)."""
    job = CensusJob.objects.get(pk=job_id)
    if job.status in (CensusJobStatus.DONE, CensusJobStatus.INVALID):
        return job  # a redelivered task: already done
    try:
        if job.kind == CensusJobKind.EXPORT:
            _export(job)
        else:
            _import(job, validate=validate)
    except Exception:
        job.status, job.stage, job.finished_at = CensusJobStatus.FAILED, "Failed", timezone.now()
        job.save(update_fields=["status", "stage", "finished_at"])
        raise
    return job


def _export(job: CensusJob) -> None:
    job.total_children = census_children_count(year=job.collection_year)
    _progress(job, "Writing the census file", 0)
    with census_job_path(job).open("wb") as handle:
        census_xml_write(
            year=job.collection_year,
            out=handle,
            progress=lambda done: _progress(job, "Writing the census file", done),
        )
    _validated(job)
    job.status, job.stage, job.finished_at = CensusJobStatus.DONE, "Done", timezone.now()
    job.save()


def _validated(job: CensusJob) -> bool:
    """Run the Department's rules; True when the file has no errors (queries are allowed)."""
    _progress(job, "Checking the file with the Department's rules")
    result = census_file_validate(
        path=census_job_path(job), ruleset=ruleset_for(job.collection_year)
    )
    job.errors = [finding.__dict__ for finding in result.findings]
    job.error_count = len(result.errors)
    if result.schema_errors:
        job.summary = {"schema_errors": result.schema_errors}
    return not result.schema_errors and not result.errors


def _import(job: CensusJob, *, validate: bool) -> None:
    path = census_job_path(job)
    _progress(job, "Checking the file's layout")
    layout = census_file_layout_errors(path)
    if layout:
        job.summary = {"schema_errors": layout}
        job.status, job.stage, job.finished_at = (
            CensusJobStatus.INVALID,
            "Not imported",
            timezone.now(),
        )
        job.save()
        return
    if validate and not _validated(job):
        job.status, job.stage, job.finished_at = (
            CensusJobStatus.INVALID,
            "Not imported",
            timezone.now(),
        )
        job.save()
        return
    _progress(job, "Importing", 0)
    summary = census_file_import(
        path=path,
        year=job.collection_year,
        progress=lambda done: _progress(job, "Importing", done),
    )
    job.total_children = summary.children
    job.summary = dict(summary.counts)
    job.figures = summary.figures
    job.status, job.stage, job.finished_at = CensusJobStatus.DONE, "Done", timezone.now()
    job.save()
