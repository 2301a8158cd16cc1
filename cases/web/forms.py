"""The GOV.UK form kit every page uses: the sign-in form, the base form, the date field, the
submission key that makes a retry harmless, and the adapter from a service's errors to field
errors."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from cases.models import SUMMARY_MAX_LENGTH, Child


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your system administrator.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget = forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "class": "govuk-input"}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "govuk-input"}
        )


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year as three inputs (GOV.UK date input); rendered by our template."""

    def __init__(self) -> None:
        super().__init__(
            widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()],
            attrs={"inputmode": "numeric"},
        )

    def decompress(self, value: Any) -> list[object]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        super().__init__(
            fields=[
                forms.IntegerField(required=False),
                forms.IntegerField(required=False),
                forms.IntegerField(required=False),
            ],
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list: list[int | None]) -> datetime.date | None:
        if not data_list or all(part in (None, "") for part in data_list):
            return None
        day, month, year = data_list
        if day is None or month is None or year is None:
            raise ValidationError(f"{self.label} must include a day, month and year")
        try:
            return datetime.date(year, month, day)
        except (ValueError, TypeError) as error:
            raise ValidationError(f"{self.label} must be a real date") from error


def _key() -> str:
    return uuid.uuid4().hex


class SubmissionForm(forms.Form):
    """Every form carries a key so a double submit or retry creates nothing new."""

    submission_key = forms.CharField(widget=forms.HiddenInput, initial=_key, max_length=64)


def required_enter(label: str) -> dict[str, str]:
    return {"required": f"Enter {label}"}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Turn a service's ValidationError into field messages (or one for the whole form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


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


def record_page(
    request: HttpRequest,
    *,
    child: Child,
    form: Any,
    title: str,
    submit: str,
    save: Callable[[dict[str, Any]], object],
    done: str,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    """The shared GET/POST shape of a recording form about one child."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("child-detail", child.pk)
    context = {"child": child, "form": form, "title": title, "submit": submit, **(extra or {})}
    return render(request, "cases/record_form.html", context)
