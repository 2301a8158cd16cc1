"""Forms for supervision, drift decisions, stepping a case up or down and concern outcomes. They
parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.codes import (
    ConcernOutcomeKind,
    DriftDecision,
    NeedLevel,
    ProtectionCategory,
)
from cases.models import Agency, Team
from cases.web.forms import DateField, GovUKForm, required, submission_key_field


class SupervisionForm(GovUKForm):
    submission_key = submission_key_field()
    practitioner: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Practitioner supervised",
        queryset=None,  # set per request: the supervisor's own agency
        required=False,
        empty_label="Not about one practitioner",
    )
    held_on = DateField(label="Date of supervision", error_messages=required("Enter the date"))
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
        error_messages=required("Enter the decisions made"),
    )
    actions = forms.CharField(
        label="Actions", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from cases.models import Practitioner

        self.fields["practitioner"].queryset = Practitioner.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        ).order_by("last_name", "first_name")


class DriftDecisionForm(GovUKForm):
    submission_key = submission_key_field()
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DriftDecision.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose a decision"),
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Why this is the right decision for the child now.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=required("Enter the reason for your decision"),
    )
    actions = forms.CharField(
        label="Action set (if any)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    next_review_on = DateField(
        label="Next review date",
        help_text="The flag leaves your queue until this date, then comes back if it still applies.",
        error_messages=required("Enter the date to review this again"),
    )


class LevelChangeForm(GovUKForm):
    submission_key = submission_key_field()
    to_level = forms.ChoiceField(
        label="New level of need",
        choices=[
            (level.value, level.label)
            for level in (NeedLevel.EARLY_HELP, NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION)
        ],
        widget=forms.RadioSelect,
        error_messages=required("Choose the new level of need"),
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
        error_messages=required("Choose the team taking the case"),
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=required("Enter the reason for the change"),
    )


class ConcernOutcomeForm(GovUKForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ConcernOutcomeKind.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the outcome"),
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Required for no further action. The practitioner who raised the concern sees it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class DriftQueueFilterForm(GovUKForm):
    """The queue's filters, drawn with what the lead chose (the view reads the query itself)."""

    rule = forms.ChoiceField(label="Rule", required=False)
    level = forms.ChoiceField(label="Level of need", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.ChoiceField(label="Lead professional", required=False)

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[object, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]
