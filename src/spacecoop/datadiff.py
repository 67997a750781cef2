"""`spacecoop diff OLD NEW`: what a data change does, table by table, row by row.

OLD and NEW are package directories (or their datapackage.json), release archives (.zip), versions
(`0.1.0`, found in this repository's history by versions.py), or git refs (`HEAD~1`, `main`), which
are exported with `git archive` into a temporary directory.
Rows are matched by the table's primary key (from its Table Schema) and compared cell by cell as
the CSV text, so a change of "2021-03" to "2021-03-09" shows exactly that.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator

from .errors import SpacecoopError
from .model import Package, PackageError, open_package
from .safety import open_regular

PACKAGE_PATHS = ("datapackage.json", "schemas", "data")


class DiffError(SpacecoopError):
    """A problem the user can fix; the message says how."""


@dataclass
class TableDiff:
    table: str
    key: list[str]
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list]] = field(default_factory=dict)  # key -> field -> [old, new]
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    status: str = "same"  # same | changed | added | removed

    @property
    def empty(self) -> bool:
        return self.status == "same"


@dataclass
class PackageDiff:
    old: str
    new: str
    old_version: str | None
    new_version: str | None
    tables: list[TableDiff]

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables) and self.old_version == self.new_version

    def as_dict(self) -> dict:
        return {
            "old": {"package": self.old, "version": self.old_version},
            "new": {"package": self.new, "version": self.new_version},
            "tables": {t.table: {"status": t.status, "primary_key": t.key, "added": t.added, "removed": t.removed,
                                 "changed": t.changed, "columns_added": t.columns_added,
                                 "columns_removed": t.columns_removed}
                       for t in self.tables},
        }


def _package(root: Path, label: str) -> Package:
    if not (root / "datapackage.json").is_file():
        raise DiffError(f"{label}: no datapackage.json; give a package directory or a git ref of this repository")
    try:
        return open_package(root)
    except PackageError as e:
        raise DiffError(f"{label}: {e.problem.message}; run `spacecoop validate {label}`") from None


def _read(pkg: Package, name: str, label: str) -> tuple[list[str], list[str], dict[tuple, dict[str, str]]]:
    """(columns, primary key, rows by key) of one CSV resource."""
    res = pkg.resource(name)
    try:
        key = list(pkg.schema(name).primary_key)
        path = pkg.path(res.get("path"), f"table {name}")
    except PackageError as e:
        raise DiffError(f"{label}: {e.problem.message}; run `spacecoop validate {label}`") from None
    try:
        with io.TextIOWrapper(open_regular(path, str(res.get("path"))), encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            cols = list(reader.fieldnames or [])
            rows = list(reader)
    except FileNotFoundError:
        raise DiffError(f"{label}: {res['path']} does not exist; run `spacecoop validate {label}`") from None
    if not key or any(k not in cols for k in key):
        key = cols[:1]  # no usable primary key: match on the first column
    out: dict[tuple, dict[str, str]] = {}
    for n, r in enumerate(rows, start=1):
        k = tuple(r.get(c, "") for c in key)
        if k in out:
            raise DiffError(f"{label}: {res['path']}: table {res['name']}, row {n}: primary key {'/'.join(k)} appears twice; "
                            f"run `spacecoop validate {label}`")
        out[k] = r
    return cols, key, out


def diff_packages(old: Path, new: Path, old_label: str | None = None, new_label: str | None = None,
                  progress=lambda _t: None) -> PackageDiff:
    old_label, new_label = old_label or str(old), new_label or str(new)
    op, np_ = _package(old, old_label), _package(new, new_label)
    od, nd = op.descriptor, np_.descriptor
    ot, nt = op.table_names(), np_.table_names()
    names = nt + [t for t in ot if t not in nt]
    out = []
    for name in names:
        progress(name)
        if name not in ot:
            cols, key, rows = _read(np_, name, new_label)
            out.append(TableDiff(name, key, added=sorted("/".join(k) for k in rows), status="added"))
            continue
        if name not in nt:
            cols, key, rows = _read(op, name, old_label)
            out.append(TableDiff(name, key, removed=sorted("/".join(k) for k in rows), status="removed"))
            continue
        ocols, _, orows = _read(op, name, old_label)
        ncols, key, nrows = _read(np_, name, new_label)
        td = TableDiff(name, key)
        td.columns_added = [c for c in ncols if c not in ocols]
        td.columns_removed = [c for c in ocols if c not in ncols]
        td.added = sorted("/".join(k) for k in nrows if k not in orows)
        td.removed = sorted("/".join(k) for k in orows if k not in nrows)
        shared = [c for c in ncols if c in ocols]
        for k in sorted(set(orows) & set(nrows)):
            o, n = orows[k], nrows[k]
            fields = {c: [o.get(c, ""), n.get(c, "")] for c in shared if o.get(c, "") != n.get(c, "")}
            if fields:
                td.changed["/".join(k)] = fields
        if td.added or td.removed or td.changed or td.columns_added or td.columns_removed:
            td.status = "changed"
        out.append(td)
    return PackageDiff(old_label, new_label, od.get("version"), nd.get("version"), out)


def _git(repo: Path, *args: str, binary: bool = False):
    try:
        res = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("git is not installed; give two package directories instead of git refs") from None
    if res.returncode != 0:
        raise DiffError(res.stderr.decode("utf-8", "replace").strip().splitlines()[-1] if res.stderr else f"git {' '.join(args)} failed")
    return res.stdout if binary else res.stdout.decode("utf-8")


@contextmanager
def resolve(spec: str, repo: Path) -> Iterator[tuple[Path, str]]:
    """A package directory for spec: itself when it is a path, a release archive (.zip) extracted,
    a version (0.1.0) where versions.resolve finds it, else `git archive` of that ref."""
    p = Path(spec)
    if p.is_file() and p.suffix == ".zip":
        with _archive(p) as d:
            yield d, spec
        return
    if p.exists():
        yield (p.parent if p.is_file() else p), spec
        return
    from . import versions

    if versions.parse(spec):
        try:
            found = versions.resolve(repo, spec)
        except versions.VersionError as e:
            raise DiffError(str(e)) from None
        if found.commit is None:
            with _archive(found.archive) as d:
                yield d, f"{spec} ({found.archive})"
            return
        commit, spec = found.commit, f"{spec} ({found.how})" if found.how != "commit" else spec
    else:
        try:
            commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}").strip()
        except DiffError:
            raise DiffError(f"{spec}: neither a package directory nor a git ref of {repo}, nor a version or a release archive "
                            "(try a path to a package, a version such as 0.1.0, or a ref such as HEAD~1, main)") from None
    tmp = Path(tempfile.mkdtemp(prefix="spacecoop-diff-"))
    try:
        present = [x for x in PACKAGE_PATHS if _git(repo, "ls-tree", "--name-only", commit, x).strip()]
        if "datapackage.json" not in present:
            raise DiffError(f"{spec}: commit {commit[:12]} has no datapackage.json; choose a later ref")
        tar = _git(repo, "archive", "--format=tar", commit, *present, binary=True)
        import io
        import tarfile

        with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
            tf.extractall(tmp, filter="data")
        yield tmp, f"{spec} ({commit[:12]})"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _archive(path: Path) -> Iterator[Path]:
    from .archive import ArchiveError, extracted

    try:
        with extracted(path) as d:
            yield d
    except ArchiveError as e:
        raise DiffError(str(e)) from None


def _clip(s: str, width: int, start: int = 0) -> str:
    s = s.replace("\n", "\\n")
    head = "…" if start > 0 else ""
    s = s[start:]
    return head + (s if len(s) + len(head) <= width else s[: max(width - 1 - len(head), 1)] + "…")


def _clip_pair(old: str, new: str, width: int) -> tuple[str, str]:
    """Both values, clipped to width around where they first differ, so the change stays visible."""
    if max(len(old), len(new)) <= width:
        return old, new
    same = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    start = max(0, same - width // 3)
    return _clip(old, width, start), _clip(new, width, start)


def render_text(d: PackageDiff, width: int = 100) -> str:
    lines = [f"--- {d.old} (version {d.old_version})", f"+++ {d.new} (version {d.new_version})"]
    if d.old_version == d.new_version and not d.empty:
        lines.append("note: the data changed but the version did not; see docs/versioning.md")
    moved = [t for t in d.tables if not t.empty]
    name_w = max([len(t.table) for t in moved] + [5])
    if moved:
        lines.append("")
        lines.append(f"{'table'.ljust(name_w)}  {'added':>5}  {'removed':>7}  {'changed':>7}")
    for t in moved:
        flag = {"added": "  (new table)", "removed": "  (table removed)"}.get(t.status, "")
        lines.append(f"{t.table.ljust(name_w)}  {len(t.added):>5}  {len(t.removed):>7}  {len(t.changed):>7}{flag}")
    for t in d.tables:
        if t.empty or t.status != "changed":
            continue
        lines.append("")
        lines.append(f"{t.table} (matched by {', '.join(t.key)}):")
        for c in t.columns_added:
            lines.append(f"  + column {c}")
        for c in t.columns_removed:
            lines.append(f"  - column {c}")
        for k in t.added:
            lines.append(f"  + {k}")
        for k in t.removed:
            lines.append(f"  - {k}")
        for k, fields in t.changed.items():
            lines.append(f"  ~ {k}")
            for f, (o, n) in fields.items():
                room = max((width - len(f) - 14) // 2, 12)
                a, b = _clip_pair(o, n, room)
                lines.append(f"      {f}: {a!r} -> {b!r}" if o and n else f"      {f}: {o and repr(a) or '(empty)'} -> {n and repr(b) or '(empty)'}")
    same = len(d.tables) - len(moved)
    lines.append("")
    lines.append("no differences" if d.empty else f"{len(moved)} table(s) differ; {same} unchanged")
    return "\n".join(lines)
