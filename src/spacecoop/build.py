"""`spacecoop build`: curation files in build/ -> data/*.csv, data/*.parquet, datapackage.json."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from . import atomic, cite, descriptor, writers, zenodo
from .errors import INVALID, SpacecoopError, first_lines
from .curation import read_curation
from .model import schemas_package
from .yamlfile import CurationError, load_yaml


class BuildFailed(SpacecoopError):
    exit_code = INVALID

    def __init__(self, errors: list[CurationError]):
        super().__init__(f"{len(errors)} error(s); data/ and datapackage.json are unchanged", lines=first_lines(errors))
        self.errors = errors


@dataclass
class BuildResult:
    counts: dict[str, int]
    changed: list[str]


def build(root: Path) -> BuildResult:
    """Build the package under root. On any error nothing under root changes."""
    from .lock import repo_lock

    root = root.resolve()
    with repo_lock(root):
        return _build(root)


def _build(root: Path) -> BuildResult:
    atomic.recover(root)
    schemas = schemas_package(root).schemas()
    cur = read_curation(root, schemas=schemas)
    meta_path = root / "build" / "package.yaml"
    try:
        meta = load_yaml(meta_path, "build/package.yaml")
        if not isinstance(meta, dict):
            raise CurationError("build/package.yaml", 1, "must be a mapping of package metadata (name, title, version, ...)")
    except CurationError as e:
        cur.errors.append(e)
        meta = {}
    if cur.errors:
        raise BuildFailed(cur.errors)

    staged = atomic.staging_dir(root)
    try:
        (staged / "data").mkdir()
        counts = {}
        for t in schemas:
            rows = writers.sort_rows(schemas[t], cur.tables[t])
            counts[t] = len(rows)
            (staged / "data" / f"{t}.csv").write_bytes(writers.csv_bytes(schemas[t], rows))
            writers.write_parquet(schemas[t], rows, staged / "data" / f"{t}.parquet")
        desc = descriptor.descriptor(dict(meta), descriptor.resources(staged, schemas))
        (staged / "datapackage.json").write_bytes(descriptor.dumps(desc))
        # CITATION.cff is derived from the descriptor, so it moves in step with it.
        (staged / "CITATION.cff").write_text(cite.cff(desc), encoding="utf-8")
        (staged / zenodo.FILENAME).write_text(zenodo.dumps(desc), encoding="utf-8")  # Zenodo's copy of the same
        changed = _changed(root, staged)
        atomic.swap_in(root, staged, "data", ["CITATION.cff", zenodo.FILENAME, "datapackage.json"])
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return BuildResult(counts, changed)


def _changed(root: Path, staged: Path) -> list[str]:
    out = []
    for p in sorted(staged.rglob("*")):
        if p.is_file():
            rel = p.relative_to(staged)
            old = root / rel
            if not old.is_file() or old.read_bytes() != p.read_bytes():
                out.append(str(rel))
    return out
