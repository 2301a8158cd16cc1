"""View guards: who may reach a page or an endpoint at all, by role. There is one way to guard
a view: an HTML view takes one of the decorators, a DRF view the matching permission class,
and each pair asks `cases.access` the same question. Which child a user may see is the access
policy's decision, taken again inside every view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework import permissions
from rest_framework.request import Request

from cases import access
from cases.clients.permissions import client_scope_allows
from cases.models import Practitioner

View = Callable[..., HttpResponse]
RoleCheck = Callable[[Practitioner], bool]


def _role_required(view: View, allowed: RoleCheck) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not allowed(access.acting_user(request)):
            raise PermissionDenied()
        return view(request, *args, **kwargs)

    return wrapper


def casework_required(view: View) -> View:
    """Signed in, and a role that works with children (practitioner, lead, manager)."""
    return _role_required(view, access.does_casework)


def lead_required(view: View) -> View:
    """Signed in as a safeguarding lead or social-care manager."""
    return _role_required(view, access.is_lead)


def business_manager_required(view: View) -> View:
    """Signed in as the partnership business manager (case audits)."""
    return _role_required(view, access.is_business_manager)


def audit_work_required(view: View) -> View:
    """Signed in as the business manager or a lead (an agency's auditor); which audit and
    which child is decided again inside the view."""
    return _role_required(view, access.does_audit_work)


def aggregates_required(view: View) -> View:
    """Signed in as a partnership analyst or executive, who see figures and no child."""
    return _role_required(view, access.sees_aggregates)


def delivery_plan_required(view: View) -> View:
    """Signed in as an analyst or executive, or the business manager, who keeps the plan."""
    return _role_required(view, access.works_on_delivery_plan)


def childrens_social_care_required(view: View) -> View:
    """Signed in as children's social care staff, who record referrals and meetings."""
    return _role_required(view, access.records_statutory_steps)


def _api_allows(request: Request, allowed: RoleCheck, view: object) -> bool:
    """The role check, and for a machine client also the scope its token needs here."""
    return (
        request.user.is_authenticated
        and allowed(access.acting_user(request))
        and client_scope_allows(request, view)
    )


class DoesCasework(permissions.BasePermission):
    message = "Only practitioners, safeguarding leads and social-care managers see children."

    def has_permission(self, request: Request, view: object) -> bool:
        return _api_allows(request, access.does_casework, view)


class IsLead(permissions.BasePermission):
    message = "Only safeguarding leads and social-care managers review drift."

    def has_permission(self, request: Request, view: object) -> bool:
        return _api_allows(request, access.is_lead, view)


class SeesAggregates(permissions.BasePermission):
    message = "Only partnership analysts and executives see dashboards and the delivery plan."

    def has_permission(self, request: Request, view: object) -> bool:
        return _api_allows(request, access.sees_aggregates, view)
