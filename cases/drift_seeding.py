"""Synthetic plans, visits, referrals and meetings, so drift appears realistically at scale."""

from __future__ import annotations

from .seeding import SeedBatch


def seed_plans_visits_and_meetings(batch: SeedBatch) -> None:
    return None
