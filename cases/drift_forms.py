"""Forms for plans, visits, referrals, meetings, supervision, drift decisions, stepping a case
up or down and concern outcomes. They parse input; the services hold the rules."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .codes import (
    ConcernOutcomeKind,
    ContactKind,
    DriftDecision,
    MeetingKind,
    NeedLevel,
    PlanActionStatus,
    ProtectionCategory,
    ReferralDecision,
    ReferralSource,
)
from .models import Agency, Team


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


def _required(label: str) -> dict[str, str]:
    return {"required": f"Enter {label}"}


class PlanForm(SubmissionForm):
    level = forms.ChoiceField(
        label="Level of the plan",
        choices=[
            (level.value, level.label)
            for level in (NeedLevel.EARLY_HELP, NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of the plan"},
    )
    summary = forms.CharField(
        label="What the plan must achieve",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=_required("what the plan must achieve"),
    )
    started_on = GovukDateField(
        label="Date the plan started", error_messages=_required("the date the plan started")
    )
    review_due_on = GovukDateField(label="Date of the next review", required=False)


class PlanActionForm(SubmissionForm):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=_required("the action"),
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency responsible",
        queryset=Agency.objects.all(),
        error_messages={"required": "Choose the agency responsible"},
    )
    due_on = GovukDateField(label="Due date", error_messages=_required("the due date"))


class PlanActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=PlanActionStatus.choices,
        error_messages={"required": "Choose a status"},
    )


class PlanReviewForm(forms.Form):
    reviewed_on = GovukDateField(label="Date of the review", error_messages=_required("the date"))
    summary = forms.CharField(
        label="What the review found",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=_required("what the review found"),
    )
    end_plan = forms.BooleanField(label="End the plan at this review", required=False)
    next_review_on = GovukDateField(
        label="Date of the next review",
        help_text="Leave empty if the plan ends.",
        required=False,
    )


class VisitForm(SubmissionForm):
    occurred_on = GovukDateField(
        label="Date of the visit or contact", error_messages=_required("the date")
    )
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of contact"},
    )
    child_seen = forms.BooleanField(label="The child was seen", required=False)
    child_seen_alone = forms.BooleanField(label="The child was seen alone", required=False)
    child_voice = forms.CharField(
        label="What the child said or showed (their voice)",
        help_text="In the child's own words where you can. Leave empty if not recorded.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ReferralForm(SubmissionForm):
    received_on = GovukDateField(
        label="Date received", error_messages=_required("the date received")
    )
    source = forms.ChoiceField(
        label="Referral source",
        choices=[("", "Choose a source"), *ReferralSource.choices],
        error_messages={"required": "Choose the referral source"},
    )
    decision = forms.ChoiceField(
        label="Decision (if made)",
        choices=[("", "No decision yet"), *ReferralDecision.choices],
        required=False,
    )
    decision_on = GovukDateField(label="Date of the decision", required=False)
    assessment_started_on = GovukDateField(label="Date the assessment started", required=False)
    assessment_completed_on = GovukDateField(
        label="Date the assessment was completed", required=False
    )


class MeetingForm(SubmissionForm):
    kind = forms.ChoiceField(
        label="Meeting",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the meeting"},
    )
    held_on = GovukDateField(label="Date held", error_messages=_required("the date held"))
    conference_needed = forms.BooleanField(
        label="The strategy discussion decided to convene an initial conference", required=False
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class SupervisionForm(SubmissionForm):
    practitioner: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Practitioner supervised",
        queryset=None,  # set per request: the supervisor's own agency
        required=False,
        empty_label="Not about one practitioner",
    )
    held_on = GovukDateField(label="Date of supervision", error_messages=_required("the date"))
    reflection = forms.CharField(
        label="Reflection",
        help_text="What is it like for the child? What might we be missing (optimism, disguised compliance)?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=_required("the decisions made"),
    )
    actions = forms.CharField(
        label="Actions", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import Practitioner

        self.fields["practitioner"].queryset = Practitioner.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        ).order_by("last_name", "first_name")


class DriftDecisionForm(SubmissionForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DriftDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Why this is the right decision for the child now.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=_required("the reason for your decision"),
    )
    actions = forms.CharField(
        label="Action set (if any)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    next_review_on = GovukDateField(
        label="Next review date",
        help_text="The flag leaves your queue until this date, then comes back if it still applies.",
        error_messages=_required("the date to review this again"),
    )


class LevelChangeForm(SubmissionForm):
    to_level = forms.ChoiceField(
        label="New level of need",
        choices=[
            (level.value, level.label)
            for level in (NeedLevel.EARLY_HELP, NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new level of need"},
    )
    protection_category = forms.ChoiceField(
        label="Category of the child protection plan",
        help_text="Only for a child protection plan.",
        choices=[("", "Not a child protection plan"), *ProtectionCategory.choices],
        required=False,
    )
    receiving_team = forms.ModelChoiceField(
        label="Team taking the case",
        queryset=Team.objects.select_related("agency"),
        error_messages={"required": "Choose the team taking the case"},
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=_required("the reason for the change"),
    )


class ConcernOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ConcernOutcomeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Required for no further action. The practitioner who raised the concern sees it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Turn a service's ValidationError into field messages (or one for the whole form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
