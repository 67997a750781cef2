"""pandera checks derived from the Table Schema by code (pandera's own converter loses dates,
booleans, formats and keys; see stack notes). Cells arrive as strings, '' meaning empty."""
from __future__ import annotations

import re

from ..tableschema import Field, Schema
from .problems import Problem
from .tables import Table

_INT = re.compile(r"[+-]?\d+\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _is_date(s):
    import pandas as pd

    ok = s.str.fullmatch(_DATE.pattern)
    parsed = pd.to_datetime(s.where(ok), format="%Y-%m-%d", errors="coerce")
    return ok & parsed.notna()


def _checks(f: Field) -> list:
    import pandera.pandas as pa

    checks = []
    if f.type == "integer":
        checks.append(pa.Check(lambda s: s.str.fullmatch(_INT.pattern), element_wise=False, name="type",
                               error="is not an integer"))
        if f.minimum is not None:
            checks.append(pa.Check(lambda s, m=f.minimum: s.where(s.str.fullmatch(_INT.pattern), str(max(m, 0))).astype("int64") >= m,
                                   name="minimum", error=f"is less than the minimum {f.minimum}"))
    elif f.type == "date":
        checks.append(pa.Check(_is_date, name="type", error="is not a real date (YYYY-MM-DD)"))
    if f.enum is not None:
        checks.append(pa.Check.isin(list(f.enum), name="enum", error=f"is not one of {', '.join(f.enum)}"))
    if f.pattern:
        checks.append(pa.Check(lambda s, rx=f"(?:{f.pattern})": s.str.fullmatch(rx), name="pattern",
                               error=f"does not match the pattern {f.pattern}"))
    return checks


def derive(schema: Schema):
    """A pandera DataFrameSchema equivalent to the Table Schema's types and constraints."""
    import pandera.pandas as pa

    cols = {
        f.name: pa.Column(None, checks=_checks(f), nullable=not f.required, unique=f.unique,
                          required=True, name=f.name)
        for f in schema.fields
    }
    return pa.DataFrameSchema(cols, strict=True, ordered=True, name=schema.table,
                              unique=list(schema.primary_key) if len(schema.primary_key) > 1 else None)


def check(table: Table) -> list[Problem]:
    import pandas as pd

    import pandera.errors as pe

    frame = table.frame.replace("", pd.NA)
    try:
        derive(table.schema).validate(frame, lazy=True)
        return []
    except pe.SchemaErrors as err:
        fc = err.failure_cases
    out = []
    for rec in fc.to_dict("records"):
        idx = rec.get("index")
        row = int(idx) + 2 if idx is not None and not pd.isna(idx) else None
        col = rec.get("column")
        chk = str(rec.get("check") or "")
        value = rec.get("failure_case")
        if chk.startswith("not_nullable"):
            name, msg = "required", "is empty but required"
        elif chk.startswith("field_uniqueness") or chk.startswith("multiple_fields_uniqueness"):
            name, msg = "unique", f"{value!r} is not unique"
        elif chk.startswith("column_in_dataframe") or chk.startswith("column_in_schema") or chk.startswith("column_ordered"):
            name, msg = "header", f"column check failed: {chk} {value!r}"
        else:
            f = table.schema.field(col) if col in table.schema.names else None
            name = {c.error: c.name for c in _checks(f)}.get(chk, "rule") if f else "rule"
            msg = f"{value!r} {chk}"
        out.append(Problem(table.file, msg, table=table.name, row=row, field=col, check=name, engines=["pandera"]))
    return out
