"""Copy the repository's data package into a temporary directory, for tests that change it."""
from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE_PARTS = ("datapackage.json", "schemas", "data", "seeds", "build", "CITATION.cff", ".zenodo.json")


def copy_package(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PACKAGE_PARTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("drafts"))
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest
