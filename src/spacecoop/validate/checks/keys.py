"""Keys: each unique field and the primary key is unique over the whole table; each foreign key
value (all its fields non-empty) exists in the referenced table."""
from __future__ import annotations

from ...model import Package
from ..index import key_hash
from ..table import ROW, Table, collect
from . import Rule, Run, register

SLICE_ROWS = 1 << 22  # hashes sorted at a time: a table of more is sorted a range of hashes at a time


def _repeated(h):
    """The hashes (a polars UInt64 Series, nulls left out) that occur more than once. Each range of
    hashes is sorted in turn and each hash compared with the one before it, two slices of one copy:
    at 23M rows one sort of all of them added 184 MB to the peak, a range of an eighth 46 MB."""
    import polars as pl

    parts = 1 << max(0, (h.len() - 1) // SLICE_ROWS).bit_length()  # a power of two: ranges of equal width
    out = []
    for k in range(parts):
        lo, width = k * (1 << 64) // parts, (1 << 64) // parts
        hs = (h.filter(h.is_between(lo, lo + width - 1)) if parts > 1 else h.drop_nulls()).sort()
        later, before = hs.slice(1), hs.slice(0, max(hs.len() - 1, 0))
        out.append(later.filter(later == before))
    return pl.concat(out)


@register
class Unique(Rule):
    """Batches keep a 64-bit hash per row and key (8 bytes a row, not the strings; a row's index is
    its position, as batches come in file order). Rows whose hash repeats (a duplicate, or rarely a
    collision) are taken with their values, and the values decide."""
    name = "unique"

    def batch(self, run: Run, t: Table, df):
        keys = [k for k in t.schema.keys if all(c in df.columns for c in k)]
        if keys:
            run.state.setdefault((self.name, t.name), []).append(
                df.select(*[key_hash(list(k)).alias(str(i)) for i, k in enumerate(keys)]))  # batches come in file order
        return []

    def finish(self, run: Run, t: Table):
        import polars as pl

        parts = run.state.pop((self.name, t.name), [])
        if not parts:
            return []
        hashes = pl.concat(parts, rechunk=False)
        out = []
        for i, key in enumerate(k for k in t.schema.keys if all(c in t.schema.names for c in k)):
            repeated = _repeated(hashes.get_column(str(i)))
            if not repeated.len():
                continue
            cand = hashes.with_row_index(ROW).filter(pl.col(str(i)).is_in(repeated.implode())).get_column(ROW)
            values, unread = t.values(key, lambda f: f.filter(pl.col(ROW).is_in(cand.cast(pl.UInt32).implode())))
            out += unread + self._duplicates(run, t, values, key)
        return out

    def _duplicates(self, run: Run, t: Table, df, key):
        """Every row whose key was already seen, naming the row where it was first seen."""
        import polars as pl

        cols = [pl.col(k) for k in key]
        dup = df.filter((cols[0] if len(cols) == 1 else pl.struct(*cols)).is_duplicated())
        first = dup.group_by(list(key)).agg(pl.col(ROW).min().alias("first"))
        later = (dup.join(first, on=list(key), nulls_equal=False).filter(pl.col(ROW) != pl.col("first"))
                 .with_columns((pl.col("first") + 2).alias("first")))
        if len(key) == 1:
            return self.hits(run, t, later.rename({key[0]: "value"}), key[0], "{value!r} is not unique (first at row {first})")
        return self.hits(run, t, later, None, lambda r: f"primary key ({', '.join(key)}) = "
                         f"({', '.join(repr(r[k]) for k in key)}) is not unique (first at row {r['first']})")


@register
class ForeignKeys(Rule):
    """Checked batch by batch where the referenced table was read before; else (a key to itself,
    or round a circle), or where another rule keeps the key's columns anyway, once the table is
    read, on its kept columns: one join over the table, not one per batch (each builds the
    referenced keys' hash table again)."""
    name = "foreign-key"

    def keep(self, run: Run):
        order = run.order
        out: dict[str, tuple[str, ...]] = {}
        for i, name in enumerate(order):
            for fk in _fks(run.pkg, name):
                out[fk.table] = out.get(fk.table, ()) + fk.ref_fields
                if fk.table not in order[:i]:
                    out[name] = out.get(name, ()) + fk.fields
        return out

    def holds(self, run: Run, kept):
        """A referenced table's key until every table pointing to it is read; both sides of a key
        read the wrong way round (end() joins them) to the end."""
        order = run.order
        out: dict[str, tuple[str, ...]] = {}
        for i, name in enumerate(order):
            for fk in _fks(run.pkg, name):
                if fk.table == name:
                    continue
                if fk.table not in order[:i]:
                    out[name] = out.get(name, ()) + fk.fields
                if fk.table not in order[:i] or name not in run.tables:
                    out[fk.table] = out.get(fk.table, ()) + fk.ref_fields
        return out

    def batch(self, run: Run, t: Table, df):
        out = []
        for fk in t.schema.foreign_keys:
            parent = run.tables.get(fk.table)
            if fk.table != t.name and parent is not None and not set(fk.fields) <= set(t.keep):
                out += self._dangling(run, t, df, fk, parent)
        return out

    def finish(self, run: Run, t: Table):
        out = []
        for fk in t.schema.foreign_keys:
            parent = run.tables.get(fk.table)
            if fk.table == t.name:
                out += self._dangling(run, t, t.frame, fk, t)
            elif parent is not None and set(fk.fields) <= set(t.keep):
                out += self._dangling(run, t, t.frame, fk, parent)
        return out

    def end(self, run: Run):
        out = []
        read = list(run.tables)
        for t in run.tables.values():
            for fk in t.schema.foreign_keys:
                parent = run.tables.get(fk.table)
                if parent is not None and fk.table != t.name and read.index(fk.table) > read.index(t.name):
                    out += self._dangling(run, t, t.frame, fk, parent)
        return out

    def _dangling(self, run: Run, t: Table, df, fk, parent):
        import polars as pl

        if any(f not in df.columns for f in fk.fields) or any(f not in parent.frame.columns for f in fk.ref_fields):
            return []
        # One lazy query (an anti-join needs no unique keys): at 1M rows a batch no longer copies
        # and deduplicates the parent's keys eagerly. A batch of ~200k rows against 1M keys takes
        # as long as an Index lookup, and far less against a small table (sources).
        keys = parent.frame.lazy().select([pl.col(r).cast(pl.String).alias(f) for f, r in zip(fk.fields, fk.ref_fields)])
        query = (df.lazy().select(ROW, *[pl.col(f).cast(pl.String) for f in fk.fields])
                 .filter(pl.all_horizontal(pl.col(f).is_not_null() for f in fk.fields))
                 .join(keys, on=list(fk.fields), how="anti"))
        hits = collect(query, df.height + parent.rows)
        return self.hits(run, t, hits, ", ".join(fk.fields), lambda r: f"{', '.join(repr(r[f]) for f in fk.fields)} "
                         f"is not a {', '.join(fk.ref_fields)} in {fk.table} (dangling foreign key)")


def _fks(pkg: Package, name: str):
    try:
        return pkg.schema(name).foreign_keys
    except Exception:  # an unreadable schema is reported where the table is read
        return ()
