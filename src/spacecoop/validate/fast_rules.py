"""The package's own rules (see rules.py) over polars frames, for packages too large for a Python
loop per row. Same checks and wording as rules.py; work is done per distinct value (dates, quotes)
or as joins (evidence, errata), so time grows with the data, not with Python per row.

Row checks take a frame df with a `__row` column (0-based record index in the file): a whole table
or one batch of it (see streamed.py). Cross-table checks take the key columns kept of each table.
"""
from __future__ import annotations


from .. import dates
from ..tableschema import EVIDENCED
from .package import Package, safe_path
from .polars_engine import MAX_PER_CHECK
from .problems import Problem
from .rules import quote_problem, seed_texts
from .tables import Table

ENGINE = "rules"


def _many(table: Table, hits, fld, check, message) -> list[Problem]:
    out = []
    for r in hits.head(MAX_PER_CHECK).iter_rows(named=True):
        out.append(Problem(table.file, message(r), table=table.name, row=r["row"] + 2, field=fld, check=check))
    if hits.height > MAX_PER_CHECK:
        out.append(Problem(table.file, f"and {hits.height - MAX_PER_CHECK} more rows fail the same check",
                           table=table.name, field=fld, check=check))
    return out


def _s(v) -> str:
    return "" if v is None else v


def check_seeds(pkg: Package, tables: dict[str, Table]) -> tuple[dict[str, str], list[Problem]]:
    """As rules.check_seeds, on a polars frame: each seed inside the package, UTF-8, matching its sha256."""
    t = tables.get("sources")
    if t is None or not {"source_id", "path", "sha256"} <= set(t.frame.columns):
        return {}, []
    rows = t.frame.select("__row", "source_id", "path", "sha256").iter_rows()
    return seed_texts(pkg, t.file, ((i + 2, _s(sid), path, sha) for i, sid, path, sha in rows))


EVIDENCE_COLUMNS = ("table", "record_id", "field", "source_id", "char_start", "char_end", "quote")


def check_evidence_rows(ev: Table, df, texts: dict[str, str], columns: dict[str, set[str]]) -> list[Problem]:
    """Each evidence row's field is a column of its table; each quote is in its seed at its offsets.
    columns: the column names of each evidenced table (and sources)."""
    import polars as pl

    out: list[Problem] = []
    if not set(EVIDENCE_COLUMNS) <= set(df.columns):
        return out
    e = df.rename({"__row": "row"})
    for name, cols in columns.items():
        mine = e.filter(pl.col("table") == name)
        bad_fields = [f for f in mine.get_column("field").drop_nulls().unique().to_list() if f not in cols]
        if bad_fields:
            hits = mine.filter(pl.col("field").is_in(bad_fields)).sort("row")
            out += _many(ev, hits, "field", "evidence", lambda r, n=name: f"{r['field']!r} is not a column of {n}")
    # Quotes: checked once per distinct (source, start, end, quote), then traced back to rows.
    q = e.select(
        "row", "source_id", "quote",
        pl.col("char_start").cast(pl.Int64, strict=False).alias("s"),
        pl.col("char_end").cast(pl.Int64, strict=False).alias("e"),
    ).filter(pl.col("source_id").is_in(list(texts)) & pl.col("s").is_not_null() & pl.col("e").is_not_null())
    bad = []
    for src, s, en, quote in q.select("source_id", "s", "e", "quote").unique().iter_rows():
        text = texts[src]
        quote = _s(quote)
        wrong = quote_problem(text, s, en, quote)
        if wrong:
            bad.append((src, s, en, quote, *wrong))
    if bad:
        b = pl.DataFrame(bad, schema={"source_id": pl.String, "s": pl.Int64, "e": pl.Int64, "quote": pl.String,
                                      "fld": pl.String, "msg": pl.String}, orient="row")
        hits = q.with_columns(pl.col("quote").fill_null("")).join(b, on=["source_id", "s", "e", "quote"], how="inner").sort("row")
        for fld in ("char_start", "char_end", "quote"):
            out += _many(ev, hits.filter(pl.col("fld") == fld), fld, "quote", lambda r: r["msg"])
    return out


def check_evidence_links(tables: dict[str, Table]) -> list[Problem]:
    """Every evidence row names a record that exists; every evidenced record has evidence. Frames
    hold the kept columns: evidence's table and record_id, each table's primary key."""
    import polars as pl

    out: list[Problem] = []
    ev = tables.get("evidence")
    if ev is None or not {"table", "record_id"} <= set(ev.frame.columns):
        return out
    e = ev.frame.select(pl.col("__row").alias("row"), "table", "record_id")
    pks = {n: tables[n].schema.primary_key[0] for n in EVIDENCED + ("sources",)
           if n in tables and tables[n].schema.primary_key}
    for name, pk in pks.items():
        t = tables[name]
        if pk not in t.frame.columns:
            continue
        ids = t.frame.select(pl.col(pk).alias("record_id"))
        mine = e.filter(pl.col("table") == name)
        missing = mine.join(ids, on="record_id", how="anti").sort("row")
        out += _many(ev, missing, "record_id", "evidence", lambda r, n=name: f"record {r['record_id']!r} does not exist in {n}")
        if name != "sources":
            cited = mine.select("record_id").unique()
            bare = t.frame.select(pl.col("__row").alias("row"), pl.col(pk).alias("record_id")).join(cited, on="record_id", how="anti").sort("row")
            out += _many(t, bare, None, "evidence", lambda r: f"record {r['record_id']!r} has no evidence")
    return out


def _as_date(c):
    return c.str.to_date("%Y-%m-%d", strict=False)


def check_dates(t: Table, df) -> list[Problem]:
    """dates.check_group once per distinct group of values, traced back to the rows holding it.
    Only whether reference_id and notes are given matters to the check, so only that is compared."""
    import polars as pl

    out: list[Problem] = []
    groups = t.schema.date_groups
    if not groups:
        return out
    df = df.rename({"__row": "row"})
    has_notes = "notes" in df.columns
    for g in groups:
        cols = [g, g + "_earliest", g + "_latest", g + "_precision", g + "_basis"]
        ref = g + "_reference_id"
        sub = df.select("row", *cols, pl.col(ref).is_not_null().alias("__ref"),
                        (pl.col("notes").is_not_null() if has_notes else pl.lit(False)).alias("__notes"))
        # A group whose earliest/latest is not a real date is a type error, reported by the engines.
        real = pl.all_horizontal(
            pl.col(c).is_null() | _as_date(pl.col(c)).is_not_null() for c in (g + "_earliest", g + "_latest"))
        sub = sub.filter(real & (pl.any_horizontal(pl.col(c).is_not_null() for c in cols) | pl.col("__ref")))
        keys = cols + ["__ref", "__notes"]
        bad = []
        for vals in sub.select(keys).unique().iter_rows():
            v, lo, hi, prec, basis, has_ref, notes = vals
            probs = dates.check_group(v, _d(lo), _d(hi), prec, basis, "x" if has_ref else None, "x" if notes else "")
            for suffix, msg in probs:
                bad.append((*vals, suffix, msg))
        if bad:
            schema = {c: pl.String for c in cols} | {"__ref": pl.Boolean, "__notes": pl.Boolean, "suffix": pl.String, "msg": pl.String}
            b = pl.DataFrame(bad, schema=schema, orient="row")
            hits = sub.join(b, on=keys, how="inner", nulls_equal=True).sort("row")
            for suffix in sorted(set(hits.get_column("suffix").to_list())):
                out += _many(t, hits.filter(pl.col("suffix") == suffix), g + suffix, "date", lambda r: r["msg"])
    if "ratified" in groups and "signed" in groups:
        s, rt = _as_date(pl.col("signed_earliest")), _as_date(pl.col("ratified_latest"))
        hits = df.filter((rt < s).fill_null(False)).select("row", "ratified", "signed")
        out += _many(t, hits, "ratified", "date", lambda r: f"ratified ({r['ratified']}) before it was signed ({r['signed']})")
    return out


def _d(s):
    from datetime import date

    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _slug(c):
    """curation.slug as a polars expression: lower case, runs of other characters to '-', trimmed, 'x' if empty."""
    import polars as pl

    s = c.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", "-").str.strip_chars("-")
    return pl.when(s == "").then(pl.lit("x")).otherwise(s)


def check_link_ids(t: Table, df) -> list[Problem]:
    import polars as pl

    names = t.schema.names
    if not names or names[0] != "link_id":
        return []
    parts = names[1:]
    want = pl.concat_str([_slug(pl.col(p)) for p in parts], separator="~")
    df = df.rename({"__row": "row"}).filter(pl.all_horizontal(pl.col(p).is_not_null() for p in parts))
    hits = df.select("row", "link_id", want.alias("__want")).filter(pl.col("link_id").ne_missing(pl.col("__want"))).sort("row")
    return _many(t, hits, "link_id", "link-id",
                 lambda r: f"link_id {_s(r['link_id'])!r} should be {r['__want']!r} (derived from {', '.join(parts)})")


def check_errata(tables: dict[str, Table]) -> list[Problem]:
    import polars as pl

    out = []
    er = tables.get("errata")
    if er is None:
        return out
    if not {"table", "record_id", "removed_in"} <= set(er.frame.columns):
        return out
    e = er.frame.rename({"__row": "row"})
    for name in e.get_column("table").drop_nulls().unique().to_list():
        t = tables.get(name)
        if t is None or not t.schema.primary_key or t.schema.primary_key[0] not in t.frame.columns:
            continue
        ids = t.frame.select(pl.col(t.schema.primary_key[0]).alias("record_id"))
        hits = e.filter(pl.col("table") == name).join(ids, on="record_id", how="semi").sort("row")
        out += _many(er, hits, "record_id", "errata",
                     lambda r, n=name: f"id {r['record_id']!r} was removed in {r['removed_in']} but is in {n} again: ids are never reused")
    return out


def first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


class ParquetTwin:
    """A Parquet resource compared with its CSV twin batch by batch, cell for cell as text, so that
    memory holds one batch of each, never a second copy of the table."""

    def __init__(self, res: dict, path, columns: list[str]):
        self.res, self.path, self.file = res, path, res["path"]
        self.name = str(res.get("name", ""))
        self.problem: Problem | None = None
        self.first = None    # (row, column, parquet value, csv value) of the first difference
        try:
            import pyarrow.parquet as papq

            meta = papq.ParquetFile(path)
            cols, self.height = list(meta.schema_arrow.names), meta.metadata.num_rows
        except Exception as e:  # pyarrow raises ArrowInvalid, OSError and others on broken files
            self._unreadable(e)
            return
        if cols != columns:
            self.problem = Problem(self.file, "Parquet columns differ from the CSV's", table=self.name, check="parquet")

    def _unreadable(self, e: Exception) -> None:
        self.problem = Problem(self.file, f"Parquet file cannot be read: {first_line(e)}", table=self.name, check="parquet")

    def compare(self, df) -> None:
        """df: a batch of the CSV (strings, `__row` its 0-based record index, rows contiguous)."""
        import polars as pl

        if self.problem is not None or self.first is not None or not df.height:
            return
        start = df.get_column("__row")[0]
        if start + df.height > self.height:
            return  # the row counts differ: finish() says so
        try:
            twin = pl.scan_parquet(self.path).slice(start, df.height).collect()
        except Exception as e:  # a damaged column chunk
            self._unreadable(e)
            return
        first = None
        for c in twin.columns:
            a = twin.get_column(c).cast(pl.String).fill_null("")
            b = df.get_column(c).fill_null("")
            bad = (a != b).arg_true()
            if len(bad) and (first is None or bad[0] < first[0]):
                i = int(bad[0])
                first = (i, c, a[i], b[i])
        if first is not None:
            i, c, av, bv = first
            self.first = (start + i, c, av, bv)

    def finish(self, csv_rows: int) -> list[Problem]:
        if self.problem is not None:
            return [self.problem]
        if self.height != csv_rows:
            return [Problem(self.file, f"Parquet has {self.height} rows, the CSV {csv_rows}", table=self.name, check="parquet")]
        if self.first is None:
            return []
        i, c, av, bv = self.first
        return [Problem(self.file, f"Parquet differs from the CSV: {av!r} vs {bv!r}", table=self.name,
                        row=i + 2, field=c, check="parquet")]


def check_formulas(t: Table, df) -> list[Problem]:
    """Text cells a spreadsheet would run as a formula."""
    import polars as pl

    from .. import formula

    out = []
    for f in t.schema.fields:
        if f.type != "string" or f.name not in df.columns:
            continue
        c = pl.col(f.name)
        hits = df.filter((c.str.contains(formula.START) & ~c.str.contains(formula.NUMBER)).fill_null(False))
        hits = hits.select(pl.col("__row").alias("row"), c.alias("value"))
        out += _many(t, hits, f.name, "formula", lambda r: formula.message(r["value"]))
    return out
