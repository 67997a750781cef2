"""A Table Schema, typed: fields, constraints, vocabularies, primary and foreign keys.

The Table Schemas in schemas/ are the one place a field is defined; everything else asks here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

KNOWN_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "time", "year", "yearmonth", "any"}
DATE_SUFFIXES = ("_earliest", "_latest", "_precision", "_basis", "_reference_id")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool
    unique: bool
    pattern: str | None
    enum: tuple[str, ...] | None
    enum_descriptions: dict[str, str]
    minimum: int | None
    maximum: int | None
    format: str | None
    min_length: int | None = None
    max_length: int | None = None

    def matches(self, value: str) -> bool | None:
        """Whether value matches the whole pattern (True without one), by polars' Rust regex:
        linear time, as a pattern may come from elsewhere; None if it cannot compile there."""
        if not self.pattern:
            return True
        import polars as pl

        try:
            return bool(pl.Series([value], dtype=pl.String).str.contains(f"^(?:{self.pattern})$")[0])
        except Exception:  # polars raises ComputeError for a pattern it cannot compile
            return None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str                 # the referenced table (the schema's own table when the reference names none)
    ref_fields: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    table: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    raw: dict = field(repr=False, compare=False, hash=False)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def date_groups(self) -> list[str]:
        """Names X for which the schema has the columns X, X_earliest, ... X_reference_id."""
        names = set(self.names)
        return [n for n in self.names if all(n + s in names for s in DATE_SUFFIXES)]

    @property
    def keys(self) -> list[tuple[str, ...]]:
        """The keys that must be unique: each unique field, and the primary key."""
        keys = [(f.name,) for f in self.fields if f.unique]
        if self.primary_key and self.primary_key not in keys:
            keys.append(self.primary_key)
        return keys


def _names(v) -> tuple[str, ...]:
    return (v,) if isinstance(v, str) else tuple(v or ())


def _field(d: dict) -> Field:
    c = d.get("constraints", {})
    if not isinstance(c, dict):
        raise ValueError(f"field {d['name']} has constraints that are not an object: {c!r}")
    enum = c.get("enum")
    if enum is not None and not (isinstance(enum, list) and all(isinstance(v, (str, int, float)) for v in enum)):
        raise ValueError(f"field {d['name']} has an enum that is not a list of text or numbers: {enum!r}")
    bounds = {k: _bound(d, k, c.get(k)) for k in ("minimum", "maximum")}
    return Field(
        name=d["name"], type=d.get("type", "string"), description=d.get("description", ""),
        required=bool(c.get("required", False)), unique=bool(c.get("unique", False)),
        pattern=c.get("pattern"), enum=tuple(_text(v) for v in enum) if enum is not None else None,
        enum_descriptions=dict(d.get("enumDescriptions", {})),
        minimum=bounds["minimum"], maximum=bounds["maximum"], format=d.get("format"),
        min_length=c.get("minLength"), max_length=c.get("maxLength"),
    )


def _text(v) -> str:
    """A vocabulary value as the cell that holds it (an integer field's enum may list numbers)."""
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _bound(d: dict, k: str, v):
    """An integer field's minimum or maximum as an int: given as an integer, a whole float (0.0) or
    its text ("6"), as frictionless reads it; anything else is refused."""
    if d.get("type") != "integer" or v is None:
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and re.fullmatch(r"[+-]?[0-9]+", v):
        return int(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"field {d['name']} has a {k} that is not an integer: {v!r}")
    return v


def _foreign_key(table: str, fk: dict) -> ForeignKey | None:
    ref = fk.get("reference") or {}
    fields, ref_fields = _names(fk.get("fields")), _names(ref.get("fields"))
    if not fields or len(fields) != len(ref_fields):
        return None
    return ForeignKey(fields, ref.get("resource") or table, ref_fields)


def parse_schema(table: str, raw: dict) -> Schema:
    """A Schema from a Table Schema's JSON; KeyError, TypeError or ValueError if it is malformed."""
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), list):
        raise ValueError("no list of fields")
    for i, f in enumerate(raw["fields"]):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            raise ValueError(f"field {i + 1} has no name")
        if f.get("type", "string") not in KNOWN_TYPES:
            raise ValueError(f"field {f['name']} has unknown type {f.get('type')!r}")
    fks = (_foreign_key(table, fk) for fk in raw.get("foreignKeys", []) if isinstance(fk, dict))
    return Schema(
        table=table, description=raw.get("description", ""),
        fields=tuple(_field(f) for f in raw["fields"]),
        primary_key=_names(raw.get("primaryKey")),
        foreign_keys=tuple(fk for fk in fks if fk is not None), raw=raw,
    )


def id_prefixes(schemas: dict[str, Schema]) -> dict[str, str]:
    """'agr-' -> 'agreements': the literal prefix a table's primary-key pattern begins with (how a
    polymorphic record_id names its table)."""
    out = {}
    for t, s in schemas.items():
        pat = s.field(s.primary_key[0]).pattern if len(s.primary_key) == 1 else None
        m = re.match(r"([a-z]+-)\[", pat or "")
        if m:
            out[m[1]] = t
    return out
