"""The bench writes its figures as JSON and compares two runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import harness
from bench.harness import Result


@pytest.fixture
def fresh_results(monkeypatch: pytest.MonkeyPatch) -> list[Result]:
    results: list[Result] = []
    monkeypatch.setattr(harness, "RESULTS", results)
    return results


def test_it_writes_each_figure_with_its_size_baseline_and_ratio(
    fresh_results: list[Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harness, "current_size", 100_000)
    harness.report(Result("queue page p95", 60.0, "ms", "trivial page p95", 20.0, "< 150 ms"))
    path = harness.results_write(tmp_path)
    [record] = json.loads(path.read_text())
    assert record["name"] == "queue page p95"
    assert (record["size"], record["value"], record["unit"]) == (100_000, 60.0, "ms")
    assert (record["baseline"], record["baseline_value"], record["ratio"]) == (
        "trivial page p95",
        20.0,
        3.0,
    )
    assert record["target"] == "< 150 ms"
    assert record["date"]


def test_compare_shows_what_moved_and_what_is_new(tmp_path: Path) -> None:
    def run(name: str, records: list[dict[str, object]]) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(records))
        return path

    common = {"unit": "s", "baseline": "", "baseline_value": 0, "target": "", "date": "d"}
    before = run("a.json", [{"name": "build", "size": 10, "value": 10.0, "ratio": 4.0, **common}])
    after = run(
        "b.json",
        [
            {"name": "build", "size": 10, "value": 5.0, "ratio": 2.0, **common},
            {"name": "import", "size": 10, "value": 1.0, "ratio": None, **common},
        ],
    )
    lines = harness.results_compare(before, after)
    assert lines == [
        "  build (10 children): 10.00 -> 5.00 s (-50.0%); ratio 4.0 -> 2.0",
        "  import (10 children): after only",
    ]


def test_a_change_to_any_apps_seed_step_makes_bench_databases_stale() -> None:
    from bench.harness import ROOT, fingerprinted_paths

    paths = {path.relative_to(ROOT).as_posix() for path in fingerprinted_paths()}
    for step in (
        "cases/census/seeding.py",
        "cases/seeding/partnership.py",
        "assessments/seeding.py",
        "reporting/seeding.py",
        "cases/migrations/0001_initial.py",
    ):
        assert step in paths
