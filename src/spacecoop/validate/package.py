"""Open a data package for validation without trusting it: the descriptor must be a JSON object,
and every path it names must stay inside the package directory (no URLs, no '..', no absolute
paths, no symlinks that lead out)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

MAX_DESCRIPTOR_BYTES = 10 * 1024 * 1024


class PackageError(Exception):
    """The package cannot be opened at all; carries one Problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.line())
        self.problem = problem


@dataclass
class Package:
    root: Path
    descriptor_path: Path
    descriptor: dict

    def resources(self) -> list[dict]:
        return [r for r in self.descriptor.get("resources", []) if isinstance(r, dict)]


def locate(path: Path) -> Path:
    """A package path may name the directory or its datapackage.json."""
    return path / "datapackage.json" if path.is_dir() else path


def open_package(path: Path) -> Package:
    dp = locate(path)
    name = dp.name
    if not dp.is_file():
        raise PackageError(Problem(str(path), "no datapackage.json here; give a package directory or its datapackage.json", check="descriptor"))
    if dp.stat().st_size > MAX_DESCRIPTOR_BYTES:
        raise PackageError(Problem(name, f"descriptor is larger than {MAX_DESCRIPTOR_BYTES // 2**20} MiB; refusing to read it", check="descriptor"))
    try:
        d = json.loads(dp.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as e:
        raise PackageError(Problem(name, f"descriptor is not valid UTF-8 (byte {e.start})", check="descriptor")) from None
    except json.JSONDecodeError as e:
        raise PackageError(Problem(name, f"descriptor is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", check="descriptor")) from None
    except RecursionError:
        raise PackageError(Problem(name, "descriptor nests too deeply to be a data package", check="descriptor")) from None
    if not isinstance(d, dict):
        raise PackageError(Problem(name, f"descriptor must be a JSON object, not {type(d).__name__}", check="descriptor"))
    if not isinstance(d.get("resources"), list) or not d["resources"]:
        raise PackageError(Problem(name, "descriptor has no list of resources", check="descriptor"))
    return Package(dp.parent.resolve(), dp, d)


def safe_path(pkg: Package, rel, what: str) -> tuple[Path | None, Problem | None]:
    """Resolve a path named in the package, or say in one line why it is refused."""
    if not isinstance(rel, str) or not rel:
        return None, Problem(pkg.descriptor_path.name, f"{what}: path must be a non-empty string", check="path")
    if "://" in rel or rel.startswith(("http:", "https:", "ftp:", "file:", "data:")):
        return None, Problem(pkg.descriptor_path.name, f"{what}: path {rel!r} is a URL; spacecoop validate never fetches URLs", check="path")
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts:
        return None, Problem(pkg.descriptor_path.name, f"{what}: path {rel!r} leads outside the package directory; refused", check="path")
    full = (pkg.root / p)
    resolved = full.resolve()
    if resolved != pkg.root and pkg.root not in resolved.parents:
        return None, Problem(pkg.descriptor_path.name, f"{what}: path {rel!r} is a link that leads outside the package directory; refused", check="path")
    return resolved, None
