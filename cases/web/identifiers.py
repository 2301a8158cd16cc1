"""The one place national identifiers and postcodes are cleaned: forms, API serializers and
search all call these, so a value one of them accepts the others accept too. Each takes what was
typed and returns it normalised ("" when blank) or raises a ValidationError with a GOV.UK
message (DRF turns it into a field error by itself)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cases.validators import normalise_nhs_number, validate_nhs_number, validate_upn

# Outward code, an optional space, inward code (upper case, as normalised below).
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def clean_nhs_number(value: str) -> str:
    if not value.strip():
        return ""
    validate_nhs_number(value)
    return normalise_nhs_number(value)


def clean_upn(value: str) -> str:
    upn = value.strip().upper()
    if upn:
        validate_upn(upn)
    return upn


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: "nt14ab" becomes "NT1 4AB"."""
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def clean_postcode(value: str) -> str:
    postcode = normalise_postcode(value)
    if postcode and not POSTCODE.match(postcode):
        raise ValidationError("Enter a real postcode, like NT1 4AB", code="format")
    return postcode


def nhs_number_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=12,
        help_text="10 digits",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )


def upn_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )


class IdentifierCleaning:
    """For a form with any of the fields nhs_number, upn and postcode."""

    cleaned_data: dict[str, Any]

    def clean_nhs_number(self) -> str:
        return clean_nhs_number(str(self.cleaned_data["nhs_number"]))

    def clean_upn(self) -> str:
        return clean_upn(str(self.cleaned_data["upn"]))

    def clean_postcode(self) -> str:
        return clean_postcode(str(self.cleaned_data["postcode"]))


def nhs_number_display(value: str) -> str:
    """An NHS number as people read it, in groups of 3, 3 and 4: "999 731 0004"."""
    digits = "".join(value.split())
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
