"""Account changes. Each is one transaction that writes its AccountEvent, so a change and its
record of who did it cannot be separated.

Confirmation: an account reads case content only once a lead of its own agency has confirmed
it (`Practitioner.confirmed_for_agency`). Creating an account, moving it to another agency,
giving a non-casework account a casework role or re-activating it all leave it unconfirmed,
so an administrator alone never gives anyone access to children.
"""

from __future__ import annotations

import secrets

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import access
from cases.codes import Role
from cases.models import AccountEvent, AccountEventKind, Agency, Practitioner, Team


def account_event_record(
    *,
    account: Practitioner,
    actor: Practitioner | None,
    kind: str,
    old_value: str = "",
    new_value: str = "",
    from_agency: Agency | None = None,
) -> AccountEvent:
    return AccountEvent.objects.create(
        account=account,
        actor=actor,
        agency_id=account.agency_id,
        from_agency=from_agency,
        kind=kind,
        old_value=old_value[:200],
        new_value=new_value[:200],
    )


def is_administrator(user: Practitioner) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR)


def _require_administrator(user: Practitioner) -> None:
    if not is_administrator(user):
        raise PermissionDenied()


def _check_placement(*, role: str, agency: Agency | None, team: Team | None) -> None:
    if role != Role.ADMINISTRATOR and agency is None:
        raise ValidationError({"agency": "Choose the agency this person works for"})
    if team is not None and (agency is None or team.agency_id != agency.pk):
        raise ValidationError({"team": "Choose a team in this person's own agency"})


@transaction.atomic
def account_create(
    *,
    actor: Practitioner,
    first_name: str,
    last_name: str,
    username: str,
    email: str,
    agency: Agency | None,
    team: Team | None,
    role: str,
) -> tuple[Practitioner, str]:
    """A new, unconfirmed account and its first password (shown once to the administrator)."""
    _require_administrator(actor)
    _check_placement(role=role, agency=agency, team=team)
    if Practitioner.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "An account with this username already exists"})
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    account = Practitioner(
        first_name=first_name,
        last_name=last_name,
        username=username,
        email=email,
        agency=agency,
        team=team,
        role=role,
        # The Django admin (reference data only) is for administrators.
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    account.set_password(password)
    account.save()
    account_event_record(
        account=account,
        actor=actor,
        kind=AccountEventKind.CREATED,
        new_value=f"{account.get_role_display()}, {agency.name if agency else 'no agency'}",
    )
    return account, password


@transaction.atomic
def account_change(
    *,
    actor: Practitioner,
    account_id: int,
    role: str,
    agency: Agency | None,
    team: Team | None,
) -> Practitioner:
    """Change role, agency or team; each change is one event. A move to another agency, or a
    new casework role for an account that had none, needs a lead's confirmation again."""
    _require_administrator(actor)
    account = Practitioner.objects.select_for_update().get(pk=account_id)
    _check_placement(role=role, agency=agency, team=team)
    old_agency = account.agency
    old_role, old_team = account.role, account.team
    now_casework = role in access.CASEWORK_ROLES and old_role not in access.CASEWORK_ROLES
    account.role, account.agency, account.team = role, agency, team
    account.is_staff = account.is_superuser = role == Role.ADMINISTRATOR
    if old_agency != agency or now_casework:
        account.confirmed_for_agency = None
        account.confirmed_at = None
        account.confirmed_by = None
    account.save()
    if old_role != role:
        account_event_record(
            account=account,
            actor=actor,
            kind=AccountEventKind.ROLE_CHANGED,
            old_value=Role(old_role).label,
            new_value=Role(role).label,
        )
    if old_agency != agency:
        account_event_record(
            account=account,
            actor=actor,
            kind=AccountEventKind.AGENCY_CHANGED,
            old_value=old_agency.name if old_agency else "",
            new_value=agency.name if agency else "",
            from_agency=old_agency,
        )
    if old_team != team:
        account_event_record(
            account=account,
            actor=actor,
            kind=AccountEventKind.TEAM_CHANGED,
            old_value=old_team.name if old_team else "",
            new_value=team.name if team else "",
        )
    return account


def sessions_end(*, account: Practitioner) -> int:
    """Delete every session signed in as this account. Sessions are rows in PostgreSQL, so the
    account is signed out everywhere at once. Returns how many were ended."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(account.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def account_deactivate(*, actor: Practitioner, account_id: int) -> Practitioner:
    _require_administrator(actor)
    account = Practitioner.objects.select_for_update().get(pk=account_id)
    if account.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account")
    if not account.is_active:
        return account
    account.is_active = False
    account.save(update_fields=["is_active"])
    ended = sessions_end(account=account)
    account_event_record(
        account=account,
        actor=actor,
        kind=AccountEventKind.DEACTIVATED,
        new_value=f"{ended} session(s) ended",
    )
    return account


@transaction.atomic
def account_reactivate(*, actor: Practitioner, account_id: int) -> Practitioner:
    """Active again, but reading case content only after a lead confirms it again."""
    _require_administrator(actor)
    account = Practitioner.objects.select_for_update().get(pk=account_id)
    if account.is_active:
        return account
    account.is_active = True
    account.confirmed_for_agency = None
    account.confirmed_at = None
    account.confirmed_by = None
    account.save()
    account_event_record(account=account, actor=actor, kind=AccountEventKind.REACTIVATED)
    return account


def _pending_for(lead: Practitioner, account_id: int) -> Practitioner:
    """An account awaiting confirmation by this lead's agency (never the lead themselves)."""
    if not access.is_lead(lead):
        raise PermissionDenied()
    account = (
        Practitioner.objects.select_for_update()
        .filter(pk=account_id, agency=lead.agency, is_active=True)
        .exclude(pk=lead.pk)
        .exclude(role=Role.ADMINISTRATOR)
        .first()
    )
    if account is None or account.is_confirmed_for_agency:
        raise ValidationError("This account is not waiting for your agency's confirmation")
    return account


@transaction.atomic
def account_confirm(*, lead: Practitioner, account_id: int) -> Practitioner:
    account = _pending_for(lead, account_id)
    account.confirmed_for_agency_id = account.agency_id
    account.confirmed_at = timezone.now()
    account.confirmed_by = lead
    account.save(update_fields=["confirmed_for_agency", "confirmed_at", "confirmed_by"])
    account_event_record(
        account=account,
        actor=lead,
        kind=AccountEventKind.CONFIRMED,
        new_value=account.agency.name if account.agency else "",
    )
    return account


@transaction.atomic
def account_reject(*, lead: Practitioner, account_id: int) -> Practitioner:
    """The lead does not know this person: the account is deactivated and signed out."""
    account = _pending_for(lead, account_id)
    account.is_active = False
    account.save(update_fields=["is_active"])
    sessions_end(account=account)
    account_event_record(account=account, actor=lead, kind=AccountEventKind.REJECTED)
    return account


def may_reset_second_factor(*, actor: Practitioner, account: Practitioner) -> bool:
    """An administrator, or a lead of the account's own agency (not for themselves, nor for an
    administrator's account)."""
    if is_administrator(actor):
        return True
    return (
        access.is_lead(actor)
        and account.agency_id == actor.agency_id
        and account.pk != actor.pk
        and account.role != Role.ADMINISTRATOR
    )


@transaction.atomic
def second_factor_reset(*, actor: Practitioner, account_id: int) -> Practitioner:
    """Remove the account's authenticator and recovery codes and sign it out: it sets up a new
    second factor at its next sign-in."""
    account = Practitioner.objects.select_for_update().filter(pk=account_id).first()
    if account is None or not may_reset_second_factor(actor=actor, account=account):
        raise PermissionDenied()
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    sessions_end(account=account)
    account_event_record(account=account, actor=actor, kind=AccountEventKind.FACTOR_RESET)
    return account


@transaction.atomic
def second_factor_enrol(
    *, account: Practitioner, device: TOTPDevice, code: str
) -> list[str] | None:
    """Confirm the authenticator being set up with its first code; returns new recovery codes,
    or None when the code is wrong."""
    from cases.accounts import second_factor

    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=account)
    cleaned = "".join(code.split())
    if not (cleaned.isdigit() and device.verify_token(cleaned)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=account, confirmed=False).delete()
    codes = second_factor.recovery_codes_issue(account)
    account_event_record(account=account, actor=account, kind=AccountEventKind.FACTOR_ENROLLED)
    return codes
