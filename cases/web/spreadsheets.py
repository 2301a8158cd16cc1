"""CSV cells that a spreadsheet will not run: one rule for every export."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """The value as text; a leading =, +, -, @, tab or carriage return would be read as a
    formula (CSV injection), so it is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
