"""Text cells a spreadsheet would run as a formula (see spacecoop.formula)."""
from __future__ import annotations

from ... import formula
from ..table import ROW, Table
from . import Rule, Run, register


@register
class Formulas(Rule):
    name = "formula"

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        out = []
        for f in t.schema.fields:
            if f.type != "string":
                continue
            c = pl.col(f.name)
            hits = df.filter((c.str.contains(formula.START) & ~c.str.contains(formula.NUMBER)).fill_null(False))
            out += self.hits(run, t, hits.select(ROW, c.alias("value")), f.name, lambda r: formula.message(r["value"]))
        return out
