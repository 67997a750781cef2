"""Versions named without tags: `spacecoop diff 0.1.0 0.2.0` finds each in the repository's history."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from spacecoop import versions
from spacecoop.cli import app

from _gitrepo import V1, V2, git
from _pkgcopy import REPO, copy_package
from test_datadiff import edit_agreements

runner = CliRunner()
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def set_version(pkg, version):
    p = pkg / "datapackage.json"
    desc = json.loads(p.read_text(encoding="utf-8"))
    desc["version"] = version
    p.write_text(json.dumps(desc, indent=2), encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """A git repository with the package at V1, then a commit that changes data and bumps to V2."""
    r = copy_package(tmp_path / "repo")
    git(r, "init", "-q")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "v1")
    edit_agreements(r)
    set_version(r, V2)
    git(r, "commit", "-qam", "v2")
    return r


def test_diff_two_versions_by_name(repo):
    res = runner.invoke(app, ["diff", V1, V2, "-p", str(repo), "--width", "100"])
    assert res.exit_code == 1, res.output
    assert res.stdout.startswith(f"--- {V1} ({git(repo, 'rev-parse', 'HEAD~1')[:12]}) (version {V1})\n"
                                 f"+++ {V2} ({git(repo, 'rev-parse', 'HEAD')[:12]}) (version {V2})")
    assert "  - agr-space-technology-ip" in res.stdout
    # A version against a path and a ref, the forms the README shows.
    assert runner.invoke(app, ["diff", V1, str(repo), "-p", str(repo)]).exit_code == 1
    assert runner.invoke(app, ["diff", V2, "HEAD", "-p", str(repo)]).exit_code == 0


def test_a_version_names_its_newest_commit_and_a_tag_wins(repo):
    first = git(repo, "rev-parse", "HEAD~1")
    found = versions.find(repo, V1)
    assert (found.commit, found.how, found.superseded) == (first, "commit", True)
    # A further change at V2 (the release in preparation): V2 now names it.
    (repo / "data" / "agreements.csv").write_text((repo / "data" / "agreements.csv").read_text(encoding="utf-8")
                                                  .replace("edited note", "edited again"), encoding="utf-8")
    git(repo, "commit", "-qam", "v2 again")
    assert versions.find(repo, V2).commit == git(repo, "rev-parse", "HEAD")
    assert versions.find(repo, V2).superseded is False
    git(repo, "tag", f"v{V2}", "HEAD~1")
    assert versions.find(repo, f"v{V2}").commit == git(repo, "rev-parse", "HEAD~1")
    assert versions.find(repo, V2).how == f"tag v{V2}"


def test_unknown_version_lists_the_known_ones(repo):
    res = runner.invoke(app, ["diff", "9.9.9", ".", "-p", str(repo)])
    assert res.exit_code == 2
    assert res.stderr.strip() == (f"spacecoop diff: 9.9.9: no commit of {repo} has datapackage.json at this version "
                                  f"(versions in this history: {V1}, {V2})")


def test_shallow_clone_and_no_history_are_one_line(repo, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    res = runner.invoke(app, ["diff", V1, ".", "-p", str(shallow)])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "this clone is shallow" in res.stderr and "git fetch --unshallow" in res.stderr
    plain = copy_package(tmp_path / "plain")
    res = runner.invoke(app, ["diff", V1, str(plain), "-p", str(plain)])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "is not a git clone" in res.stderr


def test_this_repository_resolves_its_own_version():
    """The README's example, `spacecoop diff <current version> .`, works in a clone of this repository."""
    if not versions.is_repo(REPO) or subprocess.run(["git", "-C", str(REPO), "rev-parse", "--is-shallow-repository"],
                                                     capture_output=True, text=True).stdout.strip() == "true":
        pytest.skip("not run from a full git clone")
    res = runner.invoke(app, ["diff", V1, str(REPO)])
    assert res.exit_code in (0, 1), res.output
    assert res.stdout.startswith(f"--- {V1} (")


def test_load_a_version_or_a_release_archive(repo, tmp_path):
    from spacecoop import load
    from spacecoop.archive import zip_bytes
    from spacecoop.release import archive_members

    old, new = load(repo, version=V1, format="csv"), load(repo, version=V2, format="csv")
    assert "agr-space-technology-ip" in set(old["agreements"].agreement_id)
    assert "agr-space-technology-ip" not in set(new["agreements"].agreement_id)
    assert str(new["agreements"].kind.dtype) == "category"
    z = tmp_path / "v2.zip"
    z.write_bytes(zip_bytes(archive_members(repo, json.loads((repo / "datapackage.json").read_text()), "")))
    assert load(z)["agreements"].equals(load(repo)["agreements"])
    with pytest.raises(ValueError, match="9.9.9: no commit of"):
        load(repo, version="9.9.9")


def test_a_branch_merged_after_a_bump_does_not_supersede_the_new_version(tmp_path):
    """Commits of a branch started before the bump still say V1; merged after it, they are not a
    later version of the package (the line of the package is its first-parent history)."""
    r = copy_package(tmp_path / "repo")
    git(r, "init", "-q", "-b", "main")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "v1")
    git(r, "checkout", "-qb", "side")
    p = r / "datapackage.json"
    p.write_text(p.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a side commit that still says V1 ...
    (r / "schemas" / "notes.txt").write_text("side work\n", encoding="utf-8")  # ... and whose work the merge keeps
    git(r, "add", "-A")
    git(r, "commit", "-qm", "side work at v1")
    git(r, "checkout", "-q", "main")
    set_version(r, V2)
    git(r, "commit", "-qam", "v2")
    git(r, "merge", "-q", "--no-edit", "-X", "ours", "side")
    found = versions.find(r, V2)
    assert found is not None and found.how == "commit" and not found.superseded and found.reused_from is None
    assert versions.find(r, V1).superseded
