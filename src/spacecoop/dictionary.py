"""`spacecoop docs`: docs/data-dictionary.md, generated from the Table Schemas alone.

Every table, field, type, constraint, key, and vocabulary value with its definition. The file is
never edited by hand; `spacecoop docs --check` (and a test) fail when it is stale.
"""
from __future__ import annotations

from pathlib import Path

from .model import Schema, open_package

OUTPUT = Path("docs") / "data-dictionary.md"


def _cell(text: object) -> str:
    # GFM handles \| inside table cells, even inside code spans; other backslashes stay as written.
    return str(text).replace("|", "\\|").replace("\n", " ")


def _constraints(schema: Schema, name: str) -> str:
    f = schema.field(name)
    out = []
    if name in schema.primary_key:
        out.append("primary key")
    if f.required:
        out.append("required")
    if f.unique:
        out.append("unique")
    if f.pattern:
        out.append(f"pattern `{f.pattern}`")
    if f.minimum is not None:
        out.append(f"≥ {f.minimum}")
    if f.maximum is not None:
        out.append(f"≤ {f.maximum}")
    if f.format:
        out.append(f"format {f.format}")
    if f.enum:
        out.append("one of the vocabulary below")
    for fk in schema.foreign_keys:
        if name in fk.fields:
            out.append(f"→ [{fk.table}](#{fk.table}).{', '.join(fk.ref_fields)}")
    return "; ".join(out)


def render(package_dir: Path) -> str:
    pkg = open_package(package_dir)
    desc, schemas = pkg.descriptor, pkg.schemas()
    out = [
        f"# Data dictionary: {desc.get('title', desc.get('name'))} {desc.get('version', '')}".rstrip(),
        "",
        "<!-- Generated from schemas/*.schema.json by `spacecoop docs`; do not edit by hand. -->",
        "",
        "Every table of the package, each field with its type and constraints, the keys that link the "
        "tables, and every vocabulary value with its definition. Each table is published as "
        "`data/<table>.csv` and `data/<table>.parquet`, described by `schemas/<table>.schema.json`. "
        "An empty CSV cell is a missing value.",
        "",
        "Date groups: a column `X` with a date is accompanied by `X_earliest`, `X_latest` (real dates, "
        "for filtering), `X_precision`, `X_basis` and `X_reference_id`; see the README's Dates section.",
        "",
        "## Tables",
        "",
        "| table | primary key | fields | description |",
        "|---|---|---:|---|",
    ]
    for t, s in schemas.items():
        out.append(f"| [{t}](#{t}) | {', '.join(s.primary_key)} | {len(s.fields)} | {_cell(s.description)} |")
    for t, s in schemas.items():
        out += ["", f"## {t}", "", s.description, ""]
        out.append(f"Primary key: `{', '.join(s.primary_key)}`." if s.primary_key else "No primary key.")
        for fk in s.foreign_keys:
            out.append(f"Foreign key: `{', '.join(fk.fields)}` → [{fk.table}](#{fk.table}) `{', '.join(fk.ref_fields)}`.")
        if s.date_groups:
            out.append(f"Date groups: {', '.join(f'`{g}`' for g in s.date_groups)}.")
        out += ["", "| field | type | constraints | description |", "|---|---|---|---|"]
        for f in s.fields:
            out.append(f"| `{f.name}` | {f.type} | {_cell(_constraints(s, f.name))} | {_cell(f.description)} |")
        for f in s.fields:
            if not f.enum:
                continue
            out += ["", f"Vocabulary of `{t}.{f.name}`:", "", "| value | definition |", "|---|---|"]
            for v in f.enum:
                out.append(f"| `{v}` | {_cell(f.enum_descriptions.get(v, '(no definition in the schema)'))} |")
    return "\n".join(out) + "\n"


def stale(package_dir: Path, path: Path) -> bool:
    import os

    from .safety import read_text

    return not os.path.lexists(path) or read_text(path, str(OUTPUT)) != render(package_dir)
