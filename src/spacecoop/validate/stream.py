"""Read one CSV table in batches and check each batch as it comes: pandera for the fields, then
every registered rule. A thread (ahead) runs a batch ahead of the rules: the hand-written scan
(csvscan) finds whole records, polars parses them and answers the batch's one query; memory holds
a few batches, plus the columns the rules keep. A table is opened before the table before it is
finished, so that a file of more than one batch has its first batch read in the thread meanwhile."""
from __future__ import annotations

from . import csvscan, fields
from .ahead import ahead
from .checks import RULES, Run, first_line
from .csvscan import MAX_HEADER_BYTES, cells, scan_csv
from .problems import Problem, cap
from .table import ROW, Table, stamp
from ..safety import open_regular


class _Stop(Exception):
    pass


def read_header(path) -> list[str]:
    """The header row's cells, reading at most the header limit."""
    with open_regular(path) as f:
        first = f.read(MAX_HEADER_BYTES + 1).split(b"\n", 1)[0].rstrip(b"\r")
    return cells(first.decode("utf-8", "replace"))


def header_problem(t: Table, header: list[str]) -> Problem | None:
    names = t.schema.names
    if header == names:
        return None
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    bits = (["missing " + ", ".join(missing)] if missing else []) + (["unexpected " + ", ".join(extra)] if extra else [])
    bits = bits or ["columns out of order: expected " + ", ".join(names)]
    return Problem(t.file, "header does not match the schema: " + "; ".join(bits), table=t.name, row=1, check="header")


def open_table(run: Run, t: Table, keep: tuple[str, ...]):
    """Start reading table t: its header is checked, the rules' start() run, and its first batch
    scanned and parsed, while the caller finishes the table before (a file of one batch is scanned
    here, at once, and parsed in read(); a larger one is scanned and parsed in a thread). Returns
    (read, close). read() -> (problems, rows, read), where read is False if the file is unsound
    (then the scan's problems are reported alone, and what the batches found is dropped); else
    t.frame holds ROW and keep. close() stops the thread if read() is never called."""
    import polars as pl

    names = t.schema.names
    t.keep = keep
    t.stamp = stamp(t.path)
    head = header_problem(t, read_header(t.path))
    if head is not None:
        scan = scan_csv(t.path, t.file, t.name, names)
        return lambda: ([p for p in scan.problems if p.check in ("limit", "encoding")] or [head], 0, False), lambda: None
    found = [Problem(str(t.resource.get("schema")), f"pattern {f.pattern!r} cannot be checked (no lookaround or backreferences): {why}",
                     table=t.name, field=f.name, check="schema") for f in t.schema.fields if (why := fields.bad_pattern(f.pattern))]
    for r in RULES:
        found += r.start(run, t)
    ok = fields.verdicts(t.schema)
    probes = {i: e for i, r in enumerate(RULES) if (e := r.probe(run, t)) is not None}
    # One query per batch: each column's verdict on the field checks, and each rule's probe.
    ask = [e.all().alias(f"ok{n}") for n, e in enumerate(ok.values())] + [e.fill_null(False).any().alias(f"probe{i}") for i, e in probes.items()]
    vocabulary = {f.name for f in t.schema.fields if f.enum is not None}
    gone = []  # set once a batch fails: the batches after it are drained unparsed

    def parse(data, first, n):
        """(frame, the query's answers, why it failed): run a batch ahead, in the scan's thread."""
        if gone:
            return None, None, None
        try:
            # One chunk per column, made here in the scan's thread: polars reads a batch in ~10
            # chunks, and the rules' joins and group-bys each copied them into one again, on the
            # thread every batch waits on.
            df = pl.read_csv(data, has_header=False, new_columns=names, infer_schema=False,
                             quote_char='"', encoding="utf8", raise_if_empty=False).rechunk()
        except Exception as e:  # polars raises ComputeError and others on what the scan let through
            return None, None, f"CSV cannot be parsed: {first_line(e)}"
        if df.height != n or df.width != len(names):
            return None, None, f"CSV cannot be parsed: read {df.height} rows where the file has {n} (from row {first + 2})"
        return df, (df.select(ask).row(0, named=True) if ask and n else {}), None

    batches, finish = _batches(t, parse)

    def read() -> tuple[list[Problem], int, bool]:
        nonlocal found
        kept = []
        failed = None
        try:
            for df, said, why, first, n in batches:
                if failed is not None or why is not None:
                    failed = failed or why  # drain: the scan's verdict on the file comes at the end
                    gone.append(True)
                    continue
                found += fields.check(t, df, first, run.max_per_check, ok, [c for i, c in enumerate(ok) if said.get(f"ok{i}") is False])
                df = df.with_columns(pl.int_range(first, first + n, dtype=pl.Int64).alias(ROW))
                for i, r in enumerate(RULES):
                    if i not in probes or said.get(f"probe{i}"):
                        found += r.batch(run, t, df)
                if keep:
                    kept.append(df.select(*[pl.col(c).cast(pl.Categorical) if c in vocabulary else pl.col(c) for c in keep]))
        finally:
            scan = finish()
        if scan.problems or failed is not None:
            # The batches' scan leaves UTF-8 to polars, which refuses any cell that is not (a third of
            # the scan's time); an unsound file is scanned again, whole, for the first line that says why.
            whole = scan_csv(t.path, t.file, t.name, names)
            if whole.problems or scan.problems:  # ("file changed while it was read" is only in the first)
                return whole.problems or scan.problems, 0, False
        if failed is not None:
            return [Problem(t.file, failed, table=t.name, check="csv")], 0, False
        # Batches stay separate chunks (no copy) in file order, so a row's index is its position: a
        # 4-byte index here, not the batches' 8-byte ROW. A vocabulary column is kept as Categorical.
        t.rows = scan.records
        empty = pl.DataFrame(schema={c: pl.Categorical if c in vocabulary else pl.String for c in keep})
        t.frame = (pl.concat(kept, rechunk=False) if kept else empty).with_row_index(ROW)  # no column kept: no rows
        return cap(found, run.max_per_check), scan.records, True

    def close() -> None:
        try:
            finish()
        except Exception:  # the scan's error is of no use once the table is given up
            pass

    return read, close


def _batches(t: Table, parse):
    """(generator of (frame, answers, why it failed, first record index, records) for each batch,
    finish() -> the scan's result); parse(bytes, first, n) -> (frame, answers, why). A file of one
    batch is scanned first, in this thread: a thread would only add its start-up. A larger file is
    scanned and parsed a batch ahead, in a thread (polars releases the GIL: the two run at once)."""
    if t.path.stat().st_size <= csvscan.BATCH_BYTES:
        got: list = []

        def keep(*batch):
            if got:  # the file grew while it was read: memory holds one batch, never more
                raise _Stop
            got.append(batch)
        try:
            done = scan_csv(t.path, t.file, t.name, t.schema.names, check_encoding=False, emit=keep, batch_bytes=csvscan.BATCH_BYTES)
        except _Stop:
            done = csvscan.Scan(0, [Problem(t.file, "file changed while it was read", table=t.name, check="csv")])
        return ((*parse(data, first, n), first, n) for data, first, n in got), lambda: done
    return ahead(lambda emit: scan_csv(t.path, t.file, t.name, t.schema.names, check_encoding=False,
                                       emit=lambda data, first, n: emit(lambda: (*parse(data, first, n), first, n)),
                                       batch_bytes=csvscan.BATCH_BYTES))
