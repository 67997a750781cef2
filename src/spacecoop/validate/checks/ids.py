"""Identifiers: link ids are derived from their keys, and a removed id is never used again."""
from __future__ import annotations

from ...model.ids import SLUG, slug_expr
from ...model import PackageError
from ..table import ROW, Table
from . import Rule, Run, register

ERRATA = "errata"
ERRATA_COLUMNS = ("table", "record_id", "removed_in")


@register
class LinkIds(Rule):
    """A table whose first column is link_id: it is the slugs of every later column, joined by '~'."""
    name = "link-id"

    @staticmethod
    def _parts(t: Table) -> list[str]:
        names = t.schema.names
        return names[1:] if names and names[0] == "link_id" else []

    def probe(self, run: Run, t: Table):
        """Rows whose keys are all given and are not already slugs joined to the link_id: only
        these need slug_expr, whose lower/replace/strip over every row was the dearest check of a
        large package."""
        import polars as pl

        parts = self._parts(t)
        if not parts:
            return pl.lit(False)
        plain = pl.all_horizontal(pl.col(p).str.contains(SLUG) for p in parts)
        given = pl.all_horizontal(pl.col(p).is_not_null() for p in parts)
        return given & ~(plain & (pl.col("link_id") == pl.concat_str(parts, separator="~"))).fill_null(True)

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        parts = self._parts(t)
        if not parts:
            return []
        want = pl.concat_str([slug_expr(pl.col(p)) for p in parts], separator="~")
        hits = (df.filter(self.probe(run, t)).select(ROW, "link_id", want.alias("want"))
                .filter(pl.col("link_id").ne_missing(pl.col("want"))))
        return self.hits(run, t, hits, "link_id",
                         lambda r: f"link_id {r['link_id'] or ''!r} should be {r['want']!r} (derived from {', '.join(parts)})")


@register
class Errata(Rule):
    name = "errata"
    needs = {ERRATA: ERRATA_COLUMNS}
    message = "id {record_id!r} was removed in {removed_in} but is in {table} again: ids are never reused"

    def needed(self, pkg):
        try:
            named = pkg.schema(ERRATA).field("table").enum or ()
        except (PackageError, KeyError):
            named = ()
        return {**self.needs, **{t: () for t in named}}

    def keep(self, run: Run):
        # The ids of the tables errata may name (its `table` vocabulary, else every table).
        try:
            named = run.pkg.schema(ERRATA).field("table").enum or run.order
        except (PackageError, KeyError):
            named = run.order
        out = {}
        for name in set(named) & set(run.order):
            try:
                out[name] = run.pkg.schema(name).primary_key[:1]
            except PackageError:
                pass
        out[ERRATA] = out.get(ERRATA, ()) + ERRATA_COLUMNS
        return out

    def end(self, run: Run):
        import polars as pl

        er = run.tables.get(ERRATA)
        if er is None or not set(ERRATA_COLUMNS) <= set(er.frame.columns):
            return []
        out = []
        for name in er.frame.get_column("table").drop_nulls().unique().sort().to_list():
            t = run.tables.get(name)
            pk = t.schema.primary_key[:1] if t is not None else ()
            if not pk or pk[0] not in t.frame.columns:
                continue
            ids = t.frame.select(pl.col(pk[0]).alias("record_id"))
            out += self.hits(run, er, er.frame.filter(pl.col("table") == name).join(ids, on="record_id", how="semi"), "record_id")
        return out
