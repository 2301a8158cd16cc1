"""Synthetic plans, actions, visits, referrals and child protection meetings for every child at
early help or above, so the drift rules find a realistic share of stuck cases at any size.

Most cases are kept to timescale; a minority drift (a visit overdue, an action past its date,
a late core group or review conference, an assessment running long, a re-referral after a
recent closure), at rates a partnership would recognise. Drift is recent as often as old: a
visit weeks to a few months overdue, an action a few weeks to four months past its date, so
the flags open at any time have many ages (README: the seed's drift shape).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from cases.codes import NeedLevel
from cases.seeding import INVOLVEMENT_COLUMNS, SeedBatch, SeedChild, reserve_ids

DAY = datetime.timedelta(days=1)
PLAN_LEVELS = {NeedLevel.EARLY_HELP, NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION}
SOCIAL_CARE_LEVELS = {NeedLevel.CHILD_IN_NEED, NeedLevel.CHILD_PROTECTION, NeedLevel.LOOKED_AFTER}
# Share of cases whose visits have lapsed, and how far behind (multiples of the visit interval).
VISITS_LAPSED = 0.06
LAPSED_BY = (2, 6)
# Share of past-due actions still open, among those due in the last OVERDUE_WITHIN_DAYS days:
# older ones have been done or dropped at a review.
ACTIONS_OPEN_PAST_DUE = 0.04
# Share of children in need with fresh work in progress (a referral awaiting its decision, an
# open assessment, an initial conference to hold): enough that the demo's few hundred children
# show the late ones (ASSESSMENT_LATE, INITIAL_CONFERENCE_LATE, REFERRAL_DECISION_LATE).
AWAITING = 0.12
OVERDUE_WITHIN_DAYS = 120
# Days between visits when practice keeps to timescale, by level.
VISIT_EVERY: dict[str, int] = {
    NeedLevel.CHILD_PROTECTION: 9,
    NeedLevel.CHILD_IN_NEED: 15,
    NeedLevel.EARLY_HELP: 28,
    NeedLevel.LOOKED_AFTER: 35,
}
ACTIONS = (
    "Register the children with a dentist",
    "Support school attendance above 90%",
    "Health visitor to review growth and weight",
    "Parenting programme: attend all sessions",
    "Housing to repair heating and damp",
    "GP review of mother's mental health",
)
VOICES = (
    "Said there is not always food for breakfast.",
    "Drew a picture of the family and the dog.",
    "Said they like it when nan visits.",
    "Did not want to talk today; showed their bedroom.",
)


class _Rows:
    def __init__(self) -> None:
        self.plans: list[tuple[object, ...]] = []
        self.actions: list[tuple[object, ...]] = []
        self.visits: list[tuple[object, ...]] = []
        self.referrals: list[tuple[object, ...]] = []
        self.meetings: list[tuple[object, ...]] = []
        self.closed_involvements: list[tuple[object, ...]] = []


def seed_plans_visits_and_meetings(batch: SeedBatch) -> None:
    rng, today = batch.rng, batch.today
    rows = _Rows()
    now = datetime.datetime.now(datetime.UTC)
    for child in batch.children:
        if child.involvement_started is None:
            continue
        _visits(rows, rng, child, today, now)
        if child.level in PLAN_LEVELS:
            _plan(rows, rng, child, today, now)
        if child.level in SOCIAL_CARE_LEVELS:
            _referral(rows, rng, child, today, now)
        if child.level == NeedLevel.CHILD_IN_NEED and rng.random() < AWAITING:
            _awaiting(rows, rng, child, today, now)
        if child.level == NeedLevel.CHILD_PROTECTION:
            _meetings(rows, rng, child, today, now)
    _write(batch, rows)


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + DAY * rng.randrange(max(1, (end - start).days + 1))


def _visits(
    rows: _Rows, rng: random.Random, child: SeedChild, today: datetime.date, now: object
) -> None:
    assert child.involvement_started is not None
    every = VISIT_EVERY[child.level]
    drifting = rng.random() < VISITS_LAPSED
    last = today - DAY * (
        rng.randrange(every * LAPSED_BY[0], every * LAPSED_BY[1])
        if drifting
        else rng.randrange(every)
    )
    agency = child.agency_ids[-1]
    practitioner = child.practitioner_ids[-1]
    day, count = last, 0
    while day >= child.involvement_started and count < 6:
        seen = rng.random() < 0.96
        voice = rng.choice(VOICES) if seen and rng.random() < 0.85 else ""
        rows.visits.append(
            (
                child.id,
                day,
                rng.choice(("home_visit", "home_visit", "school_visit", "office", "phone")),
                seen,
                seen and rng.random() < 0.95,
                voice,
                agency,
                practitioner,
                now,
            )
        )
        day -= DAY * rng.randrange(max(2, every - 4), every + 5)
        count += 1


def _plan(
    rows: _Rows, rng: random.Random, child: SeedChild, today: datetime.date, now: object
) -> None:
    assert child.involvement_started is not None
    started = child.involvement_started
    rows.plans.append(
        (
            child.id,
            child.level,
            child.agency_ids[-1],
            "Meet the child's basic needs: food, warmth, school, health appointments.",
            started,
            max(started, today) + DAY * rng.randrange(7, 90),
            None,
            child.practitioner_ids[-1],
            now,
        )
    )
    plan_index = len(rows.plans) - 1
    for _ in range(rng.randrange(2, 5)):
        due = _between(rng, started + DAY * 14, today + DAY * 60)
        if due < today:
            recent = (today - due).days <= OVERDUE_WITHIN_DAYS
            status = (
                rng.choice(("not_started", "in_progress"))
                if recent and rng.random() < ACTIONS_OPEN_PAST_DUE
                else "done"
            )
        else:
            status = rng.choice(("not_started", "in_progress"))
        rows.actions.append(
            (
                plan_index,
                child.id,
                rng.choice(ACTIONS),
                rng.choice(child.agency_ids),
                due,
                status,
                due if status == "done" else None,
            )
        )


def _referral(
    rows: _Rows, rng: random.Random, child: SeedChild, today: datetime.date, now: object
) -> None:
    assert child.involvement_started is not None
    # The referral comes before the work it led to (census rules 1105, 4015).
    received = child.involvement_started - DAY * rng.randrange(0, 30)
    if child.date_of_birth and received < child.date_of_birth:
        received = child.date_of_birth
    undecided = (today - received).days < 5 and rng.random() < 0.3
    decided = None if undecided else received + DAY * rng.choice((0, 0, 0, 1, 1, 3))
    started = None if decided is None else decided + DAY * rng.randrange(0, 3)
    completed = None
    if started is not None:
        takes = rng.randrange(40, 90) if rng.random() < 0.1 else rng.randrange(10, 60)
        completed = started + DAY * takes
        if completed > today:
            completed = None
    rows.referrals.append(
        (
            child.id,
            received,
            rng.choice(("2A", "3B", "3E", "5D", "6", "1A", "4")),
            "" if decided is None else "assessment",
            decided,
            started,
            completed,
            None,
            "",
            now,
        )
    )
    if rng.random() < 0.15:  # a re-referral: a previous episode closed within the year before
        ended = received - DAY * rng.randrange(30, 330)
        begun = ended - DAY * rng.randrange(60, 400)
        if child.date_of_birth is None or begun >= child.date_of_birth:
            rows.closed_involvements.append((child.id, begun, ended))


def _awaiting(
    rows: _Rows, rng: random.Random, child: SeedChild, today: datetime.date, now: object
) -> None:
    """A child in need with fresh work in progress: a new referral awaiting its decision, an
    assessment still open (some beyond 45 working days), or a strategy discussion whose initial
    conference has not been held yet (some of them late)."""
    kind = rng.random()
    if kind < 0.35:
        received = today - DAY * rng.randrange(0, 6)
        if _episode_close(rows, rng, child, received):
            rows.referrals.append((child.id, received, "6", "", None, None, None, None, "", now))
    elif kind < 0.65:
        started = today - DAY * rng.randrange(20, 110)
        if _episode_close(rows, rng, child, started - DAY):
            rows.referrals.append(
                (
                    child.id,
                    started - DAY,
                    "3B",
                    "assessment",
                    started - DAY,
                    started,
                    None,
                    None,
                    "",
                    now,
                )
            )
    else:
        held = today - DAY * rng.randrange(3, 35)
        rows.meetings.append((child.id, "strategy_discussion", held, True, now))


def _episode_close(
    rows: _Rows, rng: random.Random, child: SeedChild, new_referral: datetime.date
) -> bool:
    """Close the child's open episode (and its plan) before a new referral: a child has one open
    episode at a time (census rules 8815, 8820). False when it is too young to close."""
    last: list[Any] = list(rows.referrals[-1])
    closed = new_referral - DAY * rng.randrange(1, 10)
    started = last[5]
    if last[0] != child.id or last[1] >= closed or (started is not None and started > closed):
        return False
    if started is not None and (last[6] is None or last[6] > closed):
        last[6] = closed  # the assessment was finished before the episode closed (rule 8867)
    last[7], last[8] = closed, "RC7"
    rows.referrals[-1] = tuple(last)
    if rows.plans and rows.plans[-1][0] == child.id:
        plan: list[Any] = list(rows.plans[-1])
        plan[6] = max(closed, plan[4])
        rows.plans[-1] = tuple(plan)
    return True


def _meetings(
    rows: _Rows, rng: random.Random, child: SeedChild, today: datetime.date, now: object
) -> None:
    assert child.involvement_started is not None
    initial = child.involvement_started
    strategy = initial - DAY * rng.randrange(5, 22)
    received: Any = rows.referrals[-1][1] if rows.referrals[-1][0] == child.id else None
    if received is not None and strategy < received:
        strategy = received  # the enquiry follows the referral (census rule 2889)
    rows.meetings.append((child.id, "strategy_discussion", strategy, True, now))
    rows.meetings.append((child.id, "initial_conference", initial, False, now))
    # A core group is missing only while the plan is new (later ones were held).
    new_plan = (today - initial).days < 45
    if (not new_plan or rng.random() < 0.5) and initial + DAY * 8 <= today:
        rows.meetings.append(
            (child.id, "core_group", initial + DAY * rng.randrange(3, 12), False, now)
        )
    # Most reviews are held in time (3 months, then 6); some slip by weeks, so at any time a
    # few plans are waiting for an overdue review (REVIEW_CONFERENCE_OVERDUE).
    review = initial + DAY * (85 if rng.random() < 0.85 else 130)
    while review <= today:
        rows.meetings.append((child.id, "review_conference", review, False, now))
        review += DAY * (175 if rng.random() < 0.85 else 230)


def _write(batch: SeedBatch, rows: _Rows) -> None:
    if rows.plans:
        first_plan = reserve_ids("cases_plan", len(rows.plans))
        batch.copy_rows(
            "cases_plan",
            (
                "id",
                "child_id",
                "level",
                "lead_agency_id",
                "summary",
                "started_on",
                "review_due_on",
                "ended_on",
                "recorded_by_id",
                "recorded_at",
                "submission_key",
            ),
            (
                (first_plan + i, *row, f"seed-plan-{first_plan + i}")
                for i, row in enumerate(rows.plans)
            ),
        )
        first_action = reserve_ids("cases_planaction", max(1, len(rows.actions)))
        batch.copy_rows(
            "cases_planaction",
            (
                "id",
                "plan_id",
                "child_id",
                "description",
                "owner_agency_id",
                "due_on",
                "status",
                "completed_on",
                "submission_key",
            ),
            (
                (
                    first_action + i,
                    first_plan + int(row[0]),  # type: ignore[call-overload]
                    *row[1:],
                    f"seed-action-{first_action + i}",
                )
                for i, row in enumerate(rows.actions)
            ),
        )
    _copy_keyed(
        batch,
        "cases_visit",
        (
            "child_id",
            "occurred_on",
            "kind",
            "child_seen",
            "child_seen_alone",
            "child_voice",
            "agency_id",
            "recorded_by_id",
            "recorded_at",
        ),
        rows.visits,
    )
    _copy_keyed(
        batch,
        "cases_referral",
        (
            "child_id",
            "received_on",
            "source",
            "decision",
            "decision_on",
            "assessment_started_on",
            "assessment_completed_on",
            "closed_on",
            "closure_reason",
            "recorded_at",
        ),
        rows.referrals,
    )
    _copy_keyed(
        batch,
        "cases_protectionmeeting",
        ("child_id", "kind", "held_on", "conference_needed", "notes", "recorded_at"),
        [(*row[:4], "", row[4]) for row in rows.meetings],
    )
    if rows.closed_involvements:
        batch.copy_rows(
            "cases_involvement",
            INVOLVEMENT_COLUMNS,
            _closed_involvement_rows(batch, rows.closed_involvements),
        )


def _closed_involvement_rows(
    batch: SeedBatch, closed: list[tuple[object, ...]]
) -> list[tuple[object, ...]]:
    from cases.models import Agency

    social_care = batch.once(
        "social care agency",
        lambda: (
            Agency.objects.filter(agency_type="childrens_social_care")
            .values_list("pk", flat=True)
            .first()
        ),
    )
    return [
        (
            child_id,
            "child_in_need",
            "",
            "N1",
            "2A",
            social_care,
            None,
            None,
            begun,
            ended,
            "RC7",
            "",
        )
        for child_id, begun, ended in closed
    ]


def _copy_keyed(
    batch: SeedBatch, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]
) -> None:
    """COPY rows with reserved ids and a unique submission key for each."""
    if not rows:
        return
    first = reserve_ids(table, len(rows))
    batch.copy_rows(
        table,
        ("id", *columns, "submission_key"),
        ((first + i, *row, f"seed-{table}-{first + i}") for i, row in enumerate(rows)),
    )
