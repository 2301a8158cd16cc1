"""The Department for Education's CIN rules, run on a census file by `cin_validator` in its own
virtual environment (settings.NT_CIN_PYTHON; scripts/setup.sh creates it): it pins pandas<2 and
numpy<2, which the rest of the project does not want, so it runs as a subprocess."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

RUNNER = Path(__file__).with_name("cin_runner.py")


class ValidatorUnavailable(RuntimeError):
    pass


@dataclass
class Finding:
    rule_code: str
    kind: str  # ERROR or QUERY, as the Department names them
    message: str
    child: str
    table: str
    field: str
    value: str


@dataclass
class ValidationResult:
    schema_errors: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind != "QUERY"]

    @property
    def queries(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind == "QUERY"]


def census_file_validate(*, path: Path, ruleset: str, timeout: int = 3600) -> ValidationResult:
    """Every finding of the year's rules on the file, in the validator's own order."""
    python = Path(settings.NT_CIN_PYTHON)
    if not python.exists():
        raise ValidatorUnavailable(
            f"The CIN validator's Python is missing: run scripts/setup.sh ({python})"
        )
    completed = subprocess.run(  # noqa: S603 - our own script, arguments we built
        [str(python), str(RUNNER), str(path), ruleset],
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise ValidatorUnavailable(completed.stderr.decode(errors="replace")[-2000:])
    report = json.loads(completed.stdout)
    return ValidationResult(
        schema_errors=list(report.get("schema_errors", [])),
        findings=[Finding(**item) for item in report.get("errors", [])],
    )
