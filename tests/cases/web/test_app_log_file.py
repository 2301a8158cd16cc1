"""Application logs under the run folder, rotated by size, safe with several processes."""

from __future__ import annotations

import logging
from pathlib import Path

from cases.web.log_handlers import SharedRotatingFileHandler


def test_two_writers_rotate_the_file_without_losing_lines(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "app.log"
    # Two handlers on one file stand for two processes (gunicorn workers) sharing it.
    writers = [SharedRotatingFileHandler(str(path), maxBytes=2000, backupCount=50) for _ in "ab"]
    for handler in writers:
        handler.setFormatter(logging.Formatter("%(message)s"))
    for n in range(400):
        record = logging.LogRecord("t", logging.INFO, __file__, 1, f"line {n:04d}", None, None)
        writers[n % 2].emit(record)
    for handler in writers:
        handler.close()
    files = sorted(path.parent.glob("app.log*"))
    assert len(files) > 3  # rotated
    assert all(f.stat().st_size <= 2100 for f in files if f.suffix != ".lock")
    lines = [line for f in files if f.suffix != ".lock" for line in f.read_text().splitlines()]
    assert sorted(lines) == [f"line {n:04d}" for n in range(400)]
