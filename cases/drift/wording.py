"""Helpers the rules' `describe` functions share, to say a child's figures in one sentence."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from cases.codes import AgencyType, NeedLevel
from cases.working_days import working_days_inclusive

LEVEL_PHRASES = {
    NeedLevel.EARLY_HELP: "at early help",
    NeedLevel.CHILD_IN_NEED: "as a child in need",
    NeedLevel.CHILD_PROTECTION: "on a protection plan",
    NeedLevel.LOOKED_AFTER: "as a looked-after child",
}


def day_in(figures: Mapping[str, Any], key: str) -> datetime.date | None:
    """A date stored in the figures (PostgreSQL writes them as ISO strings), or None."""
    value = figures.get(key)
    return datetime.date.fromisoformat(value[:10]) if value else None


def short_date(day: datetime.date | None, today: datetime.date) -> str:
    """ "12 Aug", with the year when it is not this year's."""
    if day is None:
        return "an unknown date"
    return f"{day.day} {day:%b}" + ("" if day.year == today.year else f" {day.year}")


def working_days_after(day: datetime.date | None, today: datetime.date) -> int:
    """Working days from the day after `day` up to today: how long ago, in working days."""
    if day is None or day >= today:
        return 0
    return working_days_inclusive(day + datetime.timedelta(days=1), today)


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def level_phrase(level: str | None) -> str:
    return LEVEL_PHRASES.get(level, "at this level") if level else "at this level"  # type: ignore[call-overload]


def agency_types_in_words(codes: Iterable[str]) -> str:
    """["education", "health", "police"] -> "education, health and police"."""
    labels = [str(AgencyType(code).label).lower() for code in codes if code in AgencyType.values]
    if len(labels) <= 1:
        return "".join(labels) or "unknown agencies"
    return ", ".join(labels[:-1]) + " and " + labels[-1]
