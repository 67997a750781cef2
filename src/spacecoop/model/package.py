"""A data package in hand: its descriptor, the Table Schema of each table, and the order of tables.

Every reader of datapackage.json goes through open_package. A package may come from elsewhere, so
nothing is trusted: the descriptor must be a JSON object, and a path it names must stay inside the
package directory (no URLs, no '..', no absolute paths, no symlinks that lead out).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from .. import limits
from ..errors import SpacecoopError
from ..safety import UnsafeFile, not_regular, read_bounded
from ..validate.problems import Problem
from .schema import Schema, parse_schema

MAX_DESCRIPTOR_BYTES = limits.DESCRIPTOR_BYTES
DESCRIPTOR = "datapackage.json"


class PackageError(SpacecoopError):
    """The package, or a part of it, cannot be read; carries one Problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.line())
        self.problem = problem


def is_csv(res: dict) -> bool:
    return res.get("format", "csv") == "csv" or str(res.get("path", "")).endswith(".csv")


@dataclass
class Package:
    root: Path
    descriptor_path: Path
    descriptor: dict
    _schemas: dict[str, Schema] = field(default_factory=dict, repr=False)

    def resources(self) -> list[dict]:
        return [r for r in self.descriptor.get("resources", []) if isinstance(r, dict)]

    def resource(self, name: str) -> dict:
        for r in self.resources():
            if r.get("name") == name:
                return r
        raise PackageError(Problem(self.descriptor_path.name, f"no table {name!r}; tables: {', '.join(self.table_names())}", check="descriptor"))

    def table_names(self, after: dict[str, set[str]] | None = None) -> list[str]:
        """The tables (CSV resources), each after the tables its foreign keys point to (and those
        `after` names); ties, a circle of keys, or a schema that cannot be read: descriptor order."""
        names = [r.get("name") for r in self.resources() if is_csv(r) and isinstance(r.get("name"), str)]
        deps = {n: set((after or {}).get(n, ())) for n in names}
        for n in names:
            try:
                deps[n] |= {fk.table for fk in self.schema(n).foreign_keys}
            except PackageError:
                pass  # reported where the table is read
        return dependency_order(deps, names)

    def schemas(self) -> dict[str, Schema]:
        """Every table's schema, in table order; PackageError on the first that cannot be read."""
        return {n: self.schema(n) for n in self.table_names()}

    def schema(self, name: str) -> Schema:
        """The table's Table Schema (inline or a file inside the package); PackageError if unreadable."""
        if name not in self._schemas:
            self._schemas[name] = self._read_schema(self.resource(name))
        return self._schemas[name]

    def _read_schema(self, res: dict) -> Schema:
        name = res.get("name", "?")
        raw = res.get("schema")
        if isinstance(raw, str):
            p = self.path(raw, f"resource {name} schema")
            try:
                raw = json.loads(read_bounded(p, limits.SCHEMA_BYTES, raw, "schema").decode("utf-8"))
            except UnsafeFile as e:
                if e.reason != "does not exist":
                    raise PackageError(Problem(res["schema"], e.reason, table=name, check="limit")) from None
                raise PackageError(Problem(res["schema"], f"schema of resource {name} does not exist", table=name, check="schema")) from None
            except RecursionError:
                raise PackageError(Problem(res["schema"], "schema nests too deeply", table=name, check="schema")) from None
            except FileNotFoundError:
                raise PackageError(Problem(res["schema"], f"schema of resource {name} does not exist", table=name, check="schema")) from None
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise PackageError(Problem(res["schema"], f"schema is not valid JSON: {e}", table=name, check="schema")) from None
        if not isinstance(raw, dict) or not isinstance(raw.get("fields"), list):
            raise PackageError(Problem(self.descriptor_path.name, f"resource {name} has no Table Schema with a list of fields", table=name, check="schema"))
        try:
            return parse_schema(name, raw)
        except (KeyError, TypeError, ValueError) as e:
            msg = str(e.args[0]) if e.args else type(e).__name__
            fld = next((f["name"] for f in raw["fields"] if isinstance(f, dict) and f"field {f.get('name')} " in msg), None)
            raise PackageError(Problem(str(res.get("schema")), msg if "field" in msg else f"schema cannot be read: {msg}",
                                       table=name, field=fld, check="schema")) from None

    @property
    def evidenced(self) -> tuple[str, ...]:
        """The tables whose every row must be backed by evidence: the vocabulary of evidence.table in
        this package's own schema, less sources (a source may be cited, need not be)."""
        try:
            enum = self.schema("evidence").field("table").enum
        except (PackageError, KeyError):
            return ()
        return tuple(t for t in enum or () if t != "sources")

    def path(self, rel, what: str) -> Path:
        """Resolve a path the package names, or raise PackageError saying in one line why it is refused."""
        def refuse(why: str):
            return PackageError(Problem(self.descriptor_path.name, f"{what}: {why}", check="path"))

        if not isinstance(rel, str) or not rel:
            raise refuse("path must be a non-empty string")
        if "://" in rel or rel.startswith(("http:", "https:", "ftp:", "file:", "data:")):
            raise refuse(f"path {rel!r} is a URL; spacecoop never fetches URLs")
        p = Path(rel)
        if p.is_absolute() or ".." in p.parts:
            raise refuse(f"path {rel!r} leads outside the package directory; refused")
        resolved = (self.root / p).resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise refuse(f"path {rel!r} is a link that leads outside the package directory; refused")
        why = not_regular(resolved)  # a FIFO, device, directory or socket is never opened
        if why is not None and why != "does not exist":
            raise refuse(f"path {rel!r} {why}")
        return resolved


def dependency_order(deps: dict[str, set[str]], prefer: list[str]) -> list[str]:
    """Names so that each comes after its dependencies (graphlib), ties broken by the order of
    prefer; a self-reference or a name outside deps is no dependency. On a cycle, prefer's order."""
    rank = {n: i for i, n in enumerate(prefer)}
    graph = TopologicalSorter({n: (d & deps.keys()) - {n} for n, d in deps.items()})
    try:
        graph.prepare()
    except CycleError:
        return sorted(deps, key=lambda n: rank.get(n, len(rank)))
    out: list[str] = []
    ready: list[str] = []
    while graph.is_active():
        ready += graph.get_ready()
        ready.sort(key=lambda n: (rank.get(n, len(rank)), n))
        n = ready.pop(0)  # one at a time: the earliest preferred of those ready
        out.append(n)
        graph.done(n)
    return out


def open_package(path: Path) -> Package:
    """The package at path (a directory or its datapackage.json)."""
    path = Path(path)
    dp = path / DESCRIPTOR if path.is_dir() else path
    name = dp.name
    why = not_regular(dp)
    if why == "does not exist":
        raise PackageError(Problem(str(path), "no datapackage.json here; give a package directory or its datapackage.json", check="descriptor"))
    if why is not None:
        raise PackageError(Problem(name, f"descriptor {why}", check="descriptor"))
    try:
        d = json.loads(read_bounded(dp, MAX_DESCRIPTOR_BYTES, name, "descriptor").decode("utf-8"))
    except UnsafeFile as e:
        raise PackageError(Problem(name, e.reason.replace("; refused", "; refusing to read it"), check="limit")) from None
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
    if len(d["resources"]) > limits.RESOURCES:
        raise PackageError(Problem(name, f"descriptor has {len(d['resources'])} resources, over the limit of {limits.RESOURCES}", check="limit"))
    return Package(dp.parent.resolve(), dp, d)


def schemas_package(root: Path) -> Package:
    """The package that root/schemas/*.schema.json declare, before a build has written its
    descriptor: one table per schema file, in the order of the built descriptor where there is one."""
    names = sorted(p.name.removesuffix(".schema.json") for p in (root / "schemas").glob("*.schema.json"))
    try:
        built = open_package(root).table_names()
    except PackageError:
        built = []
    prefer = [n for n in built if n in names] + [n for n in names if n not in built]
    res = [{"name": n, "path": f"data/{n}.csv", "format": "csv", "schema": f"schemas/{n}.schema.json"} for n in prefer]
    return Package(root.resolve(), root.resolve() / DESCRIPTOR, {"resources": res})
