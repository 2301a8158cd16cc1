"""A size-rotated log file that several processes (gunicorn workers, Celery) can share.

logging's RotatingFileHandler assumes one writer: with several, each rotates on its own view
of the file and they overwrite each other's backups. Here rotation holds an exclusive lock
on a lock file beside the log, and a process whose file was rotated by another reopens it.
"""

from __future__ import annotations

import fcntl
import logging
import os
from logging.handlers import RotatingFileHandler


class SharedRotatingFileHandler(RotatingFileHandler):
    def __init__(self, filename: str, **kwargs: object) -> None:
        os.makedirs(os.path.dirname(filename) or ".", exist_ok=True)
        super().__init__(filename, **kwargs)  # type: ignore[arg-type]
        self._lock_path = f"{self.baseFilename}.lock"

    def _rotated_elsewhere(self) -> bool:
        if self.stream is None:
            return False
        try:
            on_disk = os.stat(self.baseFilename)
        except FileNotFoundError:
            return True
        mine = os.fstat(self.stream.fileno())
        return (on_disk.st_dev, on_disk.st_ino) != (mine.st_dev, mine.st_ino)

    def _reopen(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.stream = self._open()

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self._rotated_elsewhere():
            self._reopen()
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                # Another process may have rotated while this one waited for the lock.
                if self._rotated_elsewhere():
                    self._reopen()
                    return
                super().doRollover()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
