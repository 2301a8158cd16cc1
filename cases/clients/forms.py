"""The administrator's form to register a machine client."""

from __future__ import annotations

from django import forms

from cases.clients.scopes import SCOPES
from cases.models import Agency
from cases.web.forms import GovUKForm, required


class MachineClientForm(GovUKForm):
    name = forms.CharField(
        label="Name of the system",
        max_length=100,
        help_text="For example, 'Metropolitan Police notifications'. Shown in the access log.",
        error_messages=required("Enter the name of the system"),
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose an agency",
        help_text="The client sees only the children this agency may see.",
        error_messages=required("Choose the agency this system belongs to"),
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages=required("Choose at least one thing the system may do"),
    )
    rate_per_minute = forms.IntegerField(
        label="Requests a minute (optional)",
        required=False,
        min_value=1,
        max_value=100000,
        help_text="Leave empty for the service's default.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
