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
        data = cin_validator.process_data(tables(root))
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


def tables(root: ET.Element) -> dict[str, object]:
    """`cin_validator.convert_data`'s tables, each concatenated once at the end.

    Its converter (`ingress.XMLtoCSV`) appends each child's rows to every table with
    `pd.concat`, which copies the whole table each time (quadratic: hours for 35,000 children).
    Inside the converter that `pd.concat` here only collects each child's frame, and each table
    is then one `pd.concat` of its empty frame and every child's frame, in order: the same
    rows, index, columns, dtypes and missing values as the converter's own (compared table by
    table in `tests/cases/census`). The rules then run once on the whole tables, so the rules
    across children still see every child."""
    import pandas as pd
    from cin_validator import cin_validator, ingress

    class Collected:
        """A table being built: its empty frame, then each child's frame."""

        def __init__(self, frame: pd.DataFrame) -> None:
            self.columns, self.frames = frame.columns, [frame]

    class CollectingPandas:
        """Stands in for `pd` inside the converter only."""

        def __getattr__(self, name: str) -> object:
            return getattr(pd, name)

        @staticmethod
        def concat(frames: list[object], **_: object) -> Collected:
            table, rows = frames
            collected = table if isinstance(table, Collected) else Collected(table)  # type: ignore[arg-type]
            collected.frames.append(rows)  # type: ignore[arg-type]
            return collected

    class Converter(ingress.XMLtoCSV):  # type: ignore[misc]
        def __init__(self, root: ET.Element) -> None:
            ingress.pd = CollectingPandas()
            try:
                super().__init__(root)
            finally:
                ingress.pd = pd
            for name, value in list(vars(self).items()):
                if isinstance(value, Collected):
                    setattr(self, name, pd.concat(value.frames, ignore_index=True))

    original = cin_validator.XMLtoCSV
    cin_validator.XMLtoCSV = Converter
    try:
        return dict(cin_validator.convert_data(root))
    finally:
        cin_validator.XMLtoCSV = original


def _clean(value: object) -> str:
    text = "" if value is None else str(value)
    return "" if text in ("nan", "<NA>", "None", "NaT") else text


if __name__ == "__main__":
    json.dump(main(sys.argv[1], sys.argv[2]), sys.stdout)
