"""GOV.UK forms for signing in with a second factor and for managing accounts."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.codes import Role
from cases.models import Agency, Team
from cases.web.forms import GovUKForm


def _code_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=20,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )


class EnrolForm(GovUKForm):
    code = _code_field(
        "Code from your app", "The 6-digit code your authenticator app shows for this account."
    )


class VerifyForm(GovUKForm):
    code = _code_field(
        "Code",
        "The 6-digit code from your authenticator app, or one of your recovery codes.",
    )


class ReauthenticateForm(GovUKForm):
    password = forms.CharField(
        label="Password",
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(
        "Code",
        "The 6-digit code from your authenticator app, or one of your recovery codes.",
    )


class AccountSearchForm(GovUKForm):
    q = forms.CharField(label="Name, username or email", required=False, max_length=100)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="All agencies",
    )


class _PlacementForm(GovUKForm):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Choose an agency",
        help_text="Everyone except a system administrator works for one agency.",
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.select_related("agency").order_by("agency__name", "name"),
        required=False,
        empty_label="No team",
        help_text="Optional. A team in the same agency.",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={"required": "Choose a role"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.label_from_instance = lambda t: f"{t.agency.name}: {t.name}"  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, agency, team = data.get("role"), data.get("agency"), data.get("team")
        if role and role != Role.ADMINISTRATOR and agency is None:
            self.add_error("agency", "Choose the agency this person works for")
        if team is not None and (agency is None or team.agency_id != agency.pk):
            self.add_error("team", "Choose a team in this person's own agency")
        return data


class AccountCreateForm(_PlacementForm):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter a last name"}
    )
    username = forms.RegexField(
        label="Username",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={
            "required": "Enter a username",
            "invalid": "A username can only have letters, numbers and . @ + - _",
        },
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )

    field_order = ["first_name", "last_name", "username", "email", "agency", "team", "role"]


class AccountChangeForm(_PlacementForm):
    pass
