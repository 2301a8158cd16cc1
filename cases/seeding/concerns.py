"""Seed step: neglect concerns for each batch of the synthetic partnership.

Roughly 0 to 6 concerns per child, more for children at higher levels of need; siblings are
sometimes the subject of one concern together. Each concern gets its ConcernChild rows and a
chronology entry per child and, for a child whose case an agency holds, that agency's outcome
(most older concerns answered, about half of the last month's), all written with COPY.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from cases.casework.concerns import concern_chronology_summary
from cases.codes import ConcernOutcomeKind, NeedLevel
from cases.seeding import CHRONOLOGY_COLUMNS, SeedBatch, SeedChild, reserve_ids

CONCERNS_BY_LEVEL = {
    NeedLevel.UNIVERSAL: (0, 0, 0, 1),
    NeedLevel.EARLY_HELP: (0, 1, 1, 2, 3),
    NeedLevel.CHILD_IN_NEED: (1, 2, 2, 3, 4),
    NeedLevel.CHILD_PROTECTION: (2, 3, 4, 5, 6),
    NeedLevel.LOOKED_AFTER: (1, 2, 3, 4, 5),
}
NEGLECT_WEIGHTS = (
    ("physical", 30),
    ("nutritional", 18),
    ("medical", 16),
    ("supervision", 16),
    ("emotional", 12),
    ("educational", 8),
)
SEEN = {
    "physical": "Home cold and dirty; child in unwashed clothes too small for them.",
    "nutritional": "Child hungry on arrival, asking other children for food; little food at home.",
    "medical": "Dental pain untreated; two health appointments missed this term.",
    "supervision": "Young child found alone outside the house in the evening.",
    "emotional": "Carer ignored the child's distress and spoke to them harshly throughout.",
    "educational": "Repeated unexplained absence; no response to the school's letters.",
}
# Outcomes the agency holding the case records (`ConcernOutcome`): shares answered among
# concerns logged in the last month and before it, and the kinds of answer.
OUTCOME_RECENT_DAYS = 28
ANSWERED_RECENT = 0.45
ANSWERED_OLDER = 0.93
OUTCOME_WEIGHTS = (
    (ConcernOutcomeKind.ACKNOWLEDGED, 30),
    (ConcernOutcomeKind.ASSESSMENT_STARTED, 30),
    (ConcernOutcomeKind.ESCALATED, 10),
    (ConcernOutcomeKind.NO_FURTHER_ACTION, 30),
)
NO_FURTHER_ACTION_REASON = "Needs met by the support already in place; the family was given advice."
PLACES = ("At home", "At school", "In clinic", "At nursery", "In the community")
CHILD_WORDS = (
    "There's no food at home sometimes.",
    "Mum was asleep and I made my own tea.",
    "My tooth hurts all the time.",
    "I don't like going home.",
    "I was cold in bed.",
    "Nobody takes me to school.",
)
SEVERITY_BY_LEVEL = {
    NeedLevel.UNIVERSAL: (70, 25, 5),
    NeedLevel.EARLY_HELP: (50, 40, 10),
    NeedLevel.CHILD_IN_NEED: (30, 50, 20),
    NeedLevel.CHILD_PROTECTION: (15, 45, 40),
    NeedLevel.LOOKED_AFTER: (20, 50, 30),
}


def seed_concerns(batch: SeedBatch) -> None:
    rng, today = batch.rng, batch.today
    families: dict[int, list[SeedChild]] = defaultdict(list)
    for child in batch.children:
        families[child.family_id].append(child)

    planned: list[tuple[SeedChild, list[SeedChild]]] = []  # (whose agency logs it, subjects)
    for members in families.values():
        for child in members:
            count = rng.choice(CONCERNS_BY_LEVEL[NeedLevel(child.level)])
            for _ in range(count):
                together = len(members) > 1 and rng.random() < 0.25
                planned.append((child, list(members) if together else [child]))
    if not planned:
        return

    first_id = reserve_ids("cases_concern", len(planned))
    now = timezone.now()
    known = {(c.id, a) for c in batch.children for a in c.agency_ids}
    concerns, subjects, entries, links = [], [], [], []
    outcomes: list[tuple[object, ...]] = []
    # Its own stream: the outcomes leave every other row of the seed as it was.
    answering = random.Random(f"concern-outcomes-{first_id}")
    for offset, (about, children) in enumerate(planned):
        concern_id = first_id + offset
        source = rng.randrange(len(about.agency_ids))
        agency_id, author_id = about.agency_ids[source], about.practitioner_ids[source]
        types = sorted(
            set(
                rng.choices(
                    [t for t, _ in NEGLECT_WEIGHTS],
                    [w for _, w in NEGLECT_WEIGHTS],
                    k=rng.choice((1, 1, 2, 3)),
                )
            )
        )
        severity = rng.choices(
            ("low", "medium", "high"), SEVERITY_BY_LEVEL[NeedLevel(about.level)]
        )[0]
        observed = _observed_on(rng, children, today)
        # Logged within a couple of days of being seen, in working hours (never in the future).
        submitted = min(
            now,
            datetime.datetime.combine(
                observed + datetime.timedelta(days=rng.randrange(3)),
                datetime.time(8 + rng.randrange(9), rng.randrange(60)),
                tzinfo=datetime.UTC,
            ),
        )
        seen = rng.random() < 0.85
        spoken = seen and rng.random() < 0.6
        consent = rng.choices(("given", "refused_shared", "not_sought"), (75, 15, 10))[0]
        what_was_seen = " ".join(SEEN[t] for t in types)
        concerns.append(
            (
                concern_id,
                author_id,
                agency_id,
                about.family_id,
                types,
                what_was_seen,
                severity,
                observed,
                rng.choice(PLACES),
                seen,
                seen and rng.random() < 0.4,
                spoken,
                rng.choice(CHILD_WORDS) if spoken and rng.random() < 0.7 else "",
                [
                    rng.choice(
                        ("advice", "early_help_assessment", "front_door_referral", "none_yet")
                    )
                ],
                consent,
                "" if consent == "given" else "Sharing needed to safeguard the child.",
                submitted,
                f"seed-{concern_id}",
            )
        )
        summary = concern_chronology_summary(neglect_types=types, what_was_seen=what_was_seen)
        answers = concerns[-1][9:13]  # seen, seen alone, spoken to, words: each child's own
        for child in children:
            subjects.append((concern_id, child.id, *answers))
            outcome = _outcome(answering, child, concern_id, submitted, now)
            if outcome is not None:
                outcomes.append(outcome)
            entries.append(
                (
                    child.id,
                    child.family_id,
                    observed,
                    "concern",
                    severity,
                    summary,
                    agency_id,
                    author_id,
                    submitted,
                    "concern",
                    concern_id,
                )
            )
            if (child.id, agency_id) not in known:
                known.add((child.id, agency_id))
                links.append((child.id, agency_id, "concern", now))

    batch.copy_rows(
        "cases_concern",
        (
            "id",
            "author_id",
            "author_agency_id",
            "family_id",
            "neglect_types",
            "what_was_seen",
            "severity",
            "observed_on",
            "place_observed",
            "child_seen",
            "child_seen_alone",
            "child_spoken_to",
            "child_voice",
            "actions_taken",
            "consent_to_share",
            "sharing_reason",
            "submitted_at",
            "submission_key",
        ),
        concerns,
    )
    batch.copy_rows(
        "cases_concernchild",
        (
            "concern_id",
            "child_id",
            "child_seen",
            "child_seen_alone",
            "child_spoken_to",
            "child_voice",
        ),
        subjects,
    )
    batch.copy_rows(
        "cases_concernoutcome",
        (
            "concern_id",
            "child_id",
            "outcome",
            "reason",
            "recorded_by_id",
            "recording_agency_id",
            "recorded_at",
        ),
        outcomes,
    )
    batch.copy_rows(
        "cases_legitimaterelationship", ("child_id", "agency_id", "basis", "since"), links
    )
    batch.copy_rows(
        "cases_chronologyentry",
        CHRONOLOGY_COLUMNS,
        entries,
    )


def _outcome(
    rng: random.Random,
    child: SeedChild,
    concern_id: int,
    submitted: datetime.datetime,
    now: datetime.datetime,
) -> tuple[object, ...] | None:
    """The holding agency's outcome for one child of a concern, as a partnership's leads would
    have recorded it: nearly every concern older than a month answered, about half of the
    recent ones, each within days. A child with no open case has nobody to answer (None)."""
    holding = child.holding_agency_id
    if holding is None:
        return None
    recent = now - submitted < datetime.timedelta(days=OUTCOME_RECENT_DAYS)
    if rng.random() >= (ANSWERED_RECENT if recent else ANSWERED_OLDER):
        return None
    recorded = submitted + datetime.timedelta(hours=rng.randrange(4, 240))
    if recorded > now:
        return None  # not answered yet
    kind = rng.choices([k for k, _ in OUTCOME_WEIGHTS], [w for _, w in OUTCOME_WEIGHTS])[0]
    reason = NO_FURTHER_ACTION_REASON if kind == ConcernOutcomeKind.NO_FURTHER_ACTION else ""
    recorder = child.practitioner_ids[child.agency_ids.index(holding)]
    return (concern_id, child.id, kind, reason, recorder, holding, recorded)


def _observed_on(
    rng: random.Random, children: list[SeedChild], today: datetime.date
) -> datetime.date:
    """A day in the last three years on which every subject of the concern was born."""
    earliest = today - datetime.timedelta(days=3 * 365)
    for child in children:
        if child.date_of_birth and child.date_of_birth > earliest:
            earliest = child.date_of_birth
    span = max(1, (today - earliest).days)
    return today - datetime.timedelta(days=rng.randrange(span))
