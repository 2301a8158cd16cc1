"""Forms: parse what people type; the services decide what may be saved."""

from __future__ import annotations

import datetime
import uuid

from django import forms

from .metrics import PERIOD_TYPES
from .models import DeliveryAction, Priority, RagStatus
from .services import ActionFields


class DashboardFilterForm(forms.Form):
    period_type = forms.ChoiceField(
        label="Period", choices=list(PERIOD_TYPES.items()), required=False
    )
    period = forms.DateField(label="Period shown in the breakdown", required=False)
    breakdown = forms.CharField(label="Break down by", required=False)

    def chosen_period_type(self) -> str:
        if self.is_valid() and self.cleaned_data["period_type"]:
            return str(self.cleaned_data["period_type"])
        return "quarter"


def _date_from_parts(form: forms.Form, prefix: str, label: str) -> datetime.date | None:
    """A GOV.UK date input: three fields; the error goes on the day field, which the error
    summary links to."""
    parts = [form.cleaned_data.get(f"{prefix}_{part}") for part in ("day", "month", "year")]
    if not all(parts):
        form.add_error(f"{prefix}_day", f"Enter the {label} as a day, month and year")
        return None
    try:
        day, month, year = (int(part) for part in parts)  # type: ignore[arg-type]
        if year < 1900:
            raise ValueError
        return datetime.date(year, month, day)
    except ValueError:
        form.add_error(f"{prefix}_day", f"The {label} must be a real date")
        return None


def _date_part(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class GovukRadios(forms.RadioSelect):
    """Radios whose label id is the first radio's, as the GOV.UK error summary links to it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class DeliveryActionForm(forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=20,
        error_messages={"required": "Enter a reference, for example R1.3"},
    )
    priority = forms.ChoiceField(
        label="Strategy priority",
        choices=Priority.choices,
        widget=GovukRadios,
        error_messages={"required": "Choose the strategy priority"},
    )
    activity = forms.CharField(
        label="Activity",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the activity"},
    )
    responsible = forms.CharField(
        label="Responsible",
        max_length=200,
        error_messages={"required": "Enter who is responsible"},
    )
    due_day = _date_part("Day")
    due_month = _date_part("Month")
    due_year = _date_part("Year")
    rag_status = forms.ChoiceField(
        label="RAG status",
        choices=RagStatus.choices,
        widget=GovukRadios,
        error_messages={"required": "Choose the RAG status"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        cleaned["due_date"] = _date_from_parts(self, "due", "due date")
        return cleaned

    def action_fields(self) -> ActionFields:
        data = self.cleaned_data
        return ActionFields(
            reference=data["reference"].strip(),
            priority=data["priority"],
            activity=data["activity"].strip(),
            responsible=data["responsible"].strip(),
            due_date=data["due_date"],
            rag_status=data["rag_status"],
        )

    @classmethod
    def initial_for(cls, action: DeliveryAction) -> dict[str, object]:
        due = action.due_date
        return {
            "reference": action.reference,
            "priority": action.priority,
            "activity": action.activity,
            "responsible": action.responsible,
            "due_day": due.day,
            "due_month": due.month,
            "due_year": due.year,
            "rag_status": action.rag_status,
            "version": action.version,
        }


class DeliveryEvidenceForm(forms.Form):
    text = forms.CharField(
        label="Evidence",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the evidence of progress"},
    )
    recorded_day = _date_part("Day")
    recorded_month = _date_part("Month")
    recorded_year = _date_part("Year")
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"submission_key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        cleaned["recorded_on"] = _date_from_parts(self, "recorded", "date of the evidence")
        return cleaned
