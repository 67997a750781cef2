"""Validation of a large package in bounded memory: the polars engine and the vectorized rules.

One table at a time: the bounded scan (csvscan) hands over batches of whole records while it reads
on in a thread; each batch is parsed by polars and checked at once (types, constraints, dates, link
ids, formulas, quotes, the rows of the Parquet twin), then dropped. What other checks need of a
table is kept: its keys (duplicates), the fields foreign keys use, evidence's (table, record_id),
and the few columns of sources and errata. Peak memory is one batch plus those columns, not the
package; time grows with the rows (see benchmarks/RESULTS.md).
"""
from __future__ import annotations

import queue
import re
import secrets
import threading

from ..tableschema import EVIDENCED
from . import csvscan, fast_rules, polars_engine
from .csvscan import scan_csv
from .package import Package, safe_path
from .polars_engine import MAX_PER_CHECK
from .problems import Problem
from .tables import Table, header_problem, read_header, resource_schema

_MORE = re.compile(r"and (\d+) more rows fail the same check\Z")
KEPT = {"sources": ("source_id", "path", "sha256"), "errata": ("table", "record_id", "removed_in"),
        "evidence": ("table", "record_id")}
ROW = "__row"  # the column holding each record's 0-based index in its file
CATEGORICAL = {"table"}  # kept columns with a few distinct values (evidence and errata name tables)


class _Stop(Exception):
    pass


def _is_csv(res: dict) -> bool:
    return res.get("format", "csv") == "csv" or str(res.get("path", "")).endswith(".csv")


def validate(pkg: Package, rules: bool) -> tuple[dict[str, Table], list[Problem], int, bool]:
    """Tables (their kept columns), problems, rows read, and whether a CSV file or schema was refused
    (a path leading out, a file over the limits). rules: the package rules too, else the polars
    engine alone."""
    problems: list[Problem] = []
    refused = False
    resources = []
    for res in pkg.resources():
        if not _is_csv(res):
            continue
        schema, prob = resource_schema(pkg, res)
        if prob:
            problems.append(prob)
            refused = refused or prob.check == "path"
            continue
        if ROW in schema.names:
            problems.append(Problem(str(res.get("schema")), f"field name {ROW!r} is reserved by the validator; rename the column",
                                    table=schema.table, field=ROW, check="schema"))
            continue
        resources.append((res, schema))
    twins, twin_problems = _parquet_twins(pkg) if rules else ({}, [])
    problems += twin_problems
    resources = _ordered(resources)
    keep = _kept_columns([s for _, s in resources])
    tables: dict[str, Table] = {}
    batched_fks: set[tuple[str, str]] = set()
    texts: dict[str, str] = {}
    columns = {s.table: set(s.names) for _, s in resources if s.table in EVIDENCED + ("sources",)}
    rows = 0
    for res, schema in resources:
        name = res.get("name", "?")
        ctx = _Checks(schema.table, rules, twins.get(name), texts, columns, tables)
        t, probs, n = _read_checked(pkg, res, schema, keep.get(schema.table, ()), ctx)
        batched_fks |= {(name, fk[2]) for fk in ctx.fks}
        problems += probs
        refused = refused or any(p.check in ("path", "limit") for p in probs)
        rows += n
        if t is None:
            continue
        tables[t.name] = t
        problems += _check_keys(t, keep.get(schema.table, ()))
        t.frame = t.frame.select("__row", *keep.get(schema.table, ()))  # the key hashes go
        if rules and t.name == "sources":
            found, seed_problems = fast_rules.check_seeds(pkg, {"sources": t})
            texts.update(found)
            problems += seed_problems
    across = polars_engine.check_foreign_keys(tables, skip=batched_fks)
    if rules:
        across += fast_rules.check_evidence_links(tables)
        across += fast_rules.check_errata(tables)
    # One cap per (table, field, check): evidence's "record does not exist" is listed per cited table.
    problems += _capped(across)
    return tables, problems, rows, refused


def _parquet_twins(pkg: Package):
    twins, problems = {}, []
    for res in pkg.resources():
        name = str(res.get("name", ""))
        if res.get("format") != "parquet" or not name.endswith("-parquet"):
            continue
        path, prob = safe_path(pkg, res.get("path"), f"resource {name}")
        if prob:
            problems.append(prob)
        elif path.is_file():
            twins[name.removesuffix("-parquet")] = (res, path)
    return twins, problems


def _ordered(resources):
    """Referenced tables before the tables that refer to them (so foreign keys are checked batch by
    batch), and evidence after the tables it cites; where keys go round in a circle, file order."""
    names = {s.table for _, s in resources}
    deps = {}
    for _, s in resources:
        t = Table(s.table, "", None, s, None, {})
        deps[s.table] = {target for _, _, target in polars_engine.foreign_keys(t) if target != s.table and target in names}
        if s.table == "evidence":
            deps[s.table] |= names & set(EVIDENCED + ("sources",))
    done: set[str] = set()
    out = []
    todo = list(resources)
    while todo:
        i = next((i for i, (_, s) in enumerate(todo) if deps[s.table] <= done), 0)
        res, s = todo.pop(i)
        out.append((res, s))
        done.add(s.table)
    return out


def _kept_columns(schemas) -> dict[str, tuple[str, ...]]:
    """Per table, the columns checks across tables need once its rows have been checked: the
    referenced fields of foreign keys, a foreign key's own fields where the table it refers to comes
    later (or is itself), the ids evidence cites, and the few columns of sources and errata."""
    keep: dict[str, list[str]] = {}

    def add(table, cols):
        have = keep.setdefault(table, [])
        have += [c for c in cols if c not in have]

    names = {s.table: set(s.names) for s in schemas}
    seen: set[str] = set()
    for s in schemas:
        seen.add(s.table)
        for fields, rfields, target in polars_engine.foreign_keys(Table(s.table, "", None, s, None, {})):
            add(target, rfields)
            if target == s.table or target not in seen:
                add(s.table, fields)
        if s.table in EVIDENCED + ("sources",) and s.primary_key:
            add(s.table, s.primary_key[:1])
        add(s.table, KEPT.get(s.table, ()))
    return {t: tuple(c for c in cols if c in names.get(t, ())) for t, cols in keep.items()}


class _Checks:
    """What is checked on each batch of one table."""

    def __init__(self, table: str, rules: bool, twin, texts, columns, tables: dict[str, Table]):
        self.table, self.rules, self.texts, self.columns = table, rules, texts, columns
        self.twin_res = twin
        self.twin = None
        self.tables = tables
        self.fks = []   # (fields, rfields, target, distinct referenced values) of keys to tables already read

    def start(self, t: Table) -> None:
        if self.twin_res is not None:
            res, path = self.twin_res
            self.twin = fast_rules.ParquetTwin(res, path, t.schema.names)
        for fields, rfields, target in polars_engine.foreign_keys(t):
            parent = self.tables.get(target)
            if target != t.name and parent is not None:
                keys = polars_engine.parent_keys(parent, fields, rfields)
                if keys is not None:
                    self.fks.append((fields, rfields, target, keys))

    def batch(self, t: Table, df) -> list[Problem]:
        out = polars_engine.check_rows(t, df)
        for fields, rfields, target, keys in self.fks:
            out += polars_engine.dangling(t, df, fields, rfields, target, keys)
        if self.rules:
            out += fast_rules.check_dates(t, df)
            out += fast_rules.check_link_ids(t, df)
            out += fast_rules.check_formulas(t, df)
            if t.name == "evidence":
                out += fast_rules.check_evidence_rows(t, df, self.texts, self.columns)
            if self.twin is not None:
                self.twin.compare(df)
        return out

    def finish(self, rows: int) -> list[Problem]:
        return self.twin.finish(rows) if self.twin is not None else []


def _read_checked(pkg: Package, res: dict, schema, keep: tuple[str, ...], ctx: _Checks):
    """(Table of the kept columns or None, problems, rows). The scan runs in a thread and hands
    over batches; if it finds the file unsound, what the batches found is dropped and the scan's
    problems are reported alone, as for a table that is not read."""
    import polars as pl

    name = res.get("name", "?")
    path, prob = safe_path(pkg, res.get("path"), f"resource {name}")
    if prob:
        return None, [prob], 0
    file = res["path"]
    if not path.is_file():
        return None, [Problem(file, "file does not exist", table=name, check="file")], 0
    head = header_problem(file, name, read_header(path), schema)
    if head is not None:
        scan = scan_csv(path, file, name, schema.names)
        first = [p for p in scan.problems if p.check in ("limit", "encoding")]
        return None, first or [head], 0

    t = Table(name, file, path, schema, None, res)
    ctx.start(t)
    q: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    result: dict = {}

    def emit(data, first, n):
        while not stop.is_set():
            try:
                q.put((data, first, n), timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stop

    def scan():
        try:
            result["scan"] = scan_csv(path, file, name, schema.names, emit=emit, batch_bytes=csvscan.BATCH_BYTES)
        except _Stop:
            pass
        except BaseException as e:  # handed to the reading thread, which raises it
            result["error"] = e
        finally:
            q.put(None)

    thread = threading.Thread(target=scan, daemon=True)
    thread.start()
    found: list[Problem] = []
    kept = []
    failed = None
    try:
        while True:
            item = q.get()
            if item is None:
                break
            if failed is not None:
                continue
            data, first, n = item
            try:
                df = pl.read_csv(data, has_header=False, new_columns=schema.names, infer_schema=False,
                                 quote_char='"', encoding="utf8", raise_if_empty=False)
            except Exception as e:  # polars raises ComputeError and others on what the scan let through
                failed = f"CSV cannot be parsed: {fast_rules.first_line(e)}"
                continue
            if df.height != n or df.width != len(schema.names):
                failed = f"CSV cannot be parsed: read {df.height} rows where the file has {n} (from row {first + 2})"
                continue
            df = df.with_columns(pl.int_range(first, first + n, dtype=pl.Int64).alias("__row"))
            found += ctx.batch(t, df)
            kept.append(df.select(*[pl.col(c).cast(pl.Categorical) if c in CATEGORICAL else pl.col(c) for c in keep],
                                  *[_hash(key).alias(h) for h, key in _hashed_keys(t, keep)]))
            del df, data
    finally:
        stop.set()
        while thread.is_alive():  # if a check raised, the scan may be waiting to hand over a batch
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()
    if "error" in result:
        raise result["error"]
    scan_result = result["scan"]
    if scan_result.problems:
        return None, scan_result.problems, 0
    if failed is not None:
        return None, [Problem(file, failed, table=name, check="csv")], 0
    found = _capped(found) + ctx.finish(scan_result.records)
    # Batches stay separate chunks (no copy); rows are kept in file order, so the row index is the position.
    frame = pl.concat(kept, rechunk=False) if kept else pl.DataFrame(
        schema={**{c: pl.Categorical if c in CATEGORICAL else pl.String for c in keep},
                **{h: pl.UInt64 for h, _ in _hashed_keys(t, keep)}})
    t.frame = frame.with_row_index("__row")
    return t, found, scan_result.records


_SEED = secrets.randbits(63)  # per run: collisions cannot be planned


def _hashed_keys(t: Table, keep) -> list[tuple[str, tuple[str, ...]]]:
    """The keys to check for duplicates, as a 64-bit hash per row (8 bytes, not the strings, and
    sorting numbers is quicker than hashing strings again), named by their place among the keys."""
    return [(f"\0h{i}", key) for i, key in enumerate(polars_engine.key_columns(t))
            if all(k in t.schema.names for k in key)]


def _hash(key):
    import polars as pl

    cols = [pl.col(k) for k in key]
    h = (cols[0] if len(cols) == 1 else pl.struct(*cols)).hash(_SEED)
    return pl.when(pl.all_horizontal(c.is_not_null() for c in cols)).then(h)


def _check_keys(t: Table, keep) -> list[Problem]:
    """Duplicates of each key: the rows whose hash repeats (a duplicate, or rarely a collision) are
    taken with their values (kept, or read again from the file), and the values decide, so the
    result is exact."""
    import polars as pl

    out: list[Problem] = []
    hashed = dict(_hashed_keys(t, keep))
    for key in polars_engine.key_columns(t):
        h = next((h for h, k in hashed.items() if k == key), None)
        if h is None:
            out += polars_engine.duplicates(t, t.frame, key)
            continue
        # Sorted, a repeated hash sits next to its twin: 8 bytes a row, where a hash table would take ~40.
        hs = t.frame.get_column(h).drop_nulls().sort()
        repeated = hs.filter(hs == hs.shift(1))
        del hs
        if not repeated.len():
            continue
        cand = t.frame.filter(pl.col(h).is_in(repeated.implode())).get_column("__row")
        if all(k in keep for k in key):
            out += polars_engine.duplicates(t, t.frame.filter(pl.col("__row").is_in(cand.implode())), key)
            continue
        try:
            values = (pl.scan_csv(t.path, infer_schema=False, quote_char='"', encoding="utf8")
                      .select(*key).with_row_index("__row").filter(pl.col("__row").is_in(cand.implode()))
                      .collect())
        except Exception as e:  # the file changed under us, or polars cannot read it twice alike
            out.append(Problem(t.file, f"CSV cannot be parsed: {fast_rules.first_line(e)}", table=t.name, check="csv"))
            continue
        out += polars_engine.duplicates(t, values, key)
    return out


def _capped(problems: list[Problem]) -> list[Problem]:
    """Batches each list up to MAX_PER_CHECK rows per (table, field, check) and count the rest; over
    the whole table, keep the first MAX_PER_CHECK rows and one "and N more" line."""
    groups: dict[tuple, list] = {}
    out = []
    for p in problems:
        k = (p.file, p.table, p.field, p.check)
        g = groups.setdefault(k, [[], 0, p])
        m = _MORE.match(p.message) if p.row is None else None
        if m:
            g[1] += int(m.group(1))
        elif p.row is not None:
            g[0].append(p)
        else:
            out.append(p)
    for rows, more, proto in groups.values():
        rows.sort(key=lambda p: p.row)
        out += rows[:MAX_PER_CHECK]
        more += max(len(rows) - MAX_PER_CHECK, 0)
        if more:
            out.append(Problem(proto.file, f"and {more} more rows fail the same check", table=proto.table,
                               field=proto.field, check=proto.check, engines=list(proto.engines)))
    return out
