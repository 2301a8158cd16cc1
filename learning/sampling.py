"""The audit sample: a stratified random draw, reproducible from its seed.

Pure functions over the population snapshot, so the same seed and the same snapshot always
give the same children, in the same order, and the same replacements when a child is swapped
out. Each stratum's children are shuffled by a generator seeded with the audit's seed and the
stratum's name; the sample takes each stratum's first children, and a replacement is the next
child of the same stratum not yet drawn."""

from __future__ import annotations

import random
from collections import defaultdict

Population = list[tuple[int, str]]  # (child id, stratum)


def _orders(population: Population, seed: int) -> dict[str, list[int]]:
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for child_id, stratum in population:
        by_stratum[stratum].append(child_id)
    orders = {}
    for stratum in sorted(by_stratum):
        children = sorted(by_stratum[stratum])
        random.Random(f"{seed}:{stratum}").shuffle(children)  # nosec B311: sampling, not secrets
        orders[stratum] = children
    return orders


def _allocation(sizes: dict[str, int], size: int) -> dict[str, int]:
    """Proportional allocation by largest remainder (ties by stratum name), at most each
    stratum's size."""
    total = sum(sizes.values())
    size = min(size, total)
    if not total:
        return {}
    exact = {stratum: size * n / total for stratum, n in sizes.items()}
    counts = {stratum: int(value) for stratum, value in exact.items()}
    left = size - sum(counts.values())
    by_remainder = sorted(sizes, key=lambda s: (-(exact[s] - counts[s]), s))
    for stratum in by_remainder[:left]:
        counts[stratum] += 1
    return counts


def sample_draw(*, population: Population, size: int, seed: int) -> list[tuple[int, str]]:
    """N children from the population, each stratum in proportion to its size."""
    orders = _orders(population, seed)
    counts = _allocation({s: len(children) for s, children in orders.items()}, size)
    return [(child_id, s) for s in sorted(orders) for child_id in orders[s][: counts.get(s, 0)]]


def replacement_draw(
    *, population: Population, seed: int, stratum: str, drawn: set[int]
) -> int | None:
    """The next child of the stratum not drawn yet (None when the stratum is used up)."""
    return next(
        (child for child in _orders(population, seed).get(stratum, []) if child not in drawn),
        None,
    )
