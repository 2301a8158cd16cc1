import datetime

import pytest

from cases.working_days import (
    breach_boundary,
    is_working_day,
    nth_working_day_from,
    working_days_inclusive,
)

D = datetime.date


def test_weekends_and_englands_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(D(2025, 12, 25))  # Christmas Day
    assert not is_working_day(D(2025, 12, 26))  # Boxing Day
    assert not is_working_day(D(2026, 4, 6))  # Easter Monday
    assert not is_working_day(D(2026, 1, 3))  # Saturday
    assert is_working_day(D(2025, 12, 24))


def test_the_start_day_counts_as_day_one() -> None:
    assert working_days_inclusive(D(2026, 1, 5), D(2026, 1, 5)) == 1
    assert nth_working_day_from(D(2026, 1, 5), 1) == D(2026, 1, 5)


def test_counting_across_christmas_skips_both_bank_holidays_and_new_year() -> None:
    # Mon 22 Dec 2025 to Fri 2 Jan 2026: 10 weekdays, less 25, 26 Dec and 1 Jan.
    assert working_days_inclusive(D(2025, 12, 22), D(2026, 1, 2)) == 7
    assert nth_working_day_from(D(2025, 12, 22), 4) == D(2025, 12, 29)


def test_counting_across_easter_skips_good_friday_and_easter_monday() -> None:
    assert working_days_inclusive(D(2026, 4, 2), D(2026, 4, 7)) == 2


def test_the_breach_boundary_is_the_latest_start_with_too_many_working_days() -> None:
    as_of = D(2026, 1, 6)
    boundary = breach_boundary(as_of, 10)
    assert boundary == D(2025, 12, 18)
    assert working_days_inclusive(boundary, as_of) == 11
    assert working_days_inclusive(boundary + datetime.timedelta(days=1), as_of) == 10


def test_a_count_of_zero_working_days_is_refused() -> None:
    with pytest.raises(ValueError):
        nth_working_day_from(D(2026, 1, 5), 0)
