"""Summary of a package: metadata and per-table row counts, read from the descriptor and CSVs."""
from __future__ import annotations

import csv
from pathlib import Path

from .model import open_package
from .safety import open_regular


def package_info(path: Path) -> tuple[dict, list[tuple[str, int, str]]]:
    pkg = open_package(path)
    rows = []
    for name in pkg.table_names():
        res = pkg.resource(name)
        with open_regular(pkg.path(res.get("path"), f"table {name}"), str(res.get("path"))) as f:
            n = sum(1 for _ in csv.reader(line.decode("utf-8") for line in f)) - 1
        rows.append((name, n, res.get("description", "")))
    return pkg.descriptor, rows


def markdown_table(rows: list[tuple[str, int, str]]) -> str:
    """The README's table list: one line per table with its row count (checked by a test)."""
    head = ["| table | rows | one line |", "|---|---:|---|"]
    return "\n".join(head + [f"| `{t}` | {n} | {d} |" for t, n, d in rows])
