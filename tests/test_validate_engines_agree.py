"""The two validation paths (small: frictionless + pandera + rules; large: polars + vectorized rules)
must find the same problems, on the same rows and fields, on the same corrupted package."""
from __future__ import annotations

import pytest

from spacecoop.validate import validate

from conftest import edit_csv, read_rows


def _set(table, row, field, value):
    def fn(rows):
        rows[row][rows[0].index(field)] = value
    return lambda pkg: edit_csv(pkg, table, fn)


def _dup(pkg):
    edit_csv(pkg, "participants", lambda r: r.append(list(r[1])))


def _seed(pkg):
    p = pkg / "seeds" / "003_f6d3eb4ef6c6ac45.txt"
    p.write_bytes(p.read_bytes().replace(b"Moscow", b"Moskva", 1))


def _drop_evidence(pkg):
    def fn(r):
        r[:] = [r[0]] + [x for x in r[1:] if x[r[0].index("record_id")] != "prg-ilrs"]
    edit_csv(pkg, "evidence", fn)


CORRUPTIONS = {
    "enum": _set("agreements", 3, "status", "maybe"),
    "impossible-date": _set("milestones", 2, "date_earliest", "2024-02-30"),
    "missing-required": _set("programs", 2, "name", ""),
    "dangling-fk": _set("meeting_participants", 1, "participant_id", "par-nowhere"),
    "pattern": _set("participants", 4, "country", "Russia"),
    "quote-offsets": _set("evidence", 5, "char_start", "3"),
    "empty-span": _set("evidence", 6, "char_end", "0"),
    "date-precision": _set("milestones", 4, "date_precision", "year"),
    "formula": _set("programs", 3, "notes", "=1+1"),
    "duplicate-id": _dup,
    "edited-seed": _seed,
    "no-evidence": _drop_evidence,
}


def _keys(report):
    # Parquet twins differ by design (the polars path compares them per column); CSV lines must agree.
    return sorted({(p.file, p.row or 0, p.field or "", p.check) for p in report.problems if not p.file.endswith(".parquet")})


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_both_paths_report_the_same_problems(pkg, name):
    CORRUPTIONS[name](pkg)
    small = validate(pkg, ("frictionless", "pandera", "rules"))
    large = validate(pkg, ("polars", "rules"))
    assert not small.valid and not large.valid
    shown = "\n".join(["small:"] + [p.line() for p in small.problems] + ["large:"] + [p.line() for p in large.problems])
    # A duplicate key: pandera names every row holding it, the polars path each repeat "(first at row N)".
    assert [k for k in _keys(small) if k[3] != "unique"] == [k for k in _keys(large) if k[3] != "unique"], shown
    assert _messages(small) == _messages(large), shown
    assert {k for k in _keys(large) if k[3] == "unique"} <= {k for k in _keys(small) if k[3] == "unique"}, shown


def _messages(report):
    return sorted((p.file, p.row or 0, p.field or "", p.message) for p in report.problems
                  if p.check != "unique" and not p.file.endswith(".parquet"))
