"""Corrupt a copy of the real package and assert the exact line `spacecoop validate` prints."""
from __future__ import annotations

import json

import pytest

from spacecoop.validate import validate

from conftest import edit_csv, read_rows


def lines(pkg) -> list[str]:
    report = validate(pkg)
    assert not report.valid
    return [p.line() for p in report.problems]


def test_real_package_is_valid(pkg):
    report = validate(pkg)
    assert report.valid, [p.line() for p in report.problems]
    assert report.rows > 200


def test_duplicate_id(pkg):
    rows = edit_csv(pkg, "participants", lambda r: r.append(list(r[1])))
    dup = rows[1][0]
    out = lines(pkg)
    n = len(rows)  # the appended copy is the last spreadsheet row
    assert f"data/participants.csv: table participants, row {n}, field participant_id: {dup!r} is not unique (first at row 2)" in out
    assert not any("row 2, field participant_id" in line for line in out)  # the first occurrence is not itself a problem


def test_dangling_foreign_key(pkg):
    def fn(r):
        i = r[0].index("participant_id")
        r[1][i] = "par-nowhere"
    edit_csv(pkg, "meeting_participants", fn)
    assert ("data/meeting_participants.csv: table meeting_participants, row 2, field participant_id: "
            "'par-nowhere' is not a participant_id in participants (dangling foreign key)") in lines(pkg)


def test_value_outside_vocabulary(pkg):
    edit_csv(pkg, "agreements", lambda r: r[3].__setitem__(r[0].index("status"), "maybe"))
    assert ("data/agreements.csv: table agreements, row 4, field status: 'maybe' is not one of "
            "reported, adopted, signed, ratified") in lines(pkg)


def test_impossible_date(pkg):
    edit_csv(pkg, "milestones", lambda r: r[2].__setitem__(r[0].index("date_earliest"), "2024-02-30"))
    assert ("data/milestones.csv: table milestones, row 3, field date_earliest: '2024-02-30' "
            "is not a real date (YYYY-MM-DD)") in lines(pkg)


@pytest.fixture(params=["polars", "python"])
def quote_path(request, monkeypatch):
    """Quotes checks a source's spans in polars from MANY distinct spans a batch, else each with
    quote_problem: the real package (two seeds, a few hundred spans) is run both ways."""
    from spacecoop.validate.checks import evidence

    monkeypatch.setattr(evidence, "MANY", 1 if request.param == "polars" else 10**9)


def test_quote_not_matching_offsets(pkg, quote_path):
    rows = read_rows(pkg / "data" / "evidence.csv")
    s, e = rows[0].index("char_start"), rows[0].index("char_end")
    start, end = int(rows[4][s]), int(rows[4][e])

    def shift(r):
        r[4][s], r[4][e] = str(start + 1), str(end + 1)
    edit_csv(pkg, "evidence", shift)
    out = [line for line in lines(pkg) if "field quote" in line]
    assert out == [f"data/evidence.csv: table evidence, row 5, field quote: quote does not match the seed at "
                   f"{start + 1}..{end + 1}: seed has {out[0].split('seed has ')[1].split('; the quote')[0]}; "
                   f"the quote is at {start}..{end}"]


@pytest.mark.parametrize("big", ["99999999999999999999", "-99999999999999999999", "+9223372036854775808"])
def test_an_offset_past_int64_is_an_integer_outside_the_seed(pkg, big, quote_path):
    """The verdict casts integers to Int64: a lexical integer past it is still an integer (pandera
    decides), its bound is checked, and its quote is not skipped."""
    rows = read_rows(pkg / "data" / "evidence.csv")
    s, e = rows[0].index("char_start"), rows[0].index("char_end")
    end = rows[4][e]
    edit_csv(pkg, "evidence", lambda r: r[4].__setitem__(s, big))
    out = [line for line in lines(pkg) if line.startswith("data/evidence.csv: table evidence, row 5")]
    assert not any("is not an integer" in line for line in out), out
    if big.startswith("-"):
        assert out == [f"data/evidence.csv: table evidence, row 5, field char_start: '{big}' is less than the minimum 0",
                       f"data/evidence.csv: table evidence, row 5, field char_start: offsets {int(big)}..{end} are outside the seed "
                       f"({out[1].split('seed (')[1]}"]
    else:
        assert out == [f"data/evidence.csv: table evidence, row 5, field char_end: empty span {int(big)}..{end}: "
                       "char_end must be after char_start"]


def test_edited_seed(pkg, quote_path):
    seed = pkg / "seeds" / "000_2c520b7ffa59a307.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Moscow", b"Moskva", 1))
    out = lines(pkg)
    assert ("data/sources.csv: table sources, row 2, field sha256: seed seeds/000_2c520b7ffa59a307.txt does not "
            "match its sha256: the seed was edited (seeds are never edited)") in out
    assert any("field quote: quote does not match the seed" in line for line in out)


def test_missing_required_value(pkg):
    edit_csv(pkg, "programs", lambda r: r[2].__setitem__(r[0].index("name"), ""))
    assert "data/programs.csv: table programs, row 3, field name: is empty but required" in lines(pkg)


def test_wrong_columns(pkg):
    edit_csv(pkg, "meetings", lambda r: r[0].__setitem__(r[0].index("place"), "venue"))
    assert ("data/meetings.csv: table meetings, row 1: header does not match the schema: missing place; "
            "unexpected venue") in lines(pkg)


def test_non_utf8_bytes(pkg):
    p = pkg / "data" / "references.csv"
    data = p.read_bytes()
    i = data.index(b"Novinite report")
    p.write_bytes(data[:i] + b"\xff" + data[i + 1:])
    row = data[:i].count(b"\n") + 1
    assert (f"data/references.csv: table references, row {row}, field title: bytes are not valid UTF-8 "
            f"(byte {i}: b'\\xff'); save the file as UTF-8") in lines(pkg)


def test_resource_changed_after_build(pkg):
    p = pkg / "data" / "meeting_topics.csv"
    before = p.stat().st_size
    p.write_bytes(p.read_bytes() + b"mtg-x~copuos-agenda,mtg-x,copuos_agenda\n")
    desc = json.loads((pkg / "datapackage.json").read_text())
    assert [r["bytes"] for r in desc["resources"] if r["name"] == "meeting_topics"] == [before]
    out = lines(pkg)
    assert (f"data/meeting_topics.csv: table meeting_topics: file has {p.stat().st_size} bytes but the descriptor "
            f"says {before}: changed after build; rebuild with `spacecoop build`") in out
    assert ("data/meeting_topics.csv: table meeting_topics: sha256 differs from the descriptor's hash: changed "
            "after build; rebuild with `spacecoop build`") in out


def test_parquet_changed_after_build(pkg):
    p = pkg / "data" / "agreements.parquet"
    p.write_bytes(p.read_bytes()[:-100])
    out = lines(pkg)
    assert any(line.startswith("data/agreements.parquet: table agreements-parquet: file has") for line in out)
    assert any("Parquet file cannot be read" in line for line in out)


def test_record_without_evidence(pkg):
    def drop(r):
        r[:] = [r[0]] + [row for row in r[1:] if row[r[0].index("record_id")] != "prg-ilrs"]
    edit_csv(pkg, "evidence", drop)
    rows = read_rows(pkg / "data" / "programs.csv")
    n = [row[0] for row in rows].index("prg-ilrs") + 1
    assert f"data/programs.csv: table programs, row {n}: record 'prg-ilrs' has no evidence" in lines(pkg)


def test_link_without_evidence_is_named_by_its_id_read_again_from_the_file(pkg):
    """No rule keeps a link table's ids (evidence keeps their hashes): the ids of the records that
    lack evidence are read again from the file, by row."""
    from spacecoop.model import open_package
    from spacecoop.validate.checks import RULES, Run

    run = Run.of(open_package(pkg), 20)
    assert not any("link_id" in r.keep(run).get("meeting_participants", ()) for r in RULES)
    rows = read_rows(pkg / "data" / "meeting_participants.csv")
    gone = {rows[2][0], rows[5][0]}

    def drop(r):
        r[:] = [r[0]] + [row for row in r[1:] if row[r[0].index("record_id")] not in gone]
    edit_csv(pkg, "evidence", drop)
    assert [line for line in lines(pkg) if "table meeting_participants," in line] == [
        f"data/meeting_participants.csv: table meeting_participants, row {n}: record {rows[n - 1][0]!r} has no evidence" for n in (3, 6)]


def test_evidence_naming_a_record_or_column_that_does_not_exist(pkg):
    def fn(r):
        h = r[0]
        r[3][h.index("record_id")] = "prg-nowhere"
        r[3][h.index("table")] = "programs"
        r[4][h.index("field")] = "colour"
    rows = edit_csv(pkg, "evidence", fn)
    h = rows[0]
    out = lines(pkg)
    assert "data/evidence.csv: table evidence, row 4, field record_id: record 'prg-nowhere' does not exist in programs" in out
    assert f"data/evidence.csv: table evidence, row 5, field field: 'colour' is not a column of {rows[4][h.index('table')]}" in out


def test_date_disagrees_with_precision(pkg):
    def fn(r):
        h = r[0]
        row = next(x for x in r[1:] if x[0] == "mst-lunar-exploration-mou-2021-signed")
        row[h.index("date_precision")] = "month"
    rows = edit_csv(pkg, "milestones", fn)
    n = [row[0] for row in rows].index("mst-lunar-exploration-mou-2021-signed") + 1
    assert (f"data/milestones.csv: table milestones, row {n}, field date: value '2021-03-09' does not have the "
            f"form precision 'month' requires") in lines(pkg)


@pytest.mark.parametrize("content, message", [
    (b"{not json", "descriptor is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    (b"[1, 2]", "descriptor must be a JSON object, not list"),
])
def test_broken_descriptor(pkg, content, message):
    (pkg / "datapackage.json").write_bytes(content)
    assert lines(pkg) == [f"datapackage.json: {message}"]


def test_removed_id_used_again(pkg):
    pid = read_rows(pkg / "data" / "participants.csv")[1][0]

    def fn(rows):
        head = rows[0]
        row = {"record_id": pid, "table": "participants", "removed_in": "0.1.0", "reason": "test"}
        rows.append([row.get(h, "") for h in head])
    n = len(edit_csv(pkg, "errata", fn))  # the appended row is the last
    assert (f"data/errata.csv: table errata, row {n}, field record_id: id {pid!r} was removed in 0.1.0 but is in "
            "participants again: ids are never reused") in lines(pkg)


def test_link_id_not_derived_from_its_keys(pkg):
    """A link row's id is the slugs of its keys joined by '~': a hand-edited id is named with the one it should be."""
    rows = edit_csv(pkg, "meeting_participants", lambda r: r[2].__setitem__(0, "mtg-elsewhere~" + r[2][0].split("~", 1)[1]))
    want = "~".join(rows[2][1:])
    assert (f"data/meeting_participants.csv: table meeting_participants, row 3, field link_id: link_id {rows[2][0]!r} "
            f"should be {want!r} (derived from meeting_id, participant_id, role)") in lines(pkg)


def _rewrite_twin(pkg, table, edit=None, **options):
    import pyarrow.parquet as pq
    p = pkg / "data" / f"{table}.parquet"
    t = pq.read_table(p)
    if edit:
        t = edit(t)
    pq.write_table(t, p, compression="zstd", **options)
    _rewrite_descriptor_hash(pkg, table)


def _rewrite_descriptor_hash(pkg, table):
    p = pkg / "data" / f"{table}.parquet"
    desc = json.loads((pkg / "datapackage.json").read_text())
    for r in desc["resources"]:  # the descriptor's bytes and hash follow the new file
        if r["path"] == f"data/{table}.parquet":
            import hashlib
            r["bytes"], r["hash"] = p.stat().st_size, "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
    (pkg / "datapackage.json").write_text(json.dumps(desc, indent=2))


@pytest.mark.parametrize("dictionary", [False, True])
def test_parquet_twin_is_compared_cell_for_cell(pkg, dictionary):
    """A twin without dictionaries is read plain; a dictionary column is gathered by index. Either
    way a null is the CSV's empty cell, the twin agrees where it should, and a changed cell is
    named by row and field."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    def nulls(t):  # every empty text cell stored as null
        for i, f in enumerate(t.schema):
            if pa.types.is_string(f.type):
                t = t.set_column(i, f.name, pc.if_else(pc.equal(t.column(i), ""), pa.scalar(None, f.type), t.column(i)))
        return t
    _rewrite_twin(pkg, "participants", nulls, use_dictionary=dictionary)
    assert sum(c.null_count for c in pq.read_table(pkg / "data" / "participants.parquet").columns) > 0
    assert validate(pkg).valid, [p.line() for p in validate(pkg).problems]

    def change(t):
        t = nulls(t)
        col = t.column("country").to_pylist()
        col[3] = "Atlantis"
        return t.set_column(t.column_names.index("country"), "country", pa.array(col, t.column("country").type))
    _rewrite_twin(pkg, "participants", change, use_dictionary=dictionary)
    rows = read_rows(pkg / "data" / "participants.csv")
    was = rows[4][rows[0].index("country")]
    assert [p.line() for p in validate(pkg).problems] == [
        f"data/participants.parquet: table participants-parquet, row 5, field country: Parquet differs from the CSV: 'Atlantis' vs {was!r}"]


def test_a_dictionary_index_out_of_range_is_refused_not_wrapped():
    """polars reads a negative index from the end: a hostile file's index past either end is an
    error (the twin 'cannot be read'), never another value."""
    import pyarrow as pa

    from spacecoop.validate.checks.parquet import _gather

    values = pa.array(["a", "b"])
    assert _gather("x", pa.DictionaryArray.from_arrays(pa.array([1, None, 0], pa.int32()), values)).to_list() == ["b", None, "a"]
    for bad in (-1, 2):
        with pytest.raises(Exception):
            _gather("x", pa.DictionaryArray.from_arrays(pa.array([0, bad], pa.int32()), values, safe=False))


def test_parquet_text_that_can_decode_to_more_than_its_pages_is_read_as_dictionaries(tmp_path):
    """Dictionary and delta encodings can decode to far more than they store, so those columns are
    read as dictionaries and counted first; a plain column cannot, and is read as it is."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from spacecoop.validate.checks.parquet import _encoded

    p = tmp_path / "t.parquet"
    t = pa.table({"delta": ["x" * 100] * 50, "plain": [str(i) for i in range(50)], "dict": ["y"] * 50, "n": list(range(50))})
    pq.write_table(t, p, use_dictionary=["dict"], column_encoding={"delta": "DELTA_BYTE_ARRAY", "plain": "PLAIN"})
    assert _encoded(pq.read_metadata(p), 0) == ("delta", "dict")


def test_parquet_twin_with_delta_encoded_text_is_refused_in_one_line(pkg):
    _rewrite_twin(pkg, "participants", use_dictionary=False, column_encoding={"name": "DELTA_BYTE_ARRAY"})
    out = [p.line() for p in validate(pkg).problems]
    assert len(out) == 1 and out[0].startswith("data/participants.parquet: table participants-parquet: Parquet file cannot be read:"), out


@pytest.mark.parametrize("cell,fails", [("9223372036854775808", True), ("9223372036854775807", False),
                                        ("99999999999999999999", True)])
def test_a_cell_past_int64_is_beyond_a_maximum_within_it(pkg, cell, fails):
    """2**63 and 2**63 - 1 are the same float: the bound is decided by the cell's side, not by floats."""
    p = pkg / "schemas" / "evidence.schema.json"
    d = json.loads(p.read_text())
    next(f for f in d["fields"] if f["name"] == "char_start")["constraints"]["maximum"] = 9223372036854775807
    p.write_text(json.dumps(d))
    edit_csv(pkg, "evidence", lambda r: r[4].__setitem__(r[0].index("char_start"), cell))
    out = [line for line in lines(pkg) if line.startswith("data/evidence.csv: table evidence, row 5, field char_start:")
           and "maximum" in line]
    assert out == ([f"data/evidence.csv: table evidence, row 5, field char_start: '{cell}' is more than the maximum "
                    "9223372036854775807"] if fails else []), out


@pytest.mark.parametrize("extra", [-1, 1])
def test_a_parquet_footer_whose_total_its_row_groups_do_not_hold_is_reported(pkg, extra):
    """The footer's total says as many rows as the CSV has; its row groups hold one fewer, or one
    more. The twin's rows are what its row groups hold, whatever the footer says (its total used
    to be taken as the row count, and both files passed)."""
    import struct

    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_rows = len(read_rows(pkg / "data" / "participants.csv")) - 1
    _rewrite_twin(pkg, "participants", lambda t: t.slice(0, t.num_rows - 1) if extra < 0 else pa.concat_tables([t, t.slice(0, 1)]))
    p = pkg / "data" / "participants.parquet"
    n = pq.read_metadata(p).num_rows
    assert n == csv_rows + extra

    def field_6(v):  # FileMetaData.num_rows: field 3, i64, after field 2 (a list): delta 1, type 6
        z = (v << 1) ^ (v >> 63)
        out = bytearray()
        while True:
            out.append((z & 0x7F) | (0x80 if z >> 7 else 0))
            z >>= 7
            if not z:
                return b"\x16" + bytes(out)
    data = bytearray(p.read_bytes())
    footer = len(data) - 8 - struct.unpack("<I", data[-8:-4])[0]
    at = data.find(field_6(n), footer)
    assert at > 0 and len(field_6(n)) == len(field_6(csv_rows))
    data[at:at + len(field_6(n))] = field_6(csv_rows)
    p.write_bytes(bytes(data))
    _rewrite_descriptor_hash(pkg, "participants")
    assert pq.read_metadata(p).num_rows == csv_rows
    held = n if extra < 0 else "more"
    assert [line for line in lines(pkg) if "parquet" in line] == [
        f"data/participants.parquet: table participants-parquet: Parquet holds {held} rows (its footer says {csv_rows}), the CSV {csv_rows}"]


def test_the_quote_checks_seed_tables_go_with_evidence(pkg, monkeypatch):
    """Quotes keeps each cited seed's bytes and character table while evidence streams, and drops
    them at evidence's finish: they are not held while the rest of the package is finished."""
    import polars as pl

    from spacecoop.model import open_package
    from spacecoop.validate.checks import Run, evidence
    from spacecoop.validate.checks.evidence import Quotes
    from spacecoop.validate.table import ROW, Table

    monkeypatch.setattr(evidence, "MANY", 1)
    p = open_package(pkg)
    run = Run(p, 20)
    run.texts = {"src-001": "é un texte"}
    t = Table("evidence", "data/evidence.csv", pkg / "data" / "evidence.csv", p.schema("evidence"), {})
    df = pl.DataFrame({ROW: [0], "evidence_id": ["ev-x"], "table": ["x"], "record_id": ["x"], "field": ["x"],
                       "source_id": ["src-001"], "char_start": ["0"], "char_end": ["2"], "quote": ["é "]})
    rule = Quotes()
    assert rule.batch(run, t, df) == [] and ("quote", "src-001") in run.state
    rule.finish(run, t)
    assert not [k for k in run.state if isinstance(k, tuple) and k[0] == "quote"]


@pytest.mark.parametrize("many", [None, 1])
def test_a_batch_citing_many_sources_is_not_queried_source_by_source(pkg, monkeypatch, many):
    """A source with fewer than MANY distinct spans in a batch goes to quote_problem row by row: a
    polars query per source made a batch citing 20k sources take 13 s (0.14 s before). With
    MANY = 1 every source is checked in polars, and the batch gives the same line, once."""
    import polars as pl

    from spacecoop.model import open_package
    from spacecoop.validate.checks import Run, evidence
    from spacecoop.validate.table import ROW, Table

    def refuse(*args):
        raise AssertionError("a source with few spans was checked in polars")
    if many is None:
        monkeypatch.setattr(evidence, "_spans_match", refuse)
    else:
        monkeypatch.setattr(evidence, "MANY", many)
    p = open_package(pkg)
    run = Run(p, 20)
    run.texts = {f"src-{i}": f"seed {i}" for i in range(50)}
    n = len(run.texts)
    t = Table("evidence", "data/evidence.csv", pkg / "data" / "evidence.csv", p.schema("evidence"), {})
    df = pl.DataFrame({ROW: list(range(n)), "evidence_id": ["ev-x"] * n, "table": ["x"] * n, "record_id": ["x"] * n,
                       "field": ["x"] * n, "source_id": list(run.texts), "char_start": ["0"] * n, "char_end": ["4"] * n,
                       "quote": ["seed"] * (n - 1) + ["nope"]})
    out = [x.line() for x in evidence.Quotes().batch(run, t, df)]
    assert out == [f"data/evidence.csv: table evidence, row {n + 1}, field quote: quote does not match the seed at 0..4: "
                   "seed has 'seed'; the quote is not in the seed at all"]


def test_evidence_citing_a_table_with_no_records(pkg):
    """A cited table with a header alone still has an (empty) index: evidence naming a record in
    it is told the record does not exist."""
    assert read_rows(pkg / "data" / "meeting_programs.csv")[1:] == []

    def fn(r):
        h = r[0]
        r[3][h.index("table")], r[3][h.index("record_id")] = "meeting_programs", "mpr-nowhere"
    edit_csv(pkg, "evidence", fn)
    assert ("data/evidence.csv: table evidence, row 4, field record_id: record 'mpr-nowhere' does not exist in meeting_programs"
            in lines(pkg))


def test_a_file_changed_before_it_is_read_again_gives_one_line(pkg, monkeypatch):
    """The ids of records without evidence are read again from the file: if it changed since it
    was read, one line says so (not a traceback, nor the ids of rows never checked)."""
    from spacecoop.validate.checks import RULES, Rule

    links = pkg / "data" / "meeting_participants.csv"
    gone = read_rows(links)[1][0]
    edit_csv(pkg, "evidence", lambda r: r.__setitem__(slice(None), [r[0]] + [row for row in r[1:] if row[r[0].index("record_id")] != gone]))

    class Spy(Rule):
        def batch(self, run, t, df):
            if t.name == "evidence":
                links.write_bytes(links.read_bytes() + b'a,b,"c\n')  # after it was read
            return []
    rules = [*RULES, Spy()]
    monkeypatch.setattr("spacecoop.validate.checks.RULES", rules)
    monkeypatch.setattr("spacecoop.validate.stream.RULES", rules)
    out = [line for line in lines(pkg) if "while it was read" in line or "has no evidence" in line]
    assert out == ["data/meeting_participants.csv: table meeting_participants: file changed while it was read"], out


@pytest.mark.parametrize("table", ["participants", "meeting_participants"])
def test_every_row_of_a_duplicated_id_without_evidence_is_named(pkg, table):
    """A duplicated id (the unique check's line) lacks evidence on every one of its rows, kept key
    or not: each row is named."""
    rows = read_rows(pkg / "data" / f"{table}.csv")
    dup = rows[2][0]
    edit_csv(pkg, table, lambda r: r.append(list(r[2])))
    edit_csv(pkg, "evidence", lambda r: r.__setitem__(slice(None), [r[0]] + [x for x in r[1:] if x[r[0].index("record_id")] != dup]))
    out = [line for line in lines(pkg) if line.endswith(f"record {dup!r} has no evidence")]
    assert out == [f"data/{table}.csv: table {table}, row {n}: record {dup!r} has no evidence" for n in (3, len(rows) + 1)], out
