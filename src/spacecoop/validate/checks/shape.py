"""The package's shape, so that no rule skips in silence: every resources entry is an object with
a name, every table and column a registered rule declares it needs (Rule.needs) exists, and each
foreign key points at a table and fields that exist (else its values could not be checked)."""
from __future__ import annotations

from ...model import PackageError
from ..problems import Problem
from . import RULES, Rule, Run, register
from .evidence import EVIDENCE
CHECKED = {"required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength"}


@register
class Shape(Rule):
    name = "descriptor"

    def begin(self, run: Run):
        pkg = run.pkg
        file = pkg.descriptor_path.name
        out = []
        for i, r in enumerate(pkg.descriptor.get("resources", [])):
            if not isinstance(r, dict):
                out.append(Problem(file, f"resource {i + 1} is not an object but {type(r).__name__}; refused", check=self.name))
            elif not isinstance(r.get("name"), str) or not r["name"]:
                out.append(Problem(file, f"resource {i + 1} has no name", check=self.name))
        names = set(pkg.table_names())
        out += _lacking(pkg, names)
        if EVIDENCE in names and not pkg.evidenced:  # which tables need evidence: evidence.table's vocabulary
            out.append(Problem(file, "field table has no vocabulary (enum) naming the tables whose records need evidence; "
                               "the check evidence reads it, so it cannot be checked without it", table=EVIDENCE, field="table", check="evidence"))
        for table in pkg.table_names():
            try:
                schema = pkg.schema(table)
            except PackageError:
                continue
            src = str(pkg.resource(table).get("schema"))
            if schema.raw.get("missingValues", [""]) != [""]:  # the validator reads only "" as missing
                out.append(Problem(src, f"missingValues {schema.raw['missingValues']!r}: only [\"\"] is supported; refused",
                                   table=table, check="schema"))
            for fd in schema.raw["fields"]:  # a constraint the validator does not check is said, not skipped
                cons = fd.get("constraints") if isinstance(fd.get("constraints"), dict) else {}
                for key in cons:
                    bounded = key in ("minimum", "maximum") and fd.get("type", "string") != "integer"
                    if key not in CHECKED or bounded:
                        out.append(Problem(src, f"constraint {key!r} is not checked by spacecoop" + (f" on a {fd.get('type')} field" if bounded else "") + "; refused",
                                           table=table, field=str(fd.get("name")), check="schema"))
            for fk in schema.foreign_keys:
                where = dict(table=table, field=", ".join(fk.fields), check="foreign-key")
                if any(f not in schema.names for f in fk.fields):
                    out.append(Problem(src, "foreign key names a field the table does not have", **where))
                elif fk.table not in names:
                    out.append(Problem(src, f"foreign key points at table {fk.table!r}, which the package does not have", **where))
                else:
                    try:
                        theirs = pkg.schema(fk.table).names
                    except PackageError:
                        continue
                    if any(f not in theirs for f in fk.ref_fields):
                        out.append(Problem(src, f"foreign key points at field(s) {', '.join(fk.ref_fields)} of {fk.table}, which it does not have", **where))
        return out


def _lacking(pkg, names: set[str]) -> list[Problem]:
    """One line per (table, rule) for each table or column a registered rule needs that the
    package lacks: the table and the check named, never a rule skipped in silence."""
    tables: dict[str, list[str]] = {}
    columns: dict[tuple[str, str], list[str]] = {}
    for rule in RULES:
        for table, cols in rule.needed(pkg).items():
            if table not in names:
                tables.setdefault(table, [])
                if rule.name not in tables[table]:
                    tables[table].append(rule.name)
                continue
            try:
                have = pkg.schema(table).names
            except PackageError:
                continue  # reported where the table is read
            lost = columns.setdefault((table, rule.name), [])
            lost += [c for c in cols if c not in have and c not in lost]
    file = pkg.descriptor_path.name
    out = [Problem(file, f"is missing; the check {check} reads it, so the package cannot be checked without it",
                   table=table, check=check) for table, checks in tables.items() for check in checks]
    out += [Problem(file, f"lacks the column(s) {', '.join(cols)} the check {check} reads; it cannot be checked without them",
                    table=table, check=check) for (table, check), cols in columns.items() if cols]
    return out
