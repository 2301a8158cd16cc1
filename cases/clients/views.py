"""GOV.UK pages for administrators: register, suspend, re-activate and rotate machine clients."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access
from cases.accounts.services import is_administrator
from cases.clients import services
from cases.clients.forms import MachineClientForm
from cases.clients.models import MachineClient
from cases.clients.scopes import SCOPES
from cases.models import Practitioner
from cases.web.forms import add_service_errors


def _administrator(request: HttpRequest) -> Practitioner:
    user = access.acting_user(request)
    if not is_administrator(user):
        raise PermissionDenied()
    return user


def _secret_page(
    request: HttpRequest, client: MachineClient, secret: str, title: str
) -> HttpResponse:
    response = render(
        request, "clients/secret.html", {"client": client, "secret": secret, "title": title}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    clients = MachineClient.objects.select_related("agency", "account").order_by("name")
    page = Paginator(clients, 25).get_page(request.GET.get("page"))
    return render(request, "clients/client_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def client_register(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = MachineClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = services.machine_client_register(
                actor=actor,
                name=data["name"],
                agency=data["agency"],
                scopes=data["scopes"],
                rate_per_minute=data["rate_per_minute"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, client, secret, "Client registered")
    return render(request, "clients/client_form.html", {"form": form})


@login_required
@require_GET
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    _administrator(request)
    client = get_object_or_404(
        MachineClient.objects.select_related("agency", "account", "application"), pk=client_id
    )
    scopes = [(scope, SCOPES[scope]) for scope in client.scopes if scope in SCOPES]
    return render(request, "clients/client_detail.html", {"client": client, "scopes": scopes})


@login_required
@require_POST
def client_suspend(request: HttpRequest, client_id: int) -> HttpResponse:
    get_object_or_404(MachineClient, pk=client_id)
    services.machine_client_suspend(actor=_administrator(request), client_id=client_id)
    return redirect("client-detail", client_id)


@login_required
@require_POST
def client_reactivate(request: HttpRequest, client_id: int) -> HttpResponse:
    get_object_or_404(MachineClient, pk=client_id)
    services.machine_client_reactivate(actor=_administrator(request), client_id=client_id)
    return redirect("client-detail", client_id)


@login_required
@require_POST
def client_rotate(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = _administrator(request)
    get_object_or_404(MachineClient, pk=client_id)
    client, secret = services.machine_client_rotate(actor=actor, client_id=client_id)
    return _secret_page(request, client, secret, "New secret")
