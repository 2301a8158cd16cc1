"""Forms: parse what a page sends into the services' Answers. Rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.web.forms import (
    DateField,
    GovUKForm,
    RadiosWithHints,
    required,
    submission_key_field,
)

from .models import GRADE_MEANINGS, TEXT_MAX_LENGTH, Area, Assessment
from .services import (
    TEXT_FIELDS,
    TEXT_LABELS,
    Answers,
    SubAreaAnswer,
    answers_of,
    area_grade_field,
    evidence_field,
    grade_field,
)

TEXT_HINTS = {
    "present": "The people at the assessment, and their relationship to the child",
    "strengths": "What is going well for the child, including areas graded 1 or 2",
    "child_views": "In the child's own words where you can, or what you observed for a young child",
}
TEXT_ROWS = {"present": 3, "analysis": 6}


def _grade_field(label: str, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(grade, f"Grade {grade}") for grade in GRADE_MEANINGS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=RadiosWithHints(GRADE_MEANINGS),
        error_messages={"invalid_choice": message},
    )


class AssessmentForm(GovUKForm):
    """Every answer of one assessment, one field per grade and per piece of evidence. Ids are
    the field names (grade-physical-nutrition), which the page's links and the API share."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    assessed_on = DateField(
        label="Date of the assessment",
        error_messages={
            "required": "Enter the date of the assessment",
            "invalid": "The date of the assessment must be a real date",
        },
    )

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.areas = areas
        for name in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=TEXT_LABELS[name],
                help_text=TEXT_HINTS.get(name, ""),
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": TEXT_ROWS.get(name, 4)}),
                strip=False,
            )
        for area in areas:
            for sub in area.sub_areas.all():
                self.fields[grade_field(sub.key)] = _grade_field(
                    sub.label, f"Select a grade between 1 and 5 for {sub.label.lower()}"
                )
                self.fields[evidence_field(sub.key)] = forms.CharField(
                    label=f"Evidence for the {sub.label.lower()} grade",
                    help_text="What you saw and heard",
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            self.fields[area_grade_field(area.code)] = _grade_field(
                f"Overall grade for {area.label.lower()}",
                f"Select an overall grade between 1 and 5 for {area.label.lower()}",
            )
        # In the page's order, so the error summary lists problems from top to bottom.
        later = [name for name in TEXT_FIELDS if name != "present"]
        self.order_fields([name for name in self.fields if name not in later] + later)

    @staticmethod
    def initial_for(assessment: Assessment) -> dict[str, object]:
        answers = answers_of(assessment)
        initial: dict[str, object] = {
            "version": assessment.version,
            "assessed_on": answers.assessed_on,
            **{name: getattr(answers, name) for name in TEXT_FIELDS},
        }
        for key, answer in answers.sub_areas.items():
            initial[grade_field(key)] = answer.grade
            initial[evidence_field(key)] = answer.evidence
        for code, grade in answers.areas.items():
            initial[area_grade_field(code)] = grade
        return initial

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            assessed_on=data["assessed_on"],
            **{name: data.get(name) or "" for name in TEXT_FIELDS},
            sub_areas={
                sub.key: SubAreaAnswer(
                    data.get(grade_field(sub.key)), data.get(evidence_field(sub.key)) or ""
                )
                for area in self.areas
                for sub in area.sub_areas.all()
            },
            areas={area.code: data.get(area_grade_field(area.code)) for area in self.areas},
        )


START_NEW, START_REPEAT = "new", "repeat"


class StartForm(GovUKForm):
    start = forms.ChoiceField(
        label="Start a GCP2 assessment",
        choices=[
            (START_REPEAT, "Start from the last signed-off assessment"),
            (START_NEW, "Start a blank assessment"),
        ],
        error_messages=required("Select how to start the assessment"),
        widget=forms.RadioSelect,
    )
    submission_key = submission_key_field()


class CorrectForm(GovUKForm):
    submission_key = submission_key_field()


SIGN_OFF, RETURN = "sign_off", "return"


class ReviewForm(GovUKForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(SIGN_OFF, "Sign it off"), (RETURN, "Return it to the assessor with comments")],
        error_messages=required("Select whether to sign off or return the assessment"),
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comments for the assessor",
        help_text="Needed when you return the assessment",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == RETURN and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Enter your comments for the assessor")
        return cleaned
