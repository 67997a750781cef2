"""frictionless-py over the whole package: types (held to the package's lexical forms), constraints, primary
and foreign keys, bytes and hash."""
from __future__ import annotations

import re

from ..model import Package, PackageError
from .problems import Problem

_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_TYPES = {
    "type-error": "type", "unique-error": "unique", "primary-key": "unique", "foreign-key": "foreign-key",
    "missing-cell": "required", "extra-cell": "csv", "blank-row": "csv",
    "byte-count": "bytes", "hash-count": "hash", "encoding-error": "encoding",
    "extra-label": "header", "missing-label": "header", "incorrect-label": "header", "duplicate-label": "header",
    "blank-label": "header",
}


def sanitized(pkg: Package) -> dict:
    """The descriptor as frictionless-py gets it: an allow-listed copy (allowlist.py)."""
    from .allowlist import allowed

    return allowed(pkg)


def lexical_check():
    """A frictionless Check holding each typed cell to the package's lexical form (fields.LEXICAL):
    frictionless parses integers with Python's int() and so accepts ' 1' and non-ASCII digits,
    which the validator rejects. Such a cell is a type-error, so both engines say invalid."""
    import attrs
    from frictionless import Check, errors

    from .fields import LEXICAL

    rules = {t: (re.compile(rx), note) for t, (rx, note) in LEXICAL.items()}

    @attrs.define(kw_only=True, repr=False)
    class Lexical(Check):
        type = "spacecoop-lexical"
        Errors = [errors.TypeError]

        def validate_row(self, row):
            cells = row.cells
            for i, field in enumerate(row.fields):
                rule = rules.get(field.type)
                cell = cells[i] if i < len(cells) else None
                if rule is None or not isinstance(cell, str) or cell == "" or field.name in row.error_cells:
                    continue
                if not rule[0].fullmatch(cell):
                    yield errors.TypeError(note=f"{rule[1]} (spacecoop's lexical form)", cells=[str(c) for c in cells],
                                           row_number=row.row_number, cell=cell, field_name=field.name, field_number=i + 1)

    return Lexical()


def check(pkg: Package) -> list[Problem]:
    """Run frictionless on the sanitized descriptor, with the package's lexical rule."""
    from frictionless import Checklist, system
    from frictionless import Package as FPackage

    out: list[Problem] = []
    paths = {r.get("name"): r.get("path") for r in pkg.resources()}
    primary_keys = {}
    for n in pkg.table_names():
        try:
            primary_keys[n] = pkg.schema(n).primary_key
        except PackageError:
            pass
    try:
        with system.use_context(trusted=False):
            report = FPackage(sanitized(pkg), basepath=str(pkg.root)).validate(checklist=Checklist(checks=[lexical_check()]))
    except Exception as e:  # frictionless raises its own FrictionlessException and others on bad descriptors
        msg = getattr(getattr(e, "error", None), "message", None) or str(e).splitlines()[0]
        return [Problem(pkg.descriptor_path.name, f"frictionless cannot open the package: {msg}", check="descriptor", engines=["frictionless"])]
    for err in report.errors:
        out.append(Problem(pkg.descriptor_path.name, err.message, check=err.type, engines=["frictionless"]))
    pk_fields = {name: list(pk) for name, pk in (primary_keys or {}).items()}
    pk_fields.update({f"{name}-parquet": pk for name, pk in list(pk_fields.items())})
    for task in report.tasks:
        file = str(paths.get(task.name) or task.name)
        for err in task.errors:
            p = _problem(file, task.name, err, pk_fields)
            # A CSV that cannot be decoded makes frictionless report a decode error on every resource
            # whose foreign keys read it. The reader decodes every CSV itself and names the row of
            # the bad byte, so frictionless's decode errors are left out.
            if p.check == "encoding":
                continue
            out.append(p)
    return out


def _problem(file: str, table: str, err, pk_fields: dict) -> Problem:
    kind = err.type
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None)
    note = getattr(err, "note", "") or ""
    check = _TYPES.get(kind, kind)
    if kind == "constraint-error":
        m = _CONSTRAINT.search(note)
        check = m.group(1) if m else "constraint"
        if check == "required":
            return Problem(file, "is empty but required", table=table, row=row, field=field, check="required", engines=["frictionless"])
    if kind == "primary-key":
        pk = pk_fields.get(table, [])
        return Problem(file, f"primary key is not unique: {note}", table=table, row=row,
                       field=pk[0] if len(pk) == 1 else None, check="unique", engines=["frictionless"])
    if kind == "foreign-key":
        names = list(getattr(err, "field_names", []) or [])
        vals = list(getattr(err, "field_cells", []) or [])
        target = getattr(err, "reference_name", "") or "?"
        ref = ", ".join(getattr(err, "reference_field_names", []) or [])
        shown = ", ".join(repr(v) for v in vals)
        return Problem(file, f"{shown} is not a {ref} in {target} (dangling foreign key)", table=table, row=row,
                       field=", ".join(names) or None, check="foreign-key", engines=["frictionless"])
    if check == "header":
        # One header problem per file, as the reader reports it.
        return Problem(file, f"header does not match the schema: {err.message}", table=table, row=1, check="header", engines=["frictionless"])
    if kind in ("type-error", "constraint-error", "unique-error"):
        cell = getattr(err, "cell", None)
        return Problem(file, f"{cell!r} {note or err.message}", table=table, row=row, field=field, check=check, engines=["frictionless"])
    if row is not None and row <= 1:
        row = 1
    return Problem(file, err.message, table=table, row=row, field=field, check=check, engines=["frictionless"])
