"""frictionless-py over the whole package: types, constraints, primary and foreign keys, bytes and hash."""
from __future__ import annotations

import re

from .package import Package
from .problems import Problem

_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_TYPES = {
    "type-error": "type", "unique-error": "unique", "primary-key": "unique", "foreign-key": "foreign-key",
    "missing-cell": "required", "extra-cell": "csv", "blank-row": "csv",
    "byte-count": "bytes", "hash-count": "hash", "encoding-error": "encoding",
    "extra-label": "header", "missing-label": "header", "incorrect-label": "header", "duplicate-label": "header",
    "blank-label": "header",
}


def check(pkg: Package) -> list[Problem]:
    from frictionless import Package as FPackage
    from frictionless import system

    out: list[Problem] = []
    paths = {r.get("name"): r.get("path") for r in pkg.resources()}
    try:
        with system.use_context(trusted=False):
            report = FPackage(pkg.descriptor, basepath=str(pkg.root)).validate()
    except Exception as e:  # frictionless raises its own FrictionlessException and others on bad descriptors
        msg = getattr(getattr(e, "error", None), "message", None) or str(e).splitlines()[0]
        return [Problem(pkg.descriptor_path.name, f"frictionless cannot open the package: {msg}", check="descriptor", engines=["frictionless"])]
    for err in report.errors:
        out.append(Problem(pkg.descriptor_path.name, err.message, check=err.type, engines=["frictionless"]))
    for task in report.tasks:
        file = str(paths.get(task.name) or task.name)
        for err in task.errors:
            out.append(_problem(file, task.name, err))
    return out


def _problem(file: str, table: str, err) -> Problem:
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
    if kind in ("primary-key", "foreign-key"):
        cells = getattr(err, "cells", None)
        field = field or None
        msg = f"{note}" if note else err.message
        if kind == "primary-key":
            return Problem(file, f"primary key is not unique: {note}", table=table, row=row, field=None, check="primary-key", engines=["frictionless"])
        return Problem(file, f"foreign key broken: {msg}", table=table, row=row, field=field, check="foreign-key", engines=["frictionless"])
    if kind in ("type-error", "constraint-error", "unique-error"):
        cell = getattr(err, "cell", None)
        return Problem(file, f"{cell!r} {note or err.message}", table=table, row=row, field=field, check=check, engines=["frictionless"])
    if row is not None and row <= 1:
        row = 1
    return Problem(file, err.message, table=table, row=row, field=field, check=check, engines=["frictionless"])
