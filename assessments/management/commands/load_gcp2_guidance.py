"""Load an authority's licensed GCP2 guidance text into the framework's sub-areas.

The file is JSON: {"framework": "gcp2-2015", "guidance": {"physical-nutrition": "...", ...}},
keyed by "area-subarea" codes (see the admin). The text is the authority's own licensed copy;
the repository never holds it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.framework import GuidanceError, guidance_load
from assessments.models import FrameworkVersion


class Command(BaseCommand):
    help = "Load licensed GCP2 guidance text (JSON) into the framework's sub-areas"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            content = json.loads(options["file"].read_text(encoding="utf-8"))
            framework = content["framework"]
            guidance = content["guidance"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read the guidance file: {error}") from error
        if not isinstance(guidance, dict) or not all(isinstance(v, str) for v in guidance.values()):
            raise CommandError('"guidance" must map sub-area keys to text')
        try:
            count = guidance_load(framework_code=framework, guidance=guidance)
        except FrameworkVersion.DoesNotExist as error:
            raise CommandError(f"No framework version {framework}") from error
        except GuidanceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Loaded guidance for {count} sub-areas of {framework}")
