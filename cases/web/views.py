"""HTML views: thin layers over the access policy, selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cases import access, selectors
from cases.codes import Role
from cases.drift.queue import drift_queue_entries_refresh_due
from cases.oversight import selectors as oversight_selectors
from cases.web import health
from cases.web.home import home_panels

HOME_PAGE_SIZE = 25


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = health.system_health()
    healthy = all(value == health.OK for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = access.acting_user(request)
    context: dict[str, object] = {"panels": home_panels(user=user, request=request)}
    if access.does_casework(user):
        children = selectors.children_for_home(user=user)
        page = Paginator(children, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
        access.log_children_read(user=user, children=page.object_list, view_name="home")
        context["page"] = page
        if access.is_lead(user):
            drift_queue_entries_refresh_due(agency_id=user.agency_id)
            context["figures"] = oversight_selectors.lead_home_figures(user=user)
        template = "cases/home_casework.html"
    elif access.sees_aggregates(user):
        template = "cases/home_partnership.html"
    elif user.role == Role.INFORMATION_GOVERNANCE:
        template = "cases/home_information_governance.html"
    elif access.has_casework_role(user):
        template = "cases/home_awaiting_confirmation.html"
    elif user.role == Role.ADMINISTRATOR:
        template = "cases/home_admin.html"
    else:
        template = "cases/home_no_role.html"
    return render(request, template, context)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
