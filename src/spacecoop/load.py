"""Load the package's tables as typed pandas DataFrames, with dtypes taken from the Table Schemas.

Types, from each field of `schemas/<table>.schema.json`:

- a string field with an `enum` (a vocabulary) -> `pandas.CategoricalDtype` whose categories are
  the schema's enum values, in the schema's order (so a value never seen still is a category);
- other strings -> pandas `string` dtype (missing is `pd.NA`);
- `integer` -> nullable `Int64`; `number` -> `Float64`; `boolean` -> `boolean`;
- `date` (the `*_earliest` / `*_latest` columns, `published`) -> `datetime64[ns]`, so that
  `df[df.date_earliest >= "2020-01-01"]` and `.dt.year` work; a missing date is `NaT`.

pandas is imported inside the functions: `import spacecoop` stays light.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from .model import Package, Schema

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Format = Literal["auto", "parquet", "csv"]  # the one list of formats; checked by _read_raw


def _package(path: str | Path | None):
    """The package at path (default: this clone's, or the copy shipped in the wheel)."""
    from .model import open_package
    from .paths import default_package_dir

    return open_package(Path(path) if path is not None else default_package_dir())


def table_names(path: str | Path | None = None) -> list[str]:
    """Names of the tables in the package at `path` (default: this package), each after the
    tables its foreign keys point to."""
    return _package(path).table_names()


def dtypes(schema: Schema) -> dict[str, object]:
    """pandas dtype for each field of a Table Schema (see the module docstring)."""
    import pandas as pd

    out: dict[str, object] = {}
    for f in schema.fields:
        if f.enum is not None:
            out[f.name] = pd.CategoricalDtype(categories=list(f.enum), ordered=False)
        elif f.type == "integer":
            out[f.name] = "Int64"
        elif f.type == "number":
            out[f.name] = "Float64"
        elif f.type == "boolean":
            out[f.name] = "boolean"
        elif f.type == "date":
            out[f.name] = "datetime64[ns]"
        else:
            out[f.name] = "string"
    return out


def _read_raw(pkg, table: str, fmt: Format) -> tuple["pd.DataFrame", Path]:
    """The table's cells before typing: from Parquet when asked or available, else the CSV."""
    if fmt not in get_args(Format):
        raise ValueError(f"format={fmt!r}: choose one of {', '.join(map(repr, get_args(Format)))}")
    import os

    import pandas as pd

    from .safety import open_regular

    csv_path = pkg.path(pkg.resource(table).get("path"), f"table {table}")
    pq_path = csv_path.with_suffix(".parquet")
    csv_name, pq_name = str(pkg.resource(table).get("path")), str(pkg.resource(table).get("path")).removesuffix(".csv") + ".parquet"
    # Each file is opened by the one regular-file helper: a FIFO, device, directory or socket in
    # its place is refused in one line naming it (UnsafeFile), never opened.
    if fmt == "parquet" and not os.path.lexists(pq_path):
        raise FileNotFoundError(f"{pq_path}: table {table!r} has no Parquet file; run `spacecoop build`")
    if fmt == "parquet" or (fmt == "auto" and os.path.lexists(pq_path)):
        try:
            with open_regular(pq_path, pq_name) as f:
                return pd.read_parquet(f), pq_path
        except ImportError:
            if fmt == "parquet":
                raise
    if not os.path.lexists(csv_path):
        raise FileNotFoundError(f"{csv_path}: table {table!r} has no CSV file; run `spacecoop build`")
    # Only an empty cell is missing ("NA" is text), as the schemas' missingValues say.
    with open_regular(csv_path, csv_name) as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"), csv_path


def _typed(frame: "pd.DataFrame", schema: Schema, file: Path) -> "pd.DataFrame":
    import pandas as pd

    missing = [n for n in schema.names if n not in frame.columns]
    if missing:
        raise ValueError(f"{file}: table {schema.table} has no column {missing[0]!r}; "
                         "run `spacecoop validate` on this package, or `spacecoop build` to rewrite data/")
    out = {}
    for name, dtype in dtypes(schema).items():
        col = frame[name]
        if dtype == "datetime64[ns]":
            col = pd.to_datetime(col.astype("string"), format="%Y-%m-%d").astype("datetime64[ns]")
        elif dtype == "boolean":  # CSV text 'true'/'false' (as the Table Schema writes them) or Parquet booleans
            col = col.astype("string").str.lower().map({"true": True, "false": False}).astype(dtype)
        elif dtype in ("Int64", "Float64", "boolean"):
            col = col.astype(dtype)
        else:
            # Text: an empty string is missing, whichever file it came from.
            col = col.astype("string").replace("", pd.NA)
            if not isinstance(dtype, str):
                unknown = set(col.dropna().unique()) - set(dtype.categories)
                if unknown:
                    raise ValueError(f"table {schema.table}, field {name}: {sorted(unknown)[0]!r} is not in its vocabulary "
                                     f"({', '.join(dtype.categories)}); run `spacecoop validate` on this package")
                col = col.astype(dtype)
        out[name] = col
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def load_table(name: str, path: str | Path | Package | None = None, *, format: Format = "auto") -> "pd.DataFrame":
    """Load one table as a typed DataFrame.

    Args:
        name: table name, e.g. ``"agreements"`` (see ``spacecoop.table_names()``).
        path: package directory or its datapackage.json; default: the package shipped with
            spacecoop (the clone's root when run from a clone).
        format: ``"auto"`` reads Parquet when present and falls back to CSV; or force one.

    Returns:
        A DataFrame whose dtypes follow the table's Table Schema: vocabularies as categoricals
        (categories = the schema's enum), ``Int64`` integers, ``datetime64[ns]`` dates,
        ``string`` text.

    Example:
        >>> import spacecoop
        >>> milestones = spacecoop.load_table("milestones")
        >>> milestones[(milestones.kind == "signed") & (milestones.date_earliest >= "2020-01-01")]
    """
    pkg = path if isinstance(path, Package) else _package(path)
    names = pkg.table_names()
    if name not in names:
        raise ValueError(f"unknown table {name!r}; choose from {', '.join(names)}")
    frame, file = _read_raw(pkg, name, format)
    return _typed(frame, pkg.schema(name), file)


def load(path: str | Path | None = None, *, format: Format = "auto", version: str | None = None) -> dict[str, "pd.DataFrame"]:
    """Load every table of the package: a dict from table name to typed DataFrame.

    Same arguments as :func:`load_table`; besides, ``path`` may be a release archive (``.zip``),
    and ``version="0.1.0"`` loads that version as found in the history of the clone spacecoop runs
    from (or of the git repository ``path``), as ``spacecoop diff 0.1.0`` does.

    Example:
        >>> import spacecoop
        >>> tables = spacecoop.load()
        >>> tables["agreements"].merge(tables["agreement_participants"], on="agreement_id")
        >>> old = spacecoop.load(version="0.1.0")
    """
    if version is not None or (path is not None and str(path).lower().endswith(".zip")):
        from .datadiff import DiffError, resolve
        from .paths import find_repo

        repo = Path(path) if version is not None and path is not None else find_repo()
        try:
            with resolve(version or str(path), repo) as (where, _):
                return load(where, format=format)
        except DiffError as e:
            raise ValueError(str(e)) from None
    pkg = _package(path)
    return {t: load_table(t, pkg, format=format) for t in pkg.table_names()}
