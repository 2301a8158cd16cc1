"""The children in need census at scale: export the scale partnership's census, import it into
an empty database, and the rates and peak memory of each, beside reading the same XML with the
standard library's parser alone (iterparse, clearing each child: the floor for any import).

The Department's rules are not part of the timed import (`--no-validate`): `cin_validator`
builds its tables a child at a time with pandas and is far slower than the import itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
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
