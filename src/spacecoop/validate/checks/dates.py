"""Date groups (X, X_earliest, X_latest, X_precision, X_basis, X_reference_id): the group agrees
with its precision (dates.check_group). A stage dated before an earlier one (ratified before it was
signed) is the milestones rule's business (codebook.MilestoneStages)."""
from __future__ import annotations

from datetime import date

from ... import dates
from ..table import ROW, Table
from . import Rule, Run, register


def _day(s) -> date | None:
    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _as_date(c):
    return c.str.to_date("%Y-%m-%d", strict=False)


@register
class DateGroups(Rule):
    """dates.check_group once per distinct group of values, traced back to the rows holding it.
    Only whether reference_id and notes are given matters, so only that is compared."""
    name = "date"
    message = "{msg}"

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        out = []
        notes = pl.col("notes").is_not_null() if "notes" in df.columns else pl.lit(False)
        for g in t.schema.date_groups:
            cols = [g, g + "_earliest", g + "_latest", g + "_precision", g + "_basis"]
            sub = df.select(ROW, *cols, pl.col(g + "_reference_id").is_not_null().alias("__ref"), notes.alias("__notes"))
            # A group whose earliest/latest is not a real date is a type error, reported by pandera.
            real = pl.all_horizontal(pl.col(c).is_null() | _as_date(pl.col(c)).is_not_null() for c in cols[1:3])
            sub = sub.filter(real & (pl.any_horizontal(pl.col(c).is_not_null() for c in cols) | pl.col("__ref")))
            keys = cols + ["__ref", "__notes"]
            bad = []
            for vals in sub.select(keys).unique().iter_rows():
                v, lo, hi, prec, basis, has_ref, has_notes = vals
                for suffix, msg in dates.check_group(v, _day(lo), _day(hi), prec, basis, "x" if has_ref else None, "x" if has_notes else ""):
                    bad.append((*vals, suffix, msg))
            if not bad:
                continue
            schema = {c: pl.String for c in cols} | {"__ref": pl.Boolean, "__notes": pl.Boolean, "suffix": pl.String, "msg": pl.String}
            hits = sub.join(pl.DataFrame(bad, schema=schema, orient="row"), on=keys, nulls_equal=True)
            for suffix in sorted(set(hits.get_column("suffix").to_list())):
                out += self.hits(run, t, hits.filter(pl.col("suffix") == suffix), g + suffix)
        return out
