"""Build the dashboard snapshot now, in this process (what the nightly task does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reporting.models import BuildStatus, BuildTrigger
from reporting.services import BuildRefused, snapshot_build_run


class Command(BaseCommand):
    help = "Build every dashboard metric into a new snapshot and switch it in."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            build = snapshot_build_run(trigger=BuildTrigger.COMMAND)
        except BuildRefused as error:
            raise CommandError(str(error)) from error
        if build.status != BuildStatus.FINISHED:
            raise CommandError(f"Build {build.pk} failed: {build.error}")
        self.stdout.write(f"Build {build.pk} finished: {build.metrics_done} metrics")
