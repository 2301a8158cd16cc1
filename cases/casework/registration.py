"""Registering a child the partnership does not know yet, with a new family and address."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.access import does_casework
from cases.models import Address, Child, Family, Practitioner
from cases.services import change_log_record, team_around_family_add


@transaction.atomic
def child_register(
    *,
    registered_by: Practitioner,
    first_name: str,
    last_name: str,
    is_unborn: bool,
    date_of_birth: datetime.date | None,
    expected_date_of_delivery: datetime.date | None,
    sex: str,
    nhs_number: str = "",
    upn: str = "",
    address_line_1: str,
    town: str,
    postcode: str,
) -> Child:
    """Create the family, its current address and the child; the registering agency joins the
    team around the family, which gives it a legitimate relationship with the child."""
    if not does_casework(registered_by) or registered_by.agency is None:
        raise ValidationError("Only practitioners can register a child")
    family = Family.objects.create(reference=f"R{secrets.token_hex(5).upper()}")
    address = Address(
        family=family,
        line_1=address_line_1,
        town=town,
        postcode=postcode,
        moved_in=date_of_birth or timezone.localdate(),
    )
    address.full_clean()
    address.save()
    child = Child(
        family=family,
        first_name=first_name,
        last_name=last_name,
        is_unborn=is_unborn,
        date_of_birth=None if is_unborn else date_of_birth,
        expected_date_of_delivery=expected_date_of_delivery if is_unborn else None,
        sex=sex,
        nhs_number=nhs_number,
        upn=upn,
    )
    child.full_clean()
    child.save()
    change_log_record(practitioner=registered_by, child=child, record=child, action="registered")
    team_around_family_add(
        child=child,
        agency=registered_by.agency,
        practitioner=registered_by,
        role_description="Registered the child",
        added_by=registered_by,
    )
    return child
