"""Import a children in need census XML file: checked with the Department's rules first."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.census.services import census_dir, census_job_run
from cases.models import CensusJob, CensusJobKind, CensusJobStatus


class Command(BaseCommand):
    help = "Import a CIN census XML file for the year ending 31 March YEAR."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--no-validate", action="store_true", help="skip the Department's rules (trusted files)"
        )

    def handle(self, *args: Any, file: str, year: int, no_validate: bool, **options: Any) -> None:
        job = CensusJob.objects.create(
            kind=CensusJobKind.IMPORT,
            collection_year=year,
            file_name=f"import-{uuid.uuid4().hex}.xml",
        )
        shutil.copyfile(Path(file), census_dir() / job.file_name)
        job = census_job_run(job_id=job.pk, validate=not no_validate)
        for message in job.summary.get("schema_errors", []) if job.summary else []:
            self.stdout.write(f"LAYOUT {message}")
        for finding in job.errors:
            self.stdout.write(
                f"{finding['kind']} {finding['rule_code']} {finding['child']} "
                f"{finding['table']}.{finding['field']}={finding['value']}: {finding['message']}"
            )
        if job.status != CensusJobStatus.DONE:
            raise CommandError(f"Not imported ({job.error_count} errors)")
        for name, count in job.summary.items():
            self.stdout.write(f"{name}: {count}")
