"""The package's own rules, which neither frictionless nor pandera can express: seeds and quotes,
evidence for every record, date groups, ratification after signature, derived link ids, errata,
bytes and hashes of every file, and Parquet agreeing with CSV."""
from __future__ import annotations

import hashlib
from .. import dates
from ..curation import link_id
from ..tableschema import EVIDENCED
from .package import Package, safe_path
from .problems import Problem
from .tables import Table


_d = dates.day_or_none


def _rows(t: Table):
    """(spreadsheet row, record dict) for each record row."""
    cols = list(t.frame.columns)
    for i, vals in enumerate(t.frame.itertuples(index=False, name=None)):
        yield i + 2, dict(zip(cols, vals))


def quote_problem(text: str, start: int, end: int, quote: str) -> tuple[str, str] | None:
    """(field, message) when text[start:end] is not the quote; shared by both rule paths."""
    if start >= end:
        return "char_end", f"empty span {start}..{end}: char_end must be after char_start"
    if not (0 <= start and end <= len(text)):
        return "char_start", f"offsets {start}..{end} are outside the seed ({len(text)} characters)"
    if text[start:end] != quote:
        found = text.find(quote)
        hint = f"; the quote is at {found}..{found + len(quote)}" if found >= 0 else "; the quote is not in the seed at all"
        return "quote", f"quote does not match the seed at {start}..{end}: seed has {text[start:end][:60]!r}{hint}"
    return None


def check_files(pkg: Package) -> list[Problem]:
    """Each resource's bytes and sha256 hash match the descriptor (x-bytes/x-hash for Parquet)."""
    out = []
    for res in pkg.resources():
        name = res.get("name", "?")
        size = res.get("bytes", res.get("x-bytes"))
        digest = res.get("hash", res.get("x-hash"))
        if size is None and digest is None:
            continue
        path, prob = safe_path(pkg, res.get("path"), f"resource {name}")
        if prob:
            out.append(prob)
            continue
        file = res["path"]
        if not path.is_file():
            out.append(Problem(file, "file does not exist", table=name, check="file"))
            continue
        h = hashlib.sha256()
        n = 0
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
                n += len(chunk)
        if size is not None and n != size:
            out.append(Problem(file, f"file has {n} bytes but the descriptor says {size}: changed after build; rebuild with `spacecoop build`", table=name, check="bytes"))
        if isinstance(digest, str):
            algo, _, want = digest.rpartition(":")
            if algo in ("", "sha256") and want != h.hexdigest():
                out.append(Problem(file, "sha256 differs from the descriptor's hash: changed after build; rebuild with `spacecoop build`", table=name, check="hash"))
    return out


def check_seeds(pkg: Package, tables: dict[str, Table]) -> tuple[dict[str, str], list[Problem]]:
    """Each seed exists inside the package, is UTF-8, and matches its sha256. Returns the texts."""
    t = tables.get("sources")
    if t is None:
        return {}, []
    return seed_texts(pkg, t.file, ((row, r.get("source_id"), r.get("path"), r.get("sha256")) for row, r in _rows(t)))


def seed_texts(pkg: Package, file: str, rows) -> tuple[dict[str, str], list[Problem]]:
    """The seeds named by rows of (spreadsheet row, source_id, path, sha256): their texts, and a
    problem for each seed outside the package, missing, edited or not UTF-8. Shared by both rule paths;
    a seed named twice is read once."""
    texts: dict[str, str] = {}
    out: list[Problem] = []
    seen: dict[str, str] = {}
    for row, source_id, rel, sha256 in rows:
        path, prob = safe_path(pkg, rel, f"source {source_id}")
        if prob:
            prob.table, prob.row, prob.field, prob.file = "sources", row, "path", file
            out.append(prob)
            continue
        if not path.is_file():
            out.append(Problem(file, f"seed {rel} does not exist", table="sources", row=row, field="path", check="seed"))
            continue
        data = path.read_bytes() if str(path) not in seen else None
        digest = hashlib.sha256(data).hexdigest() if data is not None else seen[str(path)]
        seen[str(path)] = digest
        if digest != sha256:
            out.append(Problem(file, f"seed {rel} does not match its sha256: the seed was edited (seeds are never edited)", table="sources", row=row, field="sha256", check="seed"))
        if data is None:
            continue
        try:
            texts[source_id or ""] = data.decode("utf-8")
        except UnicodeDecodeError as e:
            out.append(Problem(file, f"seed {rel} is not valid UTF-8 (byte {e.start})", table="sources", row=row, field="path", check="seed"))
    return texts, out


def check_evidence(tables: dict[str, Table], texts: dict[str, str]) -> list[Problem]:
    out = []
    ev = tables.get("evidence")
    if ev is None:
        return out
    ids: dict[str, dict[str, int]] = {}
    for name in EVIDENCED + ("sources",):
        t = tables.get(name)
        if t is not None:
            pk = t.schema.primary_key[0] if t.schema.primary_key else t.frame.columns[0]
            ids[name] = {v: i + 2 for i, v in enumerate(t.frame[pk])}
    cited: dict[str, set[str]] = {n: set() for n in ids}
    for row, r in _rows(ev):
        table, rid, fld = r.get("table"), r.get("record_id"), r.get("field")
        if table in ids:
            if rid not in ids[table]:
                out.append(Problem(ev.file, f"record {rid!r} does not exist in {table}", table="evidence", row=row, field="record_id", check="evidence"))
            else:
                cited[table].add(rid)
            if fld and fld not in tables[table].schema.names:
                out.append(Problem(ev.file, f"{fld!r} is not a column of {table}", table="evidence", row=row, field="field", check="evidence"))
        text = texts.get(r.get("source_id"))
        if text is None:
            continue
        try:
            start, end = int(r["char_start"]), int(r["char_end"])
        except (TypeError, ValueError):
            continue  # a type error, reported by the engines
        quote = r.get("quote", "")
        wrong = quote_problem(text, start, end, quote)
        if wrong:
            out.append(Problem(ev.file, wrong[1], table="evidence", row=row, field=wrong[0], check="quote"))
    for name, rows in ids.items():
        if name == "sources":
            continue
        for rid, row in rows.items():
            if rid not in cited[name]:
                out.append(Problem(tables[name].file, f"record {rid!r} has no evidence", table=name, row=row, check="evidence"))
    return out


def check_dates(tables: dict[str, Table]) -> list[Problem]:
    out = []
    for t in tables.values():
        groups = t.schema.date_groups
        if not groups:
            continue
        for row, r in _rows(t):
            for g in groups:
                if any(r.get(g + s) and _d(r.get(g + s)) is None for s in ("_earliest", "_latest")):
                    continue  # not a real date: the engines report the type error
                for suffix, msg in dates.check_group(
                    r.get(g), _d(r.get(g + "_earliest")), _d(r.get(g + "_latest")), r.get(g + "_precision"),
                    r.get(g + "_basis"), r.get(g + "_reference_id"), r.get("notes"),
                ):
                    out.append(Problem(t.file, msg, table=t.name, row=row, field=g + suffix, check="date"))
            if "ratified" in groups and "signed" in groups:
                s, rt = _d(r.get("signed_earliest")), _d(r.get("ratified_latest"))
                if s and rt and rt < s:
                    out.append(Problem(t.file, f"ratified ({r.get('ratified')}) before it was signed ({r.get('signed')})", table=t.name, row=row, field="ratified", check="date"))
    return out


def check_link_ids(tables: dict[str, Table]) -> list[Problem]:
    """link_id is derived from the key columns (every column between it and role, role included)."""
    out = []
    for t in tables.values():
        names = t.schema.names
        if not names or names[0] != "link_id":
            continue
        parts = names[1:]
        for row, r in _rows(t):
            if not all(r.get(p) for p in parts):
                continue
            want = link_id(*(r[p] for p in parts))
            if r["link_id"] != want:
                out.append(Problem(t.file, f"link_id {r['link_id']!r} should be {want!r} (derived from {', '.join(parts)})", table=t.name, row=row, field="link_id", check="link-id"))
    return out


def check_errata(tables: dict[str, Table]) -> list[Problem]:
    out = []
    er = tables.get("errata")
    if er is None:
        return out
    for row, r in _rows(er):
        t = tables.get(r.get("table"))
        if t is None or not t.schema.primary_key:
            continue
        if r.get("record_id") in set(t.frame[t.schema.primary_key[0]]):
            out.append(Problem(er.file, f"id {r['record_id']!r} was removed in {r.get('removed_in')} but is in {t.name} again: ids are never reused", table="errata", row=row, field="record_id", check="errata"))
    return out


def check_parquet(pkg: Package, tables: dict[str, Table]) -> list[Problem]:
    """Each Parquet resource holds the same rows as its CSV twin (resource name '<table>-parquet')."""
    out = []
    for res in pkg.resources():
        name = str(res.get("name", ""))
        if res.get("format") != "parquet" or not name.endswith("-parquet"):
            continue
        twin = tables.get(name.removesuffix("-parquet"))
        path, prob = safe_path(pkg, res.get("path"), f"resource {name}")
        if prob:
            out.append(prob)
            continue
        if twin is None or not path.is_file():
            continue
        try:
            import pyarrow.parquet as pq

            frame = pq.read_table(path).to_pandas()
        except Exception as e:  # pyarrow raises ArrowInvalid, OSError and others on broken files
            out.append(Problem(res["path"], f"Parquet file cannot be read: {str(e).splitlines()[0] if str(e) else type(e).__name__}", table=name, check="parquet"))
            continue
        if list(frame.columns) != list(twin.frame.columns):
            out.append(Problem(res["path"], "Parquet columns differ from the CSV's", table=name, check="parquet"))
            continue
        as_text = frame.astype(object).where(frame.notna(), "").map(_cell_text)
        if len(as_text) != len(twin.frame):
            out.append(Problem(res["path"], f"Parquet has {len(as_text)} rows, the CSV {len(twin.frame)}", table=name, check="parquet"))
            continue
        diff = (as_text.values != twin.frame.values)
        if diff.any():
            i, j = [int(x[0]) for x in diff.nonzero()]
            out.append(Problem(res["path"], f"Parquet differs from the CSV: {as_text.iat[i, j]!r} vs {twin.frame.iat[i, j]!r}", table=name, row=i + 2, field=str(twin.frame.columns[j]), check="parquet"))
    return out


def check_formulas(tables: dict[str, Table]) -> list[Problem]:
    """Text cells a spreadsheet would run as a formula (see spacecoop.formula)."""
    from .. import formula

    out = []
    for t in tables.values():
        for f in t.schema.fields:
            if f.type != "string" or f.name not in t.frame.columns:
                continue
            for i, v in enumerate(t.frame[f.name]):
                if formula.formula_start(v):
                    out.append(Problem(t.file, formula.message(v), table=t.name, row=i + 2, field=f.name, check="formula"))
    return out


def _cell_text(v) -> str:
    """A Parquet cell as the CSV writes it: dates ISO, booleans 'true'/'false'."""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "true" if v else "false"
    return str(v)
