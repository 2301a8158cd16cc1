"""Pages: upload a notification file (leads), follow its import, read its row report, and the
matching queue practitioners of the agency work through."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases import access
from cases.casework.forms import ChildSearchForm
from cases.casework.search import (
    ChildSearchCriteria,
    SearchLimitReached,
    child_possible_duplicates,
    child_search_logged,
)
from cases.casework.views import search_limit_page
from cases.models import Practitioner
from cases.notifications import layouts, selectors, services
from cases.notifications.forms import (
    NotificationUploadForm,
    RowLinkForm,
    RowRegisterForm,
    RowRejectForm,
)
from cases.notifications.models import (
    ImportStatus,
    NotificationImport,
    NotificationKind,
    NotificationRow,
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


def _search_initial(row: NotificationRow) -> dict[str, object]:
    """The search form starts from what the row says about the child."""
    data = row.data
    born = data.get("date_of_birth")
    return {
        "name": " ".join(filter(None, [data.get("first_name"), data.get("last_name")])),
        "date_of_birth": datetime.date.fromisoformat(born) if born else None,
        "nhs_number": data.get("nhs_number") or "",
        "upn": data.get("upn") or "",
        "postcode": data.get("postcode") or "",
    }


ROW_ACTIONS = ("link", "link-found", "search", "register", "reject")


@casework_required
@require_http_methods(["GET", "POST"])
def matching_row(request: HttpRequest, row_id: int) -> HttpResponse:
    """One waiting row: link it to a child it matched or one found by searching from it,
    register a new child from it, or reject it. A double submit answers once."""
    user: Practitioner = access.acting_user(request)
    row = get_object_or_404(selectors.agency_rows(user=user), pk=row_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ROW_ACTIONS:
        raise PermissionDenied()
    if row.status != RowStatus.QUEUED and action in ("", "search"):
        messages.info(request, f"Someone has already dealt with row {row.row_number}")
        return redirect("notification-matching")
    candidates = selectors.row_candidates(user=user, row=row)
    bound = request.POST if request.method == "POST" else None
    link_form = RowLinkForm(
        bound if action == "link" else None,
        choices=[(c.id, _candidate_label(c)) for c in candidates],
        prefix="link",
    )
    found_form = RowLinkForm(bound if action == "link-found" else None, choices=[], prefix="found")
    search_form = ChildSearchForm(
        bound if action == "search" else None, initial=_search_initial(row), prefix="search"
    )
    register_form = RowRegisterForm(bound if action == "register" else None, prefix="register")
    reject_form = RowRejectForm(bound if action == "reject" else None, prefix="reject")
    form = {
        "link": link_form,
        "link-found": found_form,
        "register": register_form,
        "reject": reject_form,
    }.get(action)
    results = None
    action_errors: list[tuple[str, str]] = []
    registration = services.registration_from_row(row)
    duplicates = []
    # As on "Register a child": children who may be this one come first, so a row never makes
    # a second record of a child the partnership knows.
    if (
        action == "register"
        and row.status == RowStatus.QUEUED
        and registration is not None
        and register_form.is_valid()
        and register_form.cleaned_data["confirmed_new"] != "yes"
    ):
        try:
            duplicates = child_possible_duplicates(
                user=user,
                first_name=str(registration["first_name"]),
                last_name=str(registration["last_name"]),
                date_of_birth=registration["date_of_birth"],  # type: ignore[arg-type]
                nhs_number=str(registration["nhs_number"]),
            )
        except SearchLimitReached:
            return search_limit_page(request)
    if duplicates:
        results = duplicates
        action_errors = [
            (
                "register",
                f"{len(duplicates)} {'child' if len(duplicates) == 1 else 'children'} the "
                "partnership knows may be the one in this row: link the row to the child, or "
                "register a new child if none of them is",
            )
        ]
    elif action == "search" and search_form.is_valid():
        data = search_form.cleaned_data
        criteria = ChildSearchCriteria(
            name=data["name"].strip(),
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
            upn=data["upn"],
            postcode=data["postcode"],
        )
        try:
            results = child_search_logged(
                user=user, criteria=criteria, view_name="notification_row_search"
            )
        except SearchLimitReached:
            return search_limit_page(request)
    elif form is not None and form.is_valid():
        data = form.cleaned_data
        key = data["submission_key"]
        try:
            if action in ("link", "link-found"):
                services.notification_row_link(
                    practitioner=user, row_id=row.pk, child_id=data["child"], submission_key=key
                )
                done = "linked to the child"
            elif action == "register":
                services.notification_row_register(
                    practitioner=user, row_id=row.pk, submission_key=key
                )
                done = "written for the child you registered"
            else:
                services.notification_row_reject(
                    practitioner=user, row_id=row.pk, reason=data["reason"], submission_key=key
                )
                done = "rejected"
        except ValidationError as error:
            if getattr(error, "code", None) == "resolved":
                messages.info(request, f"Someone has already dealt with row {row.row_number}")
                return redirect("notification-matching")
            if action in ("link", "reject"):
                add_service_errors(form, error)
            else:  # the found children or the register button: no field to mark
                action_errors = [
                    ("find" if action == "link-found" else "register", message)
                    for message in error.messages
                ]
        else:
            messages.success(request, f"Row {row.row_number} {done}")
            return redirect("notification-matching")
    elif form is not None and action in ("link-found", "register"):
        # Only a stale or altered page gets here: these forms have no field to fill in.
        anchor = "find" if action == "link-found" else "register"
        action_errors = [(anchor, str(m)) for m in form.errors.get("submission_key", [])]
        action_errors = action_errors or [(anchor, "Choose the child this row is about")]
    visible = [result for result in results or [] if result.child is not None]
    error_links = (
        link_form.error_links()
        + search_form.error_links()
        + reject_form.error_links()
        + action_errors
    )
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
            "search_form": search_form,
            "results": results,
            "visible_results": visible,
            "masked_results": [result for result in results or [] if result.child is None],
            "found_key": found_form["submission_key"].value(),
            "registration": registration,
            "register_form": register_form,
            "duplicates": duplicates,
            "reject_form": reject_form,
            "find_errors": [message for anchor, message in action_errors if anchor == "find"],
            "register_errors": [
                message for anchor, message in action_errors if anchor == "register"
            ],
            "summary": {"error_links": error_links},
        },
    )
