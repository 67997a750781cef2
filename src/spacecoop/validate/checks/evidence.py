"""Evidence: each seed is inside the package, UTF-8 and matches its sha256; each quote is its
seed's text at its offsets; each evidence row cites a record and a column that exist; each
evidenced record (see Package.evidenced) has evidence."""
from __future__ import annotations

import hashlib

from ...limits import SEED_BYTES
from ...safety import UnsafeFile, read_bounded
from ...model import Package, PackageError
from ..problems import Problem
from ..table import ROW, Table
from . import Rule, Run, register

SOURCES, EVIDENCE = "sources", "evidence"
SOURCE_COLUMNS = ("source_id", "path", "sha256")
EVIDENCE_COLUMNS = ("table", "record_id", "field", "source_id", "char_start", "char_end", "quote")


def _cited(pkg: Package) -> tuple[str, ...]:
    return pkg.evidenced + (SOURCES,)


def _pk(pkg: Package, name: str) -> tuple[str, ...]:
    try:
        return pkg.schema(name).primary_key[:1]
    except PackageError:
        return ()


def quote_problem(text: str, start: int, end: int, quote: str) -> tuple[str, str] | None:
    """(field, message) when text[start:end] is not the quote."""
    if start >= end:
        return "char_end", f"empty span {start}..{end}: char_end must be after char_start"
    if not (0 <= start and end <= len(text)):
        return "char_start", f"offsets {start}..{end} are outside the seed ({len(text)} characters)"
    if text[start:end] != quote:
        found = text.find(quote)
        hint = f"; the quote is at {found}..{found + len(quote)}" if found >= 0 else "; the quote is not in the seed at all"
        return "quote", f"quote does not match the seed at {start}..{end}: seed has {text[start:end][:60]!r}{hint}"
    return None


@register
class Seeds(Rule):
    """Read once the sources table is read; a seed named twice is read once."""
    name = "seed"
    needs = {SOURCES: SOURCE_COLUMNS}

    def keep(self, run: Run):
        return {SOURCES: SOURCE_COLUMNS}

    def finish(self, run: Run, t: Table):
        if t.name != SOURCES or not set(SOURCE_COLUMNS) <= set(t.frame.columns):
            return []
        out: list[Problem] = []
        seen: dict = {}
        for i, source_id, rel, sha256 in t.frame.select(ROW, *SOURCE_COLUMNS).iter_rows():
            where = dict(table=SOURCES, row=i + 2, check=self.name, engines=["rules"])
            try:
                path = run.pkg.path(rel, f"source {source_id or ''}")
            except PackageError as e:
                out.append(Problem(t.file, e.problem.message, field="path", **where))
                continue
            if not path.is_file():
                out.append(Problem(t.file, f"seed {rel} does not exist", field="path", **where))
                continue
            try:
                data = read_bounded(path, SEED_BYTES, rel, "seed") if path not in seen else None
            except UnsafeFile as e:
                out.append(Problem(t.file, f"seed {rel} {e.reason}", field="path", **dict(where, check="limit")))
                continue
            digest = seen.setdefault(path, hashlib.sha256(data).hexdigest() if data is not None else None)
            if digest != sha256:
                out.append(Problem(t.file, f"seed {rel} does not match its sha256: the seed was edited (seeds are never edited)", field="sha256", **where))
            if data is None:
                continue
            try:
                run.texts[source_id or ""] = data.decode("utf-8")
            except UnicodeDecodeError as e:
                out.append(Problem(t.file, f"seed {rel} is not valid UTF-8 (byte {e.start})", field="path", **where))
        return out


@register
class EvidenceFields(Rule):
    """Each evidence row's field is a column of the table it cites."""
    name = "evidence"
    needs = {EVIDENCE: ("table", "field")}

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        if t.name != EVIDENCE or not {"table", "field"} <= set(df.columns):
            return []
        out = []
        for name in _cited(run.pkg):
            try:
                cols = run.pkg.schema(name).names
            except PackageError:
                continue
            mine = df.filter((pl.col("table") == name) & pl.col("field").is_not_null() & ~pl.col("field").is_in(cols))
            out += self.hits(run, t, mine, "field", f"{{field!r}} is not a column of {name}")
        return out


@register
class Quotes(Rule):
    """Each quote is its seed's text at its offsets: checked once per distinct source, offsets and
    quote, then traced back to the rows."""
    name = "quote"
    message = "{msg}"
    needs = {EVIDENCE: EVIDENCE_COLUMNS, SOURCES: SOURCE_COLUMNS}

    def after(self, pkg):
        return {EVIDENCE: {SOURCES}}

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        if t.name != EVIDENCE or not set(EVIDENCE_COLUMNS) <= set(df.columns):
            return []
        q = df.select(ROW, "source_id", pl.col("quote").fill_null(""),
                      pl.col("char_start").cast(pl.Int64, strict=False).alias("s"),
                      pl.col("char_end").cast(pl.Int64, strict=False).alias("e"),
                      ).filter(pl.col("source_id").is_in(list(run.texts)) & pl.col("s").is_not_null() & pl.col("e").is_not_null())
        bad = []
        for src, s, e, quote in q.select("source_id", "s", "e", "quote").unique().iter_rows():
            wrong = quote_problem(run.texts[src], s, e, quote)
            if wrong:
                bad.append((src, s, e, quote, *wrong))
        if not bad:
            return []
        b = pl.DataFrame(bad, schema={"source_id": pl.String, "s": pl.Int64, "e": pl.Int64, "quote": pl.String,
                                      "fld": pl.String, "msg": pl.String}, orient="row")
        hits = q.join(b, on=["source_id", "s", "e", "quote"])
        return [p for fld in ("char_start", "char_end", "quote") for p in self.hits(run, t, hits.filter(pl.col("fld") == fld), fld)]


@register
class EvidenceLinks(Rule):
    """Every evidence row names a record that exists; every evidenced record has evidence."""
    name = "evidence"
    needs = {EVIDENCE: ("table", "record_id")}

    def needed(self, pkg):
        return {**self.needs, **{n: _pk(pkg, n) for n in _cited(pkg)}}

    def keep(self, run: Run):
        return {EVIDENCE: ("table", "record_id")} | {n: _pk(run.pkg, n) for n in _cited(run.pkg)}

    def after(self, pkg):
        return {EVIDENCE: set(_cited(pkg))}

    def end(self, run: Run):
        import polars as pl

        ev = run.tables.get(EVIDENCE)
        out: list[Problem] = []
        if ev is None or not {"table", "record_id"} <= set(ev.frame.columns):
            return out
        for name in _cited(run.pkg):
            t = run.tables.get(name)
            pk = _pk(run.pkg, name)
            if t is None or not pk or pk[0] not in t.frame.columns:
                continue
            ids = t.frame.select(ROW, pl.col(pk[0]).alias("record_id"))
            mine = ev.frame.filter(pl.col("table") == name).select(ROW, "record_id")
            out += self.hits(run, ev, mine.join(ids.drop(ROW), on="record_id", how="anti"), "record_id",
                             f"record {{record_id!r}} does not exist in {name}")
            if name != SOURCES:
                out += self.hits(run, t, ids.join(mine.drop(ROW).unique(), on="record_id", how="anti"), None,
                                 "record {record_id!r} has no evidence")
        return out
