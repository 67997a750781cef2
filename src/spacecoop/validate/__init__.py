"""`spacecoop validate`: one path at every size. The package is streamed one table at a time, each
in batches: pandera (polars) checks the fields, the registered rules (checks/) the package; a
small package is one batch. frictionless-py, the conformance engine, runs when asked (it checks
cell by cell, ~28k rows/s, and costs 0.75 s even on the curated package; CI runs it). Same input,
same lines, at every size."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .problems import MAX_PER_CHECK, Problem, cap, merge

@dataclass
class Report:
    package: str
    problems: list[Problem] = field(default_factory=list)
    engines: tuple[str, ...] = ()
    rows: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"package": self.package, "valid": self.valid, "engines": list(self.engines),
                "rows": self.rows, "problems": [p.as_dict() for p in self.problems]}


def validate(path: Path, frictionless: bool = False, max_per_check: int = MAX_PER_CHECK) -> Report:
    """Validate the data package at path (a directory or its datapackage.json); frictionless: run
    frictionless-py too. max_per_check: rows listed per (table, field, check), the rest counted."""
    from ..model import PackageError, open_package
    from . import stream
    from .checks import RULES, Run
    from .table import ROW, Table

    try:
        pkg = open_package(Path(path))
    except PackageError as e:
        return Report(str(path), [e.problem])
    run = Run.of(pkg, max_per_check)
    keeps = {r: r.keep(run) for r in RULES}
    keep: dict[str, list[str]] = {}
    for r in RULES:
        for name, cols in keeps[r].items():
            keep[name] = list(dict.fromkeys([*keep.get(name, []), *cols]))
    problems = [p for r in RULES for p in r.begin(run)]
    rows, refused = 0, False
    # An early rule's end() runs in a thread once the tables it keeps columns of are read.
    early = {r: set(keeps[r]) & set(run.order) for r in RULES if r.early}
    ended: dict = {}
    pool = ThreadPoolExecutor(max_workers=1)
    lock = threading.Lock()

    def release(*_):
        """Drop the kept columns no rule holds any more (an early rule's once its end() has run, a
        referenced key once the tables pointing to it are read): after each table, and as each
        early rule ends (in its thread), so that evidence, read last, has little beside it."""
        with lock:
            held: dict[str, set[str]] = {}
            for r in RULES:
                if not (r in ended and ended[r].done()):
                    for name, cols in r.holds(run, keeps[r]).items():
                        held.setdefault(name, set()).update(cols)
            for name, t in list(run.tables.items()):
                drop = [c for c in t.frame.columns if c != ROW and c not in held.get(name, ())]
                if drop:  # a rule still running reads the frame it was given; none left: no rows
                    t.frame = t.frame.drop(drop) if len(drop) + 1 < t.frame.width else t.frame.select(ROW).clear()

    def start(name: str):
        """((table, read, close), None) for a table opened to be read (stream.open_table), else
        (None, the problem that stops it)."""
        try:
            res = pkg.resource(name)
            schema = pkg.schema(name)
            t = Table(name, str(res.get("path")), pkg.path(res.get("path"), f"resource {name}"), schema, res)
        except PackageError as e:
            return None, e.problem
        if ROW in schema.names:
            return None, Problem(str(res.get("schema")), f"field name {ROW!r} is reserved by the validator; rename the column",
                                 table=name, field=ROW, check="schema")
        if not t.path.is_file():  # Package.path() refused anything else that exists
            return None, Problem(t.file, "file does not exist", table=name, check="file")
        return (t, *stream.open_table(run, t, tuple(c for c in keep.get(name, ()) if c in schema.names))), None

    following = start(run.order[0]) if run.order else None
    try:
        for i, name in enumerate(run.order):
            opened, stopped = following
            following = None
            if stopped is not None:
                problems.append(stopped)
                refused = refused or stopped.check == "path"
            else:
                t, read, _ = opened
                found, n, ok = read()
                problems += found
                rows += n
                refused = refused or any(p.check in ("path", "limit") for p in found)
            # The next table is opened before this one is finished: a file of more than one batch
            # has its first batch scanned and parsed in the thread meanwhile.
            following = start(run.order[i + 1]) if i + 1 < len(run.order) else None
            if stopped is None and ok:
                with lock:  # holds() counts t as read: no early rule's release() while t is finished
                    run.tables[name] = t
                    for r in RULES:
                        problems += r.finish(run, t)
                for r, tables in early.items():
                    if r not in ended and tables <= set(run.tables):
                        ended[r] = pool.submit(r.end, run)
                        ended[r].add_done_callback(release)
                release()
        for r in RULES:
            problems += ended[r].result() if r in ended else r.end(run)
    except BaseException:  # a rule failed (or ^C): stop the threads still reading, then re-raise
        if following is not None and following[0] is not None:
            following[0][2]()
        for r in RULES:
            r.close(run)
        raise
    finally:
        pool.shutdown(wait=False)
    problems = cap(problems, max_per_check)
    engines = ("pandera", "rules")
    # Not on a package with a refused path or an over-limit file: it would read what was refused.
    if frictionless and not refused:
        from . import frictionless_engine

        problems += cap(frictionless_engine.check(pkg), max_per_check)
        engines += ("frictionless",)
    return Report(str(pkg.descriptor_path), merge(problems), engines, rows)
