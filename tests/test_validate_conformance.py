"""Conformance: on the same corrupted package, whatever frictionless-py finds in a CSV, the
validator's own path (pandera + rules) finds too, on the same row and field."""
from __future__ import annotations

import pytest

from spacecoop.validate import validate

from conftest import edit_csv


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


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_frictionless_finds_nothing_the_validator_misses(pkg, name):
    CORRUPTIONS[name](pkg)
    report = validate(pkg, frictionless=True)
    assert not report.valid and "frictionless" in report.engines
    shown = "\n".join(p.line() + f" {p.engines}" for p in report.problems)
    # A problem frictionless shares with the validator (same file, table, row, field, check) is one
    # problem naming both engines; one it alone found would name frictionless alone.
    assert [p for p in report.problems if p.engines == ["frictionless"] and p.file.endswith(".csv")] == [], shown
