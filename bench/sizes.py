"""`python -m bench --sizes 10000,100000,300000`: the heavy figures and the pages at each
partnership size, so cost that grows faster than the partnership shows.

Each heavy figure is printed with its cost per 1,000 children (flat across sizes means linear
growth) and each page's p95 (flat means the page does not grow with the partnership).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import harness
from .harness import RESULTS, Result, connect_to, ensure_scale_database, report


def parse_sizes(text: str) -> list[int]:
    """ "10000,100000" or "10_000, 100k" -> [10000, 100000], smallest first, each once."""
    sizes = set()
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(k?)", part)
        if not match:
            raise ValueError(f"not a number of children: {part!r}")
        size = int(match[1]) * (1000 if match[2] else 1)
        if size < 1:
            raise ValueError("a partnership needs at least one child")
        sizes.add(size)
    if not sizes:
        raise ValueError("no sizes given")
    return sorted(sizes)


@dataclass(frozen=True)
class Figure:
    label: str
    matches: Callable[[Result], bool]
    seconds: Callable[[Result], float]  # the figure in seconds (heavy) or ms (pages)


def _named(pattern: str) -> Callable[[Result], bool]:
    return lambda result: re.search(pattern, result.name) is not None


HEAVY = (
    Figure(
        "seeding (a fresh database)",
        _named(r"^seed [\d,]+ children: rate"),
        lambda r: r.size / r.value,
    ),
    Figure(
        "full dashboard build",
        _named(r"^full dashboard build, .* children$"),
        lambda r: r.value,
    ),
    Figure("drift, full run", _named(r"^drift evaluation, .*: time$"), lambda r: r.value),
    Figure(
        "drift, second full run (nothing changed)",
        _named(r"^drift evaluation: second run"),
        lambda r: r.value,
    ),
    Figure(
        "drift, scheduled run (nothing changed)",
        _named(r"^drift evaluation: scheduled run, nothing changed"),
        lambda r: r.value,
    ),
    Figure("census export", _named(r"^census export, .*: time$"), lambda r: r.value),
)
PAGES = (
    Figure("child search p95", _named(r"^child search p95"), lambda r: r.value),
    Figure("child's page p95 (300 entries)", _named(r"^child's page p95"), lambda r: r.value),
    Figure("log a concern p95", _named(r"^log a concern end to end p95"), lambda r: r.value),
    Figure(
        "lead's queue, first page p95",
        _named(r"^lead's queue, first page"),
        lambda r: r.value,
    ),
)


def bench_sizes(sizes: list[int], wanted: set[str]) -> None:
    from .census import bench_census
    from .drift import bench_drift, bench_queue_pages
    from .practitioner import bench_practitioner
    from .reporting import bench_reporting

    for size in sizes:
        print(f"\nPartnership of {size:,} children", flush=True)
        harness.current_size = size
        scale = ensure_scale_database(size)
        if "reporting" in wanted:
            bench_reporting(size)
        if "practitioner" in wanted:
            bench_practitioner(size)
        if "drift" in wanted:
            bench_drift(scale, size, functools.partial(connect_to, scale))
            bench_queue_pages(scale, size)
        if "census" in wanted:
            bench_census(scale, size, export_only=True)
    for line in sizes_summary(sizes, RESULTS):
        print(line)


def sizes_summary(sizes: list[int], results: list[Result]) -> list[str]:
    """The across-sizes table; also reports each heavy figure's cost per 1,000 children."""
    lines = ["", "Across sizes: " + ", ".join(f"{size:,}" for size in sizes) + " children"]
    lines.append("  heavy work: seconds (seconds per 1,000 children); flat per 1,000 = linear")
    for figure in HEAVY:
        cells = []
        for size in sizes:
            found = [r for r in results if r.size == size and figure.matches(r)]
            if not found:
                cells.append("-")
                continue
            seconds = figure.seconds(found[0])
            per_thousand = seconds / size * 1000
            cells.append(f"{seconds:,.2f} s ({per_thousand:,.3f})")
            per = Result(f"{figure.label}: per 1,000 children", per_thousand, "s", size=size)
            if not any(r.name == per.name and r.size == size for r in results):
                report(per)
        lines.append(f"  {figure.label}: " + " | ".join(cells))
    lines.append("  pages: p95 in ms at each size; should stay flat")
    for figure in PAGES:
        cells = []
        for size in sizes:
            found = [r for r in results if r.size == size and figure.matches(r)]
            cells.append(f"{figure.seconds(found[0]):,.1f} ms" if found else "-")
        lines.append(f"  {figure.label}: " + " | ".join(cells))
    return lines
