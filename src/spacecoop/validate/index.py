"""An index of a table's keys by a 96-bit hash (two independent hashes, of 64 and 32 bits), sorted:
12 bytes a row. Neither the key nor its row is kept: the few rows an error names are found again
by hash. A link table's id, kept as text for the index before, took ~54 bytes a row in memory (3M
ids: 162 MB), and was kept for nothing else.

Two keys are taken to be the same when both hashes agree: with per-run random seeds, a key that is
not in a table of 10M keys matches one of them by chance with probability 10M / 2^96 (1e-22).
A batch looks its keys up by binary search on the first hash, its own hashes sorted first so the
searches walk the index in order (3x faster than at random); a first hash shared by several keys
is searched again on the second."""
from __future__ import annotations

import secrets

from .table import collect

SEED, SEED2 = secrets.randbits(63), secrets.randbits(63)  # per run: collisions cannot be planned


def key_hash(columns, seed: int = SEED):
    """A polars expression: each row's 64-bit hash of the columns (a key of one or more), null
    where a column is null (a key not given is neither equal to another nor found)."""
    import polars as pl

    expr = pl.col(columns[0]) if len(columns) == 1 else pl.struct(*columns)
    return pl.when(pl.all_horizontal(pl.col(c).is_not_null() for c in columns)).then(expr.hash(seed))


def key_pair(columns) -> list:
    """Polars expressions h1, h2: two independent hashes of each row's key (64 and 32 bits), null
    where a column is null."""
    import polars as pl

    return [key_hash(columns, SEED).alias("h1"), (key_hash(columns, SEED2) & 0xFFFFFFFF).cast(pl.UInt32).alias("h2")]


class Index:
    def __init__(self, pairs):
        """pairs: a polars frame of h1, h2 (key_pair) in row order; a row with a null is left out."""
        import polars as pl

        f = collect(pairs.lazy().drop_nulls().sort("h1", "h2"), pairs.height)  # one query
        # copies, owned by numpy: an index lives to the end, and kept in polars' buffers it held
        # pages among those the batches free
        self.h1, self.h2 = (f.get_column(c).to_numpy().copy() for c in ("h1", "h2"))

    def __len__(self) -> int:
        return len(self.h1)

    def find(self, pairs):
        """The position (in the index's order) of each wanted pair, the first of its repeats, -1
        where it is not there or has a null (numpy int64). pairs: a polars frame of h1, h2."""
        import numpy as np
        import polars as pl

        out = np.full(pairs.height, -1, dtype=np.int64)
        given = np.flatnonzero(pairs.select(pl.all_horizontal(pl.all().is_not_null())).to_series().to_numpy())
        if not len(self) or not len(given):
            return out
        w = pairs[pl.Series(given)]
        h1, h2 = w.get_column("h1").to_numpy(), w.get_column("h2").to_numpy()
        k = pl.Series(h1).arg_sort().to_numpy()
        p = np.minimum(np.searchsorted(self.h1, h1[k]), len(self) - 1)
        first = self.h1[p] == h1[k]
        same = first & (self.h2[p] == h2[k])
        out[given[k[same]]] = p[same]
        for i in np.flatnonzero(first & ~same):  # the first hash of another key too: search its run
            end = np.searchsorted(self.h1, h1[k[i]], side="right")
            q = p[i] + np.searchsorted(self.h2[p[i]:end], h2[k[i]])
            if q < end and self.h2[q] == h2[k[i]]:
                out[given[k[i]]] = q
        return out

    def unflagged(self, flags):
        """The pairs (a polars frame of h1, h2) whose first position is not flagged (flags: a bool per position)."""
        import numpy as np
        import polars as pl

        first = np.ones(len(self), dtype=bool)
        first[1:] = (self.h1[1:] != self.h1[:-1]) | (self.h2[1:] != self.h2[:-1])
        at = np.flatnonzero(first & ~flags)
        return pl.DataFrame({"h1": self.h1[at], "h2": self.h2[at]}, schema={"h1": pl.UInt64, "h2": pl.UInt32})
