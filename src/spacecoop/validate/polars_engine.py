"""The vectorized engine: the Table Schema's types, constraints, primary and foreign keys as polars
expressions over string columns. Same wording as the pandera engine, one line per problem, rows as
a spreadsheet counts them. Used when a package is too large for frictionless-py's cell-by-cell pace.
"""
from __future__ import annotations

from ..tableschema import Field, Schema
from .csvscan import scan_csv
from .package import Package, safe_path
from .problems import Problem
from .tables import Table, header_problem, read_header

MAX_PER_CHECK = 20  # rows listed per (table, field, check) before one "and N more" line
ENGINE = "polars"

_INT = r"^[+-]?[0-9]+$"
_NUM = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:NaN|INF|-INF)$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_YEAR = r"^[0-9]{4}$"
_BOOL = ("true", "false", "True", "False", "TRUE", "FALSE", "1", "0")


def read_table(pkg: Package, res: dict, schema: Schema) -> tuple[Table | None, list[Problem]]:
    """Scan the file in bounded memory, check its header, then read every cell as a string (empty -> null)."""
    import polars as pl

    name = res.get("name", "?")
    path, prob = safe_path(pkg, res.get("path"), f"resource {name}")
    if prob:
        return None, [prob]
    file = res["path"]
    if not path.is_file():
        return None, [Problem(file, "file does not exist", table=name, check="file")]
    scan = scan_csv(path, file, name, schema.names)
    if any(p.check in ("limit", "encoding") for p in scan.problems):
        return None, scan.problems
    prob = header_problem(file, name, read_header(path), schema)
    if prob:
        return None, [prob]
    if scan.problems:
        return None, scan.problems
    try:
        frame = pl.read_csv(path, infer_schema=False, has_header=True, quote_char='"', encoding="utf8",
                            raise_if_empty=False)
    except Exception as e:  # polars raises ComputeError and others on what the scan let through
        return None, [Problem(file, f"CSV cannot be parsed: {str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}", table=name, check="csv")]
    if frame.height != scan.records:
        return None, [Problem(file, f"CSV cannot be parsed: read {frame.height} rows where the file has {scan.records}", table=name, check="csv")]
    return Table(name, file, path, schema, frame, res), []


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


def check(table: Table) -> list[Problem]:
    """Types and constraints of every field, uniqueness and the primary key, in one pass per table."""
    import polars as pl

    df = table.frame.with_row_index("__row")
    out: list[Problem] = []
    exprs, specs = [], []
    for f in table.schema.fields:
        c = pl.col(f.name)
        if f.required:
            exprs.append(c.is_null().alias(f"__{len(specs)}"))
            specs.append((f.name, "required", "is empty but required"))
        for name, msg, bad in _field_checks(f):
            exprs.append((c.is_not_null() & bad).fill_null(False).alias(f"__{len(specs)}"))
            specs.append((f.name, name, msg))
    if exprs:
        flags = df.select(pl.col("__row"), *exprs)
        any_bad = flags.select(pl.any_horizontal(pl.exclude("__row")).any()).item() if len(exprs) else False
        if any_bad:
            for i, (fld, name, msg) in enumerate(specs):
                hits = flags.filter(pl.col(f"__{i}")).select(pl.col("__row").alias("row"))
                if hits.height:
                    hits = hits.join(df.select(pl.col("__row").alias("row"), pl.col(fld).alias("value")), on="row", how="left")
                    if name == "required":
                        out += _report(table, hits, fld, name, lambda r, m=msg: m)
                    else:
                        out += _report(table, hits, fld, name, lambda r, m=msg: f"{r['value']!r} {m}")
    keys = [(f.name,) for f in table.schema.fields if f.unique]
    pk = tuple(table.schema.primary_key)
    if pk and pk not in keys:
        keys.append(pk)
    for key in keys:
        out += _duplicates(table, df, key)
    return out


def _duplicates(table: Table, df, key: tuple[str, ...]) -> list[Problem]:
    """Every row whose key was already seen, naming the row where it was first seen."""
    import polars as pl

    if any(k not in df.columns for k in key):
        return []
    cols = [pl.col(k) for k in key]
    sub = df.select("__row", *cols).filter(pl.all_horizontal(c.is_not_null() for c in cols))
    dup = sub.filter(pl.struct(*cols).is_duplicated())
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


def check_foreign_keys(tables: dict[str, Table]) -> list[Problem]:
    """Each foreign key value (all its fields non-empty) exists in the referenced table's fields."""
    import polars as pl

    out: list[Problem] = []
    for t in tables.values():
        for fk in t.schema.foreign_keys:
            fields = fk.get("fields")
            ref = fk.get("reference") or {}
            fields = [fields] if isinstance(fields, str) else list(fields or [])
            rfields = ref.get("fields")
            rfields = [rfields] if isinstance(rfields, str) else list(rfields or [])
            target = ref.get("resource") or t.name
            parent = tables.get(target)
            if parent is None or len(fields) != len(rfields) or not fields:
                continue
            if any(f not in t.frame.columns for f in fields) or any(f not in parent.frame.columns for f in rfields):
                continue
            child = t.frame.select([pl.col(f) for f in fields]).with_row_index("row")
            child = child.filter(pl.all_horizontal(pl.col(f).is_not_null() for f in fields))
            keys = parent.frame.select([pl.col(r).alias(f) for f, r in zip(fields, rfields)]).unique()
            dangling = child.join(keys, on=fields, how="anti").sort("row")
            out += _report(t, dangling, ", ".join(fields), "foreign-key",
                           lambda r: f"{', '.join(repr(r[f]) for f in fields)} is not a {', '.join(rfields)} in {target} (dangling foreign key)")
    return out
