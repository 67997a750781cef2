"""Deterministic CSV and Parquet writers: same rows in, same bytes out."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .model import Schema

_ARROW_TYPES = {"string": "string", "integer": "int64", "date": "date32", "number": "float64", "boolean": "bool_"}


def sort_rows(schema: Schema, rows: list[dict]) -> list[dict]:
    """Stable row order: by primary key (text order)."""
    pk = schema.primary_key
    return sorted(rows, key=lambda r: tuple("" if r.get(k) is None else str(r[k]) for k in pk))


def csv_bytes(schema: Schema, rows: list[dict]) -> bytes:
    """UTF-8, LF line ends, a header row, empty cell for null."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    names = schema.names
    w.writerow(names)
    for r in rows:
        w.writerow(["" if r.get(n) is None else r[n] for n in names])
    return buf.getvalue().encode("utf-8")


def arrow_schema(schema: Schema):
    import pyarrow as pa

    return pa.schema([pa.field(f.name, getattr(pa, _ARROW_TYPES[f.type])(), nullable=not f.required) for f in schema.fields])


def write_parquet(schema: Schema, rows: list[dict], path: Path) -> None:
    from datetime import date

    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {}
    for f in schema.fields:
        vals = [r.get(f.name) for r in rows]
        if f.type == "date":
            vals = [date.fromisoformat(v) if v else None for v in vals]
        elif f.type == "integer":
            vals = [None if v in (None, "") else int(v) for v in vals]
        elif f.type == "boolean":  # cells are written 'true'/'false' (curation._as_text)
            vals = [None if v in (None, "") else v == "true" for v in vals]
        cols[f.name] = vals
    table = pa.Table.from_pydict(cols, schema=arrow_schema(schema))
    # No pandas metadata, no timestamps: the bytes depend only on the rows and the pyarrow version.
    pq.write_table(table, path, compression="zstd", write_statistics=True, store_schema=True)
