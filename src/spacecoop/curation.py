"""Turn the hand-curated YAML in build/ into table rows and evidence.

Each curation file holds the records of one entity table. A field is written either as a plain
value or as {value: ..., evidence: [...]} so that the quote stands beside the value it supports;
date groups as {value, precision, basis, reference, evidence}; many-to-many links as lists
nested in the record (participants, programs, topics, aliases). The build derives everything else:
offsets of quotes, link rows and their ids, evidence ids, earliest/latest days.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import dates
from .formula import formula_start, message as formula_message
from .model import Schema, id_prefixes, schemas_package
from .model.ids import link_id, slug
from .yamlfile import CurationError, Mapping, load_yaml

ENTITY_FILES = ("sources", "references", "participants", "meetings", "programs", "agreements", "outcomes", "frameworks", "claims")

# Link lists nested in a record: key -> (link table, own-id column, target key, target column, has role)
LINKS: dict[str, dict[str, tuple[str, str, str, str, bool]]] = {
    "participants": {"aliases": ("participant_aliases", "participant_id", "alias", "alias", False)},
    "meetings": {
        "participants": ("meeting_participants", "meeting_id", "participant", "participant_id", True),
        "topics": ("meeting_topics", "meeting_id", "topic", "topic", False),
        "programs": ("meeting_programs", "meeting_id", "program", "program_id", False),
    },
    "programs": {"participants": ("program_participants", "program_id", "participant", "participant_id", True)},
    "agreements": {
        "participants": ("agreement_participants", "agreement_id", "participant", "participant_id", True),
        "programs": ("agreement_programs", "agreement_id", "program", "program_id", True),
    },
    "outcomes": {"participants": ("outcome_participants", "outcome_id", "participant", "participant_id", True)},
    # A claim may be about a record of any table: the id's prefix names the table (claim_subjects.table).
    "claims": {"about": ("claim_subjects", "claim_id", "record", "record_id", False)},
}
# Child records nested in a record: key -> child table. The child's id, table and record_id
# are derived from its owner, so a record's history is written inside the record.
CHILDREN: dict[str, dict[str, str]] = {"programs": {"milestones": "milestones"}, "agreements": {"milestones": "milestones"}}
# Columns the build computes; a curator may not write them.
DERIVED = {"sources": {"sha256"}}
EVIDENCE_KEYS = {"src", "quote", "occurrence", "field"}
DATE_KEYS = {"value", "precision", "basis", "reference", "earliest", "latest", "evidence"}


def evidence_id(table: str, record_id: str, fld: str, source_id: str, start: int, end: int) -> str:
    key = f"{table}|{record_id}|{fld}|{source_id}|{start}|{end}"
    return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Seed:
    source_id: str
    path: str
    text: str
    sha256: str


@dataclass
class Curation:
    """Everything the build needs, with errors collected rather than raised one at a time."""

    tables: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[CurationError] = field(default_factory=list)
    seeds: dict[str, Seed] = field(default_factory=dict)


class _Ctx:
    def __init__(self, root: Path, schemas: dict[str, Schema]):
        self.root = root
        self.schemas = schemas
        self.out = Curation(tables={t: [] for t in schemas})
        self.ids: dict[str, dict[str, tuple[str, int]]] = {}  # table -> id -> (file, line)
        self.pending_refs: list[tuple[str, int, str, str]] = []  # (file, line, table, id)
        self.unreadable: set[str] = set()  # files that did not parse: references into them are not checked
        self.prefixes = id_prefixes(schemas)  # 'agr-' -> 'agreements'
        # Records of these tables need evidence of their own (links are checked where they are read).
        self.evidenced = set(schemas["evidence"].field("table").enum) - {"sources"} - {spec[0] for links in LINKS.values() for spec in links.values()}

    def err(self, path: str, line: int | None, msg: str) -> None:
        self.out.errors.append(CurationError(path, line, msg))


def _unknown_key(ctx: _Ctx, path: str, line: int, mapping: dict, allowed, where: str) -> bool:
    """Report the first key of mapping that is not allowed; True if there was one."""
    unknown = set(mapping) - set(allowed)
    if unknown:
        ctx.err(path, line, f"unknown key {sorted(unknown)[0]!r} in {where}; allowed: {', '.join(sorted(allowed))}")
    return bool(unknown)


def _as_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return str(v)
    return None


def _check_cell(ctx: _Ctx, path: str, line: int, schema: Schema, col: str, value: str | None) -> None:
    f = schema.field(col)
    if value in (None, ""):
        if f.required:
            ctx.err(path, line, f"{schema.table}.{col} is required; give it a value")
        return
    if f.enum is not None and value not in f.enum:
        ctx.err(path, line, f"{schema.table}.{col}: {value!r} is not in the vocabulary ({', '.join(f.enum)})")
    elif (ok := f.matches(value)) is None:
        ctx.err(path, line, f"{schema.table}.{col}: the pattern {f.pattern!r} cannot be checked (no lookaround or backreferences)")
    elif not ok:
        ctx.err(path, line, f"{schema.table}.{col}: {value!r} does not match the pattern {f.pattern}")
    if f.type == "string" and formula_start(value):
        ctx.err(path, line, f"{schema.table}.{col}: {formula_message(value)}")
    if f.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            ctx.err(path, line, f"{schema.table}.{col}: {value!r} is not a real date (YYYY-MM-DD)")


def _find_quote(ctx: _Ctx, path: str, line: int, ev: Mapping, default_quote: str | None = None):
    """Resolve one evidence item to (source_id, start, end, quote, field) or None after an error."""
    if not isinstance(ev, dict):
        ctx.err(path, line, "an evidence item must be a mapping like {src: src-000, quote: \"...\"}")
        return None
    ln = getattr(ev, "line", line)
    if _unknown_key(ctx, path, ln, ev, EVIDENCE_KEYS, "evidence"):
        return None
    src = _as_text(ev.get("src"))
    quote = ev.get("quote", default_quote)
    if not src:
        ctx.err(path, ln, "evidence needs src: the source_id of the seed quoted")
        return None
    seed = ctx.out.seeds.get(src)
    if seed is None and src in ctx.unreadable:
        return None  # its seed could not be read: said once, at the source
    if seed is None:
        ctx.err(path, ln, f"evidence src {src!r} is not a source in sources.yaml")
        return None
    if not isinstance(quote, str) or not quote:
        ctx.err(path, ln, "evidence needs quote: the exact words of the seed")
        return None
    if formula_start(quote):
        ctx.err(path, ln, f"evidence quote: {formula_message(quote)}; start the quote one word later")
        return None
    starts, i = [], seed.text.find(quote)
    while i != -1:
        starts.append(i)
        i = seed.text.find(quote, i + 1)
    if not starts:
        ctx.err(path, ln, f"quote not found in {seed.path}: {quote[:80]!r}; copy it exactly from the seed")
        return None
    occ = ev.get("occurrence")
    if occ is None:
        if len(starts) > 1:
            ctx.err(path, ln, f"quote occurs {len(starts)} times in {seed.path}: {quote[:60]!r}; add occurrence: 1..{len(starts)}")
            return None
        start = starts[0]
    else:
        if isinstance(occ, bool) or not isinstance(occ, int) or not 1 <= occ <= len(starts):
            ctx.err(path, ln, f"occurrence must be a whole number from 1 to {len(starts)} for this quote")
            return None
        start = starts[occ - 1]
    fld = _as_text(ev.get("field"))
    return src, start, start + len(quote), quote, fld


def _add_evidence(ctx: _Ctx, path: str, line: int, table: str, record_id: str, fld: str | None, items) -> int:
    if items is None:
        return 0
    if not isinstance(items, list):
        ctx.err(path, line, "evidence must be a list of {src, quote} items")
        return 0
    n = 0
    for ev in items:
        found = _find_quote(ctx, path, getattr(ev, "line", line), ev)
        if not found:
            continue
        src, start, end, quote, ev_field = found
        f = fld if fld is not None else ev_field
        if f is not None and f not in ctx.schemas[table].names:
            ctx.err(path, getattr(ev, "line", line), f"evidence field {f!r} is not a column of {table}")
            continue
        ctx.out.tables["evidence"].append({
            "evidence_id": evidence_id(table, record_id, f or "", src, start, end),
            "table": table, "record_id": record_id, "field": f, "source_id": src,
            "char_start": start, "char_end": end, "quote": quote,
        })
        n += 1
    return n


def _ref(ctx: _Ctx, path: str, line: int, target_table: str, value: str | None) -> None:
    if value:
        ctx.pending_refs.append((path, line, target_table, value))


def _fk_target(schema: Schema, col: str) -> str | None:
    for fk in schema.foreign_keys:
        if fk.fields == (col,):
            return fk.table
    return None


def _date_group(ctx, path, rec: Mapping, key: str, schema: Schema, row: dict, record_id: str, notes) -> None:
    spec = rec[key]
    line = rec.line_of(key)
    cols = {s: key + s for s in ("", "_earliest", "_latest", "_precision", "_basis", "_reference_id")}
    if not isinstance(spec, dict):
        ctx.err(path, line, f"{key} is a date: write {{value: \"2021-03\", precision: month, basis: stated, evidence: [...]}}")
        return
    if _unknown_key(ctx, path, line, spec, DATE_KEYS, f"date {key}"):
        return
    value = _as_text(spec.get("value"))
    precision = _as_text(spec.get("precision"))
    basis = _as_text(spec.get("basis"))
    ref = _as_text(spec.get("reference"))
    row[cols[""]] = value
    row[cols["_precision"]] = precision
    row[cols["_basis"]] = basis
    row[cols["_reference_id"]] = ref
    for s in ("", "_precision", "_basis", "_reference_id"):
        _check_cell(ctx, path, line, schema, cols[s], row[cols[s]])
    _ref(ctx, path, line, "references", ref)
    if not precision:
        ctx.err(path, line, f"{key} needs a precision (day, month, year, month_no_year, day_range, unknown)")
        return
    try:
        lo, hi = dates.bounds(value, precision)
    except dates.DateError as e:
        ctx.err(path, line, f"{key}: {e}")
        return
    explicit = {s: _as_text(spec.get(s)) for s in ("earliest", "latest")}
    if lo is not None and any(explicit.values()):
        ctx.err(path, line, f"{key}: earliest/latest are derived from value and precision; remove them")
        return
    for s in ("earliest", "latest"):
        v = explicit[s] if lo is None else (lo if s == "earliest" else hi).isoformat()
        row[cols["_" + s]] = v
        if v:
            _check_cell(ctx, path, line, schema, cols["_" + s], v)
    for suffix, msg in dates.check_group(
        value, dates.day_or_none(row[cols["_earliest"]]), dates.day_or_none(row[cols["_latest"]]), precision, basis, ref, notes,
    ):
        if suffix not in ("_earliest", "_latest") or lo is None:
            ctx.err(path, line, f"{key}: {msg}")
    first = len(ctx.out.tables["evidence"])
    _add_evidence(ctx, path, line, schema.table, record_id, key, spec.get("evidence"))
    if basis == "stated":
        if ref:
            ctx.err(path, line, f"{key}: basis 'stated' takes no reference; use basis reference if the reference gives the value")
        words = " ".join(e["quote"] for e in ctx.out.tables["evidence"][first:])
        missing = dates.unstated_parts(value or "", precision, words)
        if missing:
            ctx.err(path, line, f"{key}: basis is 'stated' but the quoted words do not state {' or '.join(missing)} of {value!r}; "
                                f"quote the words that do, or give the precision they support")


def _links(ctx, path, rec: Mapping, key: str, owner_table: str, owner_id: str) -> None:
    link_table, own_col, target_key, target_col, has_role = LINKS[owner_table][key]
    schema = ctx.schemas[link_table]
    items = rec[key]
    if not isinstance(items, list):
        ctx.err(path, rec.line_of(key), f"{key} must be a list")
        return
    allowed = {target_key, "evidence"} | ({"role"} if has_role else set()) | ({"src", "occurrence"} if link_table == "participant_aliases" else set())
    for item in items:
        line = getattr(item, "line", rec.line_of(key))
        if not isinstance(item, dict):
            ctx.err(path, line, f"each item of {key} must be a mapping with {target_key}")
            continue
        if _unknown_key(ctx, path, line, item, allowed, key):
            continue
        target = _as_text(item.get(target_key))
        role = _as_text(item.get("role")) if has_role else None
        row = {own_col: owner_id, target_col: target}
        if "table" in schema.names:  # a link to a record of any table: the prefix of its id names the table
            row["table"] = ctx.prefixes.get((target or "").split("-")[0] + "-")
            if target and row["table"] is None:
                ctx.err(path, line, f"{target!r} is not the id of a record ({', '.join(sorted(ctx.prefixes))}...)")
                continue
        if has_role:
            row["role"] = role
        for col in row:
            _check_cell(ctx, path, line, schema, col, row[col])
        if not target or (has_role and not role):
            continue
        row["link_id"] = link_id(*(row[c] for c in schema.names if c in row))  # its key fields, in column order
        ft = _fk_target(schema, target_col) or row.get("table")
        if ft:
            _ref(ctx, path, line, ft, target)
        _register(ctx, path, line, link_table, row["link_id"])
        ctx.out.tables[link_table].append({c: row.get(c) for c in schema.names})
        if link_table == "participant_aliases":
            n = _add_evidence(ctx, path, line, link_table, row["link_id"], None,
                              [Mapping({"src": item.get("src"), "quote": target, **({"occurrence": item["occurrence"]} if "occurrence" in item else {})})])
            if "evidence" in item:
                n += _add_evidence(ctx, path, line, link_table, row["link_id"], None, item["evidence"])
        else:
            n = _add_evidence(ctx, path, line, link_table, row["link_id"], None, item.get("evidence"))
        if n == 0 and not any(e.path == path and e.line == line for e in ctx.out.errors):
            ctx.err(path, line, f"this {key} link has no evidence; add evidence: [{{src: ..., quote: ...}}]")


def _children(ctx, path, rec: Mapping, key: str, child_table: str, owner_table: str, owner_id: str) -> None:
    """Nested child records (a program's milestones): id 'mst-' + the owner's slug + the kind."""
    items = rec[key]
    if not isinstance(items, list):
        ctx.err(path, rec.line_of(key), f"{key} must be a list")
        return
    prefix = next(p for p, t in ctx.prefixes.items() if t == child_table)
    for item in items:
        if not isinstance(item, dict) or "id" in item:
            ctx.err(path, getattr(item, "line", rec.line_of(key)), f"each item of {key} must be a mapping with kind: (its id is derived)")
            continue
        kind = item.get("kind", "")
        kind = kind.get("value", "") if isinstance(kind, dict) else kind  # "kind: {value: signed, evidence: [...]}"
        child = Mapping({"id": prefix + slug(owner_id.split("-", 1)[1] + "-" + str(kind)), **item})
        child.line, child.key_lines = item.line, item.key_lines
        _record(ctx, path, child_table, child, owner={"table": owner_table, "record_id": owner_id})


def _register(ctx, path, line, table, rid) -> bool:
    seen = ctx.ids.setdefault(table, {})
    if rid in seen:
        f, ln = seen[rid]
        ctx.err(path, line, f"duplicate id {rid!r} in {table} (first at {f}:{ln})")
        return False
    seen[rid] = (path, line)
    return True


def _field_keys(schema: Schema, derived: set[str]) -> dict[str, str]:
    """YAML key -> column for plain fields: a foreign key 'x_id' is written 'x'; date groups,
    the primary key and derived columns are handled elsewhere."""
    grouped = {g + s for g in schema.date_groups for s in ("", "_earliest", "_latest", "_precision", "_basis", "_reference_id")}
    out = {}
    for n in schema.names:
        if n == schema.primary_key[0] or n in derived or n in grouped:
            continue
        out[n.removesuffix("_id") if _fk_target(schema, n) else n] = n
    return out


def _record(ctx: _Ctx, path: str, table: str, rec, owner: dict | None = None) -> None:
    """One record of table; owner gives the columns a child record takes from the record it is nested in."""
    schema = ctx.schemas[table]
    pk = schema.primary_key[0]
    if not isinstance(rec, dict):
        ctx.err(path, None, f"each record in {table} must be a mapping starting with id:")
        return
    line = rec.line
    rid = _as_text(rec.get("id"))
    if not rid:
        ctx.err(path, line, "record has no id; add id: followed by a readable identifier")
        return
    _check_cell(ctx, path, rec.line_of("id"), schema, pk, rid)
    if not _register(ctx, path, line, table, rid):
        return
    row: dict = {c: None for c in schema.names}
    row.update(owner or {})
    row[pk] = rid
    notes = _as_text(rec.get("notes"))
    groups = set(schema.date_groups)
    links = LINKS.get(table, {})
    children = CHILDREN.get(table, {})
    derived = DERIVED.get(table, set()) | set(owner or {})
    keys = _field_keys(schema, derived)
    evidence_count = 0
    if table == "sources":  # register the seed text first: the record's own evidence quotes it
        row["path"] = _as_text(rec.get("path"))
        _source_row(ctx, path, line, rec, row)
    for key, raw in rec.items():
        kline = rec.line_of(key)
        if key in ("id",):
            continue
        if key == "evidence":
            evidence_count += _add_evidence(ctx, path, kline, table, rid, None, raw)
            continue
        if key in links:
            _links(ctx, path, rec, key, table, rid)
            continue
        if key in children:
            _children(ctx, path, rec, key, children[key], table, rid)
            continue
        if key in groups:
            _date_group(ctx, path, rec, key, schema, row, rid, notes)
            evidence_count += 1 if isinstance(raw, dict) and raw.get("evidence") else 0
            continue
        col = keys.get(key)
        if col is None:
            ctx.err(path, kline, f"unknown key {key!r} in {table}; allowed: {', '.join(sorted(keys) + sorted(groups | set(links) | set(children)) + ['evidence', 'id'])}")
            continue
        value, ev = raw, None
        if isinstance(raw, dict):
            if set(raw) - {"value", "evidence"}:
                ctx.err(path, kline, f"{key}: a field mapping takes only value and evidence")
                continue
            value, ev = raw.get("value"), raw.get("evidence")
        text = _as_text(value)
        if value is not None and text is None:
            ctx.err(path, kline, f"{key} must be a single value, not a list or mapping")
            continue
        row[col] = text
        _check_cell(ctx, path, kline, schema, col, text)
        target = _fk_target(schema, col)
        if target:
            _ref(ctx, path, kline, target, text)
        if ev is not None:
            evidence_count += _add_evidence(ctx, path, kline, table, rid, col, ev)
    for f in schema.fields:
        if f.required and row.get(f.name) in (None, "") and f.name not in derived and f.name != pk:
            key = f.name.removesuffix("_id") if _fk_target(schema, f.name) else f.name
            if key not in rec:
                ctx.err(path, line, f"{rid}: {key} is required in {table}; add {key}:")
    if table in ctx.evidenced and evidence_count == 0:
        ctx.err(path, line, f"{rid} has no evidence; add evidence: [{{src: ..., quote: ...}}]")
    ctx.out.tables[table].append(row)


def _source_row(ctx: _Ctx, path: str, line: int, rec: Mapping, row: dict) -> None:
    rel = row.get("path") or ""
    seed_path = (ctx.root / rel).resolve()
    seeds_dir = (ctx.root / "seeds").resolve()
    if not rel or seeds_dir not in seed_path.parents:
        ctx.err(path, rec.line_of("path"), f"path {rel!r} must name a file in seeds/")
        return
    from .limits import SEED_BYTES
    from .safety import UnsafeFile, read_bounded

    try:
        data = read_bounded(seed_path, SEED_BYTES, rel, "seed")
    except UnsafeFile as e:
        if e.reason != "does not exist":
            ctx.err(path, rec.line_of("path"), f"seed {rel} {e.reason}")
            ctx.unreadable.add(str(row.get("source_id")))
            return
        ctx.err(path, rec.line_of("path"), f"seed {rel} does not exist; copy the article into seeds/ (spacecoop add-seed)")
        return
    except OSError:
        ctx.err(path, rec.line_of("path"), f"seed {rel} does not exist; copy the article into seeds/ (spacecoop add-seed)")
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        ctx.err(path, rec.line_of("path"), f"seed {rel} is not valid UTF-8 (byte {e.start})")
        return
    row["sha256"] = hashlib.sha256(data).hexdigest()
    ctx.out.seeds[row["source_id"]] = Seed(row["source_id"], rel, text, row["sha256"])


def _load_list(ctx: _Ctx, build_dir: Path, name: str) -> list:
    p = build_dir / f"{name}.yaml"
    disp = _display(ctx.root, p)
    try:
        data = load_yaml(p, disp)
    except CurationError as e:
        ctx.out.errors.append(e)
        ctx.unreadable.add(name)
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        ctx.err(disp, getattr(data, "line", 1), f"{name}.yaml must be a list of records (lines starting with '- ')")
        return []
    return data


def _display(root: Path, p: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def read_curation(root: Path, build_dir: Path | None = None, schemas: dict[str, Schema] | None = None) -> Curation:
    """Read build/*.yaml under root into rows for every table; errors are collected in .errors."""
    build_dir = build_dir or root / "build"
    ctx = _Ctx(root, schemas or schemas_package(root).schemas())
    # Sources first: evidence in every other file needs the seed texts.
    for name in ENTITY_FILES:
        disp = _display(root, build_dir / f"{name}.yaml")
        for rec in _load_list(ctx, build_dir, name):
            _record(ctx, disp, name, rec)
    errata_disp = _display(root, build_dir / "errata.yaml")
    for item in _load_list(ctx, build_dir, "errata"):
        line = getattr(item, "line", None)
        if not isinstance(item, dict):
            ctx.err(errata_disp, line, "each erratum must be a mapping {record_id, table, removed_in, reason}")
            continue
        row = {c: _as_text(item.get(c)) for c in ctx.schemas["errata"].names}
        if _unknown_key(ctx, errata_disp, line, item, row, "errata"):
            continue
        for c, v in row.items():
            _check_cell(ctx, errata_disp, line, ctx.schemas["errata"], c, v)
        where = ctx.ids.get(row["table"] or "", {}).get(row["record_id"] or "")
        if where:
            ctx.err(where[0], where[1], f"id {row['record_id']!r} was removed in {row['removed_in']} (errata.yaml) and may never be reused; choose a new id")
        ctx.out.tables["errata"].append(row)
    for path, line, table, rid in ctx.pending_refs:
        if table not in ctx.unreadable and rid not in ctx.ids.get(table, {}):
            ctx.err(path, line, f"{rid!r} is not an id in {table}; define it or fix the spelling")
    seen_ev = set()
    for ev in ctx.out.tables["evidence"]:
        if ev["evidence_id"] in seen_ev:
            ctx.err("build", None, f"the same quote is cited twice for {ev['table']} {ev['record_id']} field {ev['field'] or '(record)'}: {ev['quote'][:60]!r}")
        seen_ev.add(ev["evidence_id"])
    return ctx.out
