"""The children in need census at scale: export the scale partnership's census, import it into
an empty database, and the rates and peak memory of each, beside reading the same XML with the
standard library's parser alone (iterparse, clearing each child: the floor for any import).

The Department's rules are not part of the timed import (`--no-validate`): `cin_validator`
builds its tables a child at a time with pandas and is far slower than the import itself. They
run on the scale partnership's export as their own group, `--only census_rules`, left out of a
full run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .harness import (
    DATABASE_PREFIX,
    Result,
    manage,
    manage_measured,
    recreate_database,
    report,
)

YEAR = "2027"
PARSE_ONLY = (
    "import sys, xml.etree.ElementTree as ET\n"
    "n = 0\n"
    "for _, e in ET.iterparse(sys.argv[1]):\n"
    "    if e.tag == 'Child':\n"
    "        n += 1; e.clear()\n"
)


def _parse_only(path: Path) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", PARSE_ONLY, str(path)])
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError("the parse-only baseline failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def bench_census(scale: str, children: int, export_only: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.xml"
        os.environ["NT_CENSUS_DIR"] = str(Path(folder) / "jobs")
        seconds, peak = manage_measured(scale, "census_export", "--year", YEAR, "--out", str(path))
        exported = path.read_bytes().count(b"<Child>")
        report(Result(f"census export, {children:,}-child partnership: time", seconds, "s"))
        if export_only:
            return
        parse_seconds, parse_peak = _parse_only(path)
        report(
            Result(
                f"census export, {children:,}-child partnership: children in the census",
                exported,
                "children",
            )
        )
        report(
            Result(
                "census export: rate",
                exported / seconds,
                "children/s",
                "standard library parse of the same file",
                exported / parse_seconds,
                "100,000 children under 2 minutes",
            )
        )
        report(
            Result(
                "census export: peak memory",
                peak,
                "MB",
                "standard library parse of the same file",
                parse_peak,
                "flat",
            )
        )
        empty = f"{DATABASE_PREFIX}_bench_census_import"
        recreate_database(empty)
        manage(empty, "migrate", "--noinput")
        seconds, peak = manage_measured(
            empty, "census_import", str(path), "--year", YEAR, "--no-validate"
        )
        report(
            Result(
                "census import into an empty database: rate",
                exported / seconds,
                "children/s",
                "standard library parse of the same file",
                exported / parse_seconds,
                "100,000 children under 2 minutes",
            )
        )
        report(
            Result(
                "census import: time for 100,000 children at this rate",
                100_000 * seconds / exported,
                "s",
                target="under 120 s",
            )
        )
        report(
            Result(
                "census import: peak memory",
                peak,
                "MB",
                "standard library parse of the same file",
                parse_peak,
                "flat",
            )
        )
        seconds, _ = manage_measured(
            empty, "census_import", str(path), "--year", YEAR, "--no-validate"
        )
        report(
            Result("census import again (nothing changes): rate", exported / seconds, "children/s")
        )


def bench_census_rules(scale: str, children: int) -> None:
    """The Department's rules (`census_export --validate`, ruleset cin2026_27) on the scale
    partnership's census: the time they take and what they find (0 errors is the target)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.xml"
        start = time.perf_counter()
        completed = manage(scale, "census_export", "--year", YEAR, "--out", str(path), "--validate")
        seconds = time.perf_counter() - start
    lines = completed.stdout.splitlines()
    errors, queries = (int(word) for word in lines[-1].split()[::2][:2])
    found = Counter(
        " ".join(line.split()[:2]) for line in lines[1:-1] if line.startswith(("ERROR", "QUERY"))
    )
    for finding, count in sorted(found.items()):
        print(f"    {finding}: {count}", flush=True)
    report(
        Result(
            f"census rules on the {children:,}-child partnership's export: errors",
            errors,
            "errors",
            target="0",
        )
    )
    report(Result("census rules: queries", queries, "queries"))
    report(Result("census rules: export and validation time", seconds, "s"))
