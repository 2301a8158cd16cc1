"""Runs the Department for Education's CIN rules (`cin_validator`) on one census file and prints
what it found as JSON. It runs in the validator's own virtual environment (pandas<2, numpy<2),
never imports Django, and is called as a subprocess by `cases.census.validation`.

    .cin-venv/bin/python cases/census/cin_runner.py FILE RULESET
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout


def main(path: str, ruleset: str) -> dict[str, object]:
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - expat >= 2.4.1 refuses entity bombs
    except ET.ParseError as error:
        return {"schema_errors": [f"The file is not well-formed XML: {error}"]}
    missing = [tag for tag in ("Header", "Children") if root.find(tag) is None]
    if root.tag != "Message" or missing:
        return {
            "schema_errors": [
                f"A census file is a Message with a Header and Children; "
                f"this one is a {root.tag} missing {', '.join(missing) or 'nothing'}"
            ]
        }
    from cin_validator import cin_validator

    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    kinds = {str(rule.code): rule.rule_type.name for _, rule in registry.items()}
    # The validator prints rules that crash; keep stdout for our JSON.
    noise = io.StringIO()
    with redirect_stdout(noise):
        data = cin_validator.process_data(cin_validator.convert_data(root))
        validator = cin_validator.CinValidator(data, registry)
    errors = []
    for row in validator.user_report.to_dict("records"):
        code = str(row["rule_code"])
        errors.append(
            {
                "rule_code": code,
                "kind": kinds.get(code, "ERROR"),
                "message": str(row["rule_description"]),
                "child": _clean(row["LAchildID"]),
                "table": _clean(row["tables_affected"]),
                "field": _clean(row["columns_affected"]),
                "value": _clean(row["value_flagged"]),
            }
        )
    reported = {error["rule_code"] for error in errors}
    for row in validator.multichild_issues.to_dict("records"):
        code = str(row["rule_code"])
        if code in reported:  # header issues are in both reports
            continue
        reported.add(code)
        errors.append(
            {
                "rule_code": code,
                "kind": kinds.get(code, "ERROR"),
                "message": str(row["rule_description"]),
                "child": "",
                "table": "Header" if code == "100" else "",
                "field": "",
                "value": "",
            }
        )
    return {"schema_errors": [], "errors": errors, "crashed": noise.getvalue().splitlines()}


def _clean(value: object) -> str:
    text = "" if value is None else str(value)
    return "" if text in ("nan", "<NA>", "None", "NaT") else text


if __name__ == "__main__":
    json.dump(main(sys.argv[1], sys.argv[2]), sys.stdout)
