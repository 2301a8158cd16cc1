"""Forms for plans, actions, reviews, visits, referrals and meetings. They parse input; the
services hold the rules."""

from __future__ import annotations

from django import forms

from cases.codes import (
    ContactKind,
    MeetingKind,
    NeedLevel,
    PlanActionStatus,
    ReferralDecision,
    ReferralSource,
)
from cases.models import Agency
from cases.web.forms import DateField, GovUKForm, required, submission_key_field


class PlanForm(GovUKForm):
    submission_key = submission_key_field()
    level = forms.ChoiceField(
        label="Level of the plan",
        choices=[
            (level.value, level.label)
            for level in (NeedLevel.EARLY_HELP, NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION)
        ],
        widget=forms.RadioSelect,
        error_messages=required("Choose the level of the plan"),
    )
    summary = forms.CharField(
        label="What the plan must achieve",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=required("Enter what the plan must achieve"),
    )
    started_on = DateField(
        label="Date the plan started", error_messages=required("Enter the date the plan started")
    )
    review_due_on = DateField(label="Date of the next review", required=False)


class PlanActionForm(GovUKForm):
    submission_key = submission_key_field()
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=required("Enter the action"),
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency responsible",
        queryset=Agency.objects.all(),
        error_messages=required("Choose the agency responsible"),
    )
    due_on = DateField(label="Due date", error_messages=required("Enter the due date"))


class PlanActionStatusForm(GovUKForm):
    status = forms.ChoiceField(
        label="Status",
        choices=PlanActionStatus.choices,
        error_messages=required("Choose a status"),
    )


class PlanReviewForm(GovUKForm):
    submission_key = submission_key_field()
    reviewed_on = DateField(label="Date of the review", error_messages=required("Enter the date"))
    summary = forms.CharField(
        label="What the review found",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages=required("Enter what the review found"),
    )
    end_plan = forms.BooleanField(label="End the plan at this review", required=False)
    next_review_on = DateField(
        label="Date of the next review",
        help_text="Leave empty if the plan ends.",
        required=False,
    )


class VisitForm(GovUKForm):
    submission_key = submission_key_field()
    occurred_on = DateField(
        label="Date of the visit or contact", error_messages=required("Enter the date")
    )
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the type of contact"),
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


class ReferralForm(GovUKForm):
    submission_key = submission_key_field()
    received_on = DateField(
        label="Date received", error_messages=required("Enter the date received")
    )
    source = forms.ChoiceField(
        label="Referral source",
        choices=[("", "Choose a source"), *ReferralSource.choices],
        error_messages=required("Choose the referral source"),
    )
    decision = forms.ChoiceField(
        label="Decision (if made)",
        choices=[("", "No decision yet"), *ReferralDecision.choices],
        required=False,
    )
    decision_on = DateField(label="Date of the decision", required=False)
    assessment_started_on = DateField(label="Date the assessment started", required=False)
    assessment_completed_on = DateField(label="Date the assessment was completed", required=False)


class MeetingForm(GovUKForm):
    submission_key = submission_key_field()
    kind = forms.ChoiceField(
        label="Meeting",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages=required("Choose the meeting"),
    )
    held_on = DateField(label="Date held", error_messages=required("Enter the date held"))
    conference_needed = forms.BooleanField(
        label="The strategy discussion decided to convene an initial conference", required=False
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
