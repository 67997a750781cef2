"""Read the package's CSV resources once, as string frames, for pandera and the package rules."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from ..tableschema import Schema, parse_schema
from .csvscan import cells as csv_cells
from .package import Package, safe_path
from .problems import Problem

KNOWN_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "time", "year", "yearmonth", "any"}


@dataclass
class Table:
    name: str
    file: str            # relative path, for messages
    path: Path
    schema: Schema
    frame: object | None  # pandas DataFrame of str, "" for empty cells; None if unreadable
    resource: dict


def resource_schema(pkg: Package, res: dict) -> tuple[Schema | None, Problem | None]:
    name = res.get("name", "?")
    raw = res.get("schema")
    if isinstance(raw, str):
        p, prob = safe_path(pkg, raw, f"resource {name} schema")
        if prob:
            return None, prob
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, Problem(raw, f"schema of resource {name} does not exist", table=name, check="schema")
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            return None, Problem(res["schema"], f"schema is not valid JSON: {e}", table=name, check="schema")
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), list):
        return None, Problem(pkg.descriptor_path.name, f"resource {name} has no Table Schema with a list of fields", table=name, check="schema")
    for i, f in enumerate(raw["fields"]):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            return None, Problem(str(res.get("schema")), f"field {i + 1} has no name", table=name, check="schema")
        t = f.get("type", "string")
        if t not in KNOWN_TYPES:
            return None, Problem(str(res.get("schema")), f"field {f['name']} has unknown type {t!r}", table=name, field=f["name"], check="schema")
    try:
        return parse_schema(name, raw), None
    except (KeyError, TypeError, ValueError) as e:
        return None, Problem(str(res.get("schema")), f"schema cannot be read: {e}", table=name, check="schema")


def _decode(data: bytes, file: str, name: str, names: list[str]) -> tuple[str | None, Problem | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        row = data[: e.start].count(b"\n") + 1
        # Name the field: parse the damaged line with the bad bytes replaced, find the cell holding them.
        start = data.rfind(b"\n", 0, e.start) + 1
        end = data.find(b"\n", e.start)
        line = data[start: end if end != -1 else len(data)].decode("utf-8", "replace")
        idx = next((i for i, c in enumerate(csv_cells(line)) if "\ufffd" in c), None)
        fld = names[idx] if idx is not None and idx < len(names) else None
        return None, Problem(file, f"bytes are not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r}); save the file as UTF-8", table=name, row=row, field=fld, check="encoding")
    if text.startswith("\ufeff"):
        return None, Problem(file, "file starts with a byte-order mark; save as UTF-8 without BOM", table=name, row=1, check="encoding")
    return text, None


def read_header(path: Path) -> list[str]:
    """The header row's cells, reading at most the header limit."""
    from .csvscan import MAX_HEADER_BYTES

    with open(path, "rb") as f:
        first = f.read(MAX_HEADER_BYTES + 1).split(b"\n", 1)[0].rstrip(b"\r")
    return csv_cells(first.decode("utf-8", "replace"))


def header_problem(file: str, name: str, header: list[str], schema: Schema) -> Problem | None:
    if header == schema.names:
        return None
    missing = [n for n in schema.names if n not in header]
    extra = [h for h in header if h not in schema.names]
    bits = []
    if missing:
        bits.append("missing " + ", ".join(missing))
    if extra:
        bits.append("unexpected " + ", ".join(extra))
    if not bits:
        bits.append("columns out of order: expected " + ", ".join(schema.names))
    return Problem(file, "header does not match the schema: " + "; ".join(bits), table=name, row=1, check="header")


def read_csv_table(pkg: Package, res: dict, schema: Schema) -> tuple[Table | None, list[Problem]]:
    import pandas as pd

    from .csvscan import scan_csv

    name = res.get("name", "?")
    path, prob = safe_path(pkg, res.get("path"), f"resource {name}")
    if prob:
        return None, [prob]
    file = res["path"]
    if not path.is_file():
        return None, [Problem(file, "file does not exist", table=name, check="file")]
    # Bounded scan first: a huge row or a quote that never closes is refused before the file is read whole.
    scan = scan_csv(path, file, name, schema.names, check_encoding=False)
    if any(p.check == "limit" for p in scan.problems):
        return None, scan.problems
    text, prob = _decode(path.read_bytes(), file, name, schema.names)
    if prob:
        return None, [prob]
    first = text.split("\n", 1)[0].rstrip("\r")
    prob = header_problem(file, name, csv_cells(first), schema)
    if prob:
        return None, [prob]
    if scan.problems:
        return None, scan.problems
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[],
                            engine="c", quoting=0, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as e:
        msg = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
        return None, [Problem(file, f"CSV cannot be parsed: {msg}", table=name, check="csv")]
    return Table(name, file, path, schema, frame, res), []


def read_tables(pkg: Package, reader=None) -> tuple[dict[str, Table], list[Problem]]:
    """Every CSV resource, read by reader (default: pandas strings, for pandera and rules.py)."""
    reader = reader or read_csv_table
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for res in pkg.resources():
        if res.get("format", "csv") != "csv" and not str(res.get("path", "")).endswith(".csv"):
            continue
        schema, prob = resource_schema(pkg, res)
        if prob:
            problems.append(prob)
            continue
        t, probs = reader(pkg, res, schema)
        problems.extend(probs)
        if t is not None:
            tables[t.name] = t
    return tables, problems
