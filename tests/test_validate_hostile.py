"""A package from elsewhere: nothing read outside its directory, no URL fetched, and every broken
file one line, exit 1, no traceback, read in bounded memory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spacecoop.validate import validate
from spacecoop.validate.csvscan import MAX_ROW_BYTES

from conftest import edit_csv


def _desc(pkg: Path) -> dict:
    return json.loads((pkg / "datapackage.json").read_text())


def _save(pkg: Path, d: dict) -> None:
    (pkg / "datapackage.json").write_text(json.dumps(d))


def _lines(pkg: Path, frictionless=None) -> list[str]:
    report = validate(pkg, frictionless)
    assert not report.valid
    return [p.line() for p in report.problems]


def _set(pkg: Path, table: str, key: str, value) -> None:
    d = _desc(pkg)
    next(r for r in d["resources"] if r["name"] == table)[key] = value
    _save(pkg, d)


@pytest.mark.parametrize("frictionless", [False, True])
@pytest.mark.parametrize("key, value, words", [
    ("path", "../outside.csv", "leads outside the package directory; refused"),
    ("path", "/etc/passwd", "leads outside the package directory; refused"),
    ("path", "http://127.0.0.1:9/x.csv", "is a URL; spacecoop never fetches URLs"),
    ("schema", "http://127.0.0.1:9/s.json", "is a URL; spacecoop never fetches URLs"),
    ("schema", "../../schemas/x.json", "leads outside the package directory; refused"),
])
def test_paths_that_leave_the_package_are_refused(pkg, key, value, words, frictionless):
    _set(pkg, "participants", key, value)
    out = _lines(pkg, frictionless)
    assert any(words in line for line in out), out


def test_symlink_out_is_refused(pkg, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("participant_id\nx\n")
    p = pkg / "data" / "participants.csv"
    p.unlink()
    p.symlink_to(secret)
    assert any("is a link that leads outside the package directory; refused" in line for line in _lines(pkg))


def test_seed_path_that_leaves_the_package_is_refused(pkg):
    d = _desc(pkg)
    edit_csv(pkg, "sources", lambda r: r[1].__setitem__(r[0].index("path"), "../../../etc/hostname"))
    for r in d["resources"]:
        r.pop("bytes", None), r.pop("hash", None)
    _save(pkg, d)
    for frictionless in (False, True):
        out = _lines(pkg, frictionless)
        assert any("field path: source src-000: path '../../../etc/hostname' leads outside the package directory" in line for line in out), out


def test_remote_profile_is_never_given_to_frictionless(pkg):
    from spacecoop.validate.frictionless_engine import sanitized
    from spacecoop.model import open_package

    d = _desc(pkg)
    d["$schema"] = "http://127.0.0.1:9/evil.json"
    d["resources"][0]["profile"] = "http://127.0.0.1:9/evil-resource.json"
    _save(pkg, d)
    clean = json.dumps(sanitized(open_package(pkg)))
    assert "127.0.0.1" not in clean and "schemas/" not in clean  # schemas inlined, no URL left


@pytest.mark.parametrize("frictionless", [False, True])
def test_huge_row(pkg, frictionless):
    edit_csv(pkg, "participants", lambda r: r[2].__setitem__(r[0].index("notes"), "x" * (MAX_ROW_BYTES + 10)))
    out = _lines(pkg, frictionless)
    assert any(line.startswith("data/participants.csv: table participants, row 3: row is ") and
               "over the limit of 1 MiB; refusing to read this table" in line for line in out), out


@pytest.mark.parametrize("frictionless", [False, True])
def test_quote_that_never_closes(pkg, frictionless):
    p = pkg / "data" / "programs.csv"
    lines = p.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b",", b',"', 1)
    p.write_bytes(b"\n".join(lines))
    out = _lines(pkg, frictionless)
    assert any("data/programs.csv: table programs, row 4: a quoted cell is never closed" in line for line in out), out


@pytest.mark.parametrize("frictionless", [False, True])
def test_ragged_row(pkg, frictionless):
    edit_csv(pkg, "participants", lambda r: r[4].append("extra"))
    out = _lines(pkg, frictionless)
    assert any("data/participants.csv: table participants, row 5: row has 8 cells but the header has 7" in line for line in out), out


def test_two_gigabyte_single_line_is_not_read_whole(pkg):
    # A sparse file: 2 GiB of one line. The scan stops after the header limit, reading ~1 MiB.
    p = pkg / "data" / "meeting_topics.csv"
    with open(p, "wb") as f:
        f.write(b"link_id,meeting_id,topic")
        f.truncate(2 << 30)
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = _lines(pkg)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert any("data/meeting_topics.csv: table meeting_topics, row 1: header row is more than" in line for line in out), out
    assert after - before < 200 * 1024  # KiB: far below the file's 2 GiB


@pytest.mark.parametrize("frictionless", [False, True])
def test_truncated_parquet(pkg, frictionless):
    p = pkg / "data" / "agreements.parquet"
    p.write_bytes(p.read_bytes()[:-100])
    assert any("Parquet file cannot be read" in line for line in _lines(pkg, frictionless))


def test_schema_with_unknown_type(pkg):
    s = json.loads((pkg / "schemas" / "programs.schema.json").read_text())
    s["fields"][1]["type"] = "spaceship"
    (pkg / "schemas" / "programs.schema.json").write_text(json.dumps(s))
    assert "schemas/programs.schema.json: table programs, field name: field name has unknown type 'spaceship'" in _lines(pkg)


def test_formula_cells_are_reported_in_text_fields_only(pkg):
    edit_csv(pkg, "participants", lambda r: r[1].__setitem__(r[0].index("notes"), "=1+1"))
    edit_csv(pkg, "programs", lambda r: r[1].__setitem__(r[0].index("aims"), "-5"))  # a number, not a formula
    for frictionless in (False, True):
        out = [line for line in _lines(pkg, frictionless) if "formula" in line]
        assert out == ["data/participants.csv: table participants, row 2, field notes: '=1+1' starts with '=': a spreadsheet "
                       "would run it as a formula; reword it or drop the leading character"], out


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe", b'{"resources": "x"}', b"9" * 100])
def test_cli_one_line_no_traceback(pkg, content):
    (pkg / "datapackage.json").write_bytes(content)
    p = subprocess.run([sys.executable, "-m", "spacecoop.cli", "validate", "-p", str(pkg)], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")})
    assert p.returncode == 1
    assert "Traceback" not in p.stderr + p.stdout
    assert len((p.stdout + p.stderr).strip().splitlines()) == 2  # the problem, and the verdict


def test_a_pattern_polars_cannot_run_is_one_line(pkg):
    schema = pkg / "schemas" / "participants.schema.json"
    d = json.loads(schema.read_text())
    next(f for f in d["fields"] if f["name"] == "participant_id")["constraints"]["pattern"] = "(?=par-)par-.*"
    schema.write_text(json.dumps(d))
    out = [line for line in _lines(pkg) if "cannot be checked" in line]
    assert len(out) == 1 and out[0].startswith("schemas/participants.schema.json: table participants, field participant_id: pattern '(?=par-)par-.*'"), out


@pytest.mark.parametrize("constraints, message", [
    ([1], "has constraints that are not an object: [1]"),
    ({"enum": "abc"}, "has an enum that is not a list of text or numbers: 'abc'"),
    ({"enum": [None]}, "has an enum that is not a list of text or numbers: [None]"),
    ({"maximum": "six"}, "has a maximum that is not an integer: 'six'"),
    ({"minimum": True}, "has a minimum that is not an integer: True"),
    ({"minimum": 1.5}, "has a minimum that is not an integer: 1.5"),
])
def test_schema_with_malformed_constraints_is_one_line(pkg, constraints, message):
    p = pkg / "schemas" / "evidence.schema.json"
    s = json.loads(p.read_text())
    next(f for f in s["fields"] if f["name"] == "char_start")["constraints"] = constraints
    p.write_text(json.dumps(s))
    assert f"schemas/evidence.schema.json: table evidence, field char_start: field char_start {message}" in _lines(pkg)


def test_an_integer_field_may_give_bounds_as_text_or_whole_floats_and_its_enum_as_numbers(pkg):
    """As frictionless reads them: "6" and 0.0 are the integers 6 and 0; an enum of numbers holds
    the cells that write them."""
    p = pkg / "schemas" / "evidence.schema.json"
    s = json.loads(p.read_text())
    f = next(f for f in s["fields"] if f["name"] == "char_start")
    f["constraints"] = {"minimum": 0.0, "maximum": "6"}
    p.write_text(json.dumps(s))
    out = [line for line in _lines(pkg) if "field char_start:" in line]
    assert out and all(line.endswith("is more than the maximum 6") or "more rows" in line for line in out), out
    f["constraints"] = {"enum": [5, 7]}
    p.write_text(json.dumps(s))
    out = [line for line in _lines(pkg) if "field char_start:" in line]
    assert out and all(line.endswith("is not one of 5, 7") or "more rows" in line for line in out), out
