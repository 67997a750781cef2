"""A table being validated: its schema, file, and the columns kept once its rows are checked."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Schema

ROW = "__row"  # the column holding each record's 0-based index in its file
SMALL = 1 << 17  # rows: a query over fewer runs in polars' in-memory engine (collect)


def collect(query, rows: int):
    """Run a polars LazyFrame over about `rows` rows: in polars' in-memory engine when small, else
    in its default (streaming) engine. The default holds less at 1M rows per table (1,346 MiB, not
    1,501 MiB with every query in memory), but a rule's join or sort over a small table took ~1 ms
    longer in it: with its ~55 such queries in memory, the curated package validates in
    0.15-0.21 s, not 0.20-0.26 s. No difference at 10k or 100k rows per table."""
    return query.collect(engine="in-memory" if rows < SMALL else "auto")


def stamp(path) -> tuple[int, int]:
    """A file's size and mtime: a file read again must have the stamp it had when it was opened."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


@dataclass
class Table:
    name: str
    file: str            # the path as the descriptor gives it, for messages
    path: Path
    schema: Schema
    resource: dict
    keep: tuple[str, ...] = ()  # the columns the rules keep
    frame: object = None  # polars DataFrame of the kept columns and ROW, once every batch is read (no rows if none is kept)
    rows: int = 0         # its records, once every batch is read
    stamp: tuple = ()     # the file's size and mtime when it was opened: a file read again must not have changed

    def values(self, columns, pick):
        """((ROW, columns) of the records pick chooses, problems). pick: a function of a LazyFrame
        of ROW (UInt32) and the columns, as text. From the kept frame if it holds the columns, else
        read again from the file, those columns alone (a rule that keeps a hash of a column, not
        the column, reads the few rows it reports). A file that cannot be read again alike gives
        no rows and one problem."""
        import polars as pl

        from .checks import first_line
        from .problems import Problem

        if all(c in self.frame.columns for c in columns):
            return collect(pick(self.frame.lazy().select(ROW, *[pl.col(c).cast(pl.String) for c in columns])), self.rows), []
        none = pl.DataFrame(schema={ROW: pl.UInt32, **{c: pl.String for c in columns}})
        if stamp(self.path) != self.stamp:
            return none, [Problem(self.file, "file changed while it was read", table=self.name, check="csv")]
        try:
            return collect(pick(pl.scan_csv(self.path, infer_schema=False, quote_char='"', encoding="utf8")
                                .select(*columns).with_row_index(ROW)), self.rows), []
        except Exception as e:  # polars cannot read it twice alike
            return none, [Problem(self.file, f"CSV cannot be parsed: {first_line(e)}", table=self.name, check="csv")]
