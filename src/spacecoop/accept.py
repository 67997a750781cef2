"""`spacecoop accept DRAFT ID...`: write chosen candidates of a draft into build/*.yaml.

A new participant or record is appended to the file its `into:` names; a date, participant,
place, field or link goes into the record its `into:` names (one accepted in the same call, or
one already in build/). A sentence accepted as `s3='reason'` is appended to build/exclusions.yaml.
Files are changed by appending or inserting text, never by re-dumping YAML, so every existing
byte, comment and order is kept; each file is replaced atomically with its mode kept, and if one
write fails the files already written get their old bytes back. TODOs stay for the curator (the
build refuses them). Refused, with one line and nothing changed: an unknown candidate id, a
record or participant id that already exists, a key the target record already has.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import atomic
from .draftfile import flow, records_yaml, scalar
from .extract import RECORD_TABLES, TODO
from .yamlfile import CurationError, load_yaml
from .errors import INVALID, SpacecoopError

SECTIONS = ("sentences", "dates", "participants", "new_participants", "places", "records", "fields")
LIST_KEYS = {"participants", "topics", "programs", "milestones", "aliases"}
PREFIX_TABLE = {v: k for k, v in RECORD_TABLES.items()}


class AcceptError(SpacecoopError):
    exit_code = INVALID

    """One-line reason nothing was accepted."""


@dataclass
class _File:
    path: Path
    display: str
    raw: bytes
    records: list  # parsed (Mapping items, with .line)
    appended: list[dict] = field(default_factory=list)
    appended_text: str = ""
    inserts: list[tuple[int, list[str]]] = field(default_factory=list)  # (0-based line index, lines to insert before it)


def _display(root: Path, p: Path) -> str:
    try:
        return str(p.resolve().relative_to(root))
    except ValueError:
        return str(p)


def _load_draft(root: Path, path: Path) -> dict:
    disp = _display(root, path)
    if not path.is_file():
        raise AcceptError(f"{disp}: no such draft file (spacecoop extract writes them in build/drafts/)")
    try:
        d = load_yaml(path, disp)
    except CurationError as e:
        raise AcceptError(str(e)) from None
    if not isinstance(d, dict) or not isinstance(d.get("draft"), dict) or not d["draft"].get("source_id"):
        raise AcceptError(f"{disp}: not a draft written by spacecoop extract (no draft: source_id)")
    return d


def _candidates(d: dict, disp: str) -> dict[str, tuple[str, dict]]:
    out = {}
    for sec in SECTIONS:
        for item in d.get(sec) or []:
            if isinstance(item, dict) and isinstance(item.get("cand"), str):
                out[item["cand"]] = (sec, item)
    if not out:
        raise AcceptError(f"{disp}: the draft has no candidate ids (cand:); run spacecoop extract again to get a new draft")
    return out


def _plain(v):
    """A parsed YAML value as plain dicts and lists (the draft's Mapping keeps line numbers)."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _file(root: Path, files: dict[str, _File], table: str) -> _File:
    if table in files:
        return files[table]
    p = root / "build" / f"{table}.yaml"
    disp = f"build/{table}.yaml"
    if not p.is_file():
        raise AcceptError(f"{disp} does not exist: there is no {table} table in this package yet; leave this candidate out")
    from .limits import YAML_BYTES
    from .safety import read_bounded

    try:
        raw = read_bounded(p, YAML_BYTES, disp, "YAML file")
        recs = load_yaml(p, disp) or []
    except (OSError, CurationError) as e:
        raise AcceptError(f"{disp}: cannot read it ({e}); fix it first (spacecoop build shows why)") from None
    if not isinstance(recs, list):
        raise AcceptError(f"{disp}: is not a list of records; fix it first")
    files[table] = _File(p, disp, raw, recs)
    return files[table]


def _starts_with(sentences: list[dict], n: int) -> str:
    """Opening words of sentence n that no other sentence of the seed starts with."""
    text = next(s["text"] for s in sentences if s["n"] == n)
    others = [s["text"] for s in sentences if s["n"] != n]
    words = text.split(" ")
    for k in range(3, len(words) + 1):
        head = " ".join(words[:k])
        if not any(o.startswith(head) for o in others):
            return head
    return text


def accept(root: Path, draft_path: Path, ids: list[str]) -> list[str]:
    """Write the chosen candidates; returns the lines to print. AcceptError: nothing was written."""
    root = root.resolve()
    d = _load_draft(root, draft_path)
    disp = _display(root, draft_path)
    cands = _candidates(d, disp)
    sid = str(d["draft"]["source_id"])
    if not ids:
        raise AcceptError(f"{disp}: name the candidates to accept, e.g. n1 r2 s6='page furniture'")
    chosen: list[tuple[str, str, dict, str | None]] = []
    for arg in dict.fromkeys(ids):
        cid, _, reason = arg.partition("=")
        cid = cid.strip()
        if cid not in cands:
            first = sorted(cands, key=lambda c: (c[0], int(re.sub(r"\D", "", c) or 0)))
            raise AcceptError(f"{disp}: no candidate {cid!r} in this draft (its candidates: {', '.join(first[:12])}{', ...' if len(first) > 12 else ''})")
        sec, item = cands[cid]
        if sec == "sentences" and not reason.strip():
            raise AcceptError(f"{cid}: a sentence is accepted as an exclusion and needs a reason: {cid}='analysis: ...'")
        if sec != "sentences" and reason:
            raise AcceptError(f"{cid}: only a sentence (s...) takes ='reason'")
        chosen.append((cid, sec, item, reason.strip() or None))

    files: dict[str, _File] = {}
    existing: dict[str, tuple[str, object]] = {}  # id -> (table, record) for every record file that exists
    for table in RECORD_TABLES:
        if (root / "build" / f"{table}.yaml").is_file():
            f = _file(root, files, table)
            for r in f.records:
                if isinstance(r, dict) and isinstance(r.get("id"), str):
                    existing[r["id"]] = (table, r)

    try:
        return _accept(root, d, disp, sid, chosen, files, existing)
    except (AttributeError, KeyError, TypeError, ValueError) as e:  # a hand-edited draft
        raise AcceptError(f"{disp}: a candidate is not in the form spacecoop extract writes ({type(e).__name__}: {e}); run spacecoop extract again") from None


def _accept(root: Path, d: dict, disp: str, sid: str, chosen: list, files: dict, existing: dict) -> list[str]:
    new_records: dict[str, dict] = {}  # id -> record dict being appended
    done: list[str] = []
    # 1. New participants and records: appended to their file.
    for cid, sec, item, _ in chosen:
        if sec == "new_participants" or (sec == "records" and not item.get("record")):
            rec = _plain(item.get("accept"))
            table = "participants" if sec == "new_participants" else str(item.get("table"))
            if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                raise AcceptError(f"{cid}: its accept block has no id; the draft was edited by hand")
            if rec["id"] in existing or rec["id"] in new_records:
                where = existing[rec["id"]][0] if rec["id"] in existing else "this call"
                raise AcceptError(f"{cid}: {rec['id']} already exists (build/{where}.yaml); it was accepted before, or give the new record another id in the draft")
            f = _file(root, files, table)
            f.appended.append(rec)
            new_records[rec["id"]] = rec
            done.append(f"{cid} -> {f.display}: {rec['id']}")
    # 2. Exclusions.
    for cid, sec, item, reason in chosen:
        if sec == "sentences":
            p = root / "build" / "exclusions.yaml"
            if "exclusions" not in files:
                from .limits import YAML_BYTES
                from .safety import read_bounded

                try:
                    raw = read_bounded(p, YAML_BYTES, "build/exclusions.yaml", "YAML file")
                except OSError as e:
                    raise AcceptError(f"build/exclusions.yaml: cannot read it ({e.strerror})") from None
                files["exclusions"] = _File(p, "build/exclusions.yaml", raw, [])
            sw = _starts_with(d.get("sentences") or [], int(item["n"]))
            files["exclusions"].appended_text += f"- {{source: {scalar(sid)}, starts_with: {scalar(sw) if not sw.startswith(('-', '?', '*', '&', '!', '[', '{')) else flow(sw)}, reason: {_q(reason)}}}\n"
            done.append(f"{cid} -> build/exclusions.yaml: sentence {item['n']} left out ({reason})")
    # 3. Values that go into a record.
    for cid, sec, item, _ in chosen:
        if sec in ("sentences", "new_participants") or (sec == "records" and not item.get("record")):
            continue
        into = item.get("into")
        if not isinstance(into, dict) or not into.get("record") or not into.get("field"):
            raise AcceptError(f"{cid}: its sentence names no record to put it in ({into}); copy its accept block by hand")
        rid, key = str(into["record"]), str(into["field"])
        acc = _plain(item.get("accept"))
        if sec == "participants":
            pairs = [("participants", a) for a in acc]
        elif sec == "records":
            pairs = [("programs", acc)]
        elif sec in ("places",):
            pairs = [(k, v) for k, v in acc.items()]
        elif sec == "fields" and key not in LIST_KEYS:
            pairs = [(k, v) for k, v in acc.items()]
        else:
            pairs = [(key, acc)]
        if any(isinstance(v, dict) and TODO in str(v.get("participant", "")) for _, v in pairs):
            raise AcceptError(f"{cid}: the draft could not say who {item.get('quote')!r} is (participant TODO); copy it by hand with the right id")
        if rid in new_records:
            rec = new_records[rid]
            for k, v in pairs:
                if k in LIST_KEYS:
                    rec.setdefault(k, []).append(v)
                elif k in rec:
                    raise AcceptError(f"{cid}: {rid} already has {k}:; leave {cid} out or edit by hand")
                else:
                    rec[k] = v
        elif rid in existing:
            table, rec = existing[rid]
            f = _file(root, files, table)
            _insert(f, rec, pairs, cid, rid)
        else:
            raise AcceptError(f"{cid}: its record {rid} is not in build/ and not accepted in this call; accept its record too (or copy by hand)")
        done.append(f"{cid} -> {rid}: {', '.join(k for k, _ in pairs)}")

    # Render and check every changed file before writing any.
    out: dict[str, tuple[Path, bytes, bytes]] = {}
    for name, f in files.items():
        if not (f.appended or f.appended_text or f.inserts):
            continue
        text = f.raw.decode("utf-8")
        lines = text.splitlines(keepends=True)
        for idx, new_lines in sorted(f.inserts, key=lambda t: t[0], reverse=True):
            if idx > 0 and idx <= len(lines) and not lines[idx - 1].endswith("\n"):
                lines[idx - 1] += "\n"
            lines[idx:idx] = [ln + "\n" for ln in new_lines]
        text = "".join(lines)
        add = (records_yaml(f.appended) if f.appended else "") + f.appended_text
        if add:
            text = text + ("" if not text or text.endswith("\n") else "\n") + add
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise AcceptError(f"{f.display}: the accepted text would not parse ({str(e).splitlines()[0]}); nothing was changed") from None
        if f.appended and (not isinstance(parsed, list) or len(parsed) != len(f.records) + len(f.appended)):
            raise AcceptError(f"{f.display}: appending would not add exactly {len(f.appended)} record(s); nothing was changed")
        out[name] = (f.path, f.raw, text.encode("utf-8"))
    written: list[tuple[Path, bytes]] = []
    try:
        for path, old, new in out.values():
            atomic.write_file(path, new)
            written.append((path, old))
    except OSError as e:
        for path, old in written:
            atomic.write_file(path, old)
        raise AcceptError(f"cannot write {path}: {e.strerror or e}; nothing was changed") from None
    todo = sum(new.decode("utf-8").count(TODO) - old.decode("utf-8").count(TODO) for _, old, new in out.values())
    done.append(f"accepted {len(chosen)} candidate(s) into {', '.join(sorted(_display(root, p) for p, _, _ in out.values()))}"
                + (f"; {todo} TODO left for you to replace, then: spacecoop build" if todo > 0 else "; next: spacecoop build"))
    return done


def _q(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)


def _insert(f: _File, rec, pairs: list[tuple[str, object]], cid: str, rid: str) -> None:
    """Insert keys (or list items) into a record already in f, as text at the end of its block."""
    lines = f.raw.decode("utf-8").splitlines()
    starts = sorted(r.line for r in f.records if hasattr(r, "line"))
    first = rec.line - 1  # 0-based line of "- id: ..."
    nxt = next((s - 1 for s in starts if s - 1 > first), len(lines))
    end = nxt
    while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1  # comments and blank lines before the next record belong to it
    indent = len(lines[first]) - len(lines[first].lstrip(" ")) + 2
    pad = " " * indent
    for k, v in pairs:
        if k in LIST_KEYS:
            if k in rec:
                kl = rec.line_of(k) - 1
                j = kl + 1
                while j < end and (len(lines[j]) - len(lines[j].lstrip(" ")) > indent):
                    j += 1
                if lines[kl].rstrip().endswith("]") or lines[kl].rstrip().endswith("[]"):
                    raise AcceptError(f"{cid}: {rid}'s {k}: is written on one line in {f.display}; add it by hand")
                f.inserts.append((j, [f"{pad}  - {flow(v)}"]))
            else:
                f.inserts.append((end, [f"{pad}{k}:", f"{pad}  - {flow(v)}"]))
        else:
            if k in rec:
                raise AcceptError(f"{cid}: {rid} already has {k}: in {f.display}; leave {cid} out or edit by hand")
            f.inserts.append((end, [f"{pad}{k}: {flow(v)}"]))
