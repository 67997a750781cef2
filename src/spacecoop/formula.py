"""Cells a spreadsheet would run as a formula (CSV injection).

Excel, LibreOffice and Google Sheets treat text starting with '=', '+', '-' or '@' as a formula
when a CSV is opened. Only text fields can carry one: a date or integer column is typed, and a
plain signed number ('-5', '+1.5') is read as a number, not run.
"""
from __future__ import annotations

import re

PREFIXES = ("=", "+", "-", "@")
# The same rule for vectorized engines: text matching START and not NUMBER.
START = r"^[=+\-@]"
NUMBER = r"^[+-][0-9]+(?:\.[0-9]+)?$"
_NUMBER = re.compile(r"[+-][0-9]+(?:\.[0-9]+)?\Z")


def formula_start(value) -> str | None:
    """The character that makes value a formula, or None."""
    if isinstance(value, str) and value[:1] in PREFIXES and not _NUMBER.match(value):
        return value[0]
    return None


def message(value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "..."
    return (f"{shown!r} starts with {value[0]!r}: a spreadsheet would run it as a formula; "
            f"reword it or drop the leading character")
