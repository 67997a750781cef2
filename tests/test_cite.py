"""spacecoop cite and CITATION.cff: valid CFF 1.2.0, in step with datapackage.json."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from spacecoop.cli import app

from _pkgcopy import REPO, copy_package

runner = CliRunner()
DESC = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
VERSION = DESC["version"]


def test_citation_cff_is_valid_cff_1_2_0():
    schema = json.loads((Path(__file__).parent / "data" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())


def test_citation_cff_is_in_step_with_datapackage():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == DESC["version"]
    assert cff["date-released"] == DESC["created"][:10]
    res = runner.invoke(app, ["cite", "--check"])
    assert res.exit_code == 0, res.output


def test_check_fails_after_a_version_bump_and_write_fixes_it(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc["version"], desc["created"] = "0.2.0", "2027-01-15T00:00:00Z"
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    res = runner.invoke(app, ["cite", "--check", "--package", str(pkg)])
    assert res.exit_code == 1
    assert f"CITATION.cff: version is '{VERSION}' but datapackage.json says '0.2.0'; run `spacecoop cite --write`" in res.stderr
    assert "date-released" in res.stderr
    assert runner.invoke(app, ["cite", "--write", "--package", str(pkg)]).exit_code == 0
    assert runner.invoke(app, ["cite", "--check", "--package", str(pkg)]).exit_code == 0
    assert "version: 0.2.0" in (pkg / "CITATION.cff").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "bibtex", "cff", "csl-json"])
def test_every_format_names_the_version(fmt):
    res = runner.invoke(app, ["cite", "--format", fmt])
    assert res.exit_code == 0, res.output
    assert DESC["version"] in res.stdout
    assert "doi" not in res.stdout.lower()  # none exists yet; none is invented
    if fmt == "csl-json":
        (item,) = json.loads(res.stdout)
        assert item["type"] == "dataset" and item["version"] == DESC["version"]
    if fmt == "cff":
        assert res.stdout.strip() == (REPO / "CITATION.cff").read_text(encoding="utf-8").strip()
    if fmt == "bibtex":
        assert res.stdout.startswith("@misc{spacecoop_0_1_0,") or res.stdout.startswith("@misc{")


def test_doi_appears_once_the_descriptor_has_one(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc["id"] = "https://doi.org/10.5281/zenodo.0000000"  # a test value in a temp copy only
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    text = runner.invoke(app, ["cite", "--package", str(pkg)]).stdout
    assert "https://doi.org/10.5281/zenodo.0000000" in text
    cff = yaml.safe_load(runner.invoke(app, ["cite", "-f", "cff", "--package", str(pkg)]).stdout)
    assert cff["doi"] == "10.5281/zenodo.0000000"


def test_unknown_format_is_a_usage_error():
    res = runner.invoke(app, ["cite", "--format", "ris"])
    assert res.exit_code == 2
    assert "unknown format 'ris'; choose from text, bibtex, cff, csl-json" in res.stderr
