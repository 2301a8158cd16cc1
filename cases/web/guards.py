"""View guards: who may reach a page or an endpoint at all. Which child they may see is the
access policy's decision (`cases.access`), taken again inside every view."""

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
from cases.models import Practitioner

View = Callable[..., HttpResponse]


def casework_required(view: View) -> View:
    """Signed in, and a role that works with children (practitioner, lead, manager)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        caseworker(request)
        return view(request, *args, **kwargs)

    return wrapper


def caseworker(request: HttpRequest) -> Practitioner:
    """The acting user, if their role works with children; otherwise 403."""
    user = access.acting_user(request)
    if not access.does_casework(user):
        raise PermissionDenied()
    return user


def lead(request: HttpRequest) -> Practitioner:
    """The acting user, if a safeguarding lead or social-care manager; otherwise 403."""
    user = access.acting_user(request)
    if not access.is_lead(user):
        raise PermissionDenied()
    return user


def childrens_social_care(request: HttpRequest) -> Practitioner:
    """The acting user, if children's social care staff (referrals, meetings); otherwise 403."""
    user = access.acting_user(request)
    if not access.records_statutory_steps(user):
        raise PermissionDenied()
    return user


class DoesCasework(permissions.BasePermission):
    message = "Only practitioners, safeguarding leads and social-care managers see children."

    def has_permission(self, request: Request, view: object) -> bool:
        return request.user.is_authenticated and access.does_casework(access.acting_user(request))
