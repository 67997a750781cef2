"""Name a release by its version (`0.1.0`), without tags: the repository's own history says where it is.

What a version names, first match wins:

1. the tag `vX.Y.Z` (or `X.Y.Z`), when one exists;
2. the newest commit (in HEAD's history) that changed the package (datapackage.json, data/,
   schemas/) while datapackage.json said that version. Once a later version follows, this commit
   never changes: it is the version's final state. While the version is still the current one,
   it is the newest commit of the package (the release in preparation);
3. a release archive `dist/spacecoop-data-X.Y.Z.zip` of the repository.

Why the newest and not the first commit with the version: 0.1.0's data changed three times after
datapackage.json first said 0.1.0 and before anything was released; the first commit would name a
state no release ever held. The release process (docs/versioning.md) bumps the version for every
change after a release, so for a released version the two are the same commit.
"""
from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from .errors import SpacecoopError

VERSION = re.compile(r"^v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$")
PACKAGE_PATHS = ("datapackage.json", "data", "schemas")


class VersionError(SpacecoopError):
    """A version that cannot be resolved; the message says why, in one line."""


@dataclass(frozen=True)
class Found:
    version: str
    commit: str | None          # None when only an archive holds it
    how: str                    # "tag vX.Y.Z", "commit" or "archive"
    superseded: bool = False    # a later commit of the package has another version
    archive: Path | None = None
    reused_from: str | None = None  # an older commit at this version, before another version came between


def parse(spec: str) -> str | None:
    """The version a spec names ('0.1.0' or 'v0.1.0'), or None when it is not a version."""
    m = VERSION.match(spec.strip())
    return m[1] if m else None


def archive_name(version: str) -> str:
    return f"spacecoop-data-{version}.zip"


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise VersionError("git is not installed; a version is found in the repository's history") from None


def is_repo(repo: Path) -> bool:
    try:
        return _git(repo, "rev-parse", "--git-dir").returncode == 0
    except VersionError:
        return False


def history(repo: Path, ref: str = "HEAD") -> list[tuple[str, str | None]]:
    """(commit, version) of each commit that changed the package on the first-parent line, newest first.

    One `git log` and one `git cat-file --batch`, whatever the length of the history."""
    # First parents only: the line of the package on this branch, not the commits of branches merged into it.
    log = _git(repo, "log", "--format=%H", "--first-parent", ref, "--", *PACKAGE_PATHS)
    if log.returncode != 0:
        if not is_repo(repo):
            raise VersionError(f"{repo}: not a git clone, so versions cannot be looked up in its history; "
                               "give a package directory or a release archive (.zip)")
        if _git(repo, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
            return []  # a repository without a commit yet
        why = log.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VersionError(f"{repo}: git log failed ({why[-1] if why else 'no message'})")
    commits = log.stdout.decode().split()
    if not commits:
        return []
    batch = _git(repo, "cat-file", "--batch", stdin="".join(f"{c}:datapackage.json\n" for c in commits).encode())
    out, data, pos = [], batch.stdout, 0
    for c in commits:
        nl = data.index(b"\n", pos)
        head = data[pos:nl].split()
        pos = nl + 1
        if len(head) < 3 or head[1] != b"blob":  # "<spec> missing": no descriptor at this commit
            out.append((c, None))
            continue
        size = int(head[2])
        blob, pos = data[pos:pos + size], pos + size + 1
        try:
            v = json.loads(blob).get("version")
        except (ValueError, AttributeError):
            v = None
        out.append((c, str(v) if v is not None else None))
    return out


def _tag(repo: Path, version: str) -> str | None:
    for name in (f"v{version}", version):
        res = _git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{name}^{{commit}}")
        if res.returncode == 0:
            return res.stdout.decode().strip()
    return None


def _shallow(repo: Path) -> bool:
    res = _git(repo, "rev-parse", "--is-shallow-repository")
    return res.returncode == 0 and res.stdout.decode().strip() == "true"


def find(repo: Path, version: str) -> Found | None:
    """Where `version` is (see the module docstring), or None when nothing names it."""
    version = parse(version) or version
    hist = history(repo) if is_repo(repo) else []
    newer_other = False
    commit = reused = None
    between = False
    for c, v in hist:  # newest first
        if commit is None:
            if v == version:
                commit = c
            elif v is not None:
                newer_other = True
        elif v is not None and v != version:
            between = True
        elif v == version and between:
            reused = c
            break
    tag = _tag(repo, version) if hist else None
    if tag:
        return Found(version, tag, f"tag v{version}", superseded=newer_other, reused_from=reused)
    if commit:
        return Found(version, commit, "commit", superseded=newer_other, reused_from=reused)
    archive = repo / "dist" / archive_name(version)
    if archive.is_file():
        return Found(version, None, "archive", archive=archive)
    return None


def resolve(repo: Path, spec: str) -> Found:
    """Like find, but a version nothing names is a VersionError saying what exists."""
    version = parse(spec)
    if version is None:
        raise VersionError(f"{spec}: not a version (X.Y.Z)")
    found = find(repo, version)
    if found:
        return found
    if not is_repo(repo):
        raise VersionError(f"{version}: {repo} is not a git clone and has no dist/{archive_name(version)}; "
                           "give a package directory or a release archive")
    known = sorted({v for _, v in history(repo) if v}, key=_sort_key)
    hint = f"versions in this history: {', '.join(known)}" if known else "no commit here has a datapackage.json"
    if _shallow(repo):
        hint += "; this clone is shallow, so older versions may be missing: run `git fetch --unshallow`"
    raise VersionError(f"{version}: no commit of {repo} has datapackage.json at this version ({hint})")


def _sort_key(v: str) -> tuple:
    m = re.match(r"(\d+)\.(\d+)\.(\d+)", v)
    return tuple(int(x) for x in m.groups()) + (v,) if m else (0, 0, 0, v)
