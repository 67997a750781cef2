"""Where the package lives: a clone (repo root with datapackage.json) or an installed wheel."""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def repo_root() -> Path:
    """The clone this code runs from (src/spacecoop -> repo root)."""
    return _HERE.parent.parent


def default_package_dir() -> Path:
    """The data package to use: the clone's when running from one, else the copy shipped in the wheel."""
    root = repo_root()
    if (root / "datapackage.json").is_file() and (root / "schemas").is_dir():
        return root
    return _HERE / "_data"


def schemas_dir(package_dir: Path | None = None) -> Path:
    return (package_dir or default_package_dir()) / "schemas"
