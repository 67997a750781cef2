"""Issue #10, one verdict: spacecoop's validator and frictionless-py (given the allow-listed
descriptor, and the package's lexical rule as a frictionless Check) agree on valid/invalid wherever
frictionless claims to check the thing corrupted. Where frictionless does not check it (seeds,
quotes, the codebook's rules, patterns, a key to a table that is not there, a removed table), the
validator alone says invalid, and frictionless never says invalid where the validator says valid.
Parquet twins: the validator's Parquet-against-CSV rule is the engine; whenever it says valid,
spacecoop.load of the Parquet equals the CSV. Bounded: derandomized hypothesis, few examples."""
from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from spacecoop.model import open_package
from spacecoop.validate import frictionless_engine, validate

from _pkgcopy import copy_package
from conftest import edit_csv, read_rows
from test_validate_conformance import CORRUPTIONS

# What frictionless-py checks in a CSV: types, enum, required, unique/primary key, foreign keys.
FRICTIONLESS_CHECKS = {"enum", "impossible-date", "missing-required", "dangling-fk", "duplicate-id", "empty-span"}


def _verdicts(pkg):
    ours = validate(pkg)
    theirs = frictionless_engine.check(open_package(pkg))
    return ours, theirs


@pytest.mark.parametrize("name", sorted(FRICTIONLESS_CHECKS))
def test_corruption_table_same_verdict(pkg, name):
    try:
        CORRUPTIONS[name](pkg)
    except ValueError as e:  # the column was renamed since; test_validate_conformance fails on it too
        pytest.skip(f"corruption {name} no longer applies: {e}")
    _unhashed(pkg, None)  # bytes and hash would make both say invalid whatever the corruption
    ours, theirs = _verdicts(pkg)
    assert not ours.valid and theirs, (name, [p.line() for p in ours.problems], [p.line() for p in theirs])


def _unhashed(pkg, table):
    d = json.loads((pkg / "datapackage.json").read_text())
    for r in d["resources"]:
        if table is None or r["name"] in (table, table + "-parquet"):
            for k in ("bytes", "hash", "x-bytes", "x-hash"):
                r.pop(k, None)
    (pkg / "datapackage.json").write_text(json.dumps(d))


# Cells frictionless and the validator both claim to check: (table, field) and hostile values.
TARGETS = [("agreements", "status"), ("milestones", "date_earliest"), ("programs", "name"),
           ("meeting_participants", "participant_id"), ("participants", "participant_id"), ("evidence", "char_start")]
VALUES = ["", "maybe", "2024-02-30", "2024-13-01", "par-nowhere", "\u0661\u0662", "99999999999999999999999",
          "NA", " 1", "1e5", "-1", "0x10", "\ufeff2024-01-01", "2024-01-01T00:00:00", "null", "2024-1-1", "1 "]

_BASE = {}


@settings(max_examples=14, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(TARGETS), row=st.integers(1, 3), value=st.sampled_from(VALUES))
def test_mutated_cells_same_verdict(tmp_path_factory, target, row, value):
    if "pkg" not in _BASE:
        _BASE["pkg"] = copy_package(tmp_path_factory.mktemp("base") / "pkg")
    pkg = tmp_path_factory.mktemp("m") / "pkg"
    shutil.copytree(_BASE["pkg"], pkg)
    table, field = target
    rows = read_rows(pkg / "data" / f"{table}.csv")
    old = rows[row][rows[0].index(field)]
    edit_csv(pkg, table, lambda r: r[row].__setitem__(r[0].index(field), value))
    _unhashed(pkg, table)
    ours, theirs = _verdicts(pkg)
    field_checks = {"type", "enum", "required", "unique", "foreign-key", "minimum", "maximum"}  # not pattern: not given to frictionless
    mine = [p for p in ours.problems if p.table == table and p.field == field and p.check in field_checks]
    their = [p for p in theirs if p.table == table and p.field == field]
    if value == old:
        return
    assert bool(mine) == bool(their), (table, field, repr(value), [p.line() for p in mine], [p.line() for p in their])


SCHEMA_EDITS = [("participants", "participant_id", "maxLength", 3), ("participants", "notes", "required", True),
                ("programs", "name", "unique", True), ("evidence", "char_start", "maximum", 5),
                ("evidence", "char_start", "minimum", 100000), ("participants", "country", "enum", ["ZZ"])]


@settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(edit=st.sampled_from(SCHEMA_EDITS))
def test_mutated_schemas_same_verdict(tmp_path_factory, edit):
    if "pkg" not in _BASE:
        _BASE["pkg"] = copy_package(tmp_path_factory.mktemp("base") / "pkg")
    pkg = tmp_path_factory.mktemp("s") / "pkg"
    shutil.copytree(_BASE["pkg"], pkg)
    table, field, key, value = edit
    p = pkg / "schemas" / f"{table}.schema.json"
    s = json.loads(p.read_text())
    next(f for f in s["fields"] if f["name"] == field).setdefault("constraints", {})[key] = value
    p.write_text(json.dumps(s))
    _unhashed(pkg, None)
    ours, theirs = _verdicts(pkg)
    mine = [p for p in ours.problems if p.table == table and p.field == field]
    their = [p for p in theirs if p.table == table and p.field == field]
    assert bool(mine) == bool(their), (edit, [p.line() for p in mine][:3], [p.line() for p in theirs][:3])


def _base(tmp_path_factory, kind):
    if "pkg" not in _BASE:
        _BASE["pkg"] = copy_package(tmp_path_factory.mktemp("base") / "pkg")
    pkg = tmp_path_factory.mktemp(kind) / "pkg"
    shutil.copytree(_BASE["pkg"], pkg)
    return pkg


@pytest.mark.parametrize("value", ["\u0661\u0662", " 1", "1 ", "\u0968"])
def test_frictionless_as_spacecoop_runs_it_rejects_the_lexical_forms_int_accepts(pkg, value):
    """Python's int() (frictionless's integer parser) accepts non-ASCII digits and spaces; the
    frictionless engine as spacecoop runs it applies the package's lexical rule: both say invalid."""
    edit_csv(pkg, "evidence", lambda r: r[1].__setitem__(r[0].index("char_start"), value))
    _unhashed(pkg, "evidence")
    ours, theirs = _verdicts(pkg)
    mine = [p for p in ours.problems if p.table == "evidence" and p.field == "char_start" and p.check == "type"]
    their = [p for p in theirs if p.table == "evidence" and p.field == "char_start" and p.check == "type"]
    assert mine and their, ([p.line() for p in ours.problems], [p.line() for p in theirs])


# --- (a) the descriptor's allow-listed properties: keys, types, constraints, resources -------------

def _schema(pkg, table):
    return json.loads((pkg / "schemas" / f"{table}.schema.json").read_text())


def _write_schema(pkg, table, s):
    (pkg / "schemas" / f"{table}.schema.json").write_text(json.dumps(s))


PRIMARY_KEYS = [("participants", "country"), ("agreements", "scope"), ("programs", "name"), ("meetings", "meeting_id")]
FK_FIELDS = [("meeting_participants", 1, "name"), ("meeting_participants", 0, "title"), ("agreement_participants", 1, "participant_id")]
TYPES = [("evidence", "char_start"), ("participants", "country"), ("meetings", "date_earliest"), ("agreements", "multiple"),
         ("references", "published")]
DROPPED = ["frameworks", "meeting_topics", "claims", "participant_aliases"]

DESCRIPTOR_EDITS = st.one_of(
    st.tuples(st.just("primary-key"), st.sampled_from(PRIMARY_KEYS)),
    st.tuples(st.just("fk-field"), st.sampled_from(FK_FIELDS)),
    st.tuples(st.just("type"), st.sampled_from(TYPES), st.sampled_from(["integer", "number", "date", "boolean", "year", "string"])),
    st.tuples(st.just("constraint"), st.sampled_from(SCHEMA_EDITS)),
    st.tuples(st.just("fk-table"), st.sampled_from(["meeting_participants", "agreement_participants"])),
    st.tuples(st.just("drop"), st.sampled_from(DROPPED)),
)


def _mutate_descriptor(pkg, edit):
    """Apply edit; return (table, field or None, checks both engines claim for it, or None: validator only)."""
    kind = edit[0]
    if kind == "primary-key":
        table, field = edit[1]
        s = _schema(pkg, table)
        s["primaryKey"] = [field]
        _write_schema(pkg, table, s)
        return table, None, {"unique"}
    if kind == "fk-field":
        table, i, field = edit[1]
        s = _schema(pkg, table)
        s["foreignKeys"][i]["reference"]["fields"] = [field]
        _write_schema(pkg, table, s)
        return table, None, {"foreign-key"}
    if kind == "type":
        (table, field), typ = edit[1], edit[2]
        s = _schema(pkg, table)
        fd = next(f for f in s["fields"] if f["name"] == field)
        fd["type"] = typ
        fd.pop("format", None)
        _write_schema(pkg, table, s)
        return table, field, {"type"}
    if kind == "constraint":
        table, field, key, value = edit[1]
        s = _schema(pkg, table)
        next(f for f in s["fields"] if f["name"] == field).setdefault("constraints", {})[key] = value
        _write_schema(pkg, table, s)
        return table, field, {key, "unique"} if key == "unique" else {key}
    if kind == "fk-table":
        table = edit[1]
        s = _schema(pkg, table)
        s["foreignKeys"][0]["reference"]["resource"] = "no_such_table"
        _write_schema(pkg, table, s)
        return table, None, None
    table = edit[1]
    d = json.loads((pkg / "datapackage.json").read_text())
    d["resources"] = [r for r in d["resources"] if r["name"] not in (table, f"{table}-parquet")]
    (pkg / "datapackage.json").write_text(json.dumps(d))
    return table, None, None


@settings(max_examples=5, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(edit=DESCRIPTOR_EDITS)
def test_mutated_descriptors_same_verdict(tmp_path_factory, edit):
    pkg = _base(tmp_path_factory, "d")
    table, field, checks = _mutate_descriptor(pkg, edit)
    _unhashed(pkg, None)
    ours, theirs = _verdicts(pkg)
    lines = ([p.line() for p in ours.problems][:5], [p.line() for p in theirs][:5])
    # frictionless never says invalid where the validator says valid
    assert ours.problems or not theirs, (edit, lines)
    if checks is None:  # only the validator claims it: a key to a missing table, a removed table
        assert any(p.table == table for p in ours.problems), (edit, lines)
        return

    def mine(ps):
        return [p for p in ps if p.table == table and (field is None or p.field == field) and p.check in checks]
    assert bool(mine(ours.problems)) == bool(mine(theirs)), (edit, lines)


# --- (b) Parquet twins: a changed cell, a dropped row, a changed type ------------------------------

PQ_TABLES = ["evidence", "meetings", "agreements", "milestones", "participants"]
RETYPE = {"int64": ("int32", "float64", "string"), "date32[day]": ("string", "timestamp[ms]"), "bool": ("string", "int8"),
          "string": ("large_string",)}

PARQUET_EDITS = st.one_of(
    st.tuples(st.just("cell"), st.sampled_from(PQ_TABLES), st.integers(0, 1), st.booleans()),
    st.tuples(st.just("drop-row"), st.sampled_from(PQ_TABLES), st.integers(0, 1)),
    st.tuples(st.just("type"), st.sampled_from(PQ_TABLES), st.integers(0, 2)),
)


def _changed(v):
    import datetime
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    if isinstance(v, datetime.date):
        return v + datetime.timedelta(days=1)
    return (v or "") + "-changed"


def _mutate_parquet(pkg, edit):
    """Apply edit to data/<table>.parquet; return (table, expected verdict or None if either may hold)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    kind, table = edit[0], edit[1]
    path = pkg / "data" / f"{table}.parquet"
    t = pq.read_table(path)
    expect = None
    if kind == "cell":
        row, other = edit[2], edit[3]
        col = t.column_names[-1 if other else 0]
        values = t.column(col).to_pylist()
        if other:
            values[row] = _changed(values[row])
        t = t.set_column(t.column_names.index(col), col, pa.array(values, t.schema.field(col).type))
        expect = not other
    elif kind == "drop-row":
        t = pa.concat_tables([t.slice(0, edit[2]), t.slice(edit[2] + 1)])
        expect = False
    else:
        fields = [f for f in t.schema if str(f.type) != "string"] or list(t.schema)
        f = fields[edit[2] % len(fields)]
        targets = RETYPE[str(f.type)]
        to = targets[edit[2] % len(targets)]
        t = t.set_column(t.column_names.index(f.name), f.name, t.column(f.name).cast(to))
    pq.write_table(t.replace_schema_metadata(None), path)
    return table, expect


@settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(edit=PARQUET_EDITS)
def test_mutated_parquet_one_verdict_and_load_agrees(tmp_path_factory, edit):
    import pandas as pd

    from spacecoop import load_table

    pkg = _base(tmp_path_factory, "p")
    table, expect = _mutate_parquet(pkg, edit)
    _unhashed(pkg, table)
    report = validate(pkg)
    twin = [p for p in report.problems if p.table == f"{table}-parquet" and p.check == "parquet"]
    if expect is not None:
        assert (not twin) == expect, (edit, [p.line() for p in twin])
    if not twin:  # valid: the library reads the same table from either file
        pd.testing.assert_frame_equal(load_table(table, pkg, format="parquet"), load_table(table, pkg, format="csv"))
