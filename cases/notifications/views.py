"""Pages: upload a notification file (leads), follow its import, read its row report, and the
matching queue practitioners of the agency work through."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases import access
from cases.models import Practitioner
from cases.notifications import layouts, selectors, services
from cases.notifications.forms import NotificationUploadForm, RowLinkForm, RowRejectForm
from cases.notifications.models import (
    ImportStatus,
    NotificationImport,
    NotificationKind,
    RowStatus,
)
from cases.web.forms import add_service_errors
from cases.web.guards import casework_required, lead_required
from cases.web.spreadsheets import csv_cell

REPORT_ERRORS_IN_SUMMARY = 20


def _import_for(request: HttpRequest, import_id: int) -> NotificationImport:
    user = access.acting_user(request)
    return get_object_or_404(selectors.imports_visible_to(user=user), pk=import_id)


@lead_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    imports = selectors.imports_visible_to(user=access.acting_user(request))
    page = Paginator(imports.select_related("sent_by"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/import_list.html",
        {"page": page, "layouts": _layouts()},
    )


def _layouts() -> list[dict[str, object]]:
    return [
        {"kind": kind, "label": label, "columns": layouts.columns(kind)}
        for kind, label in NotificationKind.choices
    ]


@lead_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    user = access.acting_user(request)
    form = NotificationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notification_import, _created = services.notification_import_create(
                sender=user,
                kind=data["kind"],
                file_name=data["file"].name,
                content=data["file"].read(),
                dry_run=data["dry_run"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("notification-import", notification_import.pk)
    return render(request, "notifications/upload.html", {"form": form})


@lead_required
@require_GET
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    notification_import = _import_for(request, import_id)
    rows = notification_import.rows.order_by("row_number")
    shown = request.GET.get("show", "problems")
    if shown == "problems":
        rows = rows.exclude(status__in=[RowStatus.CREATED, RowStatus.WOULD_CREATE])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    invalid = notification_import.rows.filter(status=RowStatus.INVALID).order_by("row_number")
    summary = [
        (f"row-{row.row_number}", f"Row {row.row_number}, {error['column']}: {error['message']}")
        for row in invalid[:REPORT_ERRORS_IN_SUMMARY]
        for error in row.errors
    ]
    return render(
        request,
        "notifications/import_detail.html",
        {
            "notification_import": notification_import,
            "page": page,
            "shown": shown,
            "query_string": f"show={shown}",
            "report": {"error_links": summary},
            "counts": [
                (RowStatus(status).label, number)
                for status, number in sorted(notification_import.counts.items())
            ],
            "finished": notification_import.status in (ImportStatus.DONE, ImportStatus.FAILED),
        },
    )


@lead_required
@require_GET
def import_status(request: HttpRequest, import_id: int) -> JsonResponse:
    notification_import = _import_for(request, import_id)
    return JsonResponse(
        {
            "status": notification_import.status,
            "status_display": notification_import.get_status_display(),
            "progress": notification_import.progress,
            "finished": notification_import.status in (ImportStatus.DONE, ImportStatus.FAILED),
        }
    )


@lead_required
@require_GET
def import_report_csv(request: HttpRequest, import_id: int) -> HttpResponse:
    notification_import = _import_for(request, import_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="notification-import-{notification_import.pk}-report.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["row", "status", "column", "message"])
    for row in notification_import.rows.order_by("row_number").iterator(chunk_size=5000):
        for error in row.errors or [{"column": "", "message": ""}]:
            writer.writerow(
                [
                    row.row_number,
                    csv_cell(row.get_status_display()),
                    csv_cell(error["column"]),
                    csv_cell(error["message"]),
                ]
            )
    return response


@login_required
@require_GET
def layout_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The empty file (its header row and one example row) for each kind."""
    if kind not in layouts.KIND_COLUMNS:
        raise Http404()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="notifications-{kind}.csv"'
    writer = csv.writer(response)
    writer.writerow(layouts.header(kind))
    writer.writerow([column.example for column in layouts.columns(kind)])
    return response


# --- The matching queue ------------------------------------------------------------------------


@casework_required
@require_GET
def matching_queue(request: HttpRequest) -> HttpResponse:
    rows = selectors.matching_queue(user=access.acting_user(request))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/matching_queue.html", {"page": page})


def _candidate_label(candidate: selectors.Candidate) -> str:
    result = candidate.result
    if candidate.child is not None:
        born = candidate.child.date_of_birth
        return (
            f"{candidate.child.full_name}, born {born:%d %B %Y}"
            if born
            else candidate.child.full_name
        )
    known = ", ".join(result.agencies) or "no agency"
    return f"{result.initials}, born {result.year_of_birth or 'year not known'}, known to {known}"


@casework_required
@require_http_methods(["GET", "POST"])
def matching_row(request: HttpRequest, row_id: int) -> HttpResponse:
    user: Practitioner = access.acting_user(request)
    row = get_object_or_404(selectors.matching_queue(user=user), pk=row_id)
    candidates = selectors.row_candidates(user=user, row=row)
    choices = [(c.id, _candidate_label(c)) for c in candidates]
    action = request.POST.get("action", "")
    link_form = RowLinkForm(
        request.POST if action == "link" else None, choices=choices, prefix="link"
    )
    reject_form = RowRejectForm(request.POST if action == "reject" else None, prefix="reject")
    register_errors: list[str] = []
    if request.method == "POST":
        try:
            if action == "link" and link_form.is_valid():
                services.notification_row_link(
                    practitioner=user, row_id=row.pk, child_id=link_form.cleaned_data["child"]
                )
                return redirect("notification-matching")
            if action == "register":
                services.notification_row_register(practitioner=user, row_id=row.pk)
                return redirect("notification-matching")
            if action == "reject" and reject_form.is_valid():
                services.notification_row_reject(
                    practitioner=user, row_id=row.pk, reason=reject_form.cleaned_data["reason"]
                )
                return redirect("notification-matching")
            if action not in ("link", "register", "reject"):
                raise PermissionDenied()
        except ValidationError as error:
            if action == "reject":
                add_service_errors(reject_form, error)
            elif action == "link":
                add_service_errors(link_form, error)
            else:
                register_errors = error.messages
    error_links = link_form.error_links() + reject_form.error_links()
    error_links += [("register", message) for message in register_errors]
    return render(
        request,
        "notifications/matching_row.html",
        {
            "row": row,
            "values": [
                (c.description, row.data.get(c.name))
                for c in layouts.columns(row.notification_import.kind)
                if row.data.get(c.name)
            ],
            "candidates": candidates,
            "link_form": link_form,
            "reject_form": reject_form,
            "register_errors": register_errors,
            "summary": {"error_links": error_links},
        },
    )
