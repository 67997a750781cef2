"""The validator reads each table in batches cut by the bounded scan: rows must be the rows a
spreadsheet shows whatever the batch size, and a check listing many rows must count them over the
whole table, not per batch."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from spacecoop.validate import csvscan, validate

from conftest import edit_csv, read_rows

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("bench") / "pkg"
    mod.write(out, 400)
    return out


def _lines(pkg: Path) -> list[str]:
    return [p.line() for p in validate(pkg).problems]


def test_small_batches_give_the_same_lines(synthetic, monkeypatch):
    whole = _lines(synthetic)
    monkeypatch.setattr(csvscan, "BATCH_BYTES", 1500)  # evidence.csv (~400 KB) in ~300 batches
    batched = _lines(synthetic)
    assert batched == whole
    expected = json.loads((synthetic / "expected.json").read_text())
    got = {(p.table, p.row, p.field) for p in validate(synthetic).problems}
    assert {(e["table"], e["row"], e["field"]) for e in expected} <= got


def test_a_quoted_newline_does_not_shift_later_rows(pkg, monkeypatch):
    def edit(rows):
        rows[2][rows[0].index("notes")] = "first line\nsecond line, with a comma"
        rows[6][rows[0].index("kind")] = "alien"
    edit_csv(pkg, "participants", edit)
    monkeypatch.setattr(csvscan, "BATCH_BYTES", 64)
    out = [line for line in _lines(pkg) if "table participants," in line and "alien" in line]
    assert out == ["data/participants.csv: table participants, row 7, field kind: 'alien' is not one of "
                   + out[0].split("is not one of ")[1]], out


def test_many_failing_rows_are_counted_over_the_whole_table(pkg, monkeypatch):
    rows = edit_csv(pkg, "evidence", lambda r: [row.__setitem__(r[0].index("char_start"), "x") for row in r[1:]])
    n = len(rows) - 1
    monkeypatch.setattr(csvscan, "BATCH_BYTES", 2000)
    out = [line for line in _lines(pkg) if "field char_start" in line]
    listed = [line for line in out if "is not an integer" in line]
    assert len(listed) == 20 and "row 2," in listed[0], out
    more = [line for line in out if "more rows" in line]
    assert more == [f"data/evidence.csv: table evidence, field char_start: and {n - 20} more rows fail the same check"]


def test_a_duplicate_key_names_its_first_row_across_batches(pkg, monkeypatch):
    rows = edit_csv(pkg, "evidence", lambda r: r[-1].__setitem__(0, r[3][0]))
    monkeypatch.setattr(csvscan, "BATCH_BYTES", 500)
    out = [line for line in _lines(pkg) if "is not unique" in line]
    assert out == [f"data/evidence.csv: table evidence, row {len(rows)}, field evidence_id: "
                   f"{rows[3][0]!r} is not unique (first at row 4)"], out


def test_a_reserved_column_name_is_one_line(pkg):
    schema = pkg / "schemas" / "errata.schema.json"
    d = json.loads(schema.read_text())
    d["fields"][0]["name"] = "__row"
    schema.write_text(json.dumps(d))
    out = _lines(pkg)
    assert any("field name '__row' is reserved by the validator" in line for line in out), out


def test_missing_records_in_several_tables_are_counted_once(pkg):
    """Evidence naming records that do not exist, in two tables: one list of 20 rows and one count."""
    def edit(rows):
        t, r = rows[0].index("table"), rows[0].index("record_id")
        for i, row in enumerate(rows[1:31]):
            row[t] = "participants" if i % 2 else "meetings"
            row[r] = f"nowhere-{i}"
    edit_csv(pkg, "evidence", edit)
    out = [line for line in _lines(pkg) if "field record_id" in line and "table evidence," in line]
    assert len([line for line in out if "does not exist in" in line]) == 20, out
    assert [line for line in out if "more rows" in line] == [
        "data/evidence.csv: table evidence, field record_id: and 10 more rows fail the same check"], out


def test_index_finds_keys_by_both_hashes_even_when_the_first_collides():
    """Index looks keys up by their two hashes (64 and 32 bits): each key finds the first position
    of its pair, a missing key or a null none. With every first hash equal (the worst collision)
    the second still tells keys apart. unflagged() gives the pairs whose first position was never
    flagged: a duplicated key once."""
    import numpy as np
    import polars as pl

    from spacecoop.validate.index import Index, key_pair

    def pairs(frame):
        return frame.select(key_pair(frame.columns))

    ids = pairs(pl.DataFrame({"id": ["par-a", "par-b", "par-c", "par-b", None]}))
    wanted = pairs(pl.DataFrame({"w": ["par-c", "par-x", "par-a", "par-b", None]}))
    for worst in (False, True):
        index = Index(ids)
        if worst:
            ids, wanted = (f.with_columns(pl.lit(7, dtype=pl.UInt64).alias("h1")) for f in (ids, wanted))
            index = Index(ids)
            assert set(index.h1.tolist()) == {7}
        at = index.find(wanted)
        got = [(int(index.h1[p]), int(index.h2[p])) if p >= 0 else None for p in at]
        assert got == [tuple(r) for r in wanted.rows()[:1]] + [None] + [tuple(r) for r in wanted.rows()[2:4]] + [None], worst
        assert at[3] == 0 or (index.h1[at[3] - 1], index.h2[at[3] - 1]) != (index.h1[at[3]], index.h2[at[3]]), worst  # the first of par-b's two
        flags = np.zeros(len(index), dtype=bool)
        flags[at[at >= 0]] = True
        assert index.unflagged(flags).height == 0, worst
        flags[at[3]] = False  # par-b: one pair, though two rows
        assert index.unflagged(flags).rows() == [wanted.row(3)], worst
    two = pairs(pl.DataFrame({"a": ["x", "x", "y"], "b": ["1", "2", "1"]}))
    asked = pairs(pl.DataFrame({"a": ["y", "x", "y"], "b": ["1", "2", "2"]}))
    assert [p >= 0 for p in Index(two).find(asked)] == [True, True, False]
    assert Index(ids.clear()).find(wanted).tolist() == [-1] * 5


def test_bytes_that_are_not_utf8_in_a_later_batch_are_named_by_row_and_field(pkg, monkeypatch):
    """The batches' scan leaves UTF-8 to polars; the unsound file is then scanned whole, so the
    line names the row and field as it does when the file is one batch."""
    p = pkg / "data" / "evidence.csv"
    data = p.read_bytes()
    at = data.index(b"\n", len(data) * 3 // 4) + 1  # a row in the last quarter
    line_end = data.index(b"\n", at)
    i = data.rindex(b",", at, line_end) + 2         # inside the last field (quote)
    p.write_bytes(data[:i] + b"\xff" + data[i + 1:])
    row = data[:i].count(b"\n") + 1
    monkeypatch.setattr(csvscan, "BATCH_BYTES", 2000)
    batched = _lines(pkg)
    monkeypatch.setattr(csvscan, "BATCH_BYTES", 1 << 30)
    assert batched == _lines(pkg)
    assert [line for line in batched if "table evidence," in line] == [
        f"data/evidence.csv: table evidence, row {row}, field quote: bytes are not valid UTF-8 (byte {i}: b'\\xff'); save the file as UTF-8"]


def test_a_rule_that_fails_leaves_no_thread_reading(pkg, monkeypatch):
    """The next table is opened (its scan and its Parquet twin read ahead, in threads) before the
    table just read is finished: if a rule fails there, those threads are stopped, not left waiting."""
    import threading

    from spacecoop.validate.checks import RULES, Rule

    class Boom(Rule):
        name = "boom"

        def finish(self, run, t):
            raise RuntimeError("boom")

    monkeypatch.setattr(csvscan, "BATCH_BYTES", 200)  # every table past one batch goes through a thread
    rules = [*RULES, Boom()]
    monkeypatch.setattr("spacecoop.validate.checks.RULES", rules)
    monkeypatch.setattr("spacecoop.validate.stream.RULES", rules)
    with pytest.raises(RuntimeError, match="boom"):
        validate(pkg)
    left = [th for th in threading.enumerate() if th.name == "spacecoop-ahead"]
    assert not left, left


def test_the_scan_hands_over_the_same_batches_whether_or_not_it_checks_utf8(pkg, monkeypatch):
    """With emit, the scan hands over every record once, in order, with or without the UTF-8
    check, across chunk boundaries; a bad byte in a later chunk still stops it with its row."""
    from spacecoop.validate.csvscan import scan_csv

    monkeypatch.setattr(csvscan, "CHUNK", 1000)  # evidence.csv in ~40 chunks
    p = pkg / "data" / "evidence.csv"
    names = p.read_text(encoding="utf-8").splitlines()[0].split(",")
    got = {}
    for check in (False, True):
        batches = []
        scan = scan_csv(p, "data/evidence.csv", "evidence", names, check_encoding=check,
                        emit=lambda data, first, n: batches.append((data, first, n)), batch_bytes=3000)
        assert scan.problems == [] and len(batches) > 5
        got[check] = batches
    assert got[True] == got[False]
    data = p.read_bytes()
    assert b"".join(d for d, _, _ in got[True]) == data[data.index(b"\n") + 1:]
    assert [f for _, f, _ in got[True]] == [sum(n for _, _, n in got[True][:i]) for i in range(len(got[True]))]
    at = data.index(b"\n", len(data) * 3 // 4) + 1
    p.write_bytes(data[:at + 3] + b"\xff" + data[at + 4:])
    scan = scan_csv(p, "data/evidence.csv", "evidence", names, check_encoding=True, emit=lambda *batch: None, batch_bytes=3000)
    assert [(q.row, q.check) for q in scan.problems] == [(data[:at].count(b"\n") + 1, "encoding")]


def test_a_probe_never_hides_a_problem(pkg, monkeypatch):
    """A probe only spares batch() the batches and rows where it cannot report: with every probe
    true (batch() on every row of every batch) a package with a problem for each probed rule gives
    the same lines."""
    import polars as pl

    from spacecoop.validate.checks import RULES, Rule

    edit_csv(pkg, "evidence", lambda r: r[5].__setitem__(r[0].index("quote"), "=HYPERLINK(1)"))  # formula
    edit_csv(pkg, "agreement_participants", lambda r: r[2].__setitem__(0, r[2][0] + "-x"))  # link id
    probed = {type(r) for r in RULES if type(r).probe is not Rule.probe}
    assert len(probed) >= 2, probed
    on = _lines(pkg)
    for cls in probed:
        monkeypatch.setattr(cls, "probe", lambda self, run, t: pl.lit(True))
    off = _lines(pkg)
    assert on == off
    assert any("formula" in line for line in on) and any("link_id" in line for line in on), on


def test_evidence_read_before_a_table_it_cites_still_checks_its_links(pkg):
    """A loop of foreign keys leaves the tables in the descriptor's order, so evidence may be read
    before a table it cites: its rows citing that table are looked up once the table is read, and
    that table's records without evidence are still named."""
    d = json.loads((pkg / "datapackage.json").read_text())
    res = d["resources"]
    ev = next(r for r in res if r["name"] == "evidence")
    res.remove(ev)
    res.insert(next(i for i, r in enumerate(res) if r["name"] == "frameworks"), ev)
    (pkg / "datapackage.json").write_text(json.dumps(d, indent=2))
    s = pkg / "schemas" / "frameworks.schema.json"
    fw = json.loads(s.read_text())  # frameworks -> evidence, while evidence cites frameworks: a loop
    fw.setdefault("foreignKeys", []).append({"fields": "framework_id", "reference": {"resource": "evidence", "fields": "evidence_id"}})
    s.write_text(json.dumps(fw))

    def edit(rows):
        h = rows[0]
        cites = [i for i, r in enumerate(rows) if r[h.index("table")] == "frameworks"]
        rows[cites[0]][h.index("record_id")] = "frm-nowhere"
        gone = rows[cites[1]][h.index("record_id")]
        for i in reversed(cites[1:]):  # every evidence row of one framework: it has none left
            if rows[i][h.index("record_id")] == gone:
                del rows[i]
        edit.row, edit.gone = cites[0] + 1, gone
    edit_csv(pkg, "evidence", edit)
    out = [line for line in _lines(pkg) if "evidence" in line and "dangling" not in line]
    assert (f"data/evidence.csv: table evidence, row {edit.row}, field record_id: record 'frm-nowhere' does not exist in frameworks") in out, out
    assert any(line.startswith("data/frameworks.csv: table frameworks, row ") and f"record {edit.gone!r} has no evidence" in line for line in out), out


def test_a_table_that_names_records_and_is_named_keeps_its_key(pkg):
    """A kept column is dropped once no rule holds it: a rule must hold every column its end()
    reads. milestones names records by (table, record_id); once claim_subjects may name a milestone,
    the foreign-key rule keeps milestones' key beside its pair."""
    from spacecoop.model import open_package
    from spacecoop.validate.checks import RULES, Run

    s = pkg / "schemas" / "claim_subjects.schema.json"
    d = json.loads(s.read_text())
    f = next(f for f in d["fields"] if f["name"] == "table")
    f["constraints"]["enum"] = [*f["constraints"]["enum"], "milestones"]
    s.write_text(json.dumps(d))
    p = open_package(pkg)
    run = Run(p, 20, order=p.table_names())
    rule = next(r for r in RULES if type(r).__name__ == "RecordOfAnyTable")
    assert set(rule.keep(run)["milestones"]) == {"table", "record_id", "milestone_id"}


def test_a_chunk_without_quotes_inside_a_quoted_cell_ends_no_record(tmp_path, monkeypatch):
    """A chunk with no quote in it takes the parity carried in: inside a long quoted cell, its
    newlines and commas are text, not record ends or cell breaks."""
    from spacecoop.validate.csvscan import scan_csv

    monkeypatch.setattr(csvscan, "CHUNK", 16)
    p = tmp_path / "t.csv"
    p.write_bytes(b'a,b\n1,"' + b"x,\n" * 20 + b'"\n2,y\n')
    got = []
    scan = scan_csv(p, "t.csv", "t", ["a", "b"], check_encoding=False, emit=lambda d, f, n: got.append(n), batch_bytes=1)
    assert (scan.records, scan.problems, sum(got)) == (2, [], 2)



def test_a_referenced_key_is_held_until_the_last_table_pointing_to_it_is_read(pkg):
    """The foreign-key rule holds a table's key while a table whose keys point to it is still to
    be read, and then lets it go; a key to the table itself is not held once the table is read."""
    from spacecoop.model import open_package
    from spacecoop.validate.checks import RULES, Run
    from spacecoop.validate.checks.keys import ForeignKeys

    run = Run.of(open_package(pkg), 20)
    rule = next(r for r in RULES if isinstance(r, ForeignKeys))
    kept = rule.keep(run)
    children = [n for n in run.order if n != "references" and any(k.table == "references" for k in run.pkg.schema(n).foreign_keys)]
    last = max(children, key=run.order.index)
    run.tables = dict.fromkeys(run.order[:run.order.index(last)])
    assert "reference_id" in rule.holds(run, kept)["references"]
    assert "affiliation_id" in kept["participants"] and "affiliation_id" not in rule.holds(run, kept).get("participants", ())
    run.tables[last] = None
    assert "references" not in rule.holds(run, kept)


def test_evidence_is_read_with_only_the_columns_still_held(pkg, monkeypatch):
    """Once the tables pointing to references are read, no rule holds its key: while evidence is
    read, references keeps no column and no row (and the lines are those of a valid package)."""
    from spacecoop.validate.checks import RULES, Rule

    seen = {}

    class Spy(Rule):
        def batch(self, run, t, df):
            if t.name == "evidence":
                seen.setdefault("references", run.tables["references"].frame.shape)
            return []

    rules = [*RULES, Spy()]
    monkeypatch.setattr("spacecoop.validate.checks.RULES", rules)
    monkeypatch.setattr("spacecoop.validate.stream.RULES", rules)
    assert _lines(pkg) == []
    assert seen == {"references": (0, 1)}


def test_an_unsound_table_gives_no_errata_line(pkg, monkeypatch):
    """Errata's removed ids are looked up in each batch of the tables it names; a table found
    unsound in a later batch is dropped whole, and so is what its earlier batches found."""
    rows = read_rows(pkg / "data" / "agreements.csv")
    live = rows[1][0]
    edit_csv(pkg, "errata", lambda r: r.append([{"record_id": live, "table": "agreements", "removed_in": "0.1.0"}.get(h, "x") for h in r[0]]))
    p = pkg / "data" / "agreements.csv"
    p.write_bytes(p.read_bytes().rstrip(b"\n") + b"\xff\n")
    monkeypatch.setattr(csvscan, "BATCH_BYTES", 300)
    monkeypatch.setattr(csvscan, "CHUNK", 300)  # a batch or two per row: the id is found before the bad byte
    out = _lines(pkg)
    assert not [line for line in out if "ids are never reused" in line], out
    assert any(line.startswith(f"data/agreements.csv: table agreements, row {len(rows)}") and "UTF-8" in line for line in out), out


@pytest.mark.parametrize("slice_rows", [1 << 22, 64, 3, 1])
def test_repeated_hashes_are_found_a_range_at_a_time(monkeypatch, slice_rows):
    """The unique check sorts a large table's hashes a range at a time: every hash that occurs
    more than once is found (once per repeat) whatever the number of ranges, including the
    largest hash and none for a null."""
    import numpy as np
    import polars as pl

    from spacecoop.validate.checks import keys

    monkeypatch.setattr(keys, "SLICE_ROWS", slice_rows)
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 7, 5000):
        a = rng.integers(0, 2**64, size=n, dtype=np.uint64)
        if n > 2:
            a[n // 2], a[n - 1], a[2], a[n // 3] = a[0], a[1], 2**64 - 1, 2**64 - 1
        s = pl.Series(a, dtype=pl.UInt64)
        if n > 1:
            s = s.scatter([1], [None])
        values, counts = np.unique(s.drop_nulls().to_numpy(), return_counts=True)
        assert sorted(keys._repeated(s).to_list()) == sorted(int(v) for v, c in zip(values, counts) for _ in range(c - 1)), n
