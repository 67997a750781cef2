"""Where the data is: homepage and DOI from build/package.yaml reach the descriptor, every citation
format and .zenodo.json; without them `cite` says so in one line, and nothing invents an address."""
from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from spacecoop import zenodo
from spacecoop.build import build
from spacecoop.cli import app

from _pkgcopy import REPO, copy_package

runner = CliRunner()


@pytest.mark.parametrize("fmt", ["text", "bibtex", "cff", "csl-json"])
def test_without_an_address_cite_says_so_and_invents_none(fmt, tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc.pop("homepage", None), desc.pop("id", None)
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    res = runner.invoke(app, ["cite", "-f", fmt, "--package", str(pkg)])
    assert res.exit_code == 0
    assert res.stderr.strip().splitlines() == [
        "note: this release has no address or DOI yet (build/package.yaml has no `homepage` or DOI `id`); "
        "the citation names the version only"]
    assert "http" not in res.stdout and "doi" not in res.stdout.lower()


def test_homepage_and_doi_reach_descriptor_every_format_and_zenodo(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    meta_path = pkg / "build" / "package.yaml"
    # Test values, in a temp copy only.
    meta_path.write_text(meta_path.read_text(encoding="utf-8")
                         + "homepage: https://example.org/spacecoop\nid: https://doi.org/10.5281/zenodo.1234567\n",
                         encoding="utf-8")
    build(pkg)
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["homepage"] == "https://example.org/spacecoop" and desc["id"].endswith("10.5281/zenodo.1234567")
    out = {f: runner.invoke(app, ["cite", "-f", f, "--package", str(pkg)]) for f in ("text", "bibtex", "cff", "csl-json")}
    assert all(r.exit_code == 0 and r.stderr == "" for r in out.values())
    assert "https://doi.org/10.5281/zenodo.1234567" in out["text"].stdout
    assert "  doi = {10.5281/zenodo.1234567}" in out["bibtex"].stdout
    assert "  url = {https://example.org/spacecoop}" in out["bibtex"].stdout
    csl = json.loads(out["csl-json"].stdout)[0]
    assert csl["DOI"] == "10.5281/zenodo.1234567" and csl["URL"] == "https://example.org/spacecoop"
    cff = yaml.safe_load((pkg / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["doi"] == "10.5281/zenodo.1234567" and cff["url"] == "https://example.org/spacecoop"
    z = json.loads((pkg / ".zenodo.json").read_text(encoding="utf-8"))
    assert {"identifier": "https://example.org/spacecoop", "relation": "isSupplementTo", "scheme": "url"} in z["related_identifiers"]
    assert runner.invoke(app, ["cite", "--check", "--package", str(pkg)]).exit_code == 0


def test_zenodo_metadata_agrees_with_citation_cff():
    z = json.loads((REPO / ".zenodo.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert z["title"] == cff["title"]
    assert z["version"] == cff["version"]
    assert z["publication_date"] == cff["date-released"]
    assert [c["name"] for c in z["creators"]] == [a["name"] for a in cff["authors"]]
    assert z["license"] == cff["license"].lower()
    assert z["keywords"] == cff["keywords"]
    assert z["upload_type"] == "dataset"
    assert zenodo.check(REPO) == []


def test_zenodo_check_notices_drift(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    z = json.loads((pkg / ".zenodo.json").read_text(encoding="utf-8"))
    z["version"] += ".1"
    (pkg / ".zenodo.json").write_text(json.dumps(z, indent=2), encoding="utf-8")
    assert zenodo.check(pkg) == [".zenodo.json: out of step with datapackage.json; run `spacecoop build`"]
