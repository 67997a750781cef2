"""The vectorized engine: the Table Schema's types, constraints, primary and foreign keys as polars
expressions over string columns. Same wording as the pandera engine, one line per problem, rows as
a spreadsheet counts them. Used when a package is too large for frictionless-py's cell-by-cell pace.

Frames carry a `__row` column, the 0-based index of the record in its file, so that a batch of rows
(see streamed.py) reports the rows a spreadsheet shows.
"""
from __future__ import annotations

from ..tableschema import Field
from .problems import Problem
from .tables import Table

MAX_PER_CHECK = 20  # rows listed per (table, field, check) before one "and N more" line
ENGINE = "polars"

_INT = r"^[+-]?[0-9]+$"
_NUM = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:NaN|INF|-INF)$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_YEAR = r"^[0-9]{4}$"
_BOOL = ("true", "false", "True", "False", "TRUE", "FALSE", "1", "0")


def _field_checks(f: Field):
    """(check name, message after the value, polars expression that is True where a non-empty cell fails)."""
    import polars as pl

    c = pl.col(f.name)
    out = []
    if f.type == "integer":
        out.append(("type", "is not an integer", ~c.str.contains(_INT)))
        ok_int = c.str.contains(_INT)
        as_int = pl.when(ok_int).then(c.str.strip_prefix("+").cast(pl.Int64, strict=False))
        if f.minimum is not None:
            out.append(("minimum", f"is less than the minimum {f.minimum}", as_int < f.minimum))
        if f.maximum is not None:
            out.append(("maximum", f"is more than the maximum {f.maximum}", as_int > f.maximum))
    elif f.type == "number":
        out.append(("type", "is not a number", ~c.str.contains(_NUM)))
    elif f.type == "date":
        out.append(("type", "is not a real date (YYYY-MM-DD)",
                    ~c.str.contains(_DATE) | c.str.to_date("%Y-%m-%d", strict=False).is_null()))
    elif f.type == "year":
        out.append(("type", "is not a year", ~c.str.contains(_YEAR)))
    elif f.type == "boolean":
        out.append(("type", "is not a boolean", ~c.is_in(_BOOL)))
    if f.enum is not None:
        out.append(("enum", f"is not one of {', '.join(f.enum)}", ~c.is_in(list(f.enum))))
    if f.pattern:
        out.append(("pattern", f"does not match the pattern {f.pattern}", ~c.str.contains(f"^(?:{f.pattern})$")))
    return out


def _report(table: Table, hits, fld: str | None, check: str, message) -> list[Problem]:
    """hits: a frame with 'row' (0-based) and 'value'; message(value) -> text."""
    out = []
    n = hits.height
    for r in hits.head(MAX_PER_CHECK).iter_rows(named=True):
        out.append(Problem(table.file, message(r), table=table.name, row=r["row"] + 2, field=fld, check=check, engines=[ENGINE]))
    if n > MAX_PER_CHECK:
        out.append(Problem(table.file, f"and {n - MAX_PER_CHECK} more rows fail the same check", table=table.name,
                           field=fld, check=check, engines=[ENGINE]))
    return out


def key_columns(table: Table) -> list[tuple[str, ...]]:
    """The keys that must be unique: each unique field, and the primary key."""
    keys = [(f.name,) for f in table.schema.fields if f.unique]
    pk = tuple(table.schema.primary_key)
    if pk and pk not in keys:
        keys.append(pk)
    return keys


def check_rows(table: Table, df) -> list[Problem]:
    """Types and constraints of every field, in one pass over df (a table or a batch of it)."""
    import polars as pl

    out: list[Problem] = []
    exprs, specs = [], []
    for f in table.schema.fields:
        c = pl.col(f.name)
        if f.required:
            exprs.append(c.is_null().alias(f"\0{len(specs)}"))
            specs.append((f.name, "required", "is empty but required"))
        for name, msg, bad in _field_checks(f):
            exprs.append((c.is_not_null() & bad).fill_null(False).alias(f"\0{len(specs)}"))
            specs.append((f.name, name, msg))
    if not exprs:
        return out
    flags = [f"\0{i}" for i in range(len(specs))]
    bad = df.with_columns(*exprs).filter(pl.any_horizontal(*flags))
    if not bad.height:
        return out
    for i, (fld, name, msg) in enumerate(specs):
        hits = bad.filter(pl.col(flags[i])).select(pl.col("__row").alias("row"), pl.col(fld).alias("value"))
        if hits.height:
            if name == "required":
                out += _report(table, hits, fld, name, lambda r, m=msg: m)
            else:
                out += _report(table, hits, fld, name, lambda r, m=msg: f"{r['value']!r} {m}")
    return out


def duplicates(table: Table, df, key: tuple[str, ...]) -> list[Problem]:
    """Every row whose key was already seen, naming the row where it was first seen."""
    import polars as pl

    if any(k not in df.columns for k in key):
        return []
    cols = [pl.col(k) for k in key]
    sub = df.select("__row", *cols).filter(pl.all_horizontal(c.is_not_null() for c in cols))
    dup = sub.filter((cols[0] if len(cols) == 1 else pl.struct(*cols)).is_duplicated())
    if not dup.height:
        return []
    first = dup.group_by(list(key)).agg(pl.col("__row").min().alias("first"))
    later = dup.join(first, on=list(key), how="inner", nulls_equal=False).filter(pl.col("__row") != pl.col("first"))
    later = later.sort("__row").rename({"__row": "row"})
    if len(key) == 1:
        return _report(table, later, key[0], "unique",
                       lambda r: f"{r[key[0]]!r} is not unique (first at row {r['first'] + 2})")
    return _report(table, later, None, "unique",
                   lambda r: f"primary key ({', '.join(key)}) = ({', '.join(repr(r[k]) for k in key)}) is not unique (first at row {r['first'] + 2})")


def foreign_keys(t: Table) -> list[tuple[list[str], list[str], str]]:
    """(fields, referenced fields, referenced table) of each usable foreign key of t."""
    out = []
    for fk in t.schema.foreign_keys:
        fields = fk.get("fields")
        ref = fk.get("reference") or {}
        fields = [fields] if isinstance(fields, str) else list(fields or [])
        rfields = ref.get("fields")
        rfields = [rfields] if isinstance(rfields, str) else list(rfields or [])
        if len(fields) == len(rfields) and fields:
            out.append((fields, rfields, ref.get("resource") or t.name))
    return out


def parent_keys(parent: Table, fields: list[str], rfields: list[str]):
    """The distinct values of the referenced fields, named as the child's fields; None if not kept."""
    import polars as pl

    if any(f not in parent.frame.columns for f in rfields):
        return None
    return parent.frame.select([pl.col(r).cast(pl.String).alias(f) for f, r in zip(fields, rfields)]).unique()


def dangling(t: Table, df, fields: list[str], rfields: list[str], target: str, keys) -> list[Problem]:
    """Rows of df (a table or a batch, with __row) whose foreign key (all fields non-empty) is not in keys."""
    import polars as pl

    if any(f not in df.columns for f in fields):
        return []
    child = df.select(pl.col("__row").alias("row"), *[pl.col(f).cast(pl.String) for f in fields])
    child = child.filter(pl.all_horizontal(pl.col(f).is_not_null() for f in fields))
    hits = child.join(keys, on=fields, how="anti").sort("row")
    return _report(t, hits, ", ".join(fields), "foreign-key",
                   lambda r: f"{', '.join(repr(r[f]) for f in fields)} is not a {', '.join(rfields)} in {target} (dangling foreign key)")


def check_foreign_keys(tables: dict[str, Table], skip=()) -> list[Problem]:
    """Each foreign key value (all its fields non-empty) exists in the referenced table's fields.
    skip: (table, target) pairs already checked batch by batch."""
    out: list[Problem] = []
    for t in tables.values():
        for fields, rfields, target in foreign_keys(t):
            parent = tables.get(target)
            if parent is None or (t.name, target) in skip:
                continue
            keys = parent_keys(parent, fields, rfields)
            if keys is not None:
                out += dangling(t, t.frame, fields, rfields, target, keys)
    return out
