"""The access-log search form (GET): every filter optional; bad values are field errors."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.governance.selectors import AccessLogFilters
from cases.models import Agency
from cases.web.forms import DateField, GovUKForm

BREAK_GLASS_CHOICES = [("", "Any"), ("yes", "Only break glass"), ("no", "No break glass")]


class AccessLogSearchForm(GovUKForm):
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=150,
        help_text="Their username, or part of their name",
    )
    child = forms.IntegerField(
        label="Child's record number",
        required=False,
        min_value=1,
        # GOV.UK asks for a text input with a numeric keyboard, not type=number.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Child's record number must be a number, like 160",
            "min_value": "Child's record number must be 1 or more",
        },
    )
    agency = forms.TypedChoiceField(label="Agency", coerce=int, required=False, empty_value=None)
    date_from = DateField(label="From", required=False, past_only=True)
    date_to = DateField(label="To", required=False, past_only=True)
    break_glass = forms.ChoiceField(
        label="Break glass", choices=BREAK_GLASS_CHOICES, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = list(Agency.objects.order_by("name").values_list("pk", "name"))
        self.fields["agency"].choices = [("", "All agencies"), *agencies]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> AccessLogFilters:
        """The filters, once the form is valid (an unbound form filters nothing)."""
        data = self.cleaned_data if self.is_bound else {}
        choice = data.get("break_glass") or ""
        return AccessLogFilters(
            person=(data.get("person") or "").strip(),
            child_id=data.get("child"),
            agency_id=data.get("agency"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            break_glass={"yes": True, "no": False}.get(choice),
        )
