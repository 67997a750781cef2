"""`spacecoop export sqlite|duckdb`: every table as a SQL table with its keys and descriptions.

Column types, NOT NULL, UNIQUE, CHECK (vocabulary) and PRIMARY/FOREIGN KEY constraints are
derived from the Table Schemas. Tables are created and filled in an order that satisfies the
foreign keys; rows of a table that points to itself (participants.affiliation_id) are inserted
parents first. Descriptions: DuckDB gets COMMENT ON TABLE/COLUMN; SQLite has no comments, so
they go into documentation tables (_tables, _columns, _vocabularies) and a datasette metadata.json.
Both get a `_package` table (name, version, title, licence, ...) so a file says which release it is.

The file is written to a temporary name beside OUT and renamed over it only when complete.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .atomic import write_file
from .errors import INVALID, USAGE, SpacecoopError
from .model import PackageError, Schema, open_package
from .safety import open_regular

DOC_TABLES = ("_package", "_tables", "_columns", "_vocabularies")

_SQL_TYPES = {
    "sqlite": {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"},
    "duckdb": {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"},
}


class ExportError(SpacecoopError):
    """A problem the user can fix; the message says how. `usage`: the command was asked for
    something it cannot do (exit 2), rather than finding the package broken (exit 1)."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message, USAGE if usage else INVALID)


def q(name: str) -> str:
    """Quote an identifier: 'references' and 'table' are SQL keywords."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_table_sql(schema: Schema, dialect: str) -> str:
    types = _SQL_TYPES[dialect]
    lines = []
    for f in schema.fields:
        col = f"  {q(f.name)} {types.get(f.type, types['string'])}"
        if f.required:
            col += " NOT NULL"
        if f.unique and tuple(schema.primary_key) != (f.name,):
            col += " UNIQUE"
        if f.enum is not None:
            col += f" CHECK ({q(f.name)} IN ({', '.join(lit(v) for v in f.enum)}))"
        lines.append(col)
    if schema.primary_key:
        lines.append(f"  PRIMARY KEY ({', '.join(q(c) for c in schema.primary_key)})")
    for fk in schema.foreign_keys:
        line = (f"  FOREIGN KEY ({', '.join(q(c) for c in fk.fields)}) "
                f"REFERENCES {q(fk.table)} ({', '.join(q(c) for c in fk.ref_fields)})")
        if dialect == "sqlite":
            line += " DEFERRABLE INITIALLY DEFERRED"
        lines.append(line)
    return f"CREATE TABLE {q(schema.table)} (\n" + ",\n".join(lines) + "\n)"


def read_rows(root: Path, schema: Schema, dialect: str) -> list[tuple]:
    """The table's CSV as typed tuples (None for an empty cell), parents before children."""
    from .safety import UnsafeFile, escape, regular_file

    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", schema.table):  # the name becomes a file name
        raise ExportError(f"table name {escape(repr(schema.table))} is not a plain name; refused")
    path = root / "data" / f"{schema.table}.csv"
    try:
        regular_file(path, f"data/{schema.table}.csv")
    except UnsafeFile as e:
        if e.reason != "does not exist":
            raise ExportError(str(e)) from None
    try:
        with io.TextIOWrapper(open_regular(path, f"data/{schema.table}.csv"), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            if header != schema.names:
                raise ExportError(f"{path}: header does not match schemas/{schema.table}.schema.json; "
                                  "run `spacecoop validate` and `spacecoop build`")
            raw = list(reader)
    except FileNotFoundError:
        raise ExportError(f"{path}: file does not exist; run `spacecoop build`") from None
    convert: list[Callable[[str], object]] = []
    for f in schema.fields:
        if f.type == "integer":
            convert.append(int)
        elif f.type == "number":
            convert.append(float)
        elif f.type == "boolean":
            convert.append(lambda v: v.lower() in ("true", "1"))
        elif f.type == "date" and dialect == "duckdb":
            convert.append(date.fromisoformat)
        else:
            convert.append(str)
    rows = []
    for n, cells in enumerate(raw, start=1):
        try:
            rows.append(tuple(None if c == "" else conv(c) for c, conv in zip(cells, convert)))
        except ValueError as e:
            raise ExportError(f"{path}: table {schema.table}, row {n}: {e}; run `spacecoop validate`") from None
    return _parents_first(schema, rows)


def _parents_first(schema: Schema, rows: list[tuple]) -> list[tuple]:
    """Order rows so a row that points to another row of the same table comes after it."""
    self_fks = [fk for fk in schema.foreign_keys if fk.table == schema.table]
    if not self_fks or len(schema.primary_key) != 1:
        return rows
    pk = schema.names.index(schema.primary_key[0])
    refs = [schema.names.index(fk.fields[0]) for fk in self_fks]
    by_key = {r[pk]: r for r in rows}
    out, done = [], set()

    def place(r: tuple, depth: int = 0) -> None:
        if r[pk] in done or depth > len(rows):
            return
        for i in refs:
            parent = by_key.get(r[i])
            if parent is not None and parent is not r:
                place(parent, depth + 1)
        done.add(r[pk])
        out.append(r)

    for r in rows:
        place(r)
    return out


def _package_rows(desc: dict) -> list[tuple[str, str]]:
    lic = "; ".join(f"{x.get('name')} ({x.get('path')})" for x in desc.get("licenses", []))
    rows = [(k, str(desc[k])) for k in ("name", "id", "title", "version", "created", "description") if k in desc]
    rows.append(("licenses", lic))
    rows.append(("sources", "; ".join(f"{s.get('title')} <{s.get('path')}>" for s in desc.get("sources", []))))
    return rows


def _doc_rows(schemas: dict[str, Schema], counts: dict[str, int]):
    tables = [(t, s.description, counts[t], ", ".join(s.primary_key)) for t, s in schemas.items()]
    columns, vocab = [], []
    for t, s in schemas.items():
        for i, f in enumerate(s.fields, start=1):
            columns.append((t, f.name, i, f.type, int(f.required), f.description,
                            ", ".join(f.enum) if f.enum else None))
            for v in f.enum or ():
                vocab.append((t, f.name, v, f.enum_descriptions.get(v)))
    return tables, columns, vocab


def datasette_metadata(desc: dict, schemas: dict[str, Schema], db_name: str) -> dict:
    """metadata.json for `datasette OUT.db -m metadata.json`."""
    lic = (desc.get("licenses") or [{}])[0]
    src = (desc.get("sources") or [{}])[0]
    tables = {}
    for t, s in schemas.items():
        cols = {}
        for f in s.fields:
            text = f.description
            if f.enum:
                text += " Values: " + "; ".join(f"{v}: {f.enum_descriptions.get(v, '')}".rstrip(": ") for v in f.enum)
            cols[f.name] = text
        tables[t] = {"description": s.description, "columns": cols}
    doc = {"_package": "Which release of the data package this file holds: name, version, licences, sources.",
           "_tables": "Each table: its description, row count and primary key.",
           "_columns": "Each column: position, Table Schema type, whether required, description, vocabulary.",
           "_vocabularies": "Each value of each vocabulary column, with its definition."}
    for t, text in doc.items():
        tables[t] = {"description": text}
    return {
        "title": f"{desc.get('title', desc.get('name'))} {desc.get('version', '')}".strip(),
        "description": desc.get("description", ""),
        "license": lic.get("name", ""),
        "license_url": lic.get("path", ""),
        "source": src.get("title", ""),
        "source_url": src.get("path", ""),
        "databases": {db_name: {"tables": tables}},
    }


def _write_sqlite(path: Path, root: Path, schemas, order, desc, progress) -> dict[str, int]:
    import sqlite3

    counts = {}
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("BEGIN")
        for t in order:
            progress(t)
            con.execute(create_table_sql(schemas[t], "sqlite"))
            rows = read_rows(root, schemas[t], "sqlite")
            marks = ", ".join("?" * len(schemas[t].fields))
            con.executemany(f"INSERT INTO {q(t)} VALUES ({marks})", rows)
            counts[t] = len(rows)
        tables, columns, vocab = _doc_rows({t: schemas[t] for t in order}, counts)
        con.execute('CREATE TABLE "_package" ("key" TEXT PRIMARY KEY, "value" TEXT)')
        con.executemany('INSERT INTO "_package" VALUES (?, ?)', _package_rows(desc))
        con.execute('CREATE TABLE "_tables" ("table" TEXT PRIMARY KEY, "description" TEXT, "rows" INTEGER, "primary_key" TEXT)')
        con.executemany('INSERT INTO "_tables" VALUES (?, ?, ?, ?)', tables)
        con.execute('CREATE TABLE "_columns" ("table" TEXT NOT NULL REFERENCES "_tables" ("table"), "column" TEXT NOT NULL, '
                    '"position" INTEGER, "type" TEXT, "required" INTEGER, "description" TEXT, "vocabulary" TEXT, '
                    'PRIMARY KEY ("table", "column"))')
        con.executemany('INSERT INTO "_columns" VALUES (?, ?, ?, ?, ?, ?, ?)', columns)
        con.execute('CREATE TABLE "_vocabularies" ("table" TEXT NOT NULL, "column" TEXT NOT NULL, "value" TEXT NOT NULL, '
                    '"definition" TEXT, PRIMARY KEY ("table", "column", "value"), '
                    'FOREIGN KEY ("table", "column") REFERENCES "_columns" ("table", "column"))')
        con.executemany('INSERT INTO "_vocabularies" VALUES (?, ?, ?, ?)', vocab)
        con.execute("COMMIT")  # deferred foreign keys are checked here
        bad = con.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise ExportError(f"table {bad[0][0]}, row {bad[0][1]}: foreign key to {bad[0][2]} is not satisfied; run `spacecoop validate`")
    except sqlite3.IntegrityError as e:
        raise ExportError(f"the package breaks a constraint in SQLite ({e}); run `spacecoop validate`") from None
    finally:
        con.close()
    return counts


def _write_duckdb(path: Path, root: Path, schemas, order, desc, progress) -> dict[str, int]:
    try:
        import duckdb
    except ImportError:
        raise ExportError("DuckDB is not installed; install it with: pip install 'spacecoop[sql]'", usage=True) from None
    counts = {}
    # 16 KiB blocks instead of the default 256 KiB: the file is ~1 MB instead of ~14 MB.
    # Such files need DuckDB 1.2 or later to open.
    con = duckdb.connect()
    con.execute(f"ATTACH {lit(str(path))} AS spacecoop (BLOCK_SIZE 16384)")
    con.execute("USE spacecoop")
    try:
        for t in order:
            progress(t)
            s = schemas[t]
            con.execute(create_table_sql(s, "duckdb"))
            rows = read_rows(root, s, "duckdb")
            if rows:
                con.executemany(f"INSERT INTO {q(t)} VALUES ({', '.join('?' * len(s.fields))})", rows)
            counts[t] = len(rows)
            con.execute(f"COMMENT ON TABLE {q(t)} IS {lit(s.description)}")
            for f in s.fields:
                text = f.description
                if f.enum:
                    text += " Values: " + "; ".join(f"{v}: {f.enum_descriptions.get(v, '')}" for v in f.enum)
                con.execute(f"COMMENT ON COLUMN {q(t)}.{q(f.name)} IS {lit(text)}")
        con.execute('CREATE TABLE "_package" ("key" VARCHAR PRIMARY KEY, "value" VARCHAR)')
        con.executemany('INSERT INTO "_package" VALUES (?, ?)', _package_rows(desc))
        con.execute("COMMENT ON TABLE \"_package\" IS 'Which release of the data package this file holds.'")
        con.execute("USE memory")
        con.execute("DETACH spacecoop")
    except duckdb.ConstraintException as e:
        raise ExportError(f"the package breaks a constraint in DuckDB ({e}); run `spacecoop validate`") from None
    finally:
        con.close()
    return counts


def export(root: Path, out: Path, dialect: str, *, force: bool = False, metadata: Path | None = None,
           progress: Callable[[str], None] = lambda _t: None) -> dict[str, int]:
    """Write the package at root into the SQL database file out. Returns rows per table.

    For SQLite, also writes datasette metadata to `metadata` (default: metadata.json beside out).
    """
    if dialect not in _SQL_TYPES:
        raise ExportError(f"unknown database {dialect!r}; choose sqlite or duckdb", usage=True)
    try:
        pkg = open_package(root)
    except PackageError as e:
        if e.problem.message.startswith("no datapackage.json here"):
            raise ExportError(f"{root}: no datapackage.json here; give a package directory with --package", usage=True) from None
        raise ExportError(e.problem.line(), usage=True) from None
    targets = [out] + ([metadata or out.parent / "metadata.json"] if dialect == "sqlite" else [])
    for t in targets:
        if t.is_dir():
            raise ExportError(f"{t} is a directory; give a file name, e.g. {t / ('spacecoop.' + ('db' if dialect == 'sqlite' else 'duckdb'))}", usage=True)
        if t.exists() and not force:
            raise ExportError(f"{t} already exists; pass --force to replace it, or choose another name", usage=True)
    desc = pkg.descriptor
    try:
        schemas = pkg.schemas()  # parents before children: foreign keys are checked as rows go in
        for t in schemas:  # the descriptor's paths are refused as validate refuses them (URL, outside, FIFO)
            if pkg.path(pkg.resource(t).get("path"), f"table {t}") != (root / "data" / f"{t}.csv").resolve():
                raise ExportError(f"table {t}: path {pkg.resource(t).get('path')!r} is not data/{t}.csv; run `spacecoop validate`")
    except PackageError as e:
        raise ExportError(e.problem.line()) from None
    order = list(schemas)
    writer = _write_sqlite if dialect == "sqlite" else _write_duckdb
    counts: dict = {}
    # The database first, then its metadata: a failure leaves no metadata describing a file that
    # is not there (each file is itself replaced atomically).
    write_file(out, lambda tmp: counts.update(writer(tmp, root, schemas, order, desc, progress)))
    if dialect == "sqlite":
        meta = datasette_metadata(desc, {t: schemas[t] for t in order}, out.stem)
        write_file(targets[1], (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return counts


