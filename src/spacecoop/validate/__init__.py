"""`spacecoop validate`: frictionless, pandera, a vectorized polars engine and the package's own
rules, one line per problem.

Which engines run (when none are named): a package whose CSV files total at most SMALL_BYTES gets
frictionless-py, pandera and the rules (the curated package is ~0.2 MB); a larger one gets the
polars engine and the same rules done vectorized, one table at a time in batches (streamed.py),
since frictionless-py checks cell by cell (~3-28k rows/s) and pandera's per-check overhead grows
with every column. See README, "Validation at scale".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .package import PackageError, open_package, safe_path
from .problems import Problem, merge

ENGINES = ("frictionless", "pandera", "rules", "polars")   # every engine --engine accepts
SMALL = ("frictionless", "pandera", "rules")                # a small package: every independent check
LARGE = ("polars", "rules")                                 # a large one: vectorized
SMALL_BYTES = 8 * 1024 * 1024


@dataclass
class Report:
    package: str
    problems: list[Problem] = field(default_factory=list)
    engines: tuple[str, ...] = SMALL
    rows: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"package": self.package, "valid": self.valid, "engines": list(self.engines),
                "rows": self.rows, "problems": [p.as_dict() for p in self.problems]}


def csv_bytes(pkg) -> int:
    """Total size of the package's CSV files (paths that are refused count as nothing)."""
    total = 0
    for res in pkg.resources():
        if _is_csv(res):
            p, prob = safe_path(pkg, res.get("path"), "")
            if not prob and p.is_file():
                total += p.stat().st_size
    return total


def choose_engines(pkg) -> tuple[str, ...]:
    return SMALL if csv_bytes(pkg) <= SMALL_BYTES else LARGE


def _is_csv(res: dict) -> bool:
    return res.get("format", "csv") == "csv" or str(res.get("path", "")).endswith(".csv")


def validate(path: Path, engines: tuple[str, ...] | None = None) -> Report:
    """Validate the data package at path (a directory or its datapackage.json).

    engines=None chooses by size (see choose_engines)."""
    try:
        pkg = open_package(Path(path))
    except PackageError as e:
        return Report(str(path), [e.problem], (), 0)
    engines = tuple(engines) if engines else choose_engines(pkg)
    # frictionless-py runs in a forked child while this process reads and checks with the other
    # engines: on the curated package this halves the wall time (2 cores; see RESULTS.md).
    child = _fork_frictionless(pkg) if "frictionless" in engines else None
    problems: list[Problem] = []
    tables: dict = {}
    rows = 0
    refused = False
    if "polars" in engines:
        # A large package: one table at a time, in batches, in bounded memory (streamed.py), the
        # files' hashes computed beside it (hashlib releases the GIL, polars runs its own threads).
        from concurrent.futures import ThreadPoolExecutor

        from . import rules, streamed

        with ThreadPoolExecutor(1) as pool:
            hashed = pool.submit(rules.check_files, pkg) if "rules" in engines else None
            _, found, rows, refused = streamed.validate(pkg, "rules" in engines)
            problems += found
            problems += hashed.result() if hashed is not None else []
    if "pandera" in engines or "polars" not in engines:
        from .tables import read_tables

        tables, read_problems = read_tables(pkg)
        if "polars" not in engines:
            problems += read_problems
            rows = sum(len(t.frame) for t in tables.values())
            refused = any(p.check in ("path", "limit") for p in read_problems)
    if "pandera" in engines:
        from . import pandera_engine

        for t in tables.values():
            problems += pandera_engine.check(t)
    if "rules" in engines and "polars" not in engines:
        problems += _rules(pkg, tables)
    for p in problems:
        p.engines = p.engines or ["rules"]
    # frictionless last: where it finds what pandera or the rules found, their wording is kept.
    # Not run on a package with a refused path or an over-limit file: it would read what was refused.
    if child is not None:
        found = _join(child)
        if found is not None and not refused:
            problems += found
            child = "done"
    if "frictionless" in engines and not refused and child != "done":
        from . import frictionless_engine

        if not tables:
            from .tables import read_tables

            tables, _ = read_tables(pkg)
        problems += frictionless_engine.check(pkg, tables)
    if not rows and tables:
        rows = sum(len(t.frame) for t in tables.values())
    return Report(str(pkg.descriptor_path), merge(problems), engines, rows)


def _rules(pkg, tables) -> list[Problem]:
    from . import rules

    out = rules.check_files(pkg)
    texts, seed_problems = rules.check_seeds(pkg, tables)
    out += seed_problems
    out += rules.check_evidence(tables, texts)
    out += rules.check_dates(tables)
    out += rules.check_link_ids(tables)
    out += rules.check_errata(tables)
    out += rules.check_parquet(pkg, tables)
    out += rules.check_formulas(tables)
    return out


def _fork_frictionless(pkg):
    """Start frictionless in a child process; None where fork is unavailable. The child refuses,
    as the parent does, any package with a refused path or an over-limit file."""
    import os

    if not hasattr(os, "fork"):
        return None
    r, w = os.pipe()
    pid = os.fork()
    if pid:
        os.close(w)
        return pid, r
    try:  # the child
        import pickle

        os.close(r)
        result = None
        if not _any_refused(pkg):
            from . import frictionless_engine

            result = frictionless_engine.check(pkg, _primary_keys(pkg))
        with os.fdopen(w, "wb") as f:
            pickle.dump(result, f)
    finally:
        os._exit(0)


def _join(child):
    import os
    import pickle

    pid, r = child
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    try:
        return pickle.loads(data)
    except Exception:  # the child died: the parent runs frictionless itself
        return None


def _any_refused(pkg) -> bool:
    from .csvscan import scan_csv
    from .tables import resource_schema

    for res in pkg.resources():
        if not _is_csv(res):
            continue
        schema, prob = resource_schema(pkg, res)
        if prob is not None and prob.check == "path":
            return True
        p, prob = safe_path(pkg, res.get("path"), "")
        if prob:
            return True
        if schema is not None and p.is_file():
            if any(x.check == "limit" for x in scan_csv(p, "", "", schema.names, check_encoding=False).problems):
                return True
    return False


def _primary_keys(pkg) -> dict:
    from types import SimpleNamespace

    from .tables import resource_schema

    out = {}
    for res in pkg.resources():
        schema, _ = resource_schema(pkg, res)
        if schema is not None:
            out[res.get("name")] = SimpleNamespace(schema=schema)
    return out
