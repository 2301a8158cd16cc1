"""`python -m bench --sizes`: reading the sizes, and the across-sizes table."""

from __future__ import annotations

import pytest

from bench import harness
from bench.harness import Result
from bench.sizes import parse_sizes, sizes_summary


@pytest.fixture
def fresh_results(monkeypatch: pytest.MonkeyPatch) -> list[Result]:
    results: list[Result] = []
    monkeypatch.setattr(harness, "RESULTS", results)
    return results


def test_sizes_are_read_smallest_first_each_once() -> None:
    assert parse_sizes("300000,10000,100_000,10k") == [10_000, 100_000, 300_000]
    assert parse_sizes(" 10000 , ") == [10_000]


@pytest.mark.parametrize("text", ["", "ten", "0", "-5", "10000;20000"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_sizes(text)


def test_the_table_gives_each_heavy_figure_per_thousand_children_and_pages_as_measured(
    fresh_results: list[Result],
) -> None:
    measured = [
        Result("seed 10,000 children: rate", 1000.0, "children/s", size=10_000),
        Result("seed 100,000 children: rate", 800.0, "children/s", size=100_000),
        Result("full dashboard build, 14 metrics, 10,000 children", 0.5, "s", size=10_000),
        Result("full dashboard build, 14 metrics, 100,000 children", 5.0, "s", size=100_000),
        Result("child's page p95 (300 chronology entries)", 40.0, "ms", size=10_000),
        Result("child's page p95 (300 chronology entries)", 42.0, "ms", size=100_000),
    ]
    lines = sizes_summary([10_000, 100_000], measured)
    seeding = next(line for line in lines if line.strip().startswith("seeding"))
    assert "10.00 s (1.000)" in seeding and "125.00 s (1.250)" in seeding
    build = next(line for line in lines if "dashboard build" in line)
    assert "0.50 s (0.050)" in build and "5.00 s (0.050)" in build
    page = next(line for line in lines if line.strip().startswith("child's page"))
    assert "40.0 ms | 42.0 ms" in page
    assert next(line for line in lines if "census export" in line).endswith("- | -")
    # The per-1,000 costs are figures in the results too, one per size.
    per_thousand = {(r.name, r.size): r.value for r in fresh_results}
    assert per_thousand[("full dashboard build: per 1,000 children", 100_000)] == pytest.approx(
        0.05
    )
    assert per_thousand[("seeding (a fresh database): per 1,000 children", 10_000)] == 1.0
