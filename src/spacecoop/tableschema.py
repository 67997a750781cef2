"""The Table Schemas in schemas/ are the one place a field is defined; this module reads them.

Everything else (build column order, pandera checks, loaders' dtypes, docs) asks here.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .paths import schemas_dir

# Build order: a table's foreign keys point only to tables earlier in this list (errata aside).
TABLES: tuple[str, ...] = (
    "sources", "references", "participants", "participant_aliases", "meetings",
    "meeting_participants", "meeting_topics", "programs", "program_participants",
    "meeting_programs", "agreements", "agreement_participants", "agreement_programs",
    "outcomes", "outcome_participants", "frameworks", "milestones", "claims", "claim_subjects",
    "evidence", "errata",
)
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

    @property
    def regex(self) -> re.Pattern[str] | None:
        # Table Schema patterns match the whole value.
        return re.compile(rf"(?:{self.pattern})\Z") if self.pattern else None


@dataclass(frozen=True)
class Schema:
    table: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict, ...]
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


def _field(d: dict) -> Field:
    c = d.get("constraints", {})
    enum = c.get("enum")
    return Field(
        name=d["name"], type=d.get("type", "string"), description=d.get("description", ""),
        required=bool(c.get("required", False)), unique=bool(c.get("unique", False)),
        pattern=c.get("pattern"), enum=tuple(enum) if enum is not None else None,
        enum_descriptions=dict(d.get("enumDescriptions", {})),
        minimum=c.get("minimum"), maximum=c.get("maximum"), format=d.get("format"),
    )


def parse_schema(table: str, raw: dict) -> Schema:
    return Schema(
        table=table, description=raw.get("description", ""),
        fields=tuple(_field(f) for f in raw["fields"]),
        primary_key=tuple(raw.get("primaryKey", [])),
        foreign_keys=tuple(raw.get("foreignKeys", [])), raw=raw,
    )


def schema_path(table: str, directory: Path | None = None) -> Path:
    return (directory or schemas_dir()) / f"{table}.schema.json"


@lru_cache(maxsize=None)
def _load(path: str) -> Schema:
    p = Path(path)
    return parse_schema(p.name.removesuffix(".schema.json"), json.loads(p.read_text(encoding="utf-8")))


def load_schema(table: str, directory: Path | None = None) -> Schema:
    return _load(str(schema_path(table, directory)))


def table_names_of(descriptor: dict) -> list[str]:
    """The tables (CSV resources) a descriptor lists, in build order (a table before those whose
    foreign keys point to it); names this package does not know come last."""
    names = [r["name"] for r in descriptor.get("resources", []) if isinstance(r, dict) and r.get("format") == "csv"]
    return [t for t in TABLES if t in names] + [t for t in names if t not in TABLES]


def id_prefixes(schemas: dict[str, Schema]) -> dict[str, str]:
    """'agr-' -> 'agreements': the literal prefix that a table's primary-key pattern begins with."""
    out = {}
    for t, s in schemas.items():
        pat = s.field(s.primary_key[0]).pattern if len(s.primary_key) == 1 else None
        m = re.match(r"([a-z]+-)\[", pat or "")
        if m:
            out[m[1]] = t
    return out


def load_all(directory: Path | None = None) -> dict[str, Schema]:
    return {t: load_schema(t, directory) for t in TABLES}


def __getattr__(name: str):
    # EVIDENCED, the tables whose every row must be backed by evidence, is the vocabulary of
    # evidence.table in the schema (one place), less sources: a source may be cited, need not be.
    if name == "EVIDENCED":
        return tuple(t for t in load_schema("evidence").field("table").enum if t != "sources")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
