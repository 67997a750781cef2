"""The package's own rules (see rules.py) over polars frames, for packages too large for a Python
loop per row. Same checks and wording as rules.py; work is done per distinct value (dates, quotes)
or as joins (evidence, errata), so time grows with the data, not with Python per row.
"""
from __future__ import annotations

import hashlib

from .. import dates
from ..tableschema import EVIDENCED
from .package import Package, safe_path
from .polars_engine import MAX_PER_CHECK
from .problems import Problem
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
    """As rules.check_seeds: each seed inside the package, UTF-8, matching its sha256."""
    texts: dict[str, str] = {}
    out = []
    t = tables.get("sources")
    if t is None:
        return texts, out
    seen: dict[str, str] = {}
    for i, r in enumerate(t.frame.select("source_id", "path", "sha256").iter_rows(named=True)):
        row = i + 2
        path, prob = safe_path(pkg, r["path"], f"source {r['source_id']}")
        if prob:
            prob.table, prob.row, prob.field, prob.file = "sources", row, "path", t.file
            out.append(prob)
            continue
        if not path.is_file():
            out.append(Problem(t.file, f"seed {r['path']} does not exist", table="sources", row=row, field="path", check="seed"))
            continue
        data = path.read_bytes() if str(path) not in seen else None
        digest = hashlib.sha256(data).hexdigest() if data is not None else seen[str(path)]
        seen[str(path)] = digest
        if digest != r["sha256"]:
            out.append(Problem(t.file, f"seed {r['path']} does not match its sha256: the seed was edited (seeds are never edited)", table="sources", row=row, field="sha256", check="seed"))
        if data is None:
            continue
        try:
            texts[_s(r["source_id"])] = data.decode("utf-8")
        except UnicodeDecodeError as e:
            out.append(Problem(t.file, f"seed {r['path']} is not valid UTF-8 (byte {e.start})", table="sources", row=row, field="path", check="seed"))
    return texts, out


def check_evidence(tables: dict[str, Table], texts: dict[str, str]) -> list[Problem]:
    import polars as pl

    out: list[Problem] = []
    ev = tables.get("evidence")
    if ev is None:
        return out
    need = {"table", "record_id", "field", "source_id", "char_start", "char_end", "quote"}
    if not need <= set(ev.frame.columns):
        return out
    e = ev.frame.with_row_index("row")
    pks = {n: tables[n].schema.primary_key[0] for n in EVIDENCED + ("sources",)
           if n in tables and tables[n].schema.primary_key}
    for name, pk in pks.items():
        t = tables[name]
        ids = t.frame.select(pl.col(pk).alias("record_id"))
        mine = e.filter(pl.col("table") == name)
        missing = mine.join(ids, on="record_id", how="anti").sort("row")
        out += _many(ev, missing, "record_id", "evidence", lambda r, n=name: f"record {r['record_id']!r} does not exist in {n}")
        cols = set(t.schema.names)
        bad_fields = [f for f in mine.get_column("field").drop_nulls().unique().to_list() if f not in cols]
        if bad_fields:
            hits = mine.filter(pl.col("field").is_in(bad_fields)).sort("row")
            out += _many(ev, hits, "field", "evidence", lambda r, n=name: f"{r['field']!r} is not a column of {n}")
        if name != "sources":
            cited = mine.select("record_id").unique()
            bare = t.frame.select(pl.col(pk).alias("record_id")).with_row_index("row").join(cited, on="record_id", how="anti").sort("row")
            out += _many(t, bare, None, "evidence", lambda r: f"record {r['record_id']!r} has no evidence")
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
        if not (0 <= s < en <= len(text)):
            bad.append((src, s, en, quote, "char_start", f"offsets {s}..{en} are outside the seed ({len(text)} characters)"))
        elif text[s:en] != quote:
            found = text.find(quote)
            hint = f"; the quote is at {found}..{found + len(quote)}" if found >= 0 else "; the quote is not in the seed at all"
            bad.append((src, s, en, quote, "quote", f"quote does not match the seed at {s}..{en}: seed has {text[s:en][:60]!r}{hint}"))
    if bad:
        b = pl.DataFrame(bad, schema={"source_id": pl.String, "s": pl.Int64, "e": pl.Int64, "quote": pl.String,
                                      "fld": pl.String, "msg": pl.String}, orient="row")
        hits = q.with_columns(pl.col("quote").fill_null("")).join(b, on=["source_id", "s", "e", "quote"], how="inner").sort("row")
        for fld in ("char_start", "quote"):
            out += _many(ev, hits.filter(pl.col("fld") == fld), fld, "quote", lambda r: r["msg"])
    return out


def _as_date(c):
    return c.str.to_date("%Y-%m-%d", strict=False)


def check_dates(tables: dict[str, Table]) -> list[Problem]:
    """dates.check_group once per distinct group of values, traced back to the rows holding it."""
    import polars as pl

    out: list[Problem] = []
    for t in tables.values():
        groups = t.schema.date_groups
        if not groups:
            continue
        df = t.frame.with_row_index("row")
        has_notes = "notes" in df.columns
        for g in groups:
            cols = [g, g + "_earliest", g + "_latest", g + "_precision", g + "_basis", g + "_reference_id"]
            sub = df.select("row", *cols, (pl.col("notes").is_not_null() if has_notes else pl.lit(False)).alias("__notes"))
            # A group whose earliest/latest is not a real date is a type error, reported by the engines.
            real = pl.all_horizontal(
                pl.col(c).is_null() | _as_date(pl.col(c)).is_not_null() for c in (g + "_earliest", g + "_latest"))
            sub = sub.filter(real & pl.any_horizontal(pl.col(c).is_not_null() for c in cols))
            keys = cols + ["__notes"]
            bad = []
            for vals in sub.select(keys).unique().iter_rows():
                v, lo, hi, prec, basis, ref, notes = vals
                probs = dates.check_group(v, _d(lo), _d(hi), prec, basis, ref, "x" if notes else "")
                for suffix, msg in probs:
                    bad.append((*vals, suffix, msg))
            if bad:
                schema = {c: pl.String for c in cols} | {"__notes": pl.Boolean, "suffix": pl.String, "msg": pl.String}
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


def check_link_ids(tables: dict[str, Table]) -> list[Problem]:
    import polars as pl

    out = []
    for t in tables.values():
        names = t.schema.names
        if not names or names[0] != "link_id":
            continue
        parts = names[1:]
        want = pl.concat_str([_slug(pl.col(p)) for p in parts], separator="~")
        df = t.frame.with_row_index("row").filter(pl.all_horizontal(pl.col(p).is_not_null() for p in parts))
        hits = df.with_columns(want.alias("__want")).filter(pl.col("link_id").ne_missing(pl.col("__want"))).sort("row")
        out += _many(t, hits, "link_id", "link-id",
                     lambda r: f"link_id {_s(r['link_id'])!r} should be {r['__want']!r} (derived from {', '.join(parts)})")
    return out


def check_errata(tables: dict[str, Table]) -> list[Problem]:
    import polars as pl

    out = []
    er = tables.get("errata")
    if er is None:
        return out
    e = er.frame.with_row_index("row")
    for name in e.get_column("table").drop_nulls().unique().to_list():
        t = tables.get(name)
        if t is None or not t.schema.primary_key:
            continue
        ids = t.frame.select(pl.col(t.schema.primary_key[0]).alias("record_id"))
        hits = e.filter(pl.col("table") == name).join(ids, on="record_id", how="semi").sort("row")
        out += _many(er, hits, "record_id", "errata",
                     lambda r, n=name: f"id {r['record_id']!r} was removed in {r['removed_in']} but is in {n} again: ids are never reused")
    return out


def check_parquet(pkg: Package, tables: dict[str, Table]) -> list[Problem]:
    """Each Parquet resource holds the same rows as its CSV twin, cell for cell as text."""
    import polars as pl

    out = []
    for res in pkg.resources():
        name = str(res.get("name", ""))
        if res.get("format") != "parquet" or not name.endswith("-parquet"):
            continue
        twin = tables.get(name.removesuffix("-parquet"))
        path, prob = safe_path(pkg, res.get("path"), f"resource {name}")
        if prob:
            out.append(prob)
            continue
        if twin is None or not path.is_file():
            continue
        try:
            import pyarrow.parquet as papq

            meta = papq.ParquetFile(path)
            columns, height = list(meta.schema_arrow.names), meta.metadata.num_rows
        except Exception as e:  # pyarrow raises ArrowInvalid, OSError and others on broken files
            out.append(Problem(res["path"], f"Parquet file cannot be read: {str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}", table=name, check="parquet"))
            continue
        if columns != twin.frame.columns:
            out.append(Problem(res["path"], "Parquet columns differ from the CSV's", table=name, check="parquet"))
            continue
        if height != twin.frame.height:
            out.append(Problem(res["path"], f"Parquet has {height} rows, the CSV {twin.frame.height}", table=name, check="parquet"))
            continue
        # One column at a time, so memory holds one column of each, not a second copy of the table.
        first = None
        for c in columns:
            try:
                a = pl.read_parquet(path, columns=[c]).get_column(c).cast(pl.String).fill_null("")
            except Exception as e:  # a damaged column chunk
                out.append(Problem(res["path"], f"Parquet file cannot be read: {str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}", table=name, check="parquet"))
                first = None
                break
            b = twin.frame.get_column(c).fill_null("")
            bad = (a != b).arg_true()
            if len(bad) and (first is None or bad[0] < first[0]):
                i = int(bad[0])
                first = (i, c, a[i], b[i])
        if first is not None:
            i, c, av, bv = first
            out.append(Problem(res["path"], f"Parquet differs from the CSV: {av!r} vs {bv!r}", table=name,
                               row=i + 2, field=c, check="parquet"))
    return out


def check_formulas(tables: dict[str, Table]) -> list[Problem]:
    """Text cells a spreadsheet would run as a formula."""
    import polars as pl

    from .. import formula

    out = []
    for t in tables.values():
        df = t.frame.with_row_index("row")
        for f in t.schema.fields:
            if f.type != "string" or f.name not in df.columns:
                continue
            c = pl.col(f.name)
            hits = df.filter((c.str.contains(formula.START) & ~c.str.contains(formula.NUMBER)).fill_null(False))
            hits = hits.select("row", c.alias("value"))
            out += _many(t, hits, f.name, "formula", lambda r: formula.message(r["value"]))
    return out
