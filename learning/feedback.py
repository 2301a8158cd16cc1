"""Feedback from children and families: the short standard questionnaire a practitioner
records at a visit or a review (service), and its answers over time (selector)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, Practitioner
from cases.services import submission_repeat

from .models import (
    QUESTIONS_FOR,
    SCALES,
    Feedback,
    FeedbackAnswer,
    FeedbackQuestion,
    Respondent,
)


@transaction.atomic
def feedback_record(
    *,
    author: Practitioner,
    child: Child,
    respondent: str,
    occasion: str,
    given_on: datetime.date,
    scale: int,
    answers: dict[str, int | None],
    own_words: str,
    submission_key: str,
) -> Feedback:
    """Save one questionnaire and its answers, all or nothing. The author must already be
    able to see the child (the view reads it through the access policy); a retry with the same
    key returns the first one."""
    existing = submission_repeat(
        Feedback.objects.all(),
        submission_key=submission_key,
        recorded_by_id=author.pk,
        child_id=child.pk,
    )
    if existing is not None:
        return existing
    errors: dict[str, str] = {}
    if scale not in SCALES:
        errors["scale"] = "Choose a 3-point or 5-point scale"
    if given_on > timezone.localdate():
        errors["given_on"] = "The date must be today or in the past"
    asked = QUESTIONS_FOR.get(Respondent(respondent), []) if respondent in Respondent.values else []
    scores: dict[str, int] = {}
    for question in asked:
        score = answers.get(question.value)
        if score is None:
            errors[f"answer_{question.value}"] = f"Select an answer to \u201c{question.label}\u201d"
        elif not 1 <= score <= scale:
            errors[f"answer_{question.value}"] = "Select one of the answers shown"
        else:
            scores[question.value] = score
    agency = author.agency
    if agency is None:
        errors["__all__"] = "Only a practitioner of an agency records feedback"
    if errors or agency is None:
        raise ValidationError(errors)
    feedback = Feedback.objects.create(
        child=child,
        respondent=respondent,
        occasion=occasion,
        given_on=given_on,
        scale=scale,
        own_words=own_words.strip(),
        recorded_by=author,
        agency=agency,
        submission_key=submission_key,
    )
    FeedbackAnswer.objects.bulk_create(
        FeedbackAnswer(feedback=feedback, question=q, score=n) for q, n in scores.items()
    )
    return feedback


@dataclass
class FeedbackRow:
    given_on: datetime.date
    respondent: str
    occasion: str
    agency: str
    # Each question's answer in words (blank when not asked), in FeedbackQuestion's order.
    answers: list[str]
    own_words: str


def feedback_over_time(*, child: Child) -> dict[str, object]:
    """The child's questionnaires, oldest first, with the chart's points: each answer as a
    share of its scale (0 worst, 100 best), so 3- and 5-point answers sit on one axis."""
    feedback = list(
        Feedback.objects.filter(child=child)
        .select_related("agency")
        .prefetch_related("answers")
        .order_by("given_on", "pk")
    )
    rows = []
    series: dict[str, list[dict[str, object]]] = {q.value: [] for q in FeedbackQuestion}
    for item in feedback:
        by_question = {a.question: a.score for a in item.answers.all()}
        words = SCALES[item.scale]
        rows.append(
            FeedbackRow(
                given_on=item.given_on,
                respondent=item.get_respondent_display(),
                occasion=item.get_occasion_display(),
                agency=item.agency.name,
                answers=[
                    f"{words[by_question[q.value] - 1]} ({by_question[q.value]} of {item.scale})"
                    if q.value in by_question
                    else ""
                    for q in FeedbackQuestion
                ],
                own_words=item.own_words,
            )
        )
        for question, score in by_question.items():
            series[question].append(
                {
                    "date": item.given_on.isoformat(),
                    "value": round(100 * (score - 1) / (item.scale - 1)),
                }
            )
    return {
        "questions": [q.label for q in FeedbackQuestion],
        "rows": rows,
        "chart": {
            "series": [
                {"label": q.label, "points": series[q.value]}
                for q in FeedbackQuestion
                if series[q.value]
            ]
        },
    }
