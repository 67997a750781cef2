"""The one error type: a message of one line and the exit code it means.

0 valid, 1 invalid data, 2 usage or environment; main() turns anything else into exit 3 (a bug).
"""
from __future__ import annotations

INVALID = 1
USAGE = 2


class SpacecoopError(Exception):
    exit_code = USAGE

    def __init__(self, message: str, exit_code: int | None = None, lines: list[str] | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        self.lines = lines or []  # lines to print before the message (e.g. one per build error)


def first_lines(errors: list) -> list[str]:
    """The first BUILD_ERRORS_SHOWN errors as lines, then one line counting the rest."""
    from .limits import BUILD_ERRORS_SHOWN as n

    more = [f"... and {len(errors) - n} more error(s); fix the first: later ones may follow from it"] if len(errors) > n else []
    return [str(e) for e in errors[:n]] + more
