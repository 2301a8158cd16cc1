"""Reads for the account pages, scoped to who asks."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases.codes import Role
from cases.models import AccountEvent, Practitioner


def _agency_id(lead: Practitioner) -> int:
    """A lead always works for an agency (`access.is_lead`)."""
    assert lead.agency_id is not None
    return lead.agency_id


def accounts_search(*, query: str = "", agency_id: int | None = None) -> QuerySet[Practitioner]:
    """Every account (administrators only), matching a name, username or email."""
    accounts = Practitioner.objects.select_related("agency", "team").order_by(
        "last_name", "first_name", "pk"
    )
    for word in query.split():
        accounts = accounts.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if agency_id:
        accounts = accounts.filter(agency_id=agency_id)
    return accounts


def accounts_awaiting_confirmation(*, lead: Practitioner) -> QuerySet[Practitioner]:
    """Active accounts of the lead's agency that no lead of it has confirmed (not the lead)."""
    return (
        Practitioner.objects.filter(agency_id=_agency_id(lead), is_active=True)
        .exclude(pk=lead.pk)
        .exclude(role=Role.ADMINISTRATOR)
        .exclude(confirmed_for_agency_id=_agency_id(lead))
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def agency_accounts(*, lead: Practitioner) -> QuerySet[Practitioner]:
    return (
        Practitioner.objects.filter(agency_id=_agency_id(lead))
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def account_events_for_agency(*, lead: Practitioner) -> QuerySet[AccountEvent]:
    """Account changes about the lead's agency: its accounts, and accounts that left it."""
    return AccountEvent.objects.filter(
        Q(agency_id=_agency_id(lead)) | Q(from_agency_id=_agency_id(lead))
    ).select_related("account", "actor", "agency")


def account_events(*, account: Practitioner) -> QuerySet[AccountEvent]:
    return AccountEvent.objects.filter(account=account).select_related("actor", "agency")
