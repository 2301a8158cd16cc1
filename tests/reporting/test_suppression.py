"""Suppression: no count from 1 to 4 can be read, or worked out by subtraction, from a table."""

from __future__ import annotations

import random

from reporting.suppression import SUPPRESSED, Figure, ShownFigure, suppress


def recoverable_numerators(shown: list[ShownFigure], total: ShownFigure | None) -> dict[int, int]:
    """What an attacker can work out: each hidden numerator whose value is forced by the
    column total and the known bounds (0 up to its denominator, when that is shown)."""
    if total is None or total.numerator is None:
        return {}
    hidden = [i for i, row in enumerate(shown) if row.numerator is None]
    remaining = total.numerator - sum(row.numerator or 0 for row in shown)
    upper = {i: min(remaining, shown[i].denominator or remaining) for i in hidden}
    found = {}
    for i in hidden:
        lowest = max(0, remaining - sum(upper[j] for j in hidden if j != i))
        if lowest == upper[i]:
            found[i] = lowest
    return found


def recoverable_denominators(shown: list[ShownFigure], total: ShownFigure | None) -> dict[int, int]:
    if total is None or total.denominator is None:
        return {}
    hidden = [i for i, row in enumerate(shown) if row.denominator is None]
    if len(hidden) == 1:
        return {hidden[0]: total.denominator - sum(row.denominator or 0 for row in shown)}
    return {}


def figures(*pairs: tuple[int, int | None]) -> list[Figure]:
    return [Figure(f"Row {i}", num, den) for i, (num, den) in enumerate(pairs)]


def test_a_count_from_1_to_4_is_shown_as_suppressed() -> None:
    shown, _ = suppress(figures((3, None), (0, None), (5, None)))
    assert [row.numerator_text for row in shown] == [SUPPRESSED, "0", "5"]


def test_a_single_small_cell_cannot_be_recovered_by_subtracting_from_the_total() -> None:
    rows = figures((3, None), (40, None), (12, None))
    shown, total = suppress(rows, Figure("Total", 55, None))
    assert shown[0].numerator is None
    assert shown[2].numerator is None  # the next smallest, hidden with it
    assert shown[1].numerator == 40 and total is not None and total.numerator == 55
    assert recoverable_numerators(shown, total) == {}


def test_the_total_is_hidden_when_no_other_cell_could_be() -> None:
    shown, total = suppress(figures((0, None), (0, None), (0, None)), Figure("Total", 0, None))
    assert total is not None and total.numerator == 0  # nothing small: nothing hidden
    shown, total = suppress(figures((3, None), (0, None)), Figure("Total", 3, None))
    assert shown[0].numerator is None and total is not None and total.numerator is None


def test_a_small_numerator_cannot_be_recovered_from_its_percentage() -> None:
    shown, _ = suppress(figures((3, 50)))
    assert shown[0].rate_text == SUPPRESSED
    assert shown[0].rate is None
    assert shown[0].denominator == 50


def test_a_small_complement_hides_the_numerator() -> None:
    # 48 of 50 seen children had their words recorded: showing 48 would reveal the 2 who did not.
    shown, _ = suppress(figures((48, 50)))
    assert shown[0].numerator is None and shown[0].rate_text == SUPPRESSED


def test_a_small_denominator_hides_its_row_and_the_next_smallest_denominator() -> None:
    rows = figures((0, 3), (20, 60), (10, 30))
    shown, total = suppress(rows, Figure("Total", 30, 93))
    assert shown[0].denominator is None and shown[0].numerator is None
    assert shown[2].denominator is None  # else 93 - 60 - 30 gives the 3 back
    assert recoverable_denominators(shown, total) == {}
    assert recoverable_numerators(shown, total) == {}


def test_no_small_count_survives_in_random_tables() -> None:
    """An attacker with the column totals recovers no count from 1 to 4, in 2,000 tables."""
    rng = random.Random(6)
    for _ in range(2000):
        size = rng.randint(1, 7)
        dens = [rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30, 100]) for _ in range(size)]
        has_den = rng.random() < 0.6
        nums = [rng.randint(0, den) for den in dens] if has_den else dens
        rows = figures(*[(n, d if has_den else None) for n, d in zip(nums, dens, strict=True)])
        total = Figure("Total", sum(nums), sum(dens) if has_den else None)
        shown, shown_total = suppress(rows, total)
        for row, true in zip([*shown, shown_total], [*rows, total], strict=True):
            assert row is not None
            for value in (row.numerator, row.denominator):
                assert value is None or not 1 <= value <= 4, (rows, shown)
            if true.denominator is not None and row.numerator is not None:
                complement = true.denominator - true.numerator
                assert not 1 <= complement <= 4 or row.denominator is None, (rows, shown)
            if row.rate is not None:
                assert row.numerator is not None and row.denominator is not None
        for index, value in recoverable_numerators(shown, shown_total).items():
            assert not 1 <= value <= 4, (rows, shown, index)
        for index, value in recoverable_denominators(shown, shown_total).items():
            assert not 1 <= value <= 4, (rows, shown, index)


def test_shares_of_a_total_hide_a_small_category_and_the_next_smallest() -> None:
    rows = figures((40, 50), (7, 50), (3, 50))
    shown, total = suppress(rows, Figure("Total", 50, 50), share_of_total=True)
    assert shown[2].numerator is None and shown[1].numerator is None
    assert total is not None and total.numerator == 50
    assert recoverable_numerators(shown, total) == {}


def grouped(*groups: tuple[str, list[int]]) -> tuple[list[Figure], list[str], Figure]:
    """Rows of groups whose numerators add up to the group's count (each row's denominator)."""
    rows, names = [], []
    for name, counts in groups:
        for index, count in enumerate(counts):
            rows.append(Figure(f"{name} {index}", count, sum(counts)))
            names.append(name)
    everything = sum(row.numerator for row in rows)
    return rows, names, Figure("Total", everything, everything)


def test_a_small_cell_cannot_be_recovered_from_its_groups_count() -> None:
    # Area A: improved 2, no change 8, deteriorated 6. Hiding the next smallest cell of the
    # whole column (B's 5) would leave A's 2 = 16 - 8 - 6; it must be hidden within A.
    rows, names, total = grouped(("A", [2, 8, 6]), ("B", [5, 10, 10]))
    shown, shown_total = suppress(rows, total, share_of_total=True, groups=names)
    for name in ("A", "B"):
        members = [row for row, group in zip(shown, names, strict=True) if group == name]
        count = members[0].denominator
        group_total = ShownFigure(name, count, None, False)
        assert recoverable_numerators(members, group_total) == {}
    assert shown[0].numerator is None and shown[2].numerator is None
    assert recoverable_numerators(shown, shown_total) == {}


def test_a_small_groups_count_cannot_be_recovered_from_the_total() -> None:
    rows, names, total = grouped(("A", [1, 2, 0]), ("B", [6, 10, 10]), ("C", [20, 5, 9]))
    shown, shown_total = suppress(rows, total, share_of_total=True, groups=names)
    assert all(row.denominator is None and row.numerator is None for row in shown[:3])
    assert shown_total is not None
    counts = {name: row.denominator for row, name in zip(shown, names, strict=True)}
    hidden = [name for name, count in counts.items() if count is None]
    # Either another group's count is hidden too, or the total is.
    assert len(hidden) >= 2 or shown_total.numerator is None
