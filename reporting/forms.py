"""Forms: parse what people type; the services decide what may be saved."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django import forms

from cases.web.forms import DateField, GovUKForm, required, submission_key_field

from .metrics import PERIOD_TYPES
from .models import DeliveryAction, LearningLinkKind, Priority, RagStatus
from .services import ActionFields


class DashboardFilterForm(GovUKForm):
    """The period and breakdown a dashboard shows: parsed from the query string, and drawn by
    `shown` with what the page settled on."""

    period_type = forms.ChoiceField(
        label="Period", choices=list(PERIOD_TYPES.items()), required=False, widget=forms.RadioSelect
    )
    period = forms.DateField(
        label="Period shown in the breakdown", required=False, widget=forms.Select
    )
    breakdown = forms.CharField(label="Break down by", required=False, widget=forms.Select)

    def chosen_period_type(self) -> str:
        if self.is_valid() and self.cleaned_data["period_type"]:
            return str(self.cleaned_data["period_type"])
        return "quarter"

    @classmethod
    def shown(
        cls,
        *,
        period_type: str,
        periods: Sequence[tuple[datetime.date, str]] = (),
        period: datetime.date | None = None,
        breakdowns: Sequence[tuple[str, str]] = (),
        breakdown: str = "",
    ) -> DashboardFilterForm:
        """The filters as drawn: a period to pick only where there are several, and a
        breakdown only where the metric has more than one."""
        form = cls(initial={"period_type": period_type, "period": period, "breakdown": breakdown})
        form.fields["period"].widget.choices = [  # type: ignore[attr-defined]
            (start.isoformat(), label) for start, label in periods
        ]
        form.fields["breakdown"].widget.choices = list(breakdowns)  # type: ignore[attr-defined]
        if not periods:
            del form.fields["period"]
        if len(breakdowns) < 2:
            del form.fields["breakdown"]
        return form


def _date_field(label: str, missing: str) -> DateField:
    """A delivery-plan date: any year from 1900, so a slip of the keyboard is caught."""
    return DateField(
        label=label,
        min_year=1900,
        help_text="For example, 31 3 2027",
        error_messages=required(missing),
    )


class DeliveryActionForm(GovUKForm):
    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="The action's number in the plan, for example R1.3",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages=required("Enter a reference, for example R1.3"),
    )
    priority = forms.ChoiceField(
        label="Strategy priority",
        choices=Priority.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the strategy priority"),
    )
    activity = forms.CharField(
        label="Activity",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("Describe the activity"),
    )
    responsible = forms.CharField(
        label="Responsible",
        max_length=200,
        help_text="The role or group that owns the action",
        error_messages=required("Enter who is responsible"),
    )
    due_date = _date_field("Due date", "Enter the due date")
    rag_status = forms.ChoiceField(
        label="RAG status",
        choices=RagStatus.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the RAG status"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
        return {
            "reference": action.reference,
            "priority": action.priority,
            "activity": action.activity,
            "responsible": action.responsible,
            "due_date": action.due_date,
            "rag_status": action.rag_status,
            "version": action.version,
        }


class DeliveryEvidenceForm(GovUKForm):
    text = forms.CharField(
        label="What has been done, and where is the evidence?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("Describe the evidence of progress"),
    )
    recorded_on = _date_field("Date of the evidence", "Enter the date of the evidence")
    submission_key = submission_key_field()


class LearningLinkForm(GovUKForm):
    """Take a case audit's learning action into the delivery plan."""

    how = forms.ChoiceField(
        label="How should the delivery plan take it up?",
        choices=LearningLinkKind.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose how the delivery plan takes it up"),
    )
    delivery_action = forms.ModelChoiceField(
        label="Existing action it is evidence for",
        queryset=DeliveryAction.objects.order_by("reference"),
        required=False,
        empty_label="Choose an action",
    )
    reference = forms.CharField(
        label="Reference for a new action",
        max_length=20,
        required=False,
        help_text="For example, M3.4",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    priority = forms.ChoiceField(
        label="Strategy priority of a new action",
        choices=[("", "Choose a priority"), *Priority.choices],
        required=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("how") == LearningLinkKind.EVIDENCE and not data.get("delivery_action"):
            self.add_error("delivery_action", "Choose the action it is evidence for")
        if data.get("how") == LearningLinkKind.NEW_ACTION:
            if not data.get("reference"):
                self.add_error("reference", "Enter a reference for the new action")
            if not data.get("priority"):
                self.add_error("priority", "Choose the new action's priority")
        return data
