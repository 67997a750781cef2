"""spacecoop diff: rows added, removed and changed, matched by primary key; paths or git refs."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from spacecoop.cli import app

from _pkgcopy import REPO, copy_package

runner = CliRunner()


def edit_agreements(pkg):
    p = pkg / "data" / "agreements.csv"
    rows = list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"))))
    head = rows[0]
    by_id = {r[0]: r for r in rows[1:]}
    by_id["agr-lunar-exploration-mou-2021"][head.index("notes")] = "edited note"
    by_id["agr-lunar-exploration-mou-2021"][head.index("status")] = "ratified"
    del by_id["agr-space-technology-ip"]
    new = ["agr-test-addition", "agreement", "bilateral", "an added row", "", "reported"] + [""] * (len(head) - 6)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([head, *by_id.values(), new])
    p.write_text(out.getvalue(), encoding="utf-8")


def test_same_package_has_no_differences():
    res = runner.invoke(app, ["diff", str(REPO), str(REPO)])
    assert res.exit_code == 0
    assert "no differences" in res.stdout


def test_text_and_json_show_added_removed_changed(tmp_path):
    pkg = copy_package(tmp_path / "new")
    edit_agreements(pkg)
    res = runner.invoke(app, ["diff", str(REPO), str(pkg), "--width", "100"])
    assert res.exit_code == 1
    out = res.stdout
    assert "agreements      1        1        1" in out
    assert "  + agr-test-addition" in out and "  - agr-space-technology-ip" in out
    assert "  ~ agr-lunar-exploration-mou-2021" in out
    assert "      status: 'signed' -> 'ratified'" in out
    assert "the data changed but the version did not" in out
    j = json.loads(runner.invoke(app, ["diff", str(REPO), str(pkg), "--json"]).stdout)
    t = j["tables"]["agreements"]
    assert t["added"] == ["agr-test-addition"] and t["removed"] == ["agr-space-technology-ip"]
    assert t["changed"]["agr-lunar-exploration-mou-2021"]["status"] == ["signed", "ratified"]
    assert set(t["changed"]["agr-lunar-exploration-mou-2021"]) == {"status", "notes"}
    assert j["tables"]["participants"]["status"] == "same"


def test_git_refs(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    copy_package(repo)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    edit_agreements(repo)
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    res = runner.invoke(app, ["diff", "HEAD~1", "HEAD", "--package", str(repo), "--json"])
    assert res.exit_code == 1, res.output
    j = json.loads(res.stdout)
    assert j["old"]["package"].startswith("HEAD~1 (")
    assert j["tables"]["agreements"]["removed"] == ["agr-space-technology-ip"]


def test_bad_ref_says_what_to_give(tmp_path):
    res = runner.invoke(app, ["diff", "no-such-ref-or-dir", str(REPO)])
    assert res.exit_code == 2
    assert "neither a package directory nor a git ref" in res.stderr
