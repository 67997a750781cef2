"""Issue #10, no rule skipped in silence: each registered rule declares the tables and columns it
reads (Rule.needs), and a package that lacks one is told so in one line naming the table and the
check, instead of the rule quietly finding nothing. (The tables removed whole are hostile cases in
test_hostile_suite.py; here, one column of each.)"""
from __future__ import annotations

import json

import pytest

from spacecoop.validate import validate
from spacecoop.validate.checks import RULES

from conftest import edit_csv

# (table, check, column): for each rule and table it needs, the last column it names.
NEEDS = sorted({(t, r.name, cols[-1]) for r in RULES for t, cols in r.needs.items() if cols})


def test_every_package_rule_that_reads_a_named_table_declares_it():
    """The rules that read a table by name (evidence, sources, errata and the codebook's) say so."""
    named = {r.name for r in RULES if r.needs}
    assert {"seed", "quote", "evidence", "errata", "foreign-key", "agreement-parties", "meeting-sides",
            "outcome-parties", "milestone", "claim-speaker"} <= named


def _drop_column(pkg, table, col):
    p = pkg / "schemas" / f"{table}.schema.json"
    s = json.loads(p.read_text())
    s["fields"] = [f for f in s["fields"] if f["name"] != col]
    if col in (s.get("primaryKey") if isinstance(s.get("primaryKey"), list) else [s.get("primaryKey")]):
        s.pop("primaryKey")
    s["foreignKeys"] = [fk for fk in s.get("foreignKeys", []) if col not in ([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])]
    p.write_text(json.dumps(s))

    def drop(rows):
        i = rows[0].index(col)
        for r in rows:
            del r[i]
    edit_csv(pkg, table, drop)
    d = json.loads((pkg / "datapackage.json").read_text())
    for r in d["resources"]:
        for k in ("bytes", "hash", "x-bytes", "x-hash"):
            r.pop(k, None)
    d["resources"] = [r for r in d["resources"] if r["name"] != f"{table}-parquet"]
    (pkg / "datapackage.json").write_text(json.dumps(d))


@pytest.mark.parametrize("table, check, col", NEEDS, ids=[f"{t}-{c}-{col}" for t, c, col in NEEDS])
def test_a_column_a_rule_needs_removed_is_reported(pkg, table, check, col):
    _drop_column(pkg, table, col)
    report = validate(pkg)
    mine = [p for p in report.problems if p.table == table and p.check == check and "lacks the column" in p.message]
    assert mine and col in mine[0].message and f"the check {check} reads" in mine[0].line(), [p.line() for p in report.problems][:10]
    assert "\n" not in mine[0].line()


@pytest.mark.parametrize("table", ["frameworks", "claims", "outcomes"])
def test_a_table_the_vocabularies_name_removed_is_reported(pkg, table):
    """evidence.table, milestones.table, claim_subjects.table and errata.table name the tables their
    rules read: one of them removed from the descriptor is said, not skipped."""
    d = json.loads((pkg / "datapackage.json").read_text())
    d["resources"] = [r for r in d["resources"] if r["name"] not in (table, f"{table}-parquet")]
    (pkg / "datapackage.json").write_text(json.dumps(d))
    lines = [p.line() for p in validate(pkg).problems if p.table == table]
    assert any("is missing; the check evidence reads it" in ln for ln in lines), lines
    assert any("is missing; the check errata reads it" in ln for ln in lines), lines
