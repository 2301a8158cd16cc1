"""Forms: parse what a page sends into the services' Answers. Rules live in the services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from .models import GRADE_CHOICES, TEXT_MAX_LENGTH, Area, Assessment
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

DATE_FIELD = "assessed_on_day"  # where date errors are shown and the summary links to


def _grade_field(message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=GRADE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": message},
    )


class AssessmentForm(forms.Form):
    """Every answer of one assessment, one field per grade and per piece of evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    assessed_on_day = forms.CharField(required=False, max_length=2)
    assessed_on_month = forms.CharField(required=False, max_length=2)
    assessed_on_year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        for name in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=TEXT_LABELS[name],
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea,
                strip=False,
            )
        for area in areas:
            for sub in area.sub_areas.all():
                self.fields[grade_field(sub.key)] = _grade_field(
                    f"Select a grade between 1 and 5 for {sub.label.lower()}"
                )
                self.fields[evidence_field(sub.key)] = forms.CharField(
                    required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
                )
            self.fields[area_grade_field(area.code)] = _grade_field(
                f"Select an overall grade between 1 and 5 for {area.label.lower()}"
            )

    @staticmethod
    def initial_for(assessment: Assessment) -> dict[str, object]:
        answers = answers_of(assessment)
        initial: dict[str, object] = {
            "version": assessment.version,
            "assessed_on_day": answers.assessed_on.day,
            "assessed_on_month": answers.assessed_on.month,
            "assessed_on_year": answers.assessed_on.year,
            **{name: getattr(answers, name) for name in TEXT_FIELDS},
        }
        for key, answer in answers.sub_areas.items():
            initial[grade_field(key)] = answer.grade
            initial[evidence_field(key)] = answer.evidence
        for code, grade in answers.areas.items():
            initial[area_grade_field(code)] = grade
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [
            str(cleaned.get(f"assessed_on_{part}") or "").strip()
            for part in ("day", "month", "year")
        ]
        if not any(parts):
            self.add_error(DATE_FIELD, "Enter the date of the assessment")
        else:
            try:
                day, month, year = (int(part) for part in parts)
                cleaned["assessed_on"] = datetime.date(year, month, day)
            except ValueError:
                self.add_error(DATE_FIELD, "The date of the assessment must be a real date")
        return cleaned

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

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            field = DATE_FIELD if name == "assessed_on" else name
            self.add_error(field if field in self.fields else None, message)


START_NEW, START_REPEAT = "new", "repeat"


class StartForm(forms.Form):
    start = forms.ChoiceField(
        choices=[
            (START_REPEAT, "Start from the last signed-off assessment"),
            (START_NEW, "Start a blank assessment"),
        ],
        error_messages={"required": "Select how to start the assessment"},
        widget=forms.RadioSelect,
    )
    submission_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class CorrectForm(forms.Form):
    submission_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


SIGN_OFF, RETURN = "sign_off", "return"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(SIGN_OFF, "Sign it off"), (RETURN, "Return it to the assessor with comments")],
        error_messages={"required": "Select whether to sign off or return the assessment"},
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea, label="Comments for the assessor"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == RETURN and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Enter your comments for the assessor")
        return cleaned
