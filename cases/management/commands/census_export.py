"""Write the children in need census XML for a collection year (the year it ends: 2027)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from cases.census.export import census_xml_write
from cases.census.layout import collection_year_on, ruleset_for
from cases.census.validation import census_file_validate


class Command(BaseCommand):
    help = "Export the CIN census XML for the year ending 31 March YEAR, optionally validated."

    def add_arguments(self, parser: Any) -> None:
        from django.utils import timezone

        parser.add_argument("--year", type=int, default=collection_year_on(timezone.localdate()))
        parser.add_argument("--out", required=True)
        parser.add_argument("--validate", action="store_true", help="run the Department's rules")

    def handle(self, *args: Any, year: int, out: str, validate: bool, **options: Any) -> None:
        path = Path(out)
        with path.open("wb") as handle:
            count = census_xml_write(year=year, out=handle)
        self.stdout.write(f"{count} children written to {path} (collection year ending {year})")
        if validate:
            result = census_file_validate(path=path, ruleset=ruleset_for(year))
            for finding in result.findings:
                self.stdout.write(
                    f"{finding.kind} {finding.rule_code} {finding.child} {finding.table}."
                    f"{finding.field}={finding.value}: {finding.message}"
                )
            self.stdout.write(
                f"{len(result.errors)} errors, {len(result.queries)} queries ({ruleset_for(year)})"
            )
