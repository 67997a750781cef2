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
    """A removed id is not in its table again. Errata is read before the tables it names, so each
    of their batches looks its ids up among errata's (the probe, in the batch's one query) and no
    column is kept; a table read before errata (a loop of foreign keys) keeps its ids for end()."""
    name = "errata"
    needs = {ERRATA: ERRATA_COLUMNS}
    message = "id {record_id!r} was removed in {removed_in} but is in {table} again: ids are never reused"

    def needed(self, pkg):
        return {**self.needs, **{t: () for t in self._named(pkg, ())}}

    @staticmethod
    def _named(pkg, default) -> list[str]:
        """The tables errata may name: its `table` vocabulary, else `default`."""
        try:
            return list(pkg.schema(ERRATA).field("table").enum or default)
        except (PackageError, KeyError):
            return list(default)

    def after(self, pkg):
        return {t: {ERRATA} for t in self._named(pkg, pkg.table_names()) if t != ERRATA}

    def keep(self, run: Run):
        before = run.order[:run.order.index(ERRATA)] if ERRATA in run.order else run.order
        out = {}
        for name in set(self._named(run.pkg, run.order)) & set(before):
            try:
                out[name] = run.pkg.schema(name).primary_key[:1]
            except PackageError:
                pass
        out[ERRATA] = out.get(ERRATA, ()) + ERRATA_COLUMNS
        return out

    def _ids(self, run: Run, t: Table):
        """(t's id column, the ids errata names in t) for a table read after errata, else None."""
        ids = run.state.get((self.name, "ids"), {}).get(t.name)
        return (t.schema.primary_key[0], ids) if ids and t.schema.primary_key else None

    def probe(self, run: Run, t: Table):
        import polars as pl

        if t.name == ERRATA:
            return None
        got = self._ids(run, t)
        return pl.col(got[0]).is_in(got[1]) if got and got[0] in t.schema.names else pl.lit(False)

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        if t.name == ERRATA:
            if set(ERRATA_COLUMNS) <= set(df.columns):
                ids = run.state.setdefault((self.name, "ids"), {})
                for (name,), part in df.filter(pl.col("table").is_not_null()).partition_by("table", as_dict=True).items():
                    ids.setdefault(name, []).extend(part.get_column("record_id").drop_nulls().to_list())
            return []
        got = self._ids(run, t)
        if got and got[0] in df.columns:
            run.state.setdefault((self.name, "found", t.name), set()).update(df.filter(pl.col(got[0]).is_in(got[1])).get_column(got[0]).to_list())
        return []

    def end(self, run: Run):
        import polars as pl

        er = run.tables.get(ERRATA)
        if er is None or not set(ERRATA_COLUMNS) <= set(er.frame.columns):
            return []
        out = []
        for name in er.frame.get_column("table").drop_nulls().unique().sort().to_list():
            t = run.tables.get(name)
            if t is None:  # not read, or unsound: what its batches found is dropped
                continue
            pk = t.schema.primary_key[:1]
            if (self.name, "found", name) in run.state:
                found = pl.Series(sorted(run.state[(self.name, "found", name)]), dtype=pl.String)
            elif pk and pk[0] in t.frame.columns:
                found = t.frame.get_column(pk[0]).cast(pl.String)
            else:
                continue
            out += self.hits(run, er, er.frame.filter((pl.col("table") == name) & pl.col("record_id").is_in(found.implode())), "record_id")
        return out
