"""Forms for case audits: parse what people type; the services decide what may be saved."""

from __future__ import annotations

import datetime
import hashlib

from django import forms
from django.forms import BoundField

from cases.access import LEAD_ROLES
from cases.codes import NeedLevel
from cases.models import Child, Practitioner
from cases.web.form_parts import RecordFormPart
from cases.web.forms import (
    DateField,
    GovUKForm,
    required,
    submission_key_field,
)

from .feedback import feedback_record
from .models import (
    QUESTIONS_FOR,
    SCALES,
    AuditQuestion,
    FeedbackOccasion,
    FeedbackQuestion,
    Grade,
    Respondent,
)
from .services import QuestionFields

GRADE_CHOICES = Grade.choices


class AuditForm(GovUKForm):
    submission_key = submission_key_field()
    theme = forms.CharField(
        label="Theme",
        max_length=200,
        help_text="For example, the voice of the child in neglect cases",
        error_messages=required("Enter the audit's theme"),
    )
    questions = forms.CharField(
        label="Questions",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "One question a line. Put its guidance after a vertical bar, for example: Is the "
            "child's voice recorded? | Look for the child's own words at each visit"
        ),
        error_messages=required("Enter at least one question"),
    )
    auditors = forms.ModelMultipleChoiceField(
        label="Agencies taking part and their auditors",
        queryset=Practitioner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose one safeguarding lead for each agency taking part",
        error_messages=required("Select an auditor for each agency taking part"),
    )
    starts_on = DateField(
        label="Start date", min_year=2000, error_messages=required("Enter the start date")
    )
    ends_on = DateField(
        label="End date", min_year=2000, error_messages=required("Enter the end date")
    )
    levels = forms.MultipleChoiceField(
        label="Sample children open at",
        choices=[(v, label) for v, label in NeedLevel.choices if v != NeedLevel.UNIVERSAL],
        widget=forms.CheckboxSelectMultiple,
        error_messages=required("Select the levels of need to sample from"),
    )
    neglect_only = forms.BooleanField(
        label="Only children whose plan's category or primary need is neglect", required=False
    )
    sample_size = forms.IntegerField(
        label="Number of children to sample",
        min_value=1,
        max_value=200,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            **required("Enter the number of children to sample"),
            "invalid": "The number of children must be a whole number",
            "min_value": "Sample at least 1 child",
            "max_value": "Sample 200 children or fewer",
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        leads = (
            Practitioner.objects.filter(role__in=LEAD_ROLES, is_active=True, agency__isnull=False)
            .select_related("agency")
            .order_by("agency__name", "last_name")
        )
        field = self.fields["auditors"]
        field.queryset = leads  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.agency.name}: {p.get_full_name()}"  # type: ignore[attr-defined]

    def question_fields(self) -> list[QuestionFields]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        return [
            QuestionFields(text.strip()[:300], guidance.strip())
            for text, _, guidance in (line.partition("|") for line in lines if line)
        ]


class SwapForm(GovUKForm):
    reason = forms.CharField(
        label="Why is this child swapped out of the sample?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Enter why this child is swapped out"),
    )


class GradesForm(GovUKForm):
    """One grade and its evidence for each of the audit's questions."""

    def __init__(self, *args: object, questions: list[AuditQuestion], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.questions = questions
        for q in questions:
            self.fields[f"grade_{q.pk}"] = forms.ChoiceField(
                label=f"{q.position}. {q.text}",
                choices=GRADE_CHOICES,
                widget=forms.RadioSelect,
                help_text=q.guidance,
                error_messages=required("Select a grade"),
            )
            self.fields[f"evidence_{q.pk}"] = forms.CharField(
                label=f"Evidence for question {q.position}",
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages=required("Enter the evidence for this grade"),
            )

    def grades(self) -> dict[int, tuple[str, str]]:
        return {
            q.pk: (self.cleaned_data[f"grade_{q.pk}"], self.cleaned_data[f"evidence_{q.pk}"])
            for q in self.questions
        }


class ModerationForm(GovUKForm):
    """The agreed grade for each grade given, what worked well and what must change."""

    def __init__(
        self, *args: object, keys: list[tuple[tuple[int, int, int], str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.keys = [key for key, _ in keys]
        for (s, q, a), label in keys:
            self.fields[f"agreed_{s}_{q}_{a}"] = forms.ChoiceField(
                label=label,
                choices=[("", "Choose the agreed grade"), *GRADE_CHOICES],
                error_messages=required("Select the agreed grade"),
            )
        self.fields["worked_well"] = forms.CharField(
            label="What worked well",
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages=required("Enter what worked well"),
        )
        self.fields["must_change"] = forms.CharField(
            label="What must change",
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages=required("Enter what must change"),
        )

    def agreed(self) -> dict[tuple[int, int, int], str]:
        return {key: self.cleaned_data[f"agreed_{key[0]}_{key[1]}_{key[2]}"] for key in self.keys}


class LearningActionForm(GovUKForm):
    submission_key = submission_key_field()
    text = forms.CharField(
        label="Learning action",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Enter the learning action"),
    )
    owner = forms.CharField(
        label="Owner", max_length=200, error_messages=required("Enter who owns the action")
    )
    due_on = DateField(
        label="Due date", min_year=2000, error_messages=required("Enter the due date")
    )


class FeedbackForm(GovUKForm):
    """The standard questionnaire on one scale (3 or 5 points, chosen by a link on the page):
    the child's two statements and the parent's or carer's one."""

    submission_key = submission_key_field()
    respondent = forms.ChoiceField(
        label="Whose answers are these?",
        choices=Respondent.choices,
        widget=forms.RadioSelect,
        error_messages=required("Select whose answers these are"),
    )
    occasion = forms.ChoiceField(
        label="Given at",
        choices=FeedbackOccasion.choices,
        widget=forms.RadioSelect,
        error_messages=required("Select whether this was at a visit or a review"),
    )
    given_on = DateField(
        label="Date given", min_year=2000, past_only=True, error_messages=required("Enter the date")
    )

    def __init__(self, *args: object, scale: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.scale = scale
        _answer_fields(self, scale)
        self.fields["own_words"] = forms.CharField(
            label="In their own words",
            max_length=4000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="What they said, as they said it",
        )

    def answers(self) -> dict[str, int | None]:
        return {
            q.value: int(self.cleaned_data[f"answer_{q.value}"])
            if self.cleaned_data.get(f"answer_{q.value}")
            else None
            for q in FeedbackQuestion
        }


def _answer_fields(form: forms.Form, scale: int) -> None:
    """The standard questions, each a radio on the chosen scale (all optional here)."""
    choices = [(str(i), word) for i, word in enumerate(SCALES[scale], start=1)]
    for respondent, questions in QUESTIONS_FOR.items():
        for question in questions:
            form.fields[f"answer_{question.value}"] = forms.ChoiceField(
                label=f"\u201c{question.label}\u201d",
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=f"{respondent.label}'s answer",
            )


class FeedbackPart(RecordFormPart):
    """The questionnaire as part of recording a visit or a plan review: the child's answers
    and a parent's or carer's, each optional, each saved as its own questionnaire with the
    record's date and occasion."""

    OCCASIONS = {"visit": FeedbackOccasion.VISIT, "plan_review": FeedbackOccasion.REVIEW}
    WHOSE = {Respondent.CHILD: "the child's", Respondent.PARENT: "the parent's or carer's"}

    def __init__(
        self,
        *args: object,
        author: Practitioner,
        child: Child,
        occasion: str,
        scale: int,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.author, self.child, self.scale = author, child, scale
        self.occasion = self.OCCASIONS[occasion]
        self.words = SCALES[scale]
        _answer_fields(self, scale)
        for question in FeedbackQuestion:
            self.fields[f"answer_{question.value}"].help_text = ""  # under the person's heading
        for respondent in Respondent:
            self.fields[f"{respondent.value}_own_words"] = forms.CharField(
                label=f"In {self.WHOSE[respondent]} own words",
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="What they said, as they said it",
            )

    def by_respondent(self) -> list[tuple[str, list[BoundField]]]:
        """Each person's heading and fields, for the template."""
        parts = []
        for respondent, questions in QUESTIONS_FOR.items():
            names = [f"answer_{q.value}" for q in questions] + [f"{respondent.value}_own_words"]
            whose = self.WHOSE[respondent]
            parts.append((f"{whose[0].upper()}{whose[1:]} answers", [self[n] for n in names]))
        return parts

    def _given(self, respondent: Respondent) -> bool:
        data = self.cleaned_data
        return bool(data.get(f"{respondent.value}_own_words", "").strip()) or any(
            data.get(f"answer_{q.value}") for q in QUESTIONS_FOR[respondent]
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for respondent in Respondent:
            if not self._given(respondent):
                continue  # left empty: nothing asked of this person
            for question in QUESTIONS_FOR[respondent]:
                if not cleaned.get(f"answer_{question.value}"):
                    self.add_error(
                        f"answer_{question.value}",
                        f"Select an answer to \u201c{question.label}\u201d, or leave "
                        f"{self.WHOSE[respondent]} answers empty",
                    )
        return cleaned

    def save_part(self, *, on: datetime.date, submission_key: str) -> None:
        data = self.cleaned_data
        for respondent in Respondent:
            if not self._given(respondent):
                continue
            feedback_record(
                author=self.author,
                child=self.child,
                respondent=respondent.value,
                occasion=self.occasion,
                given_on=on,
                scale=self.scale,
                answers={
                    q.value: int(data[f"answer_{q.value}"]) for q in QUESTIONS_FOR[respondent]
                },
                own_words=data[f"{respondent.value}_own_words"],
                # One questionnaire per person per record, whatever the retries.
                submission_key=hashlib.sha256(
                    f"{submission_key}:{respondent.value}".encode()
                ).hexdigest(),
            )
