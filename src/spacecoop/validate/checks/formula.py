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

        text = [f.name for f in t.schema.fields if f.type == "string"]
        starts = [pl.col(n).str.contains(formula.START).fill_null(False) for n in text]
        if not text or not df.select(pl.any_horizontal(*starts).any()).item():
            return []  # one pass over the batch; a plain signed number is told apart only where a cell starts so
        out = []
        for n, start in zip(text, starts):
            hits = df.filter(start & ~pl.col(n).str.contains(formula.NUMBER)).select(ROW, pl.col(n).alias("value"))
            out += self.hits(run, t, hits, n, lambda r: formula.message(r["value"]))
        return out
