"""A validation problem, and how it is printed: one line naming file, table, row, field, and what is wrong."""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

MAX_PER_CHECK = 20  # rows listed per (table, field, check) before one "and N more" line, at every size
_MORE = re.compile(r"and (\d+) more rows fail the same check\Z")


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
        # Which engines found it is in --json only: frictionless runs on small packages by default,
        # and a line must read the same at every size.
        from ..safety import escape  # values from the input: control characters shown, never acted on

        return escape(f"{self.file}: {where + ': ' if where else ''}{self.message}")

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


def cap(problems: list[Problem], max_per_check: int) -> list[Problem]:
    """Per (file, table, field, check): the first max_per_check rows, and one line with the true
    count of the rest (batches each send their own first rows and count)."""
    groups: dict[tuple, list] = {}
    out = []
    for p in problems:
        m = _MORE.match(p.message) if p.row is None else None
        if p.row is None and not m:
            out.append(p)
            continue
        g = groups.setdefault((p.file, p.table, p.field, p.check), [[], 0, p])
        if m:
            g[1] += int(m.group(1))
        else:
            g[0].append(p)
    for rows, more, proto in groups.values():
        rows.sort(key=lambda p: p.row)
        out += rows[:max_per_check]
        more += max(len(rows) - max_per_check, 0)
        if more:
            out.append(Problem(proto.file, f"and {more} more rows fail the same check", table=proto.table,
                               field=proto.field, check=proto.check, engines=list(proto.engines)))
    return out
