"""The column layout of each kind of notification file, and the check of one row.

Every file has the child's identifying columns first, then the columns of its kind. A row
must identify the child by NHS number, or UPN, or first name + last name + date of birth +
postcode. Dates are YYYY-MM-DD (or DD/MM/YYYY). The layouts are published as downloadable
templates (`/notifications/templates/<kind>.csv`) and in the README.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import SUMMARY_MAX_LENGTH
from cases.notifications.models import NotificationKind
from cases.web import identifiers

MAX_TEXT = 2000
# The police summary goes into a concern's "what was seen" after 72 characters of words and
# the incident reference (up to 50).
POLICE_SUMMARY = SUMMARY_MAX_LENGTH - 150


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    required: bool = False
    kind: str = "text"  # text, date, integer or a choice ("permanent|suspension")
    max_length: int = 200
    example: str = ""


IDENTITY = (
    Column("nhs_number", "NHS number, 10 digits", example="9990001234"),
    Column("upn", "Unique pupil number, 13 characters", example=""),
    Column("first_name", "Child's first name", max_length=100, example="Ada"),
    Column("last_name", "Child's last name", max_length=100, example="Example"),
    Column("date_of_birth", "Child's date of birth", kind="date", example="2018-04-01"),
    Column("postcode", "Child's current postcode", max_length=10, example="NT1 4AB"),
    Column("address_line_1", "First line of the address (used to register a new child)"),
    Column("town", "Town (used to register a new child)", max_length=100),
)

KIND_COLUMNS: dict[str, tuple[Column, ...]] = {
    NotificationKind.DOMESTIC_ABUSE: (
        Column("incident_date", "Date of the incident", True, "date", example="2026-10-03"),
        Column(
            "incident_reference",
            "The force's incident reference",
            True,
            max_length=50,
            example="DA/2026/0001",
        ),
        Column(
            "summary",
            "What happened, in a few factual words",
            True,
            max_length=POLICE_SUMMARY,
            example="Police attended a domestic abuse incident; the child was present.",
        ),
    ),
    NotificationKind.ATTENDANCE: (
        Column("period_start", "First day of the period", True, "date", example="2026-09-01"),
        Column("period_end", "Last day of the period", True, "date", example="2026-10-31"),
        Column(
            "sessions_possible", "Sessions the child could attend", True, "integer", example="80"
        ),
        Column("sessions_attended", "Sessions the child attended", True, "integer", example="60"),
    ),
    NotificationKind.EXCLUSION: (
        Column("exclusion_date", "First day of the exclusion", True, "date", example="2026-10-10"),
        Column(
            "exclusion_type",
            "permanent or suspension",
            True,
            "permanent|suspension",
            example="suspension",
        ),
        Column("days", "School days suspended (for a suspension)", False, "integer", example="3"),
    ),
    NotificationKind.WAS_NOT_BROUGHT: (
        Column("appointment_date", "Date of the appointment", True, "date", example="2026-10-12"),
        Column(
            "service",
            "The service, e.g. Dental, Paediatrics",
            True,
            max_length=100,
            example="Dental",
        ),
        Column(
            "summary",
            "Anything else worth knowing",
            False,
            max_length=MAX_TEXT,
            example="Second appointment missed this year.",
        ),
    ),
}


def columns(kind: str) -> tuple[Column, ...]:
    return IDENTITY + KIND_COLUMNS[kind]


def header(kind: str) -> list[str]:
    return [column.name for column in columns(kind)]


RowErrors = list[dict[str, str]]


def _date(value: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if day > timezone.localdate():
            raise ValidationError("The date must be today or in the past")
        return day
    raise ValidationError("Enter a real date, like 2026-10-03")


def _integer(value: str) -> int:
    if not value.isdigit() or len(value) > 6:
        raise ValidationError("Enter a whole number, like 80")
    return int(value)


CLEANERS: dict[str, Callable[[str], Any]] = {
    "nhs_number": identifiers.clean_nhs_number,
    "upn": identifiers.clean_upn,
    "postcode": identifiers.clean_postcode,
}


def row_check(kind: str, raw: dict[str, str]) -> tuple[dict[str, Any], RowErrors]:
    """The cleaned values of one row (JSON-ready) and its errors in plain words."""
    values: dict[str, Any] = {}
    errors: RowErrors = []
    for column in columns(kind):
        text = (raw.get(column.name) or "").strip()
        if "\x00" in text:
            errors.append({"column": column.name, "message": "Remove the unreadable character"})
            continue
        if not text:
            if column.required:
                errors.append(
                    {"column": column.name, "message": f"Enter the {column.name.replace('_', ' ')}"}
                )
            values[column.name] = None if column.kind in ("date", "integer") else ""
            continue
        try:
            if column.name in CLEANERS:
                value: Any = CLEANERS[column.name](text)
            elif column.kind == "date":
                value = _date(text).isoformat()
            elif column.kind == "integer":
                value = _integer(text)
            elif "|" in column.kind:
                value = text.lower()
                if value not in column.kind.split("|"):
                    raise ValidationError(f"Enter {' or '.join(column.kind.split('|'))}")
            else:
                if len(text) > column.max_length:
                    raise ValidationError(f"Enter {column.max_length} characters or fewer")
                value = text
        except ValidationError as error:
            errors.append({"column": column.name, "message": " ".join(error.messages)})
            continue
        values[column.name] = value
    errors += _row_rules(kind, values, {error["column"] for error in errors})
    return values, errors


def _row_rules(kind: str, values: dict[str, Any], bad: set[str]) -> RowErrors:
    errors: RowErrors = []
    names = ("first_name", "last_name", "date_of_birth", "postcode")
    if (
        not (values.get("nhs_number") or values.get("upn"))
        and not (all(values.get(name) for name in names) or bad & set(names))
        and not bad & {"nhs_number", "upn"}
    ):
        errors.append(
            {
                "column": "nhs_number",
                "message": "Give the NHS number, the UPN, or the first name, last name, "
                "date of birth and postcode",
            }
        )
    if kind == NotificationKind.ATTENDANCE and not bad:
        if values["sessions_attended"] > values["sessions_possible"]:
            errors.append(
                {
                    "column": "sessions_attended",
                    "message": "Sessions attended cannot be more than sessions possible",
                }
            )
        if values["period_end"] < values["period_start"]:
            errors.append(
                {"column": "period_end", "message": "The period must end after it starts"}
            )
    suspended = kind == NotificationKind.EXCLUSION and values.get("exclusion_type") == "suspension"
    if suspended and not bad and not values["days"]:
        errors.append({"column": "days", "message": "Enter the days suspended"})
    return errors


def fingerprint(kind: str, values: dict[str, Any]) -> str:
    """The same row sent again, by any file or the API, has the same fingerprint."""
    text = json.dumps([kind, values], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
