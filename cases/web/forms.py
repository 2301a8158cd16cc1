"""The GOV.UK form kit every page of every app uses: the base form (GovUKForm) and its bound
fields, the one date field, the submission key that makes a retry harmless, the one
required-message helper, and the one adapter from a service's errors to form (or API) errors.
Pages draw fields with includes/govuk_field.html and errors with
includes/govuk_error_summary.html. Identifiers are cleaned in cases/web/identifiers.py."""

from __future__ import annotations

import datetime
import html
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.forms import BoundField
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cases.models import SUMMARY_MAX_LENGTH, Child

if TYPE_CHECKING:
    from .form_parts import FormPart

DATE_PARTS = ("day", "month", "year")
_PART_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
_PART_WIDTHS = {"day": 2, "month": 2, "year": 4}


def _key() -> str:
    return uuid.uuid4().hex


def submission_key_field(*, required: bool = True) -> forms.CharField:
    """The hidden key that makes a double submit or a retry create nothing new."""
    return forms.CharField(
        widget=forms.HiddenInput,
        initial=_key,
        max_length=64,
        required=required,
        error_messages={"required": "This form has expired: start again"},
    )


def required(message: str) -> dict[str, str]:
    """The error_messages for a required field: GOV.UK says what to enter or select."""
    return {"required": message}


class GovUKBoundField(BoundField):
    """A field as the GOV.UK templates need it: what kind of component it is, its classes and
    aria-describedby at render time (so errors a service adds later show too), and the id the
    error summary links to."""

    @property
    def kind(self) -> str:
        widget = self.field.widget
        # CheckboxSelectMultiple subclasses RadioSelect, so it is asked first.
        kinds: list[tuple[type[forms.Widget], str]] = [
            (DateInput, "date"),
            (forms.CheckboxSelectMultiple, "checkboxes"),
            (forms.RadioSelect, "radios"),
            (forms.CheckboxInput, "checkbox"),
            (forms.Textarea, "textarea"),
            (forms.Select, "select"),
            (forms.FileInput, "file"),
        ]
        if widget.is_hidden:
            return "hidden"
        return next((kind for cls, kind in kinds if isinstance(widget, cls)), "input")

    @property
    def anchor(self) -> str:
        """The id of the input the error summary links to (a group's first item)."""
        return str(self.auto_id)

    @property
    def aria_describedby(self) -> str:
        ids = [f"{self.auto_id}-hint"] if self.help_text else []
        return " ".join([*ids, f"{self.auto_id}-error"] if self.errors else ids)

    def build_widget_attrs(self, attrs: Any, widget: forms.Widget | None = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        base = {
            "input": "govuk-input",
            "textarea": "govuk-textarea",
            "select": "govuk-select",
            "file": "govuk-file-upload",
        }
        if self.kind in base:
            css = base[self.kind]
            extra = attrs.get("class") or (widget or self.field.widget).attrs.get("class", "")
            error = f" {css}--error" if self.errors else ""
            attrs["class"] = f"{css} {extra}".strip() + error
        if self.aria_describedby:
            attrs["aria-describedby"] = self.aria_describedby
        return attrs


class DateInput(forms.Widget):
    """The GOV.UK date input: three text inputs named <name>-day, <name>-month and
    <name>-year. includes/govuk_field.html draws it from DateBoundField.parts."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in DATE_PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in DATE_PARTS)

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return [*(str(v) if v is not None else "" for v in value), "", "", ""][:3]
        return ["", "", ""]


class LongSelect(forms.Select):
    """A select with Django's markup drawn in Python, not one template per option: for long
    lists (a county team's hundreds of practitioners), where the option templates cost more
    than the rest of the page. Every name, value and label is escaped here."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # Straight from the choices: Django's optgroups() builds a dict of a dozen keys per
        # option, which cost more than the markup itself on a select of hundreds. The standard
        # library's escape is Django's `escape` without its lazy-string wrapper.
        chosen = set(self.format_value(value))
        parts = [f"<select{flatatt({'name': name, **self.build_attrs(self.attrs, attrs)})}>"]
        selected = False  # one option selected, as Django's Select does

        def option(value: Any, label: Any) -> str:
            nonlocal selected
            text = str(value)
            mark = not selected and text in chosen
            selected = selected or mark
            return (
                f'\n  <option value="{html.escape(text)}"{" selected" if mark else ""}>'
                f"{html.escape(str(label))}</option>"
            )

        for value_or_group, label_or_options in self.choices:
            if isinstance(label_or_options, list | tuple):
                parts.append(f'\n  <optgroup label="{html.escape(str(value_or_group))}">')
                parts.extend(option(value, label) for value, label in label_or_options)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(value_or_group, label_or_options))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703  # escaped above


class RadiosWithHints(forms.RadioSelect):
    """Radios with a hint under each item (hints keyed by the choice's value)."""

    def __init__(self, hints: Mapping[Any, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hints = {str(value): hint for value, hint in hints.items()}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class DateBoundField(GovUKBoundField):
    @property
    def error_parts(self) -> tuple[str, ...]:
        """The parts to mark as wrong: those the field named, or all when it did not say."""
        for error in self.errors.as_data():
            if error.params and error.params.get("parts"):
                return tuple(error.params["parts"])
        return DATE_PARTS if self.errors else ()

    @property
    def anchor(self) -> str:
        return f"{self.auto_id}-{(self.error_parts or DATE_PARTS)[0]}"

    @property
    def parts(self) -> list[dict[str, object]]:
        values = self.field.widget.format_value(self.value())  # type: ignore[attr-defined]
        wrong = self.error_parts
        return [
            {
                "id": f"{self.auto_id}-{part}",
                "name": f"{self.html_name}-{part}",
                "label": _PART_LABELS[part],
                "width": _PART_WIDTHS[part],
                "value": value,
                "error": part in wrong,
            }
            for part, value in zip(DATE_PARTS, values, strict=True)
        ]


class DateField(forms.Field):
    """A date from the three GOV.UK inputs, with the Design System's error messages. Messages
    may be replaced per form through error_messages; {label} and {missing} are filled in."""

    widget = DateInput
    bound_field_class = DateBoundField
    default_error_messages = {
        "required": "Enter {label}",
        "incomplete": "{label} must include a {missing}",
        "invalid": "{label} must be a real date",
        "year": "Year must include 4 numbers",
        "past": "{label} must be today or in the past",
        "future": "{label} must be today or in the future",
    }

    def __init__(
        self,
        *,
        past_only: bool = False,
        future_only: bool = False,
        min_year: int = 1,
        **kwargs: Any,
    ) -> None:
        self.past_only = past_only
        self.future_only = future_only
        self.min_year = min_year
        super().__init__(**kwargs)

    def _error(self, code: str, *parts: str, missing: str = "") -> ValidationError:
        message = self.error_messages[code].format(label=self.label, missing=missing)
        return ValidationError(message, code=code, params={"parts": parts} if parts else None)

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        values = dict(zip(DATE_PARTS, [*(value or []), "", "", ""][:3], strict=True))
        if not any(values.values()):
            return None
        missing = [part for part, typed in values.items() if not typed]
        if missing:
            raise self._error("incomplete", *missing, missing=" and ".join(missing))
        not_numbers = [part for part, typed in values.items() if not typed.isdigit()]
        if not_numbers:
            raise self._error("invalid", *not_numbers)
        if len(values["year"]) != 4 or int(values["year"]) < self.min_year:
            raise self._error("year", "year")
        day, month, year = (int(values[part]) for part in DATE_PARTS)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise self._error("invalid", "month" if not 1 <= month <= 12 else "day") from None

    def validate(self, value: Any) -> None:
        if value is None:
            if self.required:
                raise self._error("required")
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise self._error("past")
        if self.future_only and value < today:
            raise self._error("future")


class GovUKForm(forms.Form):
    """Every form's base: GOV.UK classes, hints and error states on its fields, and the links
    the error summary shows."""

    bound_field_class = GovUKBoundField
    # Where a message about the whole form links to; a page may name its own element.
    non_field_errors_anchor = "main-content"

    def error_links(self) -> list[tuple[str, str]]:
        """(id, message) for each error, in the order of the page."""
        links = [(self.non_field_errors_anchor, str(e)) for e in self.non_field_errors()]
        for field in self:
            anchor = self.non_field_errors_anchor if field.is_hidden else field.anchor  # type: ignore[attr-defined]
            links += [(anchor, str(error)) for error in field.errors]
        return links


class SignInForm(AuthenticationForm, GovUKForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your system administrator.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget = forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


def service_errors(error: ValidationError | Mapping[str, str]) -> dict[str, list[str]]:
    """A service's complaint as messages by field ("__all__" for the whole thing). Services
    raise ValidationError; the GCP2 and delivery plan ones carry a dict of messages."""
    error = error if isinstance(error, ValidationError) else ValidationError(dict(error))
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {NON_FIELD_ERRORS: list(error.messages)}


def add_service_errors(form: forms.Form, error: ValidationError | Mapping[str, str]) -> None:
    """Show a service's errors on the form: on the field they name, else on the whole form."""
    for field, field_messages in service_errors(error).items():
        form.add_error(field if field in form.fields else None, field_messages)


def api_service_errors(error: ValidationError | Mapping[str, str]) -> dict[str, list[str]]:
    """The same errors as an API's 400 body: messages by field, DRF's non_field_errors key."""
    return {
        ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
        for field, messages in service_errors(error).items()
    }


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


class PageForms:
    """A record's form and the parts added to it, as the one error summary sees them."""

    def __init__(self, forms: Sequence[GovUKForm]) -> None:
        self.forms = forms

    def error_links(self) -> list[tuple[str, str]]:
        return [link for form in self.forms for link in form.error_links()]


class _PartRefused(Exception):
    """A part's service refused: roll the record back with it (its errors are on its form)."""


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
    parts: Sequence[FormPart] = (),
    part_date: str = "",
) -> HttpResponse:
    """The shared GET/POST shape of a recording form about one child. `parts` are the forms
    other apps add to it (`cases.web.form_parts`): all are validated together and saved with
    the record in one transaction, given the record's date (its field `part_date`) and
    submission key."""
    if request.method == "POST" and all([form.is_valid(), *(p.form.is_valid() for p in parts)]):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                save(data)
                for part in parts:
                    try:
                        part.form.save_part(
                            on=data[part_date], submission_key=data["submission_key"]
                        )
                    except ValidationError as error:
                        add_service_errors(part.form, error)
                        raise _PartRefused() from error
        except _PartRefused:
            pass
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("child-detail", child.pk)
    context = {
        "child": child,
        "form": form,
        "page_forms": PageForms([form, *(part.form for part in parts)]),
        "parts": parts,
        "title": title,
        "submit": submit,
        **(extra or {}),
    }
    return render(request, "cases/record_form.html", context)
