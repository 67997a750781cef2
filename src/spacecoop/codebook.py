"""`spacecoop docs`: docs/codebook.md, generated from docs/codebook.yaml (the hand-written decision
rules) and the Table Schemas (each table's row, each value's definition).

The definitions stay in schemas/ (one place); the YAML holds what a coder needs beyond them: the
principles, each table's inclusion and exclusion rules, and for each vocabulary value an inclusion
and exclusion rule, the value it is confused with, and a positive and a negative example quoted
from the seeds. `check()` lists what is missing or untrue (a quote that is not in its seed).
"""
from __future__ import annotations

from pathlib import Path

from .dictionary import _cell
from .model import Schema, open_package

SOURCE = Path("docs") / "codebook.yaml"
OUTPUT = Path("docs") / "codebook.md"
VALUE_KEYS = ("include", "exclude", "confused_with", "tell_apart", "example", "counter_example")
# Vocabularies that name tables, or a single value, need no coding rules.
NOT_CODED = {"evidence.table", "errata.table", "milestones.table", "claim_subjects.table", "sources.kind"}
# Every date group shares one precision and one basis vocabulary, coded once.
DATE_KEYS = {"_precision": "date.precision", "_basis": "date.basis"}


def _load(root: Path) -> dict:
    from .yamlfile import load_yaml

    return load_yaml(root / SOURCE, str(SOURCE))


def vocabularies(schemas: dict[str, Schema]) -> dict[str, tuple[str, tuple[str, ...], dict[str, str]]]:
    """codebook key -> (first field it stands for, values, definitions), for every coded vocabulary."""
    out = {}
    for t, s in schemas.items():
        for f in s.fields:
            if not f.enum or f"{t}.{f.name}" in NOT_CODED:
                continue
            g = next((k for suffix, k in DATE_KEYS.items() if f.name.endswith(suffix) and f.name.removesuffix(suffix) in s.date_groups), None)
            key = g or f"{t}.{f.name}"
            out.setdefault(key, (f"{t}.{f.name}", f.enum, f.enum_descriptions))
    return out


def _schemas(root: Path) -> dict[str, Schema]:
    return open_package(root).schemas()


def _seeds(root: Path) -> dict[str, str]:
    import csv
    import io

    from .limits import SEED_BYTES
    from .safety import open_regular, read_bounded

    # Seeds are read as every other command reads them: paths the package accepts, regular files
    # only (sources.csv too), and bounded.
    pkg = open_package(root)
    with open_regular(pkg.path(pkg.resource("sources").get("path"), "table sources"), "data/sources.csv") as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
    return {r["source_id"]: read_bounded(pkg.path(r["path"], f"source {r['source_id']}"), SEED_BYTES, r["path"], "seed").decode("utf-8")
            for r in rows}


def check(root: Path) -> list[str]:
    """Every coded vocabulary value has its rules, confusions name a sibling value, quotes are verbatim."""
    book, schemas, seeds = _load(root), _schemas(root), _seeds(root)
    problems = []
    tables = book.get("tables") or {}
    for t in schemas:
        for k in ("row", "include", "exclude"):
            if not (tables.get(t) or {}).get(k):
                problems.append(f"{SOURCE}: tables.{t} has no {k}")
    values = book.get("values") or {}
    quotes = [(f"principles.{p.get('id')}", e) for p in book.get("principles") or [] for e in p.get("examples") or []]
    for key, (_, enum, _) in vocabularies(schemas).items():
        for v in enum:
            rule = (values.get(key) or {}).get(v) or {}
            problems += [f"{SOURCE}: values.{key}.{v} has no {k}" for k in VALUE_KEYS if not rule.get(k)]
            if rule.get("confused_with") and (rule["confused_with"] not in enum or rule["confused_with"] == v):
                problems.append(f"{SOURCE}: values.{key}.{v}.confused_with {rule['confused_with']!r} is not another value of {key}")
            quotes += [(f"values.{key}.{v}.{k}", rule[k]) for k in ("example", "counter_example") if isinstance(rule.get(k), dict)]
    for where, ex in quotes:
        if "constructed" in ex:
            continue
        if ex.get("quote", "") not in seeds.get(ex.get("src"), "") or not ex.get("quote"):
            problems.append(f"{SOURCE}: {where}: quote {str(ex.get('quote'))[:60]!r} is not in seed {ex.get('src')}")
    return problems


def _example(ex: dict | None) -> str:
    if not ex:
        return ""
    if "constructed" in ex:
        text = f"*constructed:* {ex['constructed']}"
    else:
        text = f"“{ex['quote']}” ({ex['src']})"
    return text + (f" → {ex['coded_as']}" if ex.get("coded_as") else "") + (f" ({ex['note']})" if ex.get("note") else "")


def render(root: Path) -> str:
    book, schemas = _load(root), _schemas(root)
    desc_version = book.get("version", "")
    out = [f"# Codebook {desc_version}", "",
           "<!-- Generated from docs/codebook.yaml and schemas/*.schema.json by `spacecoop docs`; edit those, not this file. -->", "",
           "How the two seed articles are coded into the tables. Definitions of tables, fields and values come from "
           "the Table Schemas (see also docs/data-dictionary.md); the decision rules, inclusion and exclusion rules and "
           "examples are written by hand in docs/codebook.yaml. Quotes are exact words of the seeds (src-000, src-003); "
           "an example marked *constructed* is invented, because the seeds hold no instance.", "",
           "## Principles", ""]
    for p in book.get("principles") or []:
        out += [f"### {p['id']}. {p['title']}", "", p["text"].rstrip(), ""]
        for e in p.get("examples") or []:
            out.append(f"- “{e['quote']}” ({e['src']}): {e['coded']}")
        if p.get("examples"):
            out.append("")
    out += ["## Tables", ""]
    for t, s in schemas.items():
        rule = (book.get("tables") or {}).get(t) or {}
        out += [f"### {t}", "", s.description, "", f"- **One row:** {rule.get('row', '')}",
                f"- **Include:** {rule.get('include', '')}", f"- **Exclude:** {rule.get('exclude', '')}", ""]
    out += ["## Vocabularies", ""]
    for key, (first, enum, defs) in vocabularies(schemas).items():
        out += [f"### {key}", ""]
        if key in DATE_KEYS.values():
            out += [f"Applies to every date group (`X{'_precision' if key.endswith('precision') else '_basis'}`).", ""]
        for v in enum:
            r = ((book.get("values") or {}).get(key) or {}).get(v) or {}
            out += [f"#### `{v}`", "", f"**Definition:** {defs.get(v, '')}", "",
                    "| | |", "|---|---|",
                    f"| include | {_cell(r.get('include', ''))} |", f"| exclude | {_cell(r.get('exclude', ''))} |",
                    f"| confused with | `{r.get('confused_with', '')}`: {_cell(r.get('tell_apart', ''))} |",
                    f"| example | {_cell(_example(r.get('example')))} |", f"| counter-example | {_cell(_example(r.get('counter_example')))} |", ""]
    return "\n".join(out).rstrip() + "\n"


def stale(root: Path, path: Path) -> bool:
    import os

    from .safety import read_text

    return not os.path.lexists(path) or read_text(path, str(OUTPUT)) != render(root)
