"""The census pages: start an export or an import, follow a job, download its file and its
findings. Social-care managers only: the file names children (ids, UPNs, dates of birth)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access
from cases.census.forms import CensusExportForm, CensusImportForm
from cases.census.services import census_export_request, census_import_request, census_job_path
from cases.codes import Role
from cases.models import CensusJob, CensusJobKind, CensusJobStatus
from cases.web.guards import _role_required
from cases.web.spreadsheets import csv_cell

View = Callable[..., HttpResponse]


def _runs_the_census(user: Any) -> bool:
    return access.does_casework(user) and user.role == Role.SOCIAL_CARE_MANAGER


def census_required(view: View) -> View:
    """Signed in as a social-care manager: the authority's statutory return is theirs."""
    return _role_required(view, _runs_the_census)


def _job(request: HttpRequest, job_id: int) -> CensusJob:
    job = get_object_or_404(CensusJob, pk=job_id)
    if job.requested_by_id not in (None, request.user.pk) and not _same_agency(request, job):
        raise PermissionDenied()
    return job


def _same_agency(request: HttpRequest, job: CensusJob) -> bool:
    requester = job.requested_by
    return requester is not None and requester.agency_id == access.acting_user(request).agency_id


@census_required
@require_http_methods(["GET"])
def census_home(request: HttpRequest) -> HttpResponse:
    return _home(request, CensusExportForm(), CensusImportForm())


def _home(
    request: HttpRequest,
    export_form: CensusExportForm,
    import_form: CensusImportForm,
    status: int = 200,
) -> HttpResponse:
    user = access.acting_user(request)
    jobs = CensusJob.objects.filter(requested_by__agency=user.agency).select_related("requested_by")
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/census/home.html",
        {"export_form": export_form, "import_form": import_form, "page": page},
        status=status,
    )


@census_required
@require_POST
def census_export_start(request: HttpRequest) -> HttpResponse:
    form = CensusExportForm(request.POST)
    if not form.is_valid():
        return _home(request, form, CensusImportForm(), status=400)
    job = census_export_request(
        year=form.cleaned_data["year"], requested_by=access.acting_user(request)
    )
    return redirect("census-job", job_id=job.pk)


@census_required
@require_POST
def census_import_start(request: HttpRequest) -> HttpResponse:
    form = CensusImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _home(request, CensusExportForm(), form, status=400)
    job = census_import_request(
        year=form.cleaned_data["year"],
        upload=form.cleaned_data["file"],
        requested_by=access.acting_user(request),
    )
    return redirect("census-job", job_id=job.pk)


@census_required
@require_GET
def census_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    findings = Paginator(job.errors, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/census/job.html",
        {
            "job": job,
            "findings": findings,
            "page": findings,
            "schema_errors": (job.summary or {}).get("schema_errors", []),
            "counts": {k: v for k, v in (job.summary or {}).items() if k != "schema_errors"},
            "finished": job.status
            in (CensusJobStatus.DONE, CensusJobStatus.INVALID, CensusJobStatus.FAILED),
        },
    )


@census_required
@require_GET
def census_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = _job(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "stage": job.stage,
            "done": job.done_children,
            "total": job.total_children,
            "finished": job.status
            in (CensusJobStatus.DONE, CensusJobStatus.INVALID, CensusJobStatus.FAILED),
        }
    )


@census_required
@require_GET
def census_job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.kind != CensusJobKind.EXPORT or job.status != CensusJobStatus.DONE:
        return HttpResponse("The file is not ready", status=404, content_type="text/plain")
    return FileResponse(  # type: ignore[return-value]
        census_job_path(job).open("rb"),
        as_attachment=True,
        filename=f"cin-census-{job.collection_year}.xml",
        content_type="application/xml",
    )


@census_required
@require_GET
def census_job_findings_csv(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{job.pk}-errors.csv"'
    writer = csv.writer(response)
    writer.writerow(["Rule", "Type", "Message", "LAchildID", "Table", "Field", "Value"])
    for message in (job.summary or {}).get("schema_errors", []):
        writer.writerow(["layout", "ERROR", csv_cell(message), "", "", "", ""])
    for row in job.errors:
        writer.writerow(
            [
                csv_cell(row[key])
                for key in ("rule_code", "kind", "message", "child", "table", "field", "value")
            ]
        )
    return response
