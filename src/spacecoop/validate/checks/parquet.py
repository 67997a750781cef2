"""Each Parquet resource '<table>-parquet' holds its CSV's rows, cell for cell as text.

The twin is refused from its footer before any data is read (safety.parquet_refusal: rows and
decompressed size). The footer does not show a dictionary-encoded column's decoded size (one long
value repeated on every row is stored once), so the twin is then read in bounded batches
(pyarrow iter_batches; text that can decode to more than it stores is kept dictionary-encoded)
and the bytes each batch would take decoded are counted before it is decoded: past the limit
(PARQUET_RATIO x its CSV + 1 MiB) it stops with one line naming the file, the table and the
limit. A thread reads a batch ahead of the CSV's; memory holds a few batches of each."""
from __future__ import annotations

from ...model import PackageError
from ..problems import Problem
from ..ahead import ahead
from ..table import ROW, Table
from . import Rule, Run, first_line, register

BATCH_ROWS = 1 << 18  # rows per Parquet batch, about a CSV batch of evidence (1 << 16 was 25 % slower);
#                      what can decode to more than it stores is counted before it is decoded, at any batch size


@register
class ParquetTwin(Rule):
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
        if twin is None or not twin.opened:
            return []
        try:
            return twin.finish(t.rows)
        finally:
            twin.close()

    def close(self, run: Run):
        for key in [k for k in run.state if isinstance(k, tuple) and k[0] == self.name]:
            run.state.pop(key).close()


def decoded_bytes(batch) -> int:
    """The bytes a pyarrow RecordBatch takes once its dictionary-encoded columns are decoded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = 0
    for col in batch.columns:
        if isinstance(col, pa.DictionaryArray):
            d = col.dictionary
            if pa.types.is_string(d.type) or pa.types.is_binary(d.type) or pa.types.is_large_string(d.type):
                sizes = pc.binary_length(d).take(col.indices)
                n += int(pc.sum(sizes).as_py() or 0) + 8 * len(col)
            else:
                n += col.nbytes + len(col) * max(d.nbytes // max(len(d), 1), 1)
        else:
            n += col.nbytes
    return n


class _Twin:
    def __init__(self, res: dict, path):
        self.res, self.path, self.file, self.name = res, path, res["path"], str(res.get("name", ""))
        self.problem: Problem | None = None
        self.first = None    # (row, column, parquet value, csv value) of the first difference
        self.opened = False
        self.file_obj = None
        self.batches = None  # iterator of polars frames of text, read ahead of the CSV's batches
        self.finish_reading = None
        self.pending = None  # a polars frame of the twin's rows read and not yet compared
        self.decoded = 0
        self.cap = 0
        self.compared = 0    # rows of the twin compared: what it holds, whatever its footer says

    def _say(self, message: str, **where) -> Problem:
        return Problem(self.file, message, table=self.name, check="parquet", engines=["rules"], **where)

    def open(self, columns: list[str], csv_bytes: int) -> None:
        import pyarrow.parquet as pq

        from ...limits import PARQUET_RATIO
        from ...safety import open_regular, parquet_refusal

        self.opened = True
        try:
            self.file_obj = open_regular(self.path, self.file)
            meta = pq.read_metadata(self.file_obj)  # the footer, read once
        except Exception as e:  # pyarrow raises ArrowInvalid, OSError and others on a broken footer
            self.problem = self._say(f"Parquet file cannot be read: {first_line(e)}")
            return
        if (why := parquet_refusal(meta, csv_bytes, len(columns))) is not None:
            self.problem = self._say(why)
            return
        self.cap = PARQUET_RATIO * csv_bytes + (1 << 20)
        try:
            readers: dict = {}

            def reader(g: int):
                encoded = _encoded(meta, g)
                if encoded not in readers:
                    readers[encoded] = pq.ParquetFile(self.file_obj, metadata=meta, read_dictionary=list(encoded))
                return readers[encoded]
            cols = reader(0).schema_arrow.names if meta.num_row_groups else meta.schema.to_arrow_schema().names
            self.height = meta.num_rows
        except Exception as e:  # pyarrow raises ArrowInvalid, OSError and others on broken files
            self.problem = self._say(f"Parquet file cannot be read: {first_line(e)}")
            return
        if cols != columns:
            self.problem = self._say("Parquet columns differ from the CSV's")
            return
        # One read per row group: a reader keeps every dictionary it has read, so one over the
        # whole file grew by the file's text (466 MB at 100k rows per table). Read and decoded in a
        # thread, a batch ahead of the CSV's.
        batches = (b for g in range(meta.num_row_groups) for b in reader(g).iter_batches(batch_size=BATCH_ROWS, row_groups=[g]))
        self.batches, self.finish_reading = ahead(lambda emit: self._decode(batches, emit))

    def _decode(self, batches, emit) -> None:
        """Emit each batch as a polars frame of text, counting its decoded bytes first."""
        import polars as pl
        import pyarrow as pa

        from ...limits import PARQUET_RATIO

        def frame(batch):
            self.decoded += decoded_bytes(batch)
            if self.decoded > self.cap:
                raise _OverLimit(f"Parquet file decodes to more than the limit of {self.cap} bytes "
                                 f"({PARQUET_RATIO} x its CSV + 1 MiB); refused")
            # A dictionary is not handed to polars as one (polars would intern every distinct value
            # into its global categorical cache, never freed: 18 GB at 1M rows): its values are
            # gathered by index, each row a view into them (a third faster than decoding in arrow).
            return pl.DataFrame([_gather(n, c) if isinstance(c, pa.DictionaryArray) else pl.Series(n, c)
                                 for n, c in zip(batch.schema.names, batch.columns)]).select(pl.all().cast(pl.String))
        for batch in batches:
            emit(lambda batch=batch: frame(batch))

    def close(self) -> None:
        import pyarrow as pa

        if self.finish_reading is not None:
            try:
                self.finish_reading()
            except Exception:  # pyarrow's error was handed to compare(), which reported it
                pass
        self.batches = self.pending = self.finish_reading = None
        if self.file_obj is not None:
            self.file_obj.close()
            self.file_obj = None
        pa.default_memory_pool().release_unused()  # arrow's pool would keep the table's pages

    def _parts(self, n: int) -> list:
        """The next n rows of the twin (fewer if it ends first), as the polars frames of text they
        were read in, the last one sliced: compared a part at a time, no frame is concatenated."""
        parts, have = [], 0
        while have < n:
            frame = self.pending if self.pending is not None else next(self.batches, None)
            self.pending = None
            if frame is None:
                break
            if have + frame.height > n:
                frame, self.pending = frame.head(n - have), frame.slice(n - have)
            parts.append(frame)
            have += frame.height
        return parts

    def compare(self, df) -> None:
        import polars as pl

        if self.problem is not None or self.first is not None or not df.height:
            return
        start = df.get_column(ROW)[0]
        if start + df.height > self.height:
            return  # the row counts differ: finish() says so
        try:
            parts = self._parts(df.height)
        except _OverLimit as e:
            self.problem = self._say(str(e))
            return
        except Exception as e:  # a damaged column chunk
            self.problem = self._say(f"Parquet file cannot be read: {first_line(e)}")
            return
        self.compared += sum(a.height for a in parts)
        at = 0
        for a in parts:
            b = df.slice(at, a.height).select(a.columns)
            # Nulls compare equal (the usual case: one comparison, no frame of differences); an
            # empty cell is null in the CSV and may be '' in the twin, so only a part that differs
            # is compared again with both read as ''.
            if not a.equals(b):
                a, b = a.fill_null(""), b.fill_null("")
                diff = a.select([(pl.col(c) != b.get_column(c)).alias(c) for c in a.columns])
                first = None
                for c in a.columns:
                    bad = diff.get_column(c).arg_true()
                    if len(bad) and (first is None or bad[0] < first[0]):
                        i = int(bad[0])
                        first = (i, c, a.get_column(c)[i], b.get_column(c)[i])
                if first is not None:
                    i, c, av, bv = first
                    self.first = (start + at + i, c, av, bv)
                    return
            at += a.height

    def finish(self, csv_rows: int) -> list[Problem]:
        if self.problem is not None:
            return [self.problem]
        if self.height != csv_rows:
            return [self._say(f"Parquet has {self.height} rows, the CSV {csv_rows}")]
        if self.first is None:
            # The footer's total agrees with the CSV; the row groups may not (a hostile footer).
            try:
                more = self.pending is not None or next(self.batches, None) is not None
            except Exception as e:  # _OverLimit, or a damaged column chunk past the CSV's rows
                return [self._say(str(e) if isinstance(e, _OverLimit) else f"Parquet file cannot be read: {first_line(e)}")]
            if more or self.compared != csv_rows:
                held = "more" if more else self.compared
                return [self._say(f"Parquet holds {held} rows (its footer says {self.height}), the CSV {csv_rows}")]
            return []
        i, c, av, bv = self.first
        return [self._say(f"Parquet differs from the CSV: {av!r} vs {bv!r}", row=i + 2, field=c)]


_PLAIN = {"PLAIN", "RLE", "BIT_PACKED"}  # text stored whole, with its length: decodes to no more than its pages


def _encoded(meta, g: int) -> tuple[str, ...]:
    """The text columns of row group g to read as dictionaries, so that what they decode to is
    counted before it is decoded: those with a dictionary, or any encoding but plain (delta
    encodings share prefixes; pyarrow refuses to read them as dictionaries, and says so). A plain
    column decodes to at most its pages' bytes, which the footer check bounds; reading it as a
    dictionary would only build one (3x slower)."""
    rg = meta.row_group(g)
    return tuple(c.path_in_schema for c in (rg.column(i) for i in range(rg.num_columns))
                 if c.physical_type == "BYTE_ARRAY" and (c.has_dictionary_page or not set(c.encodings) <= _PLAIN))


def _gather(name: str, col):
    """A dictionary column's values by index (polars would read a negative index from the end)."""
    import polars as pl

    at = pl.Series(col.indices)
    if at.len() and (at.min() or 0) < 0:
        raise ValueError(f"column {name}: a dictionary index is negative")
    return pl.Series(name, col.dictionary).gather(at)


class _OverLimit(Exception):
    pass
