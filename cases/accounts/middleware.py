"""Sign-in rules enforced on every request: the idle timeout and the second factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from cases.accounts import second_factor

LAST_ACTIVITY = "nt_last_activity"
# The stamp is rewritten at most this often, so a busy session is not saved on every request.
ACTIVITY_RESOLUTION_SECONDS = 60

# Pages a session signed in with a password but no second factor yet may reach.
HALF_SIGNED_IN_PAGES = frozenset(
    {"login", "logout", "signed-out", "healthz", "second-factor-enrol", "second-factor-verify"}
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class IdleTimeoutMiddleware:
    """Signs a session out after NT_IDLE_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            if isinstance(last, int | float) and now - last > settings.IDLE_MINUTES * 60:
                logout(request)
                if _is_api(request):
                    return JsonResponse({"detail": "Signed out after inactivity."}, status=403)
                return redirect(f"{reverse('signed-out')}?{urlencode({'reason': 'idle'})}")
            if not isinstance(last, int | float) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password, only the second-factor pages until a code is given; the API
    answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        match = request.resolver_match
        if match is not None and match.url_name in HALF_SIGNED_IN_PAGES and not match.namespace:
            return None
        if _is_api(request):
            return JsonResponse({"detail": "Sign in with your second factor first."}, status=403)
        step = (
            "second-factor-verify"
            if second_factor.has_authenticator(user)  # type: ignore[arg-type]
            else "second-factor-enrol"
        )
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
