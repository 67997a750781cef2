"""spacecoop release: a reproducible archive (+ sha256 and the R source package) that validate and
diff read as they read a directory; each refusal one line. Runs on temp git repositories."""
from __future__ import annotations

import hashlib
import json
import shutil
import stat
import subprocess
import zipfile

import pytest
from typer.testing import CliRunner

from spacecoop import archive, cite, zenodo
from spacecoop.cli import app
from spacecoop.release import changelog_entry

from _gitrepo import V1, V2, git
from _pkgcopy import REPO, copy_package
from conftest import edit_csv

runner = CliRunner()
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def clone(tmp_path):
    """The package, its CHANGELOG, licences and R package, committed in a new git repository."""
    r = copy_package(tmp_path / "clone")
    for name in ("CHANGELOG.md", "LICENSE", "LICENSE-DATA"):
        shutil.copy2(REPO / name, r / name)
    shutil.copytree(REPO / "r", r / "r")
    git(r, "init", "-q")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "package")
    return r


def release(clone, out):
    return runner.invoke(app, ["release", "-p", str(clone), "-o", str(out)])


def bump(clone, version, changelog=True, regenerate=True):
    """Set the version in datapackage.json (what the build does after build/package.yaml changes)."""
    p = clone / "datapackage.json"
    desc = json.loads(p.read_text(encoding="utf-8"))
    desc["version"] = version
    p.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if changelog:
        log = clone / "CHANGELOG.md"
        head, rest = log.read_text(encoding="utf-8").split("\n## ", 1)
        log.write_text(f"{head}\n## {version} — 2026-12-01\n\nA test release.\n\n## {rest}", encoding="utf-8")
    if regenerate:
        (clone / "CITATION.cff").write_text(cite.cff(desc), encoding="utf-8")
        (clone / ".zenodo.json").write_text(zenodo.dumps(desc), encoding="utf-8")


def test_release_is_reproducible_and_reads_as_a_directory(clone, tmp_path):
    res = release(clone, tmp_path / "a")
    assert res.exit_code == 0, res.output
    zip_a = tmp_path / "a" / f"spacecoop-data-{V1}.zip"
    assert res.stdout.splitlines()[0].startswith(f"wrote {zip_a} (")
    shutil.rmtree(clone / "dist", ignore_errors=True)
    assert release(clone, tmp_path / "b").exit_code == 0
    zip_b = tmp_path / "b" / zip_a.name
    assert zip_a.read_bytes() == zip_b.read_bytes()
    assert (tmp_path / "a" / f"spacecoop_{V1}.tar.gz").read_bytes() == (tmp_path / "b" / f"spacecoop_{V1}.tar.gz").read_bytes()
    digest = hashlib.sha256(zip_a.read_bytes()).hexdigest()
    assert (tmp_path / "a" / f"{zip_a.name}.sha256").read_text() == f"{digest}  {zip_a.name}\n"
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "-c", f"{zip_a.name}.sha256"], cwd=tmp_path / "a", check=True, capture_output=True)
    top = f"spacecoop-data-{V1}/"
    with zipfile.ZipFile(zip_a) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) and stat.S_IMODE(i.external_attr >> 16) == 0o644 for i in infos)
        for must in ("datapackage.json", "CITATION.cff", ".zenodo.json", "LICENSE", "LICENSE-DATA", "README.md",
                     "CHANGELOG.md", "schemas/agreements.schema.json", "data/agreements.csv", "data/agreements.parquet"):
            assert top + must in names
        assert any(n.startswith(top + "seeds/") for n in names)
        assert zf.read(top + "datapackage.json") == (clone / "datapackage.json").read_bytes()
        log = zf.read(top + "CHANGELOG.md").decode()
        assert log.startswith(f"## {V1}") and log.count("\n## ") == 0
    # validate and diff read the archive as they read a directory.
    res = runner.invoke(app, ["validate", "-p", str(zip_a)])
    assert res.exit_code == 0 and res.stdout.startswith(f"{zip_a}: valid ("), res.output
    res = runner.invoke(app, ["diff", V1, str(zip_a), "-p", str(clone)])
    assert res.exit_code == 0 and "no differences" in res.stdout, res.output


def test_each_refusal_is_one_line(clone, tmp_path):
    out = tmp_path / "dist"
    assert release(clone, out).exit_code == 0
    res = release(clone, out)
    assert (res.exit_code, res.stderr) == (1, f"spacecoop release: {out}/spacecoop-data-{V1}.zip exists: {V1} is already "
                                              "released; set a new version in build/package.yaml\n")
    steps = [
        (lambda: bump(clone, V2, changelog=False, regenerate=False), f"CHANGELOG.md has no '## {V2}' entry"),
        (lambda: bump(clone, V2, regenerate=False), "CITATION.cff: version is"),
        (lambda: bump(clone, V2), "the package in the working tree is not committed (4 path(s) differ from HEAD, e.g. "),
    ]
    for change, message in steps:
        change()
        res = release(clone, out)
        assert res.exit_code == 1 and res.stderr.count("\n") == 1 and message in res.stderr, res.output
    git(clone, "commit", "-qam", f"version {V2}")
    res = release(clone, out)
    assert res.exit_code == 0, res.output
    # Going back to a superseded version is refused, wherever its archive is.
    bump(clone, V1, changelog=False)
    git(clone, "commit", "-qam", f"back to {V1}")
    res = release(clone, tmp_path / "elsewhere")
    assert res.exit_code == 1 and f"{V1} was followed by a later version in this history" in res.stderr, res.output
    # A package that does not validate.
    git(clone, "reset", "-q", "--hard", "HEAD~1")
    shutil.rmtree(out)
    edit_csv(clone, "agreements", lambda rows: rows[1].__setitem__(0, "NOT AN ID"))
    git(clone, "commit", "-qam", "broken")
    res = release(clone, out)
    assert res.exit_code == 1 and res.stderr.startswith("spacecoop release: the package does not validate (")
    assert res.stderr.count("\n") == 1 and not out.exists()  # refused before writing anything


def test_not_a_clone_is_a_usage_error(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    for name in ("CHANGELOG.md", "LICENSE", "LICENSE-DATA"):
        shutil.copy2(REPO / name, pkg / name)
    res = release(pkg, tmp_path / "dist")
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "not a git clone" in res.stderr


def test_changelog_entry_is_the_version_section_only():
    text = "# Changelog\n\nintro\n\n## 0.2.0 — 2027-01-01\n\nnew\n\n## 0.1.10 — x\n\nten\n\n## 0.1.1 — x\n\nold\n"
    assert changelog_entry(text, "0.2.0") == "## 0.2.0 — 2027-01-01\n\nnew\n"
    assert changelog_entry(text, "0.1.1") == "## 0.1.1 — x\n\nold\n"
    assert changelog_entry(text, "0.1.0") is None
    assert changelog_entry((REPO / "CHANGELOG.md").read_text(encoding="utf-8"), V1).startswith(f"## {V1}")


def _zip(path, name, data=b"x", mode=0o644):
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo(name)
        info.create_system, info.external_attr = 3, mode << 16
        zf.writestr(info, data)
    return path


@pytest.mark.parametrize("name, mode, message", [
    ("../evil.txt", stat.S_IFREG | 0o644, "would be written outside the archive's directory; refused"),
    ("/etc/evil.txt", stat.S_IFREG | 0o644, "would be written outside the archive's directory; refused"),
    ("pkg/a/../../evil.txt", stat.S_IFREG | 0o644, "would be written outside the archive's directory; refused"),
    ("pkg/link", stat.S_IFLNK | 0o777, "is a link or special file; refused"),
])
def test_validate_refuses_a_hostile_archive(tmp_path, name, mode, message):
    bad = _zip(tmp_path / "bad.zip", name, b"/etc/passwd", mode)
    res = runner.invoke(app, ["validate", "-p", str(bad)])
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and message in res.stderr, res.output
    assert not (tmp_path / "evil.txt").exists()


def test_validate_refuses_oversized_and_non_zip_archives(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER", 1000)  # the limit is a setting; a 256 MiB file is slow to make
    res = runner.invoke(app, ["validate", "-p", str(_zip(tmp_path / "big.zip", "pkg/data.csv", b"0" * 2000))])
    assert res.exit_code == 2 and "larger than" in res.stderr and res.stderr.count("\n") == 1
    (tmp_path / "not.zip").write_text("hello")
    res = runner.invoke(app, ["validate", "-p", str(tmp_path / "not.zip")])
    assert res.exit_code == 2 and "not a readable zip archive" in res.stderr and res.stderr.count("\n") == 1
    res = runner.invoke(app, ["validate", "-p", str(_zip(tmp_path / "empty.zip", "pkg/readme.txt"))])
    assert res.exit_code == 2 and "no datapackage.json at the top of the archive" in res.stderr


@pytest.mark.parametrize("rel", ["seeds/extra.txt", "r/extra.txt"])
def test_a_fifo_among_the_released_files_is_refused_not_left_out(clone, tmp_path, rel):
    """Issue #10: every file release copies is read through the one regular-file helper. A FIFO in
    a released folder (git does not track it, so the clone is still clean) was left out in silence;
    now one line naming it, exit 2, nothing written, and no hang."""
    import os
    import signal

    os.mkfifo(clone / rel)

    def hang(*_):
        raise TimeoutError("release hung on a FIFO")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    try:
        res = release(clone, tmp_path / "out")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and rel in lines[0] and "FIFO" in lines[0], lines
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
