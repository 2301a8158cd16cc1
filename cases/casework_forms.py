"""Forms for practitioners' daily work: finding a child, registering one, logging a concern,
adding to a chronology. They parse input and give GOV.UK field messages; the rules that span
records live in services.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from .codes import (
    ChronologyEventType,
    ConcernAction,
    ConcernSeverity,
    ConsentToShare,
    NeglectType,
    Sex,
    Significance,
)
from .models import SUMMARY_MAX_LENGTH, Agency
from .validators import normalise_nhs_number, validate_nhs_number, validate_upn

YES_NO = (("yes", "Yes"), ("no", "No"))
# What practitioners add by hand; concerns, assessments and plans write their own entries.
MANUAL_EVENT_TYPES = [
    (code, label)
    for code, label in ChronologyEventType.choices
    if code
    not in {
        ChronologyEventType.CONCERN,
        ChronologyEventType.INVOLVEMENT_CHANGE,
        ChronologyEventType.ASSESSMENT,
        ChronologyEventType.PLAN,
        ChronologyEventType.SUPERVISION,
    }
]
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


class DateInput(forms.Widget):
    """The GOV.UK date input: three text fields named <name>-day, -month and -year."""

    template_name = "includes/date_widget.html"
    parts = ("day", "month", "year")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in self.parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.parts)

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return ["", "", ""]

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        # Rendered with the project's templates, not the form renderer's built-in ones.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        day, month, year = [*self.format_value(value), "", "", ""][:3]
        context["widget"]["parts"] = [
            ("day", "Day", day, "govuk-input--width-2"),
            ("month", "Month", month, "govuk-input--width-2"),
            ("year", "Year", year, "govuk-input--width-4"),
        ]
        return context


class DateField(forms.Field):
    """A date from the three GOV.UK fields, with the Design System's error messages."""

    widget = DateInput

    def __init__(self, *, past_only: bool = True, future_only: bool = False, **kwargs: Any):
        self.past_only = past_only
        self.future_only = future_only
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        parts = list(value or ["", "", ""])
        if not any(parts):
            return None
        label = str(self.label)
        missing = [name for name, part in zip(DateInput.parts, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}")
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date, in numbers")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise ValidationError(f"{self.label} must be today or in the past")
        if self.future_only and value < today:
            raise ValidationError(f"{self.label} must be today or in the future")


class GovUKForm(forms.Form):
    """Adds the Design System's classes and error states to the widgets."""

    classes = {
        "text": "govuk-input",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            kind = self[name].widget_type
            if kind in self.classes:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{self.classes[kind]} {existing}".strip()
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            kind = self[name].widget_type
            if kind in self.classes:
                field.widget.attrs["class"] += f" {self.classes[kind]}--error"
            elif kind == "date":
                field.widget.attrs["error"] = True
            described = field.widget.attrs.get("aria-describedby", "")
            field.widget.attrs["aria-describedby"] = (
                f"{described} {self[name].auto_id}-error".strip()
            )

    def add_errors_from(self, error: ValidationError) -> None:
        """Turn a service's ValidationError into field messages on this form."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def required(message: str) -> dict[str, str]:
    return {"required": message}


def text_field(label: str, message: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            **required(message),
            "max_length": f"{label} must be {SUMMARY_MAX_LENGTH:,} characters or fewer",
        },
        **kwargs,
    )


def normalise_postcode(value: str) -> str:
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class ChildSearchForm(GovUKForm):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="First name, last name or both. Close spellings are found too.",
        error_messages={"max_length": "Name must be 200 characters or fewer"},
    )
    date_of_birth = DateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2019"
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=12,
        help_text="10 digits",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    upn = forms.CharField(
        label="Unique pupil number",
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"]
        if value:
            validate_nhs_number(value)
            return normalise_nhs_number(value)
        return ""

    def clean_upn(self) -> str:
        value = self.cleaned_data["upn"].strip().upper()
        if value:
            validate_upn(value)
        return value

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data["postcode"])
        if value and not POSTCODE.match(value):
            raise ValidationError("Enter a real postcode, like NT1 4AB")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(data.get(k) for k in self.fields):
            raise ValidationError("Enter a name, date of birth, NHS number, UPN or postcode")
        return data


class AccessRequestForm(GovUKForm):
    reason = text_field(
        "Why do you need to see this child's record?",
        "Enter why you need to see this child's record",
        help_text="Your reason is recorded and shown to the child's safeguarding leads.",
    )


class ChildRegistrationForm(GovUKForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        required=False,
        help_text="Leave blank for an unborn child who has no name yet",
        error_messages={"max_length": "First name must be 100 characters or fewer"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={
            **required("Enter the child's last name"),
            "max_length": "Last name must be 100 characters or fewer",
        },
    )
    is_unborn = forms.ChoiceField(
        label="Is the child unborn?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=required("Select yes if the child is unborn"),
    )
    date_of_birth = DateField(label="Date of birth", required=False)
    expected_date_of_delivery = DateField(
        label="Expected date of delivery", required=False, past_only=False, future_only=False
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages=required("Select the child's sex, or not known"),
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=12,
        help_text="10 digits",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    upn = forms.CharField(
        label="Unique pupil number (optional)",
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={
            **required("Enter the first line of the address"),
            "max_length": "Address line 1 must be 200 characters or fewer",
        },
    )
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        error_messages={
            **required("Enter the town or city"),
            "max_length": "Town or city must be 100 characters or fewer",
        },
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages=required("Enter the postcode"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    confirmed_new = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"]
        if value:
            validate_nhs_number(value)
            return normalise_nhs_number(value)
        return ""

    def clean_upn(self) -> str:
        value = self.cleaned_data["upn"].strip().upper()
        if value:
            validate_upn(value)
        return value

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data["postcode"])
        if not POSTCODE.match(value):
            raise ValidationError("Enter a real postcode, like NT1 4AB")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unborn = data.get("is_unborn") == "yes"
        if (
            unborn
            and not data.get("expected_date_of_delivery")
            and "expected_date_of_delivery" not in self.errors
        ):
            self.add_error("expected_date_of_delivery", "Enter the expected date of delivery")
        if (
            not unborn
            and data.get("is_unborn")
            and not data.get("date_of_birth")
            and "date_of_birth" not in self.errors
        ):
            self.add_error("date_of_birth", "Enter the child's date of birth")
        if not unborn and not data.get("first_name") and data.get("is_unborn"):
            self.add_error("first_name", "Enter the child's first name")
        return data


class ConcernForm(GovUKForm):
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    children = forms.MultipleChoiceField(
        label="Which children is this concern about?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the brothers and sisters it applies to",
        error_messages=required("Select at least one child"),
    )
    neglect_types = forms.MultipleChoiceField(
        label="Type of neglect",
        choices=NeglectType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=required("Select at least one type of neglect"),
    )
    what_was_seen = text_field(
        "What did you see or hear?", "Enter what you saw or heard", help_text="Facts, not opinion"
    )
    severity = forms.ChoiceField(
        label="Impact on the child",
        choices=ConcernSeverity.choices,
        widget=forms.RadioSelect,
        error_messages=required("Select the impact on the child"),
    )
    observed_on = DateField(
        label="Date observed",
        help_text="For example, 27 3 2026",
        error_messages=required("Enter the date you observed this"),
    )
    place_observed = forms.CharField(
        label="Where was this observed?",
        max_length=200,
        required=False,
        help_text="For example, at home, at school, in clinic",
        error_messages={"max_length": "Place observed must be 200 characters or fewer"},
    )
    child_seen = forms.ChoiceField(
        label="Was the child seen?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=required("Select yes if the child was seen"),
    )
    child_seen_alone = forms.ChoiceField(
        label="Was the child seen alone?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=required("Select yes if the child was seen alone"),
    )
    child_spoken_to = forms.ChoiceField(
        label="Was the child spoken to?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=required("Select yes if the child was spoken to"),
    )
    child_voice = text_field(
        "What did the child say?",
        "",
        required=False,
        help_text="The child's own words, as close as you can, or how they communicated",
    )
    actions_taken = forms.MultipleChoiceField(
        label="What did you do?",
        choices=ConcernAction.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=required("Select what you did, or that no action was taken yet"),
    )
    consent_to_share = forms.ChoiceField(
        label="Consent to share with other agencies",
        choices=ConsentToShare.choices,
        widget=forms.RadioSelect,
        error_messages=required("Select whether consent to share was given"),
    )
    sharing_reason = text_field(
        "Reason for sharing without consent",
        "",
        required=False,
        help_text="Needed when consent was refused or not sought",
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        choices = [(str(pk), label) for pk, label in children]
        self.fields["children"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("child_seen", "child_seen_alone", "child_spoken_to"):
            if name in data:
                data[name] = data[name] == "yes"
        return data


class ChronologyEntryForm(GovUKForm):
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    event_type = forms.ChoiceField(
        label="What happened?",
        choices=MANUAL_EVENT_TYPES,
        widget=forms.RadioSelect,
        error_messages=required("Select what happened"),
    )
    occurred_on = DateField(
        label="Date of the event",
        help_text="For example, 27 3 2026",
        error_messages=required("Enter the date of the event"),
    )
    significance = forms.ChoiceField(
        label="Significance",
        choices=Significance.choices,
        widget=forms.RadioSelect,
        error_messages=required("Select how significant the event is"),
    )
    summary = text_field(
        "Summary", "Enter a short factual summary", help_text="A short factual summary"
    )


class ChronologyFilterForm(GovUKForm):
    agency = forms.TypedChoiceField(label="Agency", coerce=int, required=False, empty_value=None)
    event_type = forms.ChoiceField(
        label="Event", choices=[("", "All"), *ChronologyEventType.choices], required=False
    )
    significance = forms.ChoiceField(
        label="Significance", choices=[("", "All"), *Significance.choices], required=False
    )
    date_from = DateField(label="From", required=False)
    date_to = DateField(label="To", required=False)
    family = forms.BooleanField(
        label="Include brothers' and sisters' entries (family chronology)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = list(Agency.objects.order_by("name").values_list("pk", "name"))
        self.fields["agency"].choices = [("", "All"), *agencies]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters, for the chronology selector (invalid ones are ignored)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "agency_id": data.get("agency"),
            "event_type": data.get("event_type") or None,
            "significance": data.get("significance") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class AmendmentForm(GovUKForm):
    text = text_field("Amendment", "Enter the amendment", help_text="The original stays as it was")
