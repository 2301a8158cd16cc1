"""Synthetic feedback from children and families, written with COPY per batch.

About a third of children at early help or above have two to four questionnaires a few months
apart, from the child (aged 5 or more) and from a parent or carer, on a 3- or 5-point scale.
Most families' answers get better over time, some stay the same and a few get worse."""

from __future__ import annotations

import datetime
import random

from cases.codes import NeedLevel
from cases.seeding import SeedBatch, copy_rows, reserve_ids

from .models import QUESTIONS_FOR, FeedbackOccasion, Respondent

SHARE_ASKED = 0.35
WORDS = (
    "I like it when my mum is home",
    "Nobody listens",
    "My worker came back like she said",
    "We know what we have to do now",
    "It is better at home",
    "",
)
FEEDBACK_COLUMNS = (
    "id",
    "child_id",
    "respondent",
    "occasion",
    "given_on",
    "scale",
    "own_words",
    "recorded_by_id",
    "agency_id",
    "recorded_at",
    "submission_key",
)


def _age(born: datetime.date | None, day: datetime.date) -> int:
    if born is None:
        return -1
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def seed_feedback(batch: SeedBatch) -> None:
    rng: random.Random = batch.rng
    plans = []
    for child in batch.children:
        if child.level == NeedLevel.UNIVERSAL or child.is_unborn or not child.practitioner_ids:
            continue
        if rng.random() >= SHARE_ASKED:
            continue
        index = rng.randrange(len(child.practitioner_ids))
        trend = rng.choices((1, 0, -1), weights=(60, 30, 10))[0]
        scale = rng.choice((3, 5))
        visits = rng.randint(2, 4)
        first = batch.today - datetime.timedelta(days=rng.randint(120, 540))
        for n in range(visits):
            given = first + datetime.timedelta(days=n * rng.randint(40, 120))
            if given > batch.today:
                break
            for respondent in (Respondent.CHILD, Respondent.PARENT):
                if respondent == Respondent.CHILD and _age(child.date_of_birth, given) < 5:
                    continue
                start = 1 if trend >= 0 else scale
                score = max(1, min(scale, start + trend * n + rng.choice((0, 0, 1, -1))))
                plans.append(
                    (
                        child,
                        child.agency_ids[index],
                        child.practitioner_ids[index],
                        given,
                        respondent,
                        scale,
                        score,
                    )
                )
    if not plans:
        return
    next_id = reserve_ids("learning_feedback", len(plans))
    feedback_rows, answer_rows = [], []
    for offset, (child, agency, author, given, respondent, scale, score) in enumerate(plans):
        pk = next_id + offset
        recorded = datetime.datetime.combine(given, datetime.time(12), tzinfo=datetime.UTC)
        feedback_rows.append(
            (
                pk,
                child.id,
                respondent,
                rng.choice(FeedbackOccasion.values),
                given,
                scale,
                rng.choice(WORDS),
                author,
                agency,
                recorded,
                f"seed-feedback-{pk}",
            )
        )
        for question in QUESTIONS_FOR[respondent]:
            answer = max(1, min(scale, score + rng.choice((0, 0, 0, 1, -1))))
            answer_rows.append((pk, question.value, answer))
    copy_rows("learning_feedback", FEEDBACK_COLUMNS, feedback_rows)
    copy_rows("learning_feedbackanswer", ("feedback_id", "question", "score"), answer_rows)
