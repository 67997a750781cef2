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
        """A text cell starting so, a plain signed number told apart only in batch(). Compared as
        text, not by the START regex (half the time, on every text cell of every batch): a cell
        starts with c if c <= cell < the next character; close prefixes share one range, so it
        may hold on a cell starting with ',' or '?' too, which batch() then clears."""
        import polars as pl

        text = [n for n, _ in self._cells(t)]
        return pl.any_horizontal(((pl.col(n) >= lo) & (pl.col(n) < hi)) for n in text for lo, hi in _ranges(formula.PREFIXES)) if text else pl.lit(False)

    def batch(self, run: Run, t: Table, df):
        import polars as pl

        out = []
        for n, bad in self._cells(t):
            hits = df.filter(bad.fill_null(False)).select(ROW, pl.col(n).alias("value"))
            out += self.hits(run, t, hits, n, lambda r: formula.message(r["value"]))
        return out


def _ranges(prefixes, slack: int = 3) -> list[tuple[str, str]]:
    """[lo, hi) text ranges holding every string that starts with one of the (one-character)
    prefixes: characters at most slack apart share one range ('+', '-' -> ['+', '.'))."""
    runs: list[list[int]] = []
    for c in sorted(ord(p) for p in prefixes):
        if runs and c - runs[-1][1] <= slack:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return [(chr(lo), chr(hi + 1)) for lo, hi in runs]
