"""Forms for supervision, drift decisions, stepping a case up or down and concern outcomes. They
parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cases.codes import (
    ChallengeOutcome,
    ConcernOutcomeKind,
    DriftDecision,
    NeedLevel,
    ProtectionCategory,
)
from cases.models import Agency, Child, ChronologyEntry, Concern, DriftFlag, Practitioner, Team
from cases.web.forms import DateField, GovUKForm, LongSelect, required, submission_key_field


class FlagChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DriftFlag) -> str:  # type: ignore[override]
        return obj.reason


class FlagsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DriftFlag) -> str:  # type: ignore[override]
        return obj.reason


class ConcernsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Concern) -> str:  # type: ignore[override]
        return f"{obj.observed_on:%d %b %Y}, {obj.author_agency.name}: {obj.what_was_seen[:80]}"


class EntriesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ChronologyEntry) -> str:  # type: ignore[override]
        return f"{obj.occurred_on:%d %b %Y}, {obj.source_agency.name}: {obj.summary[:80]}"


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


STATUTORY_CHOICES = [
    (level.value, level.label) for level in (NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION)
]


class LevelChangeForm(GovUKForm):
    """Any lead may open early help; a children's social care manager also decides child in
    need and child protection and the plan's category (the service enforces it)."""

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

    def __init__(self, *args: Any, decides_need_level: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not decides_need_level:
            self.fields["to_level"].choices = [  # type: ignore[attr-defined]
                (NeedLevel.EARLY_HELP.value, NeedLevel.EARLY_HELP.label)
            ]
            del self.fields["protection_category"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("protection_category", "")
        return data


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

    # Drawn in Python (LongSelect): the queue is read many times a day, and one template per
    # option cost more than the rows of the queue.
    rule = forms.ChoiceField(label="Rule", required=False, widget=LongSelect)
    level = forms.ChoiceField(label="Level of need", required=False, widget=LongSelect)
    team = forms.ChoiceField(label="Team", required=False, widget=LongSelect)
    worker = forms.ChoiceField(label="Lead professional", required=False, widget=LongSelect)

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[object, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only drawn, never validated (the view reads the query itself): the choices go to the
        # widgets alone, normalized once rather than for the field and again for its widget.
        for name, options in choices.items():
            self.fields[name].widget.choices = options  # type: ignore[attr-defined]


class ChallengeForm(GovUKForm):
    submission_key = submission_key_field()

    reason = forms.CharField(
        label="What you disagree with, and why",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages=required("Enter why you disagree"),
    )
    asked_for = forms.CharField(
        label="What you are asking the agency holding the case to do",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=required("Enter what you are asking the agency to do"),
    )
    answer_by = DateField(
        future_only=True,
        label="Answer needed by",
        help_text="If there is no answer by then, the challenge rises to the next level.",
        error_messages=required("Enter the date you need an answer by"),
    )
    drift_flag = FlagChoiceField(
        label="Drift flag this is about (optional)",
        queryset=DriftFlag.objects.none(),
        required=False,
        empty_label="Not about a drift flag",
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["drift_flag"])
        field.queryset = DriftFlag.objects.filter(child=child, resolved_at__isnull=True)


class ChallengeAnswerForm(GovUKForm):
    outcome = forms.ChoiceField(
        label="Do you agree?",
        choices=ChallengeOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you agree"},
    )
    response = forms.CharField(
        label="Your answer",
        help_text="The agency that raised the challenge sees this answer.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages=required("Enter your answer"),
    )


class StepUpRequestForm(GovUKForm):
    submission_key = submission_key_field()

    to_level = forms.ChoiceField(
        label="Step up to",
        choices=STATUTORY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose child in need or child protection"},
    )
    reasons = forms.CharField(
        label="Reasons for the request",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages=required("Enter the reasons for the request"),
    )
    evidence_concerns = ConcernsChoiceField(
        label="Concerns that support the request",
        queryset=Concern.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence_flags = FlagsChoiceField(
        label="Drift flags that support the request",
        queryset=DriftFlag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence_entries = EntriesChoiceField(
        label="Chronology entries that support the request",
        help_text="The latest high-significance entries.",
        queryset=ChronologyEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The latest records only (a limited subquery: a choice field cannot filter a slice).
        latest_concerns = Concern.objects.filter(children=child).order_by("-observed_on")[:10]
        concerns = cast(forms.ModelMultipleChoiceField, self.fields["evidence_concerns"])
        concerns.queryset = (
            Concern.objects.filter(pk__in=latest_concerns.values("pk"))
            .select_related("author_agency")
            .order_by("-observed_on")
        )
        flags = cast(forms.ModelMultipleChoiceField, self.fields["evidence_flags"])
        flags.queryset = DriftFlag.objects.filter(child=child, resolved_at__isnull=True)
        latest_entries = ChronologyEntry.objects.filter(child=child, significance="high").order_by(
            "-occurred_on", "-recorded_at"
        )[:15]
        entries = cast(forms.ModelMultipleChoiceField, self.fields["evidence_entries"])
        entries.queryset = (
            ChronologyEntry.objects.filter(pk__in=latest_entries.values("pk"))
            .select_related("source_agency")
            .order_by("-occurred_on", "-recorded_at")
        )


class StepUpDecisionForm(GovUKForm):
    submission_key = submission_key_field()

    accept = forms.TypedChoiceField(
        label="Your decision",
        choices=[("yes", "Accept and step the case up"), ("no", "Decline")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the request"},
    )
    receiving_team = forms.ModelChoiceField(
        label="Team taking the case (if you accept)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose a team",
    )
    protection_category = forms.ChoiceField(
        label="Category of the child protection plan (if you accept a child protection request)",
        choices=[("", "Not a child protection plan"), *ProtectionCategory.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reasons for your decision",
        help_text="The agency that asked sees them.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=required("Enter the reasons for your decision"),
    )

    def __init__(self, *args: Any, agency: Agency, to_level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_team"].queryset = Team.objects.filter(agency=agency)  # type: ignore[attr-defined]
        if to_level != NeedLevel.CHILD_PROTECTION:
            del self.fields["protection_category"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("protection_category", "")
        return data
