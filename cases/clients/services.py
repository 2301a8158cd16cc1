"""Registering, suspending and rotating machine clients: administrators only.

A client's secret is generated here, hashed by django-oauth-toolkit when the application is
saved, and returned once for the administrator to hand over. Suspending or rotating deletes
the client's tokens in the same transaction, so it takes effect on the next request.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oauth2_provider.models import AccessToken, Application, RefreshToken

from cases.accounts.services import _require_administrator, account_event_record
from cases.clients.models import MachineClient
from cases.clients.scopes import SCOPES
from cases.codes import Role
from cases.models import AccountEventKind, Agency, Practitioner


def _new_secret() -> str:
    return secrets.token_urlsafe(40)


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - SCOPES.keys())
    if unknown or not scopes:
        raise ValidationError({"scopes": "Choose at least one of the scopes listed"})
    return sorted(set(scopes))


@transaction.atomic
def machine_client_register(
    *,
    actor: Practitioner,
    name: str,
    agency: Agency,
    scopes: list[str],
    rate_per_minute: int | None = None,
) -> tuple[MachineClient, str]:
    """A new client and its secret (shown once). Its service account, like any new account,
    reads no child until a lead of the agency confirms it on "Your agency's accounts"."""
    _require_administrator(actor)
    scopes = _check_scopes(scopes)
    name = name.strip()
    if MachineClient.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A client with this name already exists"})
    username = f"client-{slugify(name)[:60]}-{secrets.token_hex(3)}"
    account = Practitioner(
        username=username,
        first_name=name[:150],
        last_name="(system)",
        agency=agency,
        role=Role.PRACTITIONER,
        job_title="Machine client",
        is_machine=True,
    )
    account.set_unusable_password()  # never signs in with a password: only tokens
    account.save()
    secret = _new_secret()
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        user=account,
    )
    client = MachineClient.objects.create(
        name=name,
        agency=agency,
        application=application,
        account=account,
        scopes=scopes,
        rate_per_minute=rate_per_minute,
        created_by=actor,
    )
    account_event_record(
        account=account,
        actor=actor,
        kind=AccountEventKind.CREATED,
        new_value=f"Machine client, {agency.name}: {', '.join(scopes)}",
    )
    return client, secret


def _tokens_revoke(client: MachineClient) -> None:
    RefreshToken.objects.filter(application=client.application).delete()
    AccessToken.objects.filter(application=client.application).delete()


def _locked(client_id: int) -> MachineClient:
    return (
        MachineClient.objects.select_for_update()
        .select_related("application", "account")
        .get(pk=client_id)
    )


@transaction.atomic
def machine_client_suspend(*, actor: Practitioner, client_id: int) -> MachineClient:
    _require_administrator(actor)
    client = _locked(client_id)
    if client.suspended_at is None:
        client.suspended_at = timezone.now()
        client.save(update_fields=["suspended_at"])
        _tokens_revoke(client)
        account_event_record(account=client.account, actor=actor, kind=AccountEventKind.DEACTIVATED)
    return client


@transaction.atomic
def machine_client_reactivate(*, actor: Practitioner, client_id: int) -> MachineClient:
    """Active again, but reading children only after a lead of its agency confirms it again
    (as for a re-activated person)."""
    _require_administrator(actor)
    client = _locked(client_id)
    if client.suspended_at is not None:
        client.suspended_at = None
        client.save(update_fields=["suspended_at"])
        account = client.account
        account.is_active = True
        account.confirmed_for_agency = None
        account.confirmed_at = None
        account.confirmed_by = None
        account.save()
        account_event_record(account=account, actor=actor, kind=AccountEventKind.REACTIVATED)
    return client


@transaction.atomic
def machine_client_rotate(*, actor: Practitioner, client_id: int) -> tuple[MachineClient, str]:
    """A new secret (shown once); the old secret and every token issued with it stop working."""
    _require_administrator(actor)
    client = _locked(client_id)
    secret = _new_secret()
    client.application.client_secret = secret
    client.application.save()
    client.secret_rotated_at = timezone.now()
    client.save(update_fields=["secret_rotated_at"])
    _tokens_revoke(client)
    account_event_record(account=client.account, actor=actor, kind=AccountEventKind.SECRET_ROTATED)
    return client, secret
