"""Text cells a spreadsheet would run as a formula (see spacecoop.formula)."""
from __future__ import annotations

from ... import formula
from ..table import ROW, Table
from . import Rule, Run, register


@register
class Formulas(Rule):
    name = "formula"

    @staticmethod
    def _cells(t: Table):
        """(column, expression true where its cell would run as a formula), for each text column."""
        import polars as pl

        return [(f.name, pl.col(f.name).str.contains(formula.START) & ~pl.col(f.name).str.contains(formula.NUMBER))
                for f in t.schema.fields if f.type == "string"]

    def probe(self, run: Run, t: Table):
        """A text cell starting so: a plain signed number is told apart only in batch()."""
        import polars as pl

        text = [n for n, _ in self._cells(t)]
        return pl.any_horizontal(pl.col(n).str.contains(formula.START) for n in text) if text else pl.lit(False)

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        out = []
        for n, bad in self._cells(t):
            hits = df.filter(bad.fill_null(False)).select(ROW, pl.col(n).alias("value"))
            out += self.hits(run, t, hits, n, lambda r: formula.message(r["value"]))
        return out
