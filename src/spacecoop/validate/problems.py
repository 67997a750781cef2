"""A validation problem, and how it is printed: one line naming file, table, row, field, and what is wrong."""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field


@dataclass
class Problem:
    file: str                 # path relative to the package root, e.g. data/agreements.csv
    message: str              # what is wrong, in words
    table: str | None = None
    row: int | None = None    # as a spreadsheet counts it: the header is row 1, the first record row 2
    field: str | None = None
    check: str = "rule"       # short name of the check: type, enum, pattern, required, unique, foreign-key, ...
    engines: list[str] = dc_field(default_factory=list)

    def line(self) -> str:
        parts = []
        if self.table:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        where = ", ".join(parts)
        tag = f" [{', '.join(self.engines)}]" if self.engines else ""
        return f"{self.file}: {where + ': ' if where else ''}{self.message}{tag}"

    def key(self) -> tuple:
        return (self.file, self.table, self.row, self.field, self.check)

    def as_dict(self) -> dict:
        return {"file": self.file, "table": self.table, "row": self.row, "field": self.field,
                "check": self.check, "message": self.message, "engines": self.engines}


def merge(problems: list[Problem]) -> list[Problem]:
    """One line per problem: the same check failing on the same cell in two engines is one problem
    naming both engines; the first engine's wording is kept."""
    out: dict[tuple, Problem] = {}
    for p in problems:
        k = p.key()
        if k in out:
            for e in p.engines:
                if e not in out[k].engines:
                    out[k].engines.append(e)
        else:
            out[k] = p
    return sorted(out.values(), key=lambda p: (p.file, p.row or 0, p.field or "", p.check, p.message))
