"""Forms for practitioners' daily work: finding a child, registering one, logging a concern,
adding to a chronology. They parse input and give GOV.UK field messages; the rules that span
records live in services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cases.casework.concerns import ChildAnswers
from cases.codes import (
    ChronologyEventType,
    ConcernAction,
    ConcernSeverity,
    ConsentToShare,
    NeglectType,
    Sex,
    Significance,
)
from cases.models import Agency
from cases.web.forms import (
    DateField,
    GovUKForm,
    LongSelect,
    required,
    submission_key_field,
    text_field,
)
from cases.web.identifiers import IdentifierCleaning, nhs_number_field, upn_field

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


class ChildSearchForm(IdentifierCleaning, GovUKForm):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="First name, last name or both. Close spellings are found too.",
        error_messages={"max_length": "Name must be 200 characters or fewer"},
    )
    date_of_birth = DateField(
        label="Date of birth", required=False, past_only=True, help_text="For example, 27 3 2019"
    )
    nhs_number = nhs_number_field("NHS number")
    upn = upn_field("Unique pupil number")
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )

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


class ChildRegistrationForm(IdentifierCleaning, GovUKForm):
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
    date_of_birth = DateField(label="Date of birth", required=False, past_only=True)
    expected_date_of_delivery = DateField(label="Expected date of delivery", required=False)
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages=required("Select the child's sex, or not known"),
    )
    nhs_number = nhs_number_field("NHS number (optional)")
    upn = upn_field("Unique pupil number (optional)")
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
    submission_key = submission_key_field()
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
        past_only=True,
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

    # Each brother or sister has their own answers (the fields above are for the first child).
    SIBLING_QUESTIONS = (
        ("seen", "Was {name} seen?"),
        ("seen_alone", "Was {name} seen alone?"),
        ("spoken_to", "Was {name} spoken to?"),
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(pk), label) for pk, label in children]
        self.fields["children"].choices = choices  # type: ignore[attr-defined]
        self.siblings = children[1:]
        for pk, name in self.siblings:
            for part, question in self.SIBLING_QUESTIONS:
                self.fields[f"sibling_{pk}_{part}"] = forms.ChoiceField(
                    label=question.format(name=name),
                    choices=YES_NO,
                    widget=forms.RadioSelect,
                    required=False,
                )
            self.fields[f"sibling_{pk}_voice"] = text_field(
                f"What did {name} say?", "", required=False, help_text="In their own words"
            )

    def sibling_sections(self) -> list[tuple[str, list[Any]]]:
        """Per brother or sister: their name and their own voice-of-the-child fields."""
        parts = [part for part, _question in self.SIBLING_QUESTIONS] + ["voice"]
        return [
            (name, [self[f"sibling_{pk}_{part}"] for part in parts]) for pk, name in self.siblings
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("child_seen", "child_seen_alone", "child_spoken_to"):
            if name in data:
                data[name] = data[name] == "yes"
        chosen = set(data.get("children", []))
        answers: dict[int, ChildAnswers] = {}
        for pk, name in self.siblings:
            if str(pk) not in chosen:
                continue
            given = {part: data.get(f"sibling_{pk}_{part}") for part, _q in self.SIBLING_QUESTIONS}
            for part, question in self.SIBLING_QUESTIONS:
                if not given[part]:
                    self.add_error(
                        f"sibling_{pk}_{part}",
                        "Select yes or no: " + question.format(name=name).lower().rstrip("?"),
                    )
            answers[pk] = ChildAnswers(
                seen=given["seen"] == "yes",
                seen_alone=given["seen_alone"] == "yes",
                spoken_to=given["spoken_to"] == "yes",
                voice=data.get(f"sibling_{pk}_voice", ""),
            )
        data["answers_by_child"] = answers
        return data


class ChronologyEntryForm(GovUKForm):
    submission_key = submission_key_field()
    event_type = forms.ChoiceField(
        label="What happened?",
        choices=MANUAL_EVENT_TYPES,
        widget=forms.RadioSelect,
        error_messages=required("Select what happened"),
    )
    occurred_on = DateField(
        label="Date of the event",
        past_only=True,
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
    # On every child's page: selects drawn in Python (LongSelect), not a template per option.
    agency = forms.TypedChoiceField(
        label="Agency", coerce=int, required=False, empty_value=None, widget=LongSelect
    )
    event_type = forms.ChoiceField(
        label="Event",
        choices=[("", "All"), *ChronologyEventType.choices],
        required=False,
        widget=LongSelect,
    )
    significance = forms.ChoiceField(
        label="Significance",
        choices=[("", "All"), *Significance.choices],
        required=False,
        widget=LongSelect,
    )
    date_from = DateField(label="From", required=False, past_only=True)
    date_to = DateField(label="To", required=False, past_only=True)
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
