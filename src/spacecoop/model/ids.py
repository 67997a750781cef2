"""Derived identifiers: a slug, and a link row's id from its keys. The build derives them; the
validator checks them over whole columns with slug_expr, the same rule as a polars expression."""
from __future__ import annotations

import re

SLUG_RUN = r"[^a-z0-9]+"  # a run of characters a slug leaves out; it becomes one '-'
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # a value slug() leaves as it is


def slug(text: str) -> str:
    """Lower case, each run of other characters to '-', trimmed; 'x' if nothing is left."""
    return re.sub(SLUG_RUN, "-", text.lower()).strip("-") or "x"


def slug_expr(c):
    """slug() as a polars expression, for the validator: the same rule over a column."""
    import polars as pl

    s = c.str.to_lowercase().str.replace_all(SLUG_RUN, "-").str.strip_chars("-")
    return pl.when(s == "").then(pl.lit("x")).otherwise(s)


def link_id(*parts: str) -> str:
    return "~".join(slug(p) for p in parts)
