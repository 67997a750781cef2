"""Where the package is: the repository a command changes, or the package a command reads."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import SpacecoopError

_HERE = Path(__file__).resolve().parent


def _is_repo(d: Path) -> bool:
    # datapackage.json there in any form: a FIFO or a directory is refused where it is read, in one line
    return os.path.lexists(d / "datapackage.json") and (d / "build").is_dir()


def find_repo(package: Path | None = None) -> Path:
    """The repository a command changes: the one given, or from the current directory up, the
    first directory holding datapackage.json and build/. Never the clone this code came from."""
    if package is not None:
        if not _is_repo(package):
            raise SpacecoopError(f"{package}: not a spacecoop repository (no datapackage.json and build/ here)")
        return package.resolve()
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if _is_repo(d):
            return d
    raise SpacecoopError(f"this command changes a repository and needs a clone of spacecoop: none found from {here} "
                         "up (a directory holding datapackage.json and build/); run it inside one, or give --package")


def default_package_dir() -> Path:
    """The package a read-only command reads: the repository around the current directory, else
    the package beside this code (a clone it was installed from), else the copy shipped in the wheel."""
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if _is_repo(d):
            return d
    source = _HERE.parent.parent
    if (source / "datapackage.json").is_file() and (source / "schemas").is_dir():
        return source
    return _HERE / "_data"
