"""spacecoop export sqlite|duckdb: real constraints, descriptions, datasette metadata, atomic output."""
from __future__ import annotations

import csv
import json
import sqlite3

import duckdb
import pytest
from typer.testing import CliRunner

from spacecoop.cli import app
from spacecoop.model import open_package

from _pkgcopy import REPO, copy_package

TABLES = open_package(REPO).table_names()

SCHEMAS = open_package(REPO).schemas()
runner = CliRunner()


def csv_count(t: str) -> int:
    with open(REPO / "data" / f"{t}.csv", encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def test_sqlite_export_has_rows_keys_checks_and_docs(tmp_path):
    out = tmp_path / "spacecoop.db"
    res = runner.invoke(app, ["export", "sqlite", str(out)])
    assert res.exit_code == 0, res.output
    n = len(json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["resources"]) // 2
    assert f"{n} tables," in res.output
    con = sqlite3.connect(out)
    con.execute("PRAGMA foreign_keys = ON")
    for t in TABLES:
        assert con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] == csv_count(t), t
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = con.execute('PRAGMA foreign_key_list("milestones")').fetchall()
    assert {(r[2], r[3]) for r in fks} >= {("references", "date_reference_id")}
    pk = [r[1] for r in con.execute('PRAGMA table_info("agreements")').fetchall() if r[5]]
    assert pk == ["agreement_id"]
    # The constraints are real: a dangling foreign key and a value outside a vocabulary are refused.
    # (foreign keys are DEFERRABLE INITIALLY DEFERRED: checked when the transaction commits)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        con.execute("INSERT INTO agreement_participants VALUES ('x', 'agr-nope', 'par-chn', 'party')")
        con.commit()
    con.rollback()
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        con.execute("UPDATE agreements SET status = 'maybe' WHERE agreement_id = 'agr-ilrs-agreement'")
    # Descriptions live in documentation tables.
    desc = con.execute("SELECT description FROM _columns WHERE \"table\"='agreements' AND \"column\"='kind'").fetchone()[0]
    assert desc == SCHEMAS["agreements"].field("kind").description
    assert con.execute("SELECT definition FROM _vocabularies WHERE \"table\"='agreements' AND \"column\"='status' AND value='ratified'").fetchone()[0] \
        == SCHEMAS["agreements"].field("status").enum_descriptions["ratified"]
    assert con.execute("SELECT value FROM _package WHERE key='version'").fetchone()[0] == json.loads((REPO / "datapackage.json").read_text())["version"]


def test_sqlite_datasette_metadata(tmp_path):
    out = tmp_path / "spacecoop.db"
    assert runner.invoke(app, ["export", "sqlite", str(out)]).exit_code == 0
    meta = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC-BY-4.0" and meta["title"].startswith("China–Russia Space Cooperation")
    assert meta["source_url"].startswith("https://")
    tables = meta["databases"]["spacecoop"]["tables"]
    assert set(TABLES) <= set(tables)
    assert tables["meetings"]["description"] == SCHEMAS["meetings"].description
    assert tables["meetings"]["columns"]["level"].startswith(SCHEMAS["meetings"].field("level").description)


def test_duckdb_export_has_keys_and_comments(tmp_path):
    out = tmp_path / "spacecoop.duckdb"
    res = runner.invoke(app, ["export", "duckdb", str(out)])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(out), read_only=True)
    for t in TABLES:
        assert con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] == csv_count(t), t
    kinds = {r[0] for r in con.execute("SELECT constraint_type FROM duckdb_constraints() WHERE table_name='agreements'").fetchall()}
    assert {"PRIMARY KEY", "FOREIGN KEY", "CHECK", "NOT NULL"} <= kinds
    assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name='references'").fetchone()[0] == SCHEMAS["references"].description
    comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name='milestones' AND column_name='date_earliest'").fetchone()[0]
    assert comment == SCHEMAS["milestones"].field("date_earliest").description
    assert str(con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name='milestones' AND column_name='date_earliest'").fetchone()[0]) == "DATE"
    con.close()
    con = duckdb.connect(str(out))
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO agreement_participants VALUES ('x', 'agr-nope', 'par-chn', 'party')")


@pytest.mark.parametrize("dialect", ["sqlite", "duckdb"])
def test_refuses_to_overwrite_without_force(tmp_path, dialect):
    out = tmp_path / "out.db"
    out.write_bytes(b"precious")
    res = runner.invoke(app, ["export", dialect, str(out)])
    assert res.exit_code == 2
    assert "already exists; pass --force" in res.stderr
    assert out.read_bytes() == b"precious"
    res = runner.invoke(app, ["export", dialect, str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert out.read_bytes() != b"precious"


@pytest.mark.parametrize("dialect", ["sqlite", "duckdb"])
def test_broken_package_leaves_no_file(tmp_path, dialect):
    pkg = copy_package(tmp_path / "pkg")
    p = pkg / "data" / "agreement_participants.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",par-chn,", ",par-nowhere,", 1), encoding="utf-8")
    out = tmp_path / "out" / "x.db"
    res = runner.invoke(app, ["export", dialect, str(out), "--package", str(pkg)])
    assert res.exit_code == 1
    assert "run `spacecoop validate`" in res.stderr
    assert sorted(x.name for x in (tmp_path / "out").iterdir()) == []


def test_a_directory_as_output_is_refused_and_nothing_is_touched(tmp_path):
    out = tmp_path / "dir"
    out.mkdir()
    meta = tmp_path / "metadata.json"
    meta.write_text("precious", encoding="utf-8")
    res = runner.invoke(app, ["export", "sqlite", str(out), "--force"])
    assert res.exit_code == 2
    assert f"{out} is a directory; give a file name" in res.stderr
    assert meta.read_text(encoding="utf-8") == "precious"
    assert list(out.iterdir()) == []


def test_failed_sqlite_export_leaves_existing_metadata_alone(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    p = pkg / "data" / "agreement_participants.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",par-chn,", ",par-nowhere,", 1), encoding="utf-8")
    out = tmp_path / "x.db"
    (tmp_path / "metadata.json").write_text("precious", encoding="utf-8")
    res = runner.invoke(app, ["export", "sqlite", str(out), "--package", str(pkg), "--force"])
    assert res.exit_code == 1
    assert (tmp_path / "metadata.json").read_text(encoding="utf-8") == "precious"
    assert not out.exists()


def test_output_under_a_file_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    res = runner.invoke(app, ["export", "sqlite", str(blocker / "x.db")])
    assert res.exit_code == 1
    assert res.stderr.startswith("spacecoop export sqlite: ") and len(res.stderr.splitlines()) == 1
    assert blocker.read_text(encoding="utf-8") == "x"
