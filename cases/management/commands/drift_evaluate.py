"""Evaluate every drift rule for every child now (what the nightly task does), or with
--scheduled what the hourly task does (only the children whose records changed, unless the day
or the settings did), and say how long it took and what changed. Used by operators after
changing thresholds, and by the bench."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.drift.evaluation import drift_evaluate, drift_evaluate_scheduled


class Command(BaseCommand):
    help = "Evaluate the drift rules for all children and open or close flags."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--json", action="store_true", help="Print one JSON line")
        parser.add_argument(
            "--scheduled",
            action="store_true",
            help="Evaluate as the hourly task does: only the children whose records changed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        evaluate = drift_evaluate_scheduled if options["scheduled"] else drift_evaluate
        result = evaluate(as_of=options["as_of"])
        seconds = time.perf_counter() - start
        summary = {
            "seconds": round(seconds, 3),
            "opened": sum(result.opened.values()),
            "closed": sum(result.closed.values()),
            "updated": result.updated,
            "changed": result.changed,
            "children": result.children,
            "by_rule": result.opened,
            "seconds_by_rule": result.seconds,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"Evaluated in {seconds:.1f} s: {summary['opened']} opened, "
                f"{summary['closed']} closed, {result.updated} updated"
            )
