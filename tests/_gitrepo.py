"""Shared by the tests that make temporary git repositories: the current version, the next one,
and a git call with a fixed identity."""
from __future__ import annotations

import json
import subprocess

from _pkgcopy import REPO

V1 = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["version"]
_maj, _min, _ = (int(x) for x in V1.split(".")[:3])
V2 = f"{_maj}.{_min + 1}.0"


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()
