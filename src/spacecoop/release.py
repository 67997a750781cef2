"""`spacecoop release`: the files a researcher downloads, cites and compares, made reproducibly.

Writes into dist/ (or --out-dir):

- `spacecoop-data-X.Y.Z.zip`: datapackage.json, data/, schemas/, seeds/, CITATION.cff, .zenodo.json,
  LICENSE and LICENSE-DATA, this version's CHANGELOG entry and a short README, all under one folder
  `spacecoop-data-X.Y.Z/`; and `spacecoop-data-X.Y.Z.zip.sha256` beside it (sha256sum's format);
- `spacecoop_X.Y.Z.tar.gz`: the R source package (r/ of the clone, with the data in inst/extdata,
  as the wheel carries it in spacecoop/_data), for `R CMD INSTALL`. Made here rather than by
  `R CMD build`, which stamps the date and the user into DESCRIPTION: the same commit gives the
  same bytes, with or without R installed.

Before writing anything it checks, and refuses in one line (see docs/versioning.md, "Releasing"):
CHANGELOG.md has an entry for the version; CITATION.cff and .zenodo.json are in step with
datapackage.json; the version is new (versions.find: no archive of it, no tag on another commit,
no later version after it in the history); the committed package is the one in the working tree;
and the package validates.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import archive, cite, versions, zenodo
from .atomic import write_file
from .errors import SpacecoopError
from .safety import read_bounded, read_text

FILES = ("datapackage.json", "CITATION.cff", zenodo.FILENAME, "LICENSE", "LICENSE-DATA")
DIRS = ("data", "schemas", "seeds")
R_SOURCE = "r"                                  # the R package's root in the clone
R_DATA = ("datapackage.json", "CITATION.cff", "LICENSE-DATA", *DIRS)
TRACKED = (*FILES, *DIRS, "CHANGELOG.md", R_SOURCE)  # what must be committed as released


class ReleaseRefused(SpacecoopError):
    """One line saying why there is no release; code 1 (the package is not ready) or 2 (usage)."""

    def __init__(self, line: str, code: int = 1):
        super().__init__(line, code)
        self.code = code


@dataclass
class Released:
    version: str
    archive: Path
    checksum: Path
    sha256: str
    members: int
    r_package: Path


def changelog_entry(text: str, version: str) -> str | None:
    """The CHANGELOG section whose `## ` heading names version (up to the next `## `), or None."""
    m = re.search(rf"^## v?{re.escape(version)}(?![\w.-]).*?(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    return m[0].rstrip() + "\n" if m else None


def _git(root: Path, *args: str) -> str:
    res = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    return res.stdout if res.returncode == 0 else ""


def check_new(root: Path, version: str, out_dir: Path) -> None:
    """Refuse a version that is already released or that the history does not name as this package."""
    done = out_dir / versions.archive_name(version)
    if done.exists():
        raise ReleaseRefused(f"{_shown(done)} exists: {version} is already released; set a new version in build/package.yaml")
    if not versions.is_repo(root):
        raise ReleaseRefused(f"{root}: not a git clone, so whether {version} is new cannot be checked "
                             "against the history; release from a clone", 2)
    try:
        found = versions.find(root, version)
    except versions.VersionError as e:
        raise ReleaseRefused(str(e), 2) from None
    head = _git(root, "rev-parse", "HEAD").strip()
    if found and found.how.startswith("tag") and found.commit != head:
        raise ReleaseRefused(f"{version} is already released: {found.how} names commit {found.commit[:12]}, "
                             "not HEAD; set a new version in build/package.yaml")
    if found and found.superseded:
        raise ReleaseRefused(f"{version} was followed by a later version in this history (its last commit is "
                             f"{found.commit[:12]}); set a new version in build/package.yaml")
    if found and found.reused_from:
        raise ReleaseRefused(f"{version} was followed by a later version in this history (commit "
                             f"{found.reused_from[:12]} had it before); set a new version in build/package.yaml")
    dirty = _git(root, "status", "--porcelain", "--", *TRACKED)
    if dirty:
        lines = dirty.splitlines()
        raise ReleaseRefused(f"the package in the working tree is not committed ({len(lines)} path(s) differ from "
                             f"HEAD, e.g. {lines[0][3:]}); commit it first, so that {version} names what the archive holds")


def check(root: Path, out_dir: Path) -> tuple[dict, str]:
    """The descriptor and this version's CHANGELOG entry, once every check passes."""
    if not os.path.lexists(root / "datapackage.json"):  # anything else there is refused where it is read
        raise ReleaseRefused(f"{root}: no datapackage.json here; run `spacecoop build` first", 2)
    try:
        desc = cite.read_descriptor(root)
    except ValueError as e:
        raise ReleaseRefused(f"{root / 'datapackage.json'}: not valid JSON ({e})") from None
    version = str(desc.get("version") or "")
    if not versions.parse(version):
        raise ReleaseRefused(f"datapackage.json: version {version!r} is not X.Y.Z; set it in build/package.yaml")
    log = root / "CHANGELOG.md"
    entry = changelog_entry(read_text(log, "CHANGELOG.md"), version) if os.path.lexists(log) else None
    if entry is None:
        raise ReleaseRefused(f"CHANGELOG.md has no '## {version}' entry; say what this release changed")
    drift = cite.check_cff(root) + zenodo.check(root)
    if drift:
        raise ReleaseRefused(drift[0])
    missing = [n for n in (*FILES, *DIRS) if not os.path.lexists(root / n)]
    if missing:
        raise ReleaseRefused(f"{root / missing[0]}: missing; a release carries it")
    check_new(root, version, out_dir)
    from .validate import validate

    report = validate(root)
    if not report.valid:
        raise ReleaseRefused(f"the package does not validate ({len(report.problems)} problem(s), the first: "
                             f"{report.problems[0].line()}); run `spacecoop validate`")
    return desc, entry


def readme(desc: dict) -> str:
    v = desc["version"]
    tables = [r["name"] for r in desc.get("resources", []) if r.get("format") == "csv"]
    return f"""# {desc.get('title', desc.get('name'))}, version {v}

{desc.get('description', '')}

Released {cite.released(desc)}. Cite it as:

    {cite.text(desc)}

(also in CITATION.cff; .zenodo.json is the same for Zenodo). What changed in this release: CHANGELOG.md.

## Contents

- datapackage.json: a Frictionless Data Package of {len(tables)} tables ({', '.join(tables)}),
  each as CSV and Parquet in data/, with its Table Schema in schemas/.
- seeds/: the articles the evidence quotes (not under the data's licence; see LICENSE-DATA).
- LICENSE-DATA: the data's licence ({cite.data_licence(desc)}). LICENSE: the code's (MIT).

## Reading it

- Python: `pip install spacecoop`, then `spacecoop.load("<this folder>")`; `spacecoop validate spacecoop-data-{v}.zip`.
- R: `install.packages("spacecoop_{v}.tar.gz", repos = NULL)`, then `spacecoop::read_spacecoop("<this folder>")`.
- Any Frictionless Data reader: open datapackage.json.
"""


def archive_members(root: Path, desc: dict, entry: str) -> list[tuple[str, bytes]]:
    top = f"spacecoop-data-{desc['version']}"
    files = [m for name in (*FILES, *DIRS) for m in archive.files_under(root, name)]
    out = [(f"{top}/{name}", read_bounded(path, None, name)) for name, path in files]
    out.append((f"{top}/CHANGELOG.md", entry.encode("utf-8")))
    out.append((f"{top}/README.md", readme(desc).encode("utf-8")))
    return out


def r_members(root: Path, version: str) -> list[tuple[str, bytes]]:
    """The R source package: r/ of the clone with DESCRIPTION at `version`, and the data in inst/extdata."""
    src = root / R_SOURCE
    if not (src / "DESCRIPTION").is_file():
        raise ReleaseRefused(f"{src / 'DESCRIPTION'}: missing; the R package lives in {R_SOURCE}/")
    out = []
    for name, path in archive.files_under(root, R_SOURCE):
        data = read_bounded(path, None, name)
        if name == f"{R_SOURCE}/DESCRIPTION":
            data = re.sub(rb"(?m)^Version:.*$", f"Version: {version}".encode(), data)
        out.append(("spacecoop/" + name[len(R_SOURCE) + 1:], data))
    for name, path in (m for n in R_DATA for m in archive.files_under(root, n)):
        out.append((f"spacecoop/inst/extdata/{name}", read_bounded(path, None, name)))
    return out


def write_r_package(root: Path, out_dir: Path, version: str) -> Path:
    path = out_dir / f"spacecoop_{version}.tar.gz"
    archive.write_tar_gz(path, r_members(root, version))
    return path


def release(root: Path, out_dir: Path | None = None) -> Released:
    out_dir = out_dir or root / "dist"
    desc, entry = check(root, out_dir)
    version = str(desc["version"])
    members = archive_members(root, desc, entry)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        r_package = write_r_package(root, out_dir, version)
        path = out_dir / versions.archive_name(version)
        data = archive.zip_bytes(members)
        digest = hashlib.sha256(data).hexdigest()
        checksum = path.with_name(path.name + ".sha256")
        # The zip last: its presence is what marks the version as released.
        write_file(checksum, f"{digest}  {path.name}\n".encode())
        write_file(path, data)
    except OSError as e:
        raise ReleaseRefused(f"cannot write into {out_dir}: {e.strerror or e}", 2) from None
    return Released(version, path, checksum, digest, len(members), r_package)


def _shown(p: Path) -> str:
    """p relative to the current directory when it is under it (dist/...), else as given."""
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def summary(desc_version: str, r: Released) -> list[str]:
    return [f"wrote {_shown(r.archive)} ({r.members} files, version {desc_version})",
            f"wrote {_shown(r.checksum)}: sha256 {r.sha256}",
            f"wrote {_shown(r.r_package)} (R source package with the data: R CMD INSTALL {r.r_package.name})"]

