"""Files: each resource's bytes and sha256 match the descriptor (x-bytes/x-hash on Parquet, which
frictionless cannot count), and each Parquet resource '<table>-parquet' holds its CSV's rows."""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

from ...model import Package, PackageError
from ..problems import Problem
from ..table import ROW, Table
from . import Rule, Run, first_line, register
from ...safety import open_regular

REBUILD = "changed after build; rebuild with `spacecoop build`"


def _sha256(path) -> str:
    h = hashlib.sha256()
    with open_regular(path) as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _digest(pkg: Package) -> list[Problem]:
    out = []
    for res in pkg.resources():
        name = res.get("name", "?")
        size = res.get("bytes", res.get("x-bytes"))
        digest = res.get("hash", res.get("x-hash"))
        if size is None and digest is None:
            continue
        try:
            path = pkg.path(res.get("path"), f"resource {name}")
        except PackageError as e:
            out.append(e.problem)
            continue
        file = res["path"]
        if not path.is_file():
            out.append(Problem(file, "file does not exist", table=name, check="file", engines=["rules"]))
            continue
        n = path.stat().st_size
        if size is not None and n != size:
            out.append(Problem(file, f"file has {n} bytes but the descriptor says {size}: {REBUILD}", table=name, check="bytes", engines=["rules"]))
        algo, _, want = digest.rpartition(":") if isinstance(digest, str) else ("-", "", "")
        if algo not in ("", "sha256"):
            continue
        # A file of another size has another hash: it is not read (it may be 2 GiB of one line).
        if (size is not None and n != size) or want != _sha256(path):
            out.append(Problem(file, f"sha256 differs from the descriptor's hash: {REBUILD}", table=name, check="hash", engines=["rules"]))
    return out


@register
class BytesAndHash(Rule):
    """Hashed in a thread beside the reading (hashlib releases the GIL, polars runs its own threads)."""
    name = "hash"

    def begin(self, run: Run):
        pool = ThreadPoolExecutor(1)
        run.state[self.name] = (pool, pool.submit(_digest, run.pkg))
        return []

    def end(self, run: Run):
        pool, future = run.state.pop(self.name)
        try:
            return future.result()
        finally:
            pool.shutdown()


@register
class ParquetTwin(Rule):
    """Compared batch by batch, cell for cell as text, so memory holds one batch of each."""
    name = "parquet"

    def begin(self, run: Run):
        out = []
        for res in run.pkg.resources():
            name = str(res.get("name", ""))
            if res.get("format") == "parquet" and name.endswith("-parquet"):
                try:
                    run.state[(self.name, name.removesuffix("-parquet"))] = _Twin(res, run.pkg.path(res.get("path"), f"resource {name}"))
                except PackageError as e:
                    out.append(e.problem)
        return out

    def start(self, run: Run, t: Table):
        twin = run.state.get((self.name, t.name))
        if twin is not None and twin.path.is_file():
            twin.open(t.schema.names, t.path.stat().st_size)
        return []

    def batch(self, run: Run, t: Table, df):
        twin = run.state.get((self.name, t.name))
        if twin is not None and twin.opened:
            twin.compare(df)
        return []

    def finish(self, run: Run, t: Table):
        twin = run.state.pop((self.name, t.name), None)
        return twin.finish(t.frame.height) if twin is not None and twin.opened else []


class _Twin:
    def __init__(self, res: dict, path):
        self.res, self.path, self.file, self.name = res, path, res["path"], str(res.get("name", ""))
        self.problem: Problem | None = None
        self.first = None    # (row, column, parquet value, csv value) of the first difference
        self.opened = False

    def _say(self, message: str, **where) -> Problem:
        return Problem(self.file, message, table=self.name, check="parquet", engines=["rules"], **where)

    def open(self, columns: list[str], csv_bytes: int) -> None:
        import polars as pl

        from ...safety import parquet_refusal

        self.opened = True
        if (why := parquet_refusal(self.path, csv_bytes, len(columns))) is not None:
            self.problem = self._say(why)
            return
        try:
            cols = list(pl.read_parquet_schema(self.path))
            self.height = pl.scan_parquet(self.path).select(pl.len()).collect().item()
        except Exception as e:  # polars raises ComputeError, OSError and others on broken files
            self.problem = self._say(f"Parquet file cannot be read: {first_line(e)}")
            return
        if cols != columns:
            self.problem = self._say("Parquet columns differ from the CSV's")

    def compare(self, df) -> None:
        import polars as pl

        if self.problem is not None or self.first is not None or not df.height:
            return
        start = df.get_column(ROW)[0]
        if start + df.height > self.height:
            return  # the row counts differ: finish() says so
        try:
            twin = pl.scan_parquet(self.path).slice(start, df.height).collect()
        except Exception as e:  # a damaged column chunk
            self.problem = self._say(f"Parquet file cannot be read: {first_line(e)}")
            return
        a = twin.select(pl.all().cast(pl.String).fill_null(""))
        b = df.select(twin.columns).fill_null("")
        diff = a.select([(pl.col(c) != b.get_column(c)).alias(c) for c in twin.columns])
        if not diff.select(pl.any_horizontal(pl.all()).any()).item():
            return  # the batch agrees: one pass, no column looked at alone
        first = None
        for c in twin.columns:
            bad = diff.get_column(c).arg_true()
            if len(bad) and (first is None or bad[0] < first[0]):
                i = int(bad[0])
                first = (i, c, a.get_column(c)[i], b.get_column(c)[i])
        if first is not None:
            i, c, av, bv = first
            self.first = (start + i, c, av, bv)

    def finish(self, csv_rows: int) -> list[Problem]:
        if self.problem is not None:
            return [self.problem]
        if self.height != csv_rows:
            return [self._say(f"Parquet has {self.height} rows, the CSV {csv_rows}")]
        if self.first is None:
            return []
        i, c, av, bv = self.first
        return [self._say(f"Parquet differs from the CSV: {av!r} vs {bv!r}", row=i + 2, field=c)]
