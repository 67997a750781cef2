"""Evidence: each seed is inside the package, UTF-8 and matches its sha256; each quote is its
seed's text at its offsets; each evidence row cites a record and a column that exist; each
evidenced record (see Package.evidenced) has evidence."""
from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor

from ...limits import SEED_BYTES
from ...safety import UnsafeFile, read_bounded
from ...model import Package, PackageError
from ..fields import LEXICAL
from ..problems import Problem
from ..table import ROW, Table
from . import Rule, Run, register

SOURCES, EVIDENCE = "sources", "evidence"
MANY = 512  # a source's distinct spans in a batch from which Quotes checks them in polars
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
    """Each evidence row's field is a column of the table it cites (one anti-join per batch)."""
    name = "evidence"
    needs = {EVIDENCE: ("table", "field")}

    def start(self, run: Run, t: Table):
        import polars as pl

        if t.name == EVIDENCE:
            pairs = [(name, c) for name in _cited(run.pkg) for c in _names(run.pkg, name)]
            run.state[self.name] = pl.DataFrame(pairs, schema={"table": pl.String, "field": pl.String}, orient="row")
        return []

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        known = run.state.get(self.name)
        if t.name != EVIDENCE or known is None or not {"table", "field"} <= set(df.columns):
            return []
        mine = df.filter(pl.col("table").is_in(known.get_column("table").unique().implode()) & pl.col("field").is_not_null())
        bad = mine.join(known, on=["table", "field"], how="anti")
        return self.hits(run, t, bad, "field", "{field!r} is not a column of {table}")


def _names(pkg: Package, name: str) -> list[str]:
    try:
        return pkg.schema(name).names
    except PackageError:
        return []


def _integer(cell: str | None) -> bool:
    return cell is not None and re.fullmatch(LEXICAL["integer"][0], cell) is not None


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
        q = df.select(ROW, "source_id", pl.col("quote").fill_null(""), "char_start", "char_end",
                      pl.col("char_start").cast(pl.Int64, strict=False).alias("s"),
                      pl.col("char_end").cast(pl.Int64, strict=False).alias("e"),
                      ).filter(pl.col("source_id").is_in(list(run.texts)))
        cast = pl.col("s").is_not_null() & pl.col("e").is_not_null()
        bad = []
        # Each distinct (source, offsets, quote) is checked once. A source with MANY of them in the
        # batch is checked in polars and only its failures go to quote_problem (a batch of 145k
        # distinct quotes: 44 ms, against 108 ms row by row); the others go to quote_problem row
        # by row (a polars query per source took ~0.7 ms: 13 s for a batch citing 20k sources).
        spans = q.filter(cast).select("source_id", "s", "e", "quote").unique()
        many = spans.group_by("source_id").len().filter(pl.col("len") >= MANY).get_column("source_id").implode()
        rows = list(spans.filter(~pl.col("source_id").is_in(many)).iter_rows())
        for (src,), part in spans.filter(pl.col("source_id").is_in(many)).partition_by("source_id", as_dict=True).items():
            seed = run.state.get((self.name, src)) or run.state.setdefault((self.name, src), _seed_bytes(run.texts[src]))
            rows += [(src, *r) for r in part.filter(~_spans_match(part, len(run.texts[src]), *seed)).select("s", "e", "quote").iter_rows()]
        for src, s, e, quote in rows:
            wrong = quote_problem(run.texts[src], s, e, quote)
            if wrong:
                bad.append((src, s, e, quote, *wrong))
        # An offset past Int64 is an integer (its type check passes) and outside any seed.
        past = [(i, *wrong) for i, src, s, e, quote in q.filter(~cast).select(ROW, "source_id", "char_start", "char_end", "quote").iter_rows()
                if _integer(s) and _integer(e) and (wrong := quote_problem(run.texts[src], int(s), int(e), quote))]
        b = pl.DataFrame(bad, schema={"source_id": pl.String, "s": pl.Int64, "e": pl.Int64, "quote": pl.String,
                                      "fld": pl.String, "msg": pl.String}, orient="row")
        hits = pl.concat([q.filter(cast).join(b, on=["source_id", "s", "e", "quote"]).select(ROW, "fld", "msg"),
                          pl.DataFrame(past, schema={ROW: q.schema[ROW], "fld": pl.String, "msg": pl.String}, orient="row")])
        return [p for fld in ("char_start", "char_end", "quote") for p in self.hits(run, t, hits.filter(pl.col("fld") == fld), fld)]

    def finish(self, run: Run, t: Table):
        if t.name == EVIDENCE:  # the seeds' bytes and character tables are dropped with it
            for key in [k for k in run.state if isinstance(k, tuple) and k[0] == self.name]:
                del run.state[key]
        return []


def _seed_bytes(text: str):
    """(the seed as UTF-8, the byte offset of each character and of the end; None if ASCII)."""
    import numpy as np

    data = text.encode("utf-8")
    if text.isascii():
        return data, None
    a = np.frombuffer(data, dtype=np.uint8)
    # a character starts at each byte that does not continue one (a seed is at most 2 MiB: int32)
    return data, np.append(np.flatnonzero((a & 0xC0) != 0x80), len(data)).astype(np.int32)


def _spans_match(part, n: int, data: bytes, starts):
    """Whether each row's quote is the seed's characters s..e (0 <= s < e <= n), as quote_problem
    decides, compared as bytes: polars' str.slice walks the characters up to the offset (15 s for a
    batch against a 1 MB seed), a byte offset does not."""
    import numpy as np
    import polars as pl

    s, e = part.get_column("s"), part.get_column("e")
    at = [np.clip(c.to_numpy(), 0, n) for c in (s, e)]
    if starts is not None:
        at = [starts[x] for x in at]
    got = pl.select(pl.lit(data, dtype=pl.Binary).bin.slice(pl.Series(at[0]), pl.Series(np.maximum(at[1] - at[0], 0)))).to_series()
    return ((s >= 0) & (s < e) & (e <= n) & (got == part.get_column("quote").cast(pl.Binary))).fill_null(False)


@register
class EvidenceLinks(Rule):
    """Every evidence row names a record that exists; every evidenced record has evidence.

    A cited table keeps no column for this: each of its batches gives the 96-bit hash of each
    record's id (index.py), and once it is read they make its Index. Evidence is read after every
    table it cites (unless a loop of foreign keys forbids it: see finish), so it is not kept: each
    batch's ids are looked up in each cited table's Index, in a thread beside the rules of the next
    batch, and the records found are flagged."""
    name = "evidence"
    needs = {EVIDENCE: ("table", "record_id")}

    def needed(self, pkg):
        return {**self.needs, **{n: _pk(pkg, n) for n in _cited(pkg)}}

    def after(self, pkg):
        return {EVIDENCE: set(_cited(pkg))}

    def start(self, run: Run, t: Table):
        pk = _pk(run.pkg, t.name)
        if t.name != EVIDENCE and t.name in _cited(run.pkg) and pk and pk[0] in t.schema.names:
            run.state[(self.name, "hashes", t.name)] = []  # a file of no records has no batch: its Index is empty
        return []

    def finish(self, run: Run, t: Table):
        """A cited table: its Index. Evidence: the records it never named. Whichever of the two is
        read second does the join: evidence comes last unless a loop of foreign keys leaves the
        tables in the descriptor's order, and then its rows citing a table not yet read are kept
        until that table is. Each Index is dropped once done, before evidence's other finish hooks."""
        if t.name == EVIDENCE:
            pool, pending = run.state.pop((self.name, "pool"), (None, []))
            out = [p for f in pending for p in f.result()]
            if pool is not None:
                pool.shutdown()
            return out + [p for name in _cited(run.pkg) if (self.name, name) in run.state for p in self._lacking(run, name)]
        self._index(run, t)
        out = []
        kept = run.state.pop((self.name, "later", t.name), [])  # dropped even if evidence was unsound
        if EVIDENCE in run.tables and (self.name, t.name) in run.state:  # evidence was read before t
            for mine in kept:
                out += self._look(run, run.tables[EVIDENCE], t.name, mine)
            out += self._lacking(run, t.name)
        return out

    def _index(self, run: Run, t: Table) -> None:
        import numpy as np
        import polars as pl

        from ..index import Index

        parts = run.state.pop((self.name, "hashes", t.name), None)
        if parts is not None:
            index = Index(pl.concat(parts) if parts else pl.DataFrame(schema={"h1": pl.UInt64, "h2": pl.UInt32}))
            run.state[(self.name, t.name)] = (index, np.zeros(len(index), dtype=bool))

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        from ..index import key_pair

        if t.name != EVIDENCE:
            if (self.name, "hashes", t.name) in run.state:  # batches come in file order
                run.state[(self.name, "hashes", t.name)].append(df.select(key_pair(_pk(run.pkg, t.name))))
            return []
        if not {"table", "record_id"} <= set(df.columns):
            return []
        ids = df.select(ROW, "table", "record_id")
        one = ids.height and ids.select(pl.col("table").eq_missing(pl.col("table").first()).all()).item()
        # evidence is usually in table order, so most batches cite one table: no partition to build
        parts = {(ids.item(0, "table"),): ids.drop("table")} if one else ids.partition_by("table", as_dict=True, include_key=False)
        later = run.order[run.order.index(EVIDENCE) + 1:] if EVIDENCE in run.order else []
        now = []
        for name in _cited(run.pkg):
            mine = parts.get((name,))
            if mine is None:
                continue
            if (self.name, name) in run.state:
                now.append((name, mine))
            elif name in later:
                run.state.setdefault((self.name, "later", name), []).append(mine)
        # The lookups run in a thread beside the next batch's rules, one batch at a time, in order
        # (each flags its records); at most two batches wait, and finish() collects what they found.
        pool, pending = run.state.setdefault((self.name, "pool"), (ThreadPoolExecutor(1, thread_name_prefix="spacecoop-evidence"), []))
        if len(pending) > 2:
            pending[-3].result()
        pending.append(pool.submit(lambda: [p for name, mine in now for p in self._look(run, t, name, mine)]))
        return []

    def end(self, run: Run):
        self.close(run)  # evidence was unsound: what its lookups found is dropped with it
        return []

    def close(self, run: Run):
        pool, _ = run.state.pop((self.name, "pool"), (None, []))
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        for key in [k for k in run.state if isinstance(k, tuple) and k[:2] == (self.name, "hashes")]:
            del run.state[key]  # a table found unsound is never finished

    def _look(self, run: Run, t: Table, name: str, mine):
        """Look evidence rows (ROW, record_id) citing table `name` up in its Index: each found flags
        its record; the rest are problems of evidence (t)."""
        import polars as pl

        from ..index import key_pair

        index, seen = run.state[(self.name, name)]
        at = index.find(mine.select(key_pair(["record_id"])))
        seen[at[at >= 0]] = True
        return self.hits(run, t, mine.filter(pl.Series(at < 0)), "record_id", f"record {{record_id!r}} does not exist in {name}")

    def _lacking(self, run: Run, name: str):
        """The records of a cited table that no evidence row names (a duplicated id, the unique
        check's line, has evidence if any of its rows has); its Index is dropped. Their rows are
        found again by hash, in the kept column or the file."""
        import polars as pl

        from ..index import key_pair

        index, seen = run.state.pop((self.name, name))
        lacking = index.unflagged(seen)
        if name == SOURCES or not lacking.height:
            return []
        t = run.tables[name]
        pk = _pk(run.pkg, name)[0]
        ids, unread = t.values([pk], lambda f: f.with_columns(key_pair([pk])).join(lacking.lazy(), on=["h1", "h2"], how="semi"))
        return unread + self.hits(run, t, ids.select(ROW, pl.col(pk).alias("record_id")), None, "record {record_id!r} has no evidence")
