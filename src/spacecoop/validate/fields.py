"""Field-level checks as a pandera (polars) schema derived from a Table Schema: types, constraints,
vocabularies, patterns, required and unique. Cells are text, as read from the CSV (empty is null).

`schema(table)` (exported as `spacecoop.schema`) is the schema the validator runs on each batch,
so a user can check a frame of their own with exactly the package's checks.
"""
from __future__ import annotations

from functools import lru_cache

from ..model import Field, Schema
from .problems import Problem

_INT = r"^[+-]?[0-9]+$"
_NUM = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:NaN|INF|-INF)$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_YEAR = r"^[0-9]{4}$"
_BOOL = ("true", "false", "True", "False", "TRUE", "FALSE", "1", "0")
REQUIRED, UNIQUE = "is empty but required", "is not unique"
# The package's lexical forms, one regular expression per type (Table Schema's, ASCII): the polars
# checks below use them, and so does the frictionless engine (frictionless_engine.Lexical), which
# would otherwise accept what Python's int(), Decimal and strptime accept (non-ASCII digits, spaces).
LEXICAL = {"integer": (_INT, "is not an integer"), "number": (_NUM, "is not a number"),
           "date": (_DATE, "is not a real date (YYYY-MM-DD)"), "year": (_YEAR, "is not a year")}
CELLS = 1 << 19  # cells pandera checks at a time: its failure cases cost ~1 KiB each


def _ok(f: Field) -> list[tuple[str, str, object]]:
    """(check name, message after the value, polars expression true where a cell passes)."""
    import polars as pl

    c = pl.col(f.name)
    out: list[tuple[str, str, object]] = []
    if f.type == "integer":
        lexical = c.str.contains(_INT)
        out.append(("type", LEXICAL["integer"][1], lexical))
        # polars' cast takes exactly the lexical forms (a '+' too) within Int64, and gives null on
        # the rest. A cell past Int64 is compared by its sign and digits, exactly (as floats, 2**63
        # and 2**63 + 1 are one number). A cell that is not an integer is the type check's alone.
        as_int = c.cast(pl.Int64, strict=False)
        past = as_int.is_null() & lexical
        if f.minimum is not None:
            out.append(("minimum", f"is less than the minimum {f.minimum}", ~(_past_bound(as_int, f.minimum, above=False) | (past & _beyond(c, f.minimum, above=False)))))
        if f.maximum is not None:
            out.append(("maximum", f"is more than the maximum {f.maximum}", ~(_past_bound(as_int, f.maximum, above=True) | (past & _beyond(c, f.maximum, above=True)))))
    elif f.type == "number":
        out.append(("type", LEXICAL["number"][1], c.str.contains(_NUM)))
    elif f.type == "date":
        out.append(("type", LEXICAL["date"][1], c.str.contains(_DATE) & c.str.to_date("%Y-%m-%d", strict=False).is_not_null()))
    elif f.type == "year":
        out.append(("type", LEXICAL["year"][1], c.str.contains(_YEAR)))
    elif f.type == "boolean":
        out.append(("type", "is not a boolean", c.is_in(_BOOL)))
    if isinstance(f.min_length, int) and not isinstance(f.min_length, bool):
        out.append(("minLength", f"is shorter than the minimum length {f.min_length}", c.str.len_chars() >= f.min_length))
    if isinstance(f.max_length, int) and not isinstance(f.max_length, bool):
        out.append(("maxLength", f"is longer than the maximum length {f.max_length}", c.str.len_chars() <= f.max_length))
    if f.enum is not None:
        out.append(("enum", f"is not one of {', '.join(f.enum)}", c.is_in(list(f.enum))))
    if f.pattern:
        out.append(("pattern", f"does not match the pattern {f.pattern}", c.str.contains(f"^(?:{f.pattern})$")))
    return out


def _past_bound(as_int, bound: int, above: bool):
    """Whether each Int64 cell is above (or below) bound; a bound past Int64 (polars cannot hold one
    past Int128) has every cell on one side of it."""
    import polars as pl

    if -(1 << 63) <= bound < (1 << 63):
        return as_int > bound if above else as_int < bound
    return as_int.is_not_null() if (bound < 0) == above else pl.lit(False)


def _beyond(c, bound: int, above: bool):
    """Whether each lexical integer cell (not zero) is above (or below) bound, by its sign and the
    digits of its magnitude: more digits is larger, and equal lengths compare as text."""
    import polars as pl

    neg = c.str.starts_with("-")
    digits = c.str.strip_chars_start("+-").str.strip_chars_start("0")
    b = str(abs(bound)).lstrip("0")
    n = digits.str.len_bytes()
    more = (n > len(b)) | ((n == len(b)) & (digits > pl.lit(b)))
    less = (n < len(b)) | ((n == len(b)) & (digits < pl.lit(b)))
    if above:  # cell > bound
        return (~neg & more) if bound >= 0 else (~neg | less)
    return (neg | less) if bound >= 0 else (neg & more)  # cell < bound


@lru_cache(maxsize=None)
def bad_pattern(pattern: str | None) -> str | None:
    """Why polars (Rust regex: linear time, no lookaround or backreferences) cannot use the pattern."""
    import polars as pl

    if not pattern:
        return None
    try:
        pl.Series([""], dtype=pl.String).str.contains(f"^(?:{pattern})$")
    except Exception as e:  # polars raises ComputeError for a pattern it cannot compile
        return str(e).strip().splitlines()[0]
    return None


def pandera_schema(s: Schema, unique: bool = True):
    """The pandera.polars DataFrameSchema of a Table Schema. unique=False leaves uniqueness out
    (the validator checks it over the whole table, not one batch)."""
    import pandera.polars as pa
    import polars as pl

    def check(f, name, message, ok):
        # A check passes on an empty cell (emptiness is the `required` check's business), and a
        # bound on a cell that is not a number (the type check's).
        ok = (pl.col(f.name).is_null() | ok).fill_null(True)
        return pa.Check(lambda data, ok=ok: data.lazyframe.select(ok), name=name, error=message)

    cols = {f.name: pa.Column(pl.String, nullable=not f.required, unique=unique and f.unique, name=f.name,
                              checks=[check(f, *c) for c in _ok(f) if not (c[0] == "pattern" and bad_pattern(f.pattern))])
            for f in s.fields}
    pk = list(s.primary_key) if unique and len(s.primary_key) > 1 else None
    return pa.DataFrameSchema(cols, strict=True, ordered=True, name=s.table, unique=pk)


def schema(table: str, package=None):
    """The pandera (polars) schema the validator uses for a table of the package (default: this one).

    Check a frame read as text: schema("agreements").validate(pl.read_csv(path, infer_schema=False))."""
    from ..model import open_package
    from ..paths import default_package_dir

    return pandera_schema(open_package(package or default_package_dir()).schema(table))


def verdicts(s: Schema) -> dict:
    """Per column, one polars expression true where its cell passes every field check that
    pandera_schema() makes (unique aside), from the same expressions (_ok), or a stricter one
    that is cheaper (a failing cell goes to pandera, which decides). The validator asks all
    of them, with the rules' probes, in one query per batch: a batch that passes never reaches
    pandera, whose lazy validation collects once per check (~70 per table)."""
    import polars as pl

    def fast(f: Field, name: str, expr):
        # An integer polars casts is one (the lexical forms, within Int64), and its bounds need no
        # float: 3x cheaper than the regex. Stricter than pandera (2**64 fails it), which decides.
        if f.type != "integer" or name not in ("type", "minimum", "maximum"):
            return expr
        as_int = pl.col(f.name).cast(pl.Int64, strict=False)
        return as_int.is_not_null() if name == "type" else ~_past_bound(as_int, f.minimum if name == "minimum" else f.maximum, above=name == "maximum")

    per = {f.name: [(pl.col(f.name).is_null() | fast(f, c[0], c[2])).fill_null(True) for c in _ok(f)
                    if not (c[0] == "pattern" and bad_pattern(f.pattern))]
           + ([pl.col(f.name).is_not_null()] if f.required else []) for f in s.fields}
    return {n: pl.all_horizontal(e) for n, e in per.items() if e}


def check(t, df, first: int, max_per_check: int, ok: dict, cols: list[str]) -> list[Problem]:
    """Problems pandera finds in df (a batch of table t from record `first`, its columns only),
    where cols are the columns whose verdict (ok: verdicts()) failed: the first max_per_check rows
    of each (field, check), then one line counting the rest. pandera (and pandas, which it imports)
    is loaded only when a cell fails."""
    if not cols:
        return []
    import pandera.errors as pe
    import polars as pl

    at = df.select(~pl.all_horizontal(ok[c] for c in cols)).to_series().arg_true()

    validator = pandera_schema(t.schema, unique=False)
    # Only the failing rows and columns go to pandera, a slice at a time (its failure cases cost
    # ~1 KiB each); `at` maps a slice's row index back to the batch's. cap() merges the counts.
    validator = validator.select_columns(cols)
    rows = max(1 << 12, CELLS // len(cols))
    out = []
    for i in range(0, len(at), rows):
        where = at.slice(i, rows)
        try:
            validator.validate(df[where].select(cols), lazy=True)
        except pe.SchemaErrors as err:
            fc = err.failure_cases.with_columns(pl.col("index").replace_strict(
                pl.int_range(len(where), eager=True), where, default=None, return_dtype=pl.Int64))
            out += _problems(t, fc, first, max_per_check)
    return out


def _problems(t, fc, first: int, max_per_check: int) -> list[Problem]:
    """Lines from pandera's failure cases (index: the row in the batch that starts at `first`)."""
    import polars as pl

    names = {(f.name, msg): name for f in t.schema.fields for name, msg, _ in _ok(f)}
    fc = (fc.with_columns(pl.col("check").replace({"not_nullable": REQUIRED, "field_uniqueness": UNIQUE}))
          .sort("index").with_columns(pl.int_range(pl.len()).over("column", "check").alias("n")))
    totals = {(c, k): n for c, k, n in fc.group_by("column", "check").len().iter_rows()}
    fc = fc.filter(pl.col("n") <= max_per_check)  # the rest is counted, never walked row by row
    out = []
    for value, fld, msg, index, n in fc.select("failure_case", "column", "check", "index", "n").iter_rows():
        name = "required" if msg == REQUIRED else "unique" if msg == UNIQUE else names.get((fld, msg), msg)
        if n < max_per_check:
            text = msg if msg == REQUIRED else f"{value!r} {msg}"
            out.append(Problem(t.file, text, table=t.name, row=None if index is None else first + index + 2,
                               field=fld, check=name, engines=["pandera"]))
        elif n == max_per_check:
            total = totals[(fld, msg)]
            out.append(Problem(t.file, f"and {total - max_per_check} more rows fail the same check", table=t.name,
                               field=fld, check=name, engines=["pandera"]))
    return out
