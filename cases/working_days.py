"""Working days in England: weekends and England's bank holidays excluded.

Counting follows the children-in-need census validator: the start day is day 1. So a timescale
of N working days starting on day S is breached on a date D when more than N working days lie
in S..D inclusive.

The drift rules need this set-based, for 100,000 children at once. Because the count only
grows as the start moves earlier, "more than N working days from S to D" is the same as
"S on or before the (N+1)th working day counting back from D" — one boundary date, computed
here once per evaluation and compared with every child's start date in SQL.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

import holidays
from django.db.models import DateField, Func

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_inclusive(start: datetime.date, end: datetime.date) -> int:
    """Working days from start to end, both counted (the start day is day 1).

    By whole weeks, then the bank holidays falling on a weekday in the range: the queue words
    every flag on a page with it, and a day-by-day walk over a year of drift costs a lot."""
    if end < start:
        return 0
    weeks, extra = divmod((end - start).days + 1, 7)
    weekdays = weeks * 5 + sum((start.weekday() + offset) % 7 < 5 for offset in range(extra))
    holidays_on_weekdays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(year)
        if start <= day <= end and day.weekday() < 5
    )
    return weekdays - holidays_on_weekdays


def nth_working_day_back(end: datetime.date, n: int) -> datetime.date:
    """The nth working day counting back from `end` (end itself is the first if it works)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, found = end, 0
    while True:
        if is_working_day(day):
            found += 1
            if found == n:
                return day
        day -= ONE_DAY


def nth_working_day_from(start: datetime.date, n: int) -> datetime.date:
    """The date of working day n, counting the start day (if it is a working day) as day 1."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, found = start, 0
    while True:
        if is_working_day(day):
            found += 1
            if found == n:
                return day
        day += ONE_DAY


def breach_boundary(as_of: datetime.date, working_days: int) -> datetime.date:
    """The latest start date whose timescale of `working_days` is already breached on as_of.

    A start on or before the boundary has more than `working_days` working days up to as_of.
    """
    return nth_working_day_back(as_of, working_days + 1)


def bank_holidays_around(as_of: datetime.date) -> list[datetime.date]:
    """England's bank holidays from four years before `as_of` to one year after."""
    return sorted(
        day for year in range(as_of.year - 4, as_of.year + 2) for day in _bank_holidays(year)
    )


class NthWorkingDayFrom(Func):
    """`nth_working_day_from(start, n)` as SQL, for a start date that differs per child.

    The drift rules use it for the day a timescale was first breached: working day N+1 of a
    timescale of N. A bounded series of calendar days is enough (N working days never span
    more than 2N + 20 calendar days with England's holidays); holidays come as one array.
    """

    output_field = DateField()

    def __init__(self, start: Any, n: int, *, as_of: datetime.date) -> None:
        if n < 1:
            raise ValueError("n must be at least 1")
        super().__init__(start)
        self.n = n
        self.holidays = bank_holidays_around(as_of)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        # The start's SQL comes from Django's compiler; every value is a parameter.
        sql = (
            "(SELECT day::date FROM "  # noqa: S608  # nosec B608
            f"(SELECT ({start_sql})::timestamp AS first) AS start_day, "
            "generate_series(start_day.first, start_day.first + %s * interval '1 day', "
            "interval '1 day') AS day "
            "WHERE extract(isodow FROM day) < 6 AND day::date <> ALL(%s::date[]) "
            "ORDER BY day OFFSET %s LIMIT 1)"
        )
        params = [*start_params, 2 * self.n + 20, self.holidays, self.n - 1]
        return sql, params
