"""Health's "was not brought" notifications in the synthetic partnership (a seed step), so the
rule they feed (WAS_NOT_BROUGHT_REPEATED) has children to find, as a real partnership's would.

Under-fives are the children health visiting sees (their first agency in the seed is health).
A few are not brought to several appointments in a year (the rule's default is 3), more to one
or two. Its own random stream, seeded from the batch, leaves every other step's rows as they
were."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from cases.seeding import CHRONOLOGY_COLUMNS, SeedBatch

# Shares of under-fives: not brought to 3-5 appointments in the last year; to 1-2.
REPEATEDLY_NOT_BROUGHT = 0.04
ONCE_OR_TWICE = 0.12
SUMMARY = "Was not brought to a health visiting appointment; family not answering calls."


def seed_was_not_brought(batch: SeedBatch) -> None:
    if not batch.children:
        return
    rng = random.Random(f"was-not-brought-{batch.children[0].id}")
    today, now = batch.today, timezone.now()
    rows = []
    for child in batch.children:
        born = child.date_of_birth
        if born is None or (today - born).days > 5 * 365 or not child.agency_ids:
            continue
        draw = rng.random()
        if draw < REPEATEDLY_NOT_BROUGHT:
            missed = rng.randrange(3, 6)
        elif draw < REPEATEDLY_NOT_BROUGHT + ONCE_OR_TWICE:
            missed = rng.randrange(1, 3)
        else:
            continue
        span = max(1, min((today - born).days, 364))
        for _ in range(missed):
            rows.append(
                (
                    child.id,
                    child.family_id,
                    today - datetime.timedelta(days=rng.randrange(span)),
                    "was_not_brought",
                    "medium",
                    SUMMARY,
                    child.agency_ids[0],
                    child.practitioner_ids[0],
                    now,
                    "",
                    None,
                )
            )
    batch.copy_rows("cases_chronologyentry", CHRONOLOGY_COLUMNS, rows)
