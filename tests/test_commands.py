"""How every command names the package, finds the repository it changes, fails, and speaks JSON."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spacecoop.cli import app

from _pkgcopy import REPO, copy_package

runner = CliRunner()


@pytest.mark.parametrize("args", [["build"], ["coverage"], ["docs"], ["extract", "src-000"], ["cite", "--write"],
                                  ["add-seed", "x.txt", "--outlet", "o", "--address", "https://example.org"]])
def test_changing_commands_outside_a_clone_say_they_need_one(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and "needs a clone of spacecoop" in lines[0], res.stderr


def test_changing_commands_act_on_the_repository_around_the_current_directory(tmp_path, monkeypatch):
    pkg = copy_package(tmp_path / "pkg")
    before = (REPO / "docs" / "data-dictionary.md").stat().st_mtime_ns
    monkeypatch.chdir(pkg / "build")  # a subdirectory: the repository is found walking up
    res = runner.invoke(app, ["docs"])
    assert res.exit_code == 0, res.output
    assert (pkg / "docs" / "data-dictionary.md").is_file()
    assert (REPO / "docs" / "data-dictionary.md").stat().st_mtime_ns == before


@pytest.mark.parametrize("args", [["validate", "-p", "nowhere"], ["info", "-p", "nowhere"], ["diff", "nowhere", "nowhere"],
                                  ["extract", "src-999"], ["coverage", "-p", "nowhere"]])
def test_json_is_valid_at_every_exit_code(args):
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 2, res.output
    out = json.loads(res.stdout)
    assert out["exit_code"] == 2 and out["error"]
    assert len(res.stderr.splitlines()) == 1


def test_info_json():
    res = runner.invoke(app, ["info", "--json", "-p", str(REPO)])
    assert res.exit_code == 0
    tables = {t["table"]: t["rows"] for t in json.loads(res.stdout)["tables"]}
    assert tables["evidence"] > 100


def test_published_schema_checks_a_users_frame():
    import pandera.errors
    import polars as pl

    import spacecoop

    frame = pl.read_csv(REPO / "data" / "agreements.csv", infer_schema=False)
    schema = spacecoop.schema("agreements")
    schema.validate(frame, lazy=True)  # the package's own rows pass
    bad = frame.with_columns(pl.lit("maybe").alias("status"))
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        schema.validate(bad, lazy=True)
    assert set(err.value.failure_cases.get_column("failure_case")) == {"maybe"}
