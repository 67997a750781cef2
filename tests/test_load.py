"""spacecoop.load / load_table: typed frames from the Table Schemas, Parquet or CSV, clone or wheel."""
from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import spacecoop
from spacecoop.errors import SpacecoopError
from spacecoop.model import open_package

from _pkgcopy import REPO, copy_package

TABLES = open_package(REPO).table_names()

SCHEMAS = open_package(REPO).schemas()


def csv_rows(table: str) -> int:
    with open(REPO / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def test_load_returns_every_table_with_its_rows_and_columns():
    tables = spacecoop.load()
    assert list(tables) == list(TABLES)
    for t, df in tables.items():
        assert len(df) == csv_rows(t), t
        assert list(df.columns) == SCHEMAS[t].names


@pytest.mark.parametrize("table", TABLES)
def test_dtypes_follow_the_schema(table):
    df = spacecoop.load_table(table)
    for f in SCHEMAS[table].fields:
        col = df[f.name]
        if f.enum is not None:
            assert isinstance(col.dtype, pd.CategoricalDtype), f.name
            assert list(col.dtype.categories) == list(f.enum), f.name
        elif f.type == "integer":
            assert col.dtype == "Int64", f.name
        elif f.type == "date":
            assert col.dtype == "datetime64[ns]", f.name
        elif f.type == "boolean":
            assert col.dtype == "boolean", f.name
        else:
            assert col.dtype == "string", f.name


def test_dates_filter_and_missing_values_are_na():
    m = spacecoop.load_table("milestones")
    signed_since_2020 = m[(m.kind == "signed") & (m.date_earliest >= "2020-01-01")]
    assert set(signed_since_2020.record_id) == {"agr-lunar-exploration-mou-2021"}
    ilrs = m.set_index("milestone_id").loc["mst-ilrs-agreement-ratified"]
    assert ilrs.date_earliest == pd.Timestamp("2024-06-12")
    meetings = spacecoop.load_table("meetings").set_index("meeting_id")
    assert meetings.first_of_its_kind.loc["mtg-moscow-outer-space-consultation"] == True  # noqa: E712 (a pandas boolean)
    assert pd.isna(meetings.first_of_its_kind.loc["mtg-putin-visit-to-china"])
    a = spacecoop.load_table("agreements")
    # Only an empty cell is missing, never the text "".
    assert not (a.content == "").any()


def test_parquet_and_csv_give_identical_frames():
    for t in TABLES:
        pd.testing.assert_frame_equal(spacecoop.load_table(t, format="parquet"), spacecoop.load_table(t, format="csv"))


def test_falls_back_to_csv_when_parquet_is_absent(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    for p in (pkg / "data").glob("*.parquet"):
        p.unlink()
    pd.testing.assert_frame_equal(spacecoop.load_table("programs", pkg), spacecoop.load_table("programs"))


def test_join_agreements_to_participants():
    t = spacecoop.load()
    j = (t["agreement_participants"].merge(t["agreements"], on="agreement_id")
         .merge(t["participants"], on="participant_id", suffixes=("", "_participant")))
    assert len(j) == len(t["agreement_participants"])
    assert "par-chn" in set(j[j.agreement_id == "agr-lunar-exploration-mou-2021"].participant_id)


def test_unknown_table_and_missing_package_say_what_to_do(tmp_path):
    with pytest.raises(ValueError, match=r"unknown table 'agreement'; choose from references, sources"):
        spacecoop.load_table("agreement")
    with pytest.raises(SpacecoopError, match="no datapackage.json here"):
        spacecoop.load(tmp_path)


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match=r"format='xml': choose one of 'auto', 'parquet', 'csv'"):
        spacecoop.load_table("agreements", format="xml")


def test_value_outside_vocabulary_is_a_clear_error(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    p = pkg / "data" / "agreements.csv"
    header, first, rest = p.read_text(encoding="utf-8").split("\n", 2)
    assert ",adopted," in first
    p.write_text("\n".join([header, first.replace(",adopted,", ",maybe,", 1), rest]), encoding="utf-8")
    with pytest.raises(ValueError, match=r"table agreements, field status: 'maybe' is not in its vocabulary"):
        spacecoop.load_table("agreements", pkg, format="csv")


def test_missing_column_is_a_clear_error(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    p = pkg / "data" / "meetings.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("meeting_id,label", "meeting_id,lable", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"meetings.csv: table meetings has no column 'label'"):
        spacecoop.load_table("meetings", pkg, format="csv")


def test_import_spacecoop_does_not_import_pandas():
    out = subprocess.run([sys.executable, "-c", "import sys, spacecoop; print('pandas' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_wheel_ships_the_data_and_loads_from_it(tmp_path):
    """Build the wheel (without a deprecation warning), install it outside the clone, and load
    from the copy inside it."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-v",
                            "-w", str(tmp_path / "dist")], check=True, capture_output=True, text=True)
    assert "DeprecationWarning" not in built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("spacecoop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: MIT AND CC-BY-4.0" in metadata  # PEP 639
    assert {n.rsplit("/", 1)[-1] for n in names if "/licenses/" in n} == {"LICENSE", "LICENSE-DATA"}
    for must in ("spacecoop/_data/datapackage.json", "spacecoop/_data/schemas/agreements.schema.json",
                 "spacecoop/_data/data/agreements.csv", "spacecoop/_data/data/agreements.parquet",
                 "spacecoop/_data/seeds/000_2c520b7ffa59a307.txt"):
        assert must in names
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    code = ("import spacecoop, spacecoop.paths as p; d = p.default_package_dir(); "
            "print(d); print(len(spacecoop.load_table('agreements'))); print(len(spacecoop.load()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    where, rows, tables = out.stdout.split()
    assert Path(where) == site / "spacecoop" / "_data"
    assert int(rows) == csv_rows("agreements") and int(tables) == len(TABLES)
