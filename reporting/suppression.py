"""Statistical disclosure control for every table shown or exported.

Counts from 1 to 4 are never shown ("[c]"). Because a table with a total lets a reader
recover a hidden cell by subtraction, suppression is also applied a second time:

* primary: a numerator or denominator from 1 to 4 is hidden;
* within a row: a numerator whose complement (denominator minus numerator) is from 1 to 4 is
  hidden, and a hidden denominator hides its numerator; a hidden numerator hides the
  percentage (which would give it back);
* within a column that has a total: if exactly one cell is hidden, the next smallest non-zero
  cell is hidden too (or, when there is none, the total);
* within a group (rows sharing a denominator they add up to, e.g. one GCP2 area's improved,
  no change and deteriorated): the same, against the group's denominator; and the groups'
  denominators, which add up to the total, are protected like a column.

Applied at render and export time, from the true counts stored in the snapshot, by this one
function, so pages, CSV, PDF and the API cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESSED = "[c]"
SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Figure:
    label: str
    numerator: int
    denominator: int | None  # None for a plain count


@dataclass
class ShownFigure:
    label: str
    numerator: int | None  # None when suppressed
    denominator: int | None
    has_denominator: bool
    numerator_hidden: bool = False
    denominator_hidden: bool = False

    @property
    def rate(self) -> float | None:
        if not self.has_denominator or self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def numerator_text(self) -> str:
        return SUPPRESSED if self.numerator is None else f"{self.numerator:,}"

    @property
    def denominator_text(self) -> str:
        if not self.has_denominator:
            return ""
        return SUPPRESSED if self.denominator is None else f"{self.denominator:,}"

    @property
    def rate_text(self) -> str:
        if not self.has_denominator:
            return ""
        if self.numerator is None or self.denominator is None:
            return SUPPRESSED
        rate = self.rate
        return "-" if rate is None else f"{rate:.1%}"


def is_small(count: int | None) -> bool:
    return count is not None and 1 <= count < SMALLEST_SHOWN


def _protect_column(
    values: list[int | None], hidden: list[bool], total: int | None, total_hidden: bool
) -> tuple[list[bool], bool]:
    """Secondary suppression of one column against its total."""
    if total is None or total_hidden:
        return hidden, total_hidden
    hidden_count = sum(hidden)
    if hidden_count != 1:
        return hidden, total_hidden
    candidates = [
        (value, index)
        for index, (value, is_hidden) in enumerate(zip(values, hidden, strict=True))
        if not is_hidden and value
    ]
    if candidates:
        _, index = min(candidates)
        hidden = [*hidden]
        hidden[index] = True
        return hidden, total_hidden
    return hidden, True


def _protect_groups(
    figures: list[Figure],
    groups: list[str],
    num_hidden: list[bool],
    den_hidden: list[bool],
    total: Figure | None,
) -> None:
    """Secondary suppression within each group and across the groups' denominators (in place).

    Every row of a group has the group's count as its denominator, and the group's numerators
    add up to it; the groups' counts add up to the total's numerator.
    """
    members: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    for rows in members.values():
        hidden, group_hidden = _protect_column(
            [figures[i].numerator for i in rows],
            [num_hidden[i] for i in rows],
            figures[rows[0]].denominator,
            any(den_hidden[i] for i in rows),
        )
        for i, is_hidden in zip(rows, hidden, strict=True):
            num_hidden[i] = is_hidden
            den_hidden[i] = group_hidden
    if total is None:
        return
    firsts = [rows[0] for rows in members.values()]
    hidden, total_hidden = _protect_column(
        [figures[i].denominator for i in firsts],
        [den_hidden[i] for i in firsts],
        total.numerator,
        num_hidden[len(figures)],
    )
    for rows, is_hidden in zip(members.values(), hidden, strict=True):
        for i in rows:
            den_hidden[i] = is_hidden
    num_hidden[len(figures)] = total_hidden


def suppress(
    figures: list[Figure],
    total: Figure | None = None,
    *,
    share_of_total: bool = False,
    groups: list[str] | None = None,
) -> tuple[list[ShownFigure], ShownFigure | None]:
    """The figures (and their total row) as they may be shown.

    `total` is the row the others add up to (the numerators always do; the denominators do
    unless `share_of_total`, where every row's denominator is the total itself or, with
    `groups` (one per figure), the count of the figure's group).
    """
    rows = [*figures, *([total] if total else [])]
    num_hidden = [is_small(row.numerator) for row in rows]
    den_hidden = [is_small(row.denominator) for row in rows]
    while True:
        before = (num_hidden[:], den_hidden[:])
        for index, row in enumerate(rows):
            if row.denominator is not None:
                complement = row.denominator - row.numerator
                if is_small(complement) or den_hidden[index]:
                    num_hidden[index] = True
        if total is not None:
            body = len(figures)
            hidden, total_num_hidden = _protect_column(
                [row.numerator for row in figures],
                num_hidden[:body],
                total.numerator,
                num_hidden[body],
            )
            num_hidden = [*hidden, total_num_hidden]
            if total.denominator is not None and not share_of_total:
                hidden, total_den_hidden = _protect_column(
                    [row.denominator for row in figures],
                    den_hidden[:body],
                    total.denominator,
                    den_hidden[body],
                )
                den_hidden = [*hidden, total_den_hidden]
        if groups is not None:
            _protect_groups(figures, groups, num_hidden, den_hidden, total)
        if (num_hidden, den_hidden) == before:
            break
    shown = [
        ShownFigure(
            label=row.label,
            numerator=None if num_hidden[index] else row.numerator,
            denominator=None if den_hidden[index] else row.denominator,
            has_denominator=row.denominator is not None,
            numerator_hidden=num_hidden[index],
            denominator_hidden=den_hidden[index],
        )
        for index, row in enumerate(rows)
    ]
    if total is not None:
        return shown[:-1], shown[-1]
    return shown, None
