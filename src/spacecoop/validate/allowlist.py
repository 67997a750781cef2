"""The descriptor frictionless-py is given: built from an allow-list, not cleaned by a deny-list.

Only what validation needs is copied, each value checked for its type: a property spacecoop does
not know (`extrapaths`, `sources`, `profile`, `$schema`, a URL anywhere) never reaches frictionless,
so nothing in the package can make it fetch. Paths are the ones Package.path() accepted; schemas
are inlined from the files spacecoop read. `pattern` is left out: frictionless runs Python's
backtracking `re`, and spacecoop checks patterns itself in linear time (polars)."""
from __future__ import annotations

from ..model import Package, PackageError, is_csv
from ..model.schema import KNOWN_TYPES

_CONSTRAINTS = {"required": bool, "unique": bool, "minLength": int, "maxLength": int, "enum": list,
                "minimum": (int, float, str), "maximum": (int, float, str),
                "exclusiveMinimum": (int, float, str), "exclusiveMaximum": (int, float, str)}
_DIALECT = {"header": bool, "delimiter": str, "lineTerminator": str, "quoteChar": str, "doubleQuote": bool}
_FIELD_FORMATS = {"default", "any"}
V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


def _str_list(v) -> list[str] | None:
    v = [v] if isinstance(v, str) else v
    return list(v) if isinstance(v, list) and all(isinstance(x, str) for x in v) else None


def _scalar(v) -> bool:
    return isinstance(v, (str, int, float))


def _field(f: dict) -> dict:
    out = {"name": f["name"], "type": f.get("type", "string") if f.get("type", "string") in KNOWN_TYPES else "string"}
    if isinstance(f.get("format"), str) and f["format"] in _FIELD_FORMATS:
        out["format"] = f["format"]
    c = f.get("constraints")
    if isinstance(c, dict):
        cc = {k: v for k, v in c.items() if k in _CONSTRAINTS and isinstance(v, _CONSTRAINTS[k]) and
              not (isinstance(v, bool) and _CONSTRAINTS[k] is not bool)}
        if "enum" in cc and not all(_scalar(x) for x in cc["enum"]):
            del cc["enum"]
        if cc:
            out["constraints"] = cc
    return out


def _schema(raw: dict, tables: set[str]) -> dict:
    fields = [_field(f) for f in raw["fields"]]
    names = {f["name"] for f in fields}
    out: dict = {"fields": fields}
    mv = _str_list(raw.get("missingValues"))
    if mv is not None:
        out["missingValues"] = mv
    pk = _str_list(raw.get("primaryKey"))
    if pk and set(pk) <= names:
        out["primaryKey"] = pk
    fks = []
    for fk in raw.get("foreignKeys") or []:
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            continue
        ref = fk["reference"]
        own, theirs = _str_list(fk.get("fields")), _str_list(ref.get("fields"))
        target = ref.get("resource", "")
        if own and theirs and len(own) == len(theirs) and set(own) <= names and isinstance(target, str) and (target in tables or target == ""):
            fks.append({"fields": own, "reference": {"resource": target, "fields": theirs}})
    if fks:
        out["foreignKeys"] = fks
    return out


def allowed(pkg: Package) -> dict:
    """The descriptor for frictionless-py: CSV resources whose path and schema spacecoop accepted,
    with only the properties validation needs."""
    res = []
    ok = []
    for r in pkg.resources():
        name = r.get("name")
        if not is_csv(r) or not isinstance(name, str):
            continue
        try:
            pkg.path(r.get("path"), f"resource {name}")
            schema = pkg.schema(name)
        except PackageError:
            continue
        ok.append((r, schema))
    tables = {r["name"] for r, _ in ok}
    for r, schema in ok:
        out = {"name": r["name"], "type": "table", "path": r["path"], "format": "csv", "encoding": "utf-8",
               "schema": _schema(schema.raw, tables)}
        if isinstance(r.get("bytes"), int) and not isinstance(r["bytes"], bool):
            out["bytes"] = r["bytes"]
        if isinstance(r.get("hash"), str):
            out["hash"] = r["hash"]
        d = r.get("dialect")
        if isinstance(d, dict):
            dd = {k: v for k, v in d.items() if k in _DIALECT and isinstance(v, _DIALECT[k])}
            if dd:
                out["dialect"] = dd
        res.append(out)
    out = {"name": "package", "resources": res}
    if pkg.descriptor.get("$schema") == V2:  # frictionless knows it by name; nothing is fetched
        out["$schema"] = V2
    return out
