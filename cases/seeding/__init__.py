"""The synthetic partnership generator's framework: the seed-step registry and the COPY helpers.

`partnership.py` generates agencies, people, families, children and involvements in batches;
every other app (and `concerns.py`, `plans.py` here) adds its own records for each batch by
registering a step, so the generator never imports them. Rows go to PostgreSQL with COPY, so
memory stays flat at any size.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

# Columns that several seed steps write with COPY, named once.
CHRONOLOGY_COLUMNS = (
    "child_id",
    "family_id",
    "occurred_on",
    "event_type",
    "significance",
    "summary",
    "source_agency_id",
    "recorded_by_id",
    "recorded_at",
    "source_kind",
    "source_id",
)


INVOLVEMENT_COLUMNS = (
    "child_id",
    "level",
    "protection_category",
    "primary_need",
    "referral_source",
    "lead_agency_id",
    "team_id",
    "lead_professional_id",
    "started_on",
    "ended_on",
    "closure_reason",
    "change_reason",
)


@dataclass
class SeedChild:
    id: int
    family_id: int
    date_of_birth: datetime.date | None
    is_unborn: bool
    level: str
    involvement_started: datetime.date | None
    agency_ids: list[int]
    practitioner_ids: list[int]


@dataclass
class SeedBatch:
    """What one batch created, for other apps' seed steps to build on."""

    children: list[SeedChild]
    rng: random.Random
    today: datetime.date


SeedStep = Callable[[SeedBatch], None]


_seed_steps: list[SeedStep] = []


def register_seed_step(step: SeedStep) -> None:
    """Let another app add its own synthetic records for each batch of children."""
    if step not in _seed_steps:
        _seed_steps.append(step)


def seed_steps() -> list[SeedStep]:
    """Every registered step, in registration order."""
    return list(_seed_steps)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Stream rows into a table with COPY; None becomes NULL."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["\\N" if value is None else _copy_value(value) for value in row])
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


def _copy_value(value: object) -> object:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return "{" + ",".join(str(item) for item in value) + "}"
    return value


def reserve_ids(table: str, count: int) -> int:
    """Take `count` consecutive ids from the table's sequence; returns the first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return int(first)
