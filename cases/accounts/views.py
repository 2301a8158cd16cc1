"""Pages: the second factor at sign-in, re-authentication, and the account pages administrators
and leads use every day."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access
from cases.accounts import second_factor, selectors, services
from cases.accounts.forms import (
    AccountChangeForm,
    AccountCreateForm,
    AccountSearchForm,
    EnrolForm,
    ReauthenticateForm,
    VerifyForm,
)
from cases.models import Practitioner
from cases.web.forms import add_service_errors


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


# --- Signing in: the second factor ---------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = access.acting_user(request)
    if second_factor.has_authenticator(user):
        return redirect(
            f"{reverse('second-factor-verify')}?{urlencode({'next': _next_url(request)})}"
        )
    device = second_factor.enrolment_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.second_factor_enrol(
            account=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is None:
            form.add_error(
                "code", "The code is not right. Check your app and enter the newest code"
            )
        else:
            device.refresh_from_db()
            second_factor.session_verified(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "secret": second_factor.secret_for_typing(device),
            "qr_code": second_factor.qr_code_svg(device),
            "next": _next_url(request),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    user = access.acting_user(request)
    if not second_factor.has_authenticator(user):
        return redirect(
            f"{reverse('second-factor-enrol')}?{urlencode({'next': _next_url(request)})}"
        )
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.code_matches(user, form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code", "The code is not right, or was used already. Try the newest code"
            )
        else:
            second_factor.session_verified(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Password and second factor again, before an act that needs them fresh (break glass)."""
    user = access.acting_user(request)
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # authenticate() so a wrong password counts towards the sign-in lockout.
        if (
            authenticate(request, username=user.username, password=form.cleaned_data["password"])
            != user
        ):
            form.add_error("password", "The password is not right")
        else:
            device = second_factor.code_matches(user, form.cleaned_data["code"])
            if device is None:
                form.add_error("code", "The code is not right, or was used already")
            else:
                second_factor.session_verified(request, device)
                return redirect(_next_url(request))
    return render(
        request,
        "accounts/reauthenticate.html",
        {"form": form, "next": _next_url(request), "minutes": settings.REAUTHENTICATE_MINUTES},
    )


@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/signed_out.html",
        {"idle": request.GET.get("reason") == "idle", "minutes": settings.IDLE_MINUTES},
    )


# --- Administrators: the accounts ----------------------------------------------------------


def _administrator(request: HttpRequest) -> Practitioner:
    user = access.acting_user(request)
    if not services.is_administrator(user):
        raise PermissionDenied()
    return user


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    form = AccountSearchForm(request.GET or None)
    query, agency_id = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        agency_id = form.cleaned_data["agency"].pk if form.cleaned_data["agency"] else None
    accounts = selectors.accounts_search(query=query, agency_id=agency_id)
    page = Paginator(accounts, 25).get_page(request.GET.get("page"))
    filters = {k: v for k, v in (("q", query), ("agency", agency_id or "")) if v}
    return render(
        request,
        "accounts/account_list.html",
        {"form": form, "page": page, "query_string": urlencode(filters)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = services.account_create(
                actor=actor,
                first_name=data["first_name"],
                last_name=data["last_name"],
                username=data["username"],
                email=data["email"],
                agency=data["agency"],
                team=data["team"],
                role=data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = render(
                request, "accounts/account_created.html", {"account": account, "password": password}
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/account_form.html", {"form": form, "creating": True})


@login_required
@require_GET
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    _administrator(request)
    account = get_object_or_404(
        Practitioner.objects.select_related("agency", "team"), pk=account_id
    )
    events = Paginator(selectors.account_events(account=account), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "page": events,
            "has_authenticator": second_factor.has_authenticator(account),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_change(request: HttpRequest, account_id: int) -> HttpResponse:
    actor = _administrator(request)
    account = get_object_or_404(Practitioner, pk=account_id)
    initial = {"agency": account.agency_id, "team": account.team_id, "role": account.role}
    form = AccountChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_change(
                actor=actor,
                account_id=account.pk,
                role=data["role"],
                agency=data["agency"],
                team=data["team"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Account changed")
            return redirect("account-detail", account_id=account.pk)
    return render(
        request, "accounts/account_form.html", {"form": form, "account": account, "creating": False}
    )


@login_required
@require_POST
def account_deactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    actor = _administrator(request)
    account = get_object_or_404(Practitioner, pk=account_id)
    try:
        services.account_deactivate(actor=actor, account_id=account.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Account deactivated and signed out everywhere")
    return redirect("account-detail", account_id=account.pk)


@login_required
@require_POST
def account_reactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    actor = _administrator(request)
    account = get_object_or_404(Practitioner, pk=account_id)
    services.account_reactivate(actor=actor, account_id=account.pk)
    messages.success(request, "Account re-activated. A lead of its agency must confirm it")
    return redirect("account-detail", account_id=account.pk)


@login_required
@require_POST
def second_factor_reset(request: HttpRequest, account_id: int) -> HttpResponse:
    """Administrators and leads of the account's agency; both come back to their own page."""
    actor = access.acting_user(request)
    services.second_factor_reset(actor=actor, account_id=account_id)
    messages.success(request, "Second factor reset. They will set up a new one when they sign in")
    if services.is_administrator(actor):
        return redirect("account-detail", account_id=account_id)
    return redirect("agency-accounts")


# --- Leads: their agency's accounts -------------------------------------------------------


def _lead(request: HttpRequest) -> Practitioner:
    user = access.acting_user(request)
    if not access.is_lead(user):
        raise PermissionDenied()
    return user


@login_required
@require_GET
def agency_accounts(request: HttpRequest) -> HttpResponse:
    lead = _lead(request)
    people = Paginator(selectors.agency_accounts(lead=lead), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/agency_accounts.html",
        {
            "pending": selectors.accounts_awaiting_confirmation(lead=lead)[:50],
            "events": selectors.account_events_for_agency(lead=lead)[:20],
            "page": people,
            "lead": lead,
        },
    )


@login_required
@require_POST
def account_confirm(request: HttpRequest, account_id: int) -> HttpResponse:
    lead = _lead(request)
    try:
        account = services.account_confirm(lead=lead, account_id=account_id)
    except ValidationError:
        raise PermissionDenied() from None
    messages.success(request, f"{account.display_name} can now work with your agency's children")
    return redirect("agency-accounts")


@login_required
@require_POST
def account_reject(request: HttpRequest, account_id: int) -> HttpResponse:
    lead = _lead(request)
    try:
        account = services.account_reject(lead=lead, account_id=account_id)
    except ValidationError:
        raise PermissionDenied() from None
    messages.success(request, f"{account.display_name}'s account was rejected and deactivated")
    return redirect("agency-accounts")
