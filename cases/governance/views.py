"""The information governance officer's pages (the access log, its export, alerts) and "who has
seen this record" for a child's leads. Thin: forms parse, selectors read, services record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases import access
from cases.governance import selectors, services
from cases.governance.forms import AccessLogSearchForm
from cases.models import Practitioner

PAGE_SIZE = 50
CHILD_PAGE_SIZE = 25


def _officer(request: HttpRequest) -> Practitioner:
    user = access.acting_user(request)
    if not selectors.is_information_governance(user):
        raise PermissionDenied()
    return user


def _search_form(request: HttpRequest) -> AccessLogSearchForm:
    filtering = any(key != "page" for key in request.GET)
    return AccessLogSearchForm(request.GET if filtering else None)


def _query_string(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    form = _search_form(request)
    page = None
    if not form.is_bound or form.is_valid():
        entries = selectors.access_log_search(user=user, filters=form.filters())
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {
            "form": form,
            "page": page,
            "searched": page is not None,
            "query_string": _query_string(request),
        },
    )


@login_required
@require_GET
def access_log_csv(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    form = _search_form(request)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "audit/access_log.html",
            {"form": form, "page": None, "query_string": _query_string(request)},
            status=400,
        )
    body = services.access_log_export(officer=user, filters=form.filters())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    _officer(request)
    found = selectors.access_alerts()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/alerts.html",
        {"page": page, "window_days": selectors.ALERT_WINDOW_DAYS, "query_string": ""},
    )


@login_required
@require_GET
def child_access_log(request: HttpRequest, child_id: int) -> HttpResponse:
    """Who has seen this record: for leads of agencies with a relationship; itself a read."""
    user = access.acting_user(request)
    child = access.children_visible_to(user=user).filter(pk=child_id).first()
    if child is None or not selectors.may_see_who_has_read(user=user, child=child):
        raise access.ChildAccessRefused()
    access.log_child_read(user=user, child=child, view_name="child_access_log")
    entries = selectors.child_access_history(child=child)
    page = Paginator(entries, CHILD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/child_access_log.html", {"child": child, "page": page, "query_string": ""}
    )
