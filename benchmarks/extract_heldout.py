"""Precision and recall of `spacecoop extract` on annotated articles (held-out or development).

    .venv/bin/python benchmarks/extract_heldout.py                    # tests/heldout/
    .venv/bin/python benchmarks/extract_heldout.py tests/fixtures/dev # the developer's own articles
    .venv/bin/python benchmarks/extract_heldout.py DIR --markdown     # the table in RESULTS-extract.md
    .venv/bin/python benchmarks/extract_heldout.py DIR --misses       # every miss and false candidate

Each article is NAME.txt beside NAME.gold.yaml, whose lists give the words (text) of each item:
dates {text, value, precision, relative, anchor}, participants {text, id|null, kind}, places
{text, country}, records {text, id|null, table}. A gold item is located by its text in the
article (the k-th gold item with the same text is its k-th occurrence); places and participants
are located together, so that one never lands on an occurrence the other holds, and a place or
participant also matches at any other occurrence of its text that no other place or participant
holds (the gold has no offsets: "Moscow" listed as a place and as its state may be either one). The extractor runs as
`spacecoop extract` does, with the records of this repository's build/ as the known ones.

Per kind, a candidate and a gold item match when their spans overlap and:
- dates: value AND precision are equal (an empty or null value is the same: a relative date);
- participants: the gold id is among the candidate's participant ids when the gold has an id;
  when it has none (a new name or a group), the candidate is a new name or a group phrase (several
  ids, or none); a candidate that links it to one existing id is wrong;
- places: any place candidate (the country is counted apart: "country right");
- records linked: gold records with an id; the candidate links that same id;
- new records: gold records without an id; the candidate proposes a new record ("table right" apart).
Recall = gold items matched / gold items (the gold lists each thing once, at its first full
mention). Precision = proposed things that match some gold item / things proposed, where a thing
is a date candidate, a participant (an id, a set of ids, or a new name with all its mentions), a
place (by name) or a record candidate (with all its mentions); it is right when any of its
mentions matches. (Counting every mention instead would charge a correct "Putin" after
"Vladimir Putin" as an error, since the gold lists each thing once.)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from spacecoop.extract import Known, draft, extract  # noqa: E402
from spacecoop.extract_rules import load_rules  # noqa: E402
from spacecoop.model import schemas_package  # noqa: E402

KINDS = ("dates", "participants", "places", "records_linked", "records_new")


def locate(text: str, items: list[dict], used: list | None = None) -> list[tuple[dict, tuple[int, int] | None]]:
    """Each gold item's span: the first occurrence of its text not inside an item located before
    ("Velin" after "Arkady Velin" is the later, standalone occurrence). used: spans already taken
    by another kind's items (a participant "China" is not the "China" of the dateline place
    "HARBIN, China": the guidelines make a country in a dateline part of the place)."""
    used = [] if used is None else used
    out = []
    for it in items or []:
        t = str(it.get("text") or "")
        # Whole words only: "Russia" is not the start of "Russian".
        starts = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(t)}(?!\w)", text)] if t else []
        if not starts and t:
            starts = [m.start() for m in re.finditer(re.escape(t), text)]
        span, first = None, (starts[0] if starts else -1)
        for i in starts:
            if not any(i < b and a < i + len(t) for a, b in used):
                span = (i, i + len(t))
                break
        if span is None and first != -1:
            span = (first, first + len(t))  # more gold items than free occurrences: reuse the first
        if span:
            used.append(span)
        out.append((it, span))
    return out


def _free_occurrences(text: str, taken: list, items: list) -> dict[int, list]:
    """Per place or participant gold item (by id()), every occurrence of its text that no other
    located place or participant holds. The gold gives words, not offsets: a capital listed once as
    a place and once as its state ("Moscow") may be either occurrence, and so may a place whose
    first occurrence is the capital acting ("Moscow said ..."; "talks in Moscow")."""
    out = {}
    for it, span in items:
        t = str(it.get("text") or "")
        if not span or not t:
            continue
        same = {sp for other, sp in items if sp and str(other.get("text") or "") == t}  # either may be the other
        others = [s for s in taken if s != span and s not in same]
        occ = [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(t)}(?!\w)", text)]
        out[id(it)] = [span] + [o for o in occ if o != span and not any(ov(o, s) for s in others)]
    return out


def ov(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def norm(v) -> str:
    return "" if v is None else str(v)


def candidates(d: dict) -> dict[str, list[tuple[str, tuple[int, int], dict]]]:
    """(group, span, info) per mention. The group is the thing proposed: a date; a participant id
    (or set of ids, or a new name's proposed id); a place name; a record candidate."""
    c = {k: [] for k in KINDS}
    for it in d["dates"]:
        c["dates"].append((it["cand"], tuple(it["at"]), {"value": norm(it["value"]), "precision": it["precision"], "relative": it.get("relative")}))
    for it in d["participants"]:
        # A group ("both sides") or an unresolved phrase is not a link to one existing record.
        key = "+".join(it["participants"]) or f"unresolved:{it['quote'].lower()}"
        c["participants"].append((key, tuple(it["at"]), {"ids": it["participants"], "new": len(it["participants"]) != 1}))
    for it in d["new_participants"]:
        for m in it["mentions"]:
            c["participants"].append((it["accept"]["id"], tuple(m), {"ids": [it["accept"]["id"]], "new": True}))
    for it in d["places"]:
        c["places"].append((it["accept"]["place"]["value"].lower(), tuple(it["at"]), {"country": it.get("country")}))
    for it in d["records"]:
        for m in it["mentions"]:
            if it.get("record"):
                c["records_linked"].append((it["cand"], tuple(m), {"id": it["record"], "table": it["table"]}))
            else:
                c["records_new"].append((it["cand"], tuple(m), {"table": it["table"]}))
    return c


def good(kind: str, gold: dict, cand: dict) -> bool:
    if kind == "dates":
        if gold.get("relative") and cand.get("relative"):
            # The codebook writes a relative date as precision unknown with relative: true; the
            # gold as precision relative. Both have an empty value: the same reading.
            return norm(gold.get("value")) == cand["value"] == ""
        return norm(gold.get("value")) == cand["value"] and gold.get("precision") == cand["precision"]
    if kind == "participants":
        return gold.get("id") in cand["ids"] if gold.get("id") else cand["new"]
    return True if kind in ("places", "records_new") else gold.get("id") == cand["id"]


def measure(folder: Path, root: Path = ROOT) -> dict:
    rules, schemas, known = load_rules(root), schemas_package(root).schemas(), Known.from_root(root)
    tot = {k: {"gold": 0, "found": 0, "cands": 0, "right": 0, "extra": 0} for k in KINDS}
    misses: list[str] = []
    for txt in sorted(folder.glob("*.txt")):
        gold_path = txt.with_name(txt.stem + ".gold.yaml")
        if not gold_path.is_file():
            continue
        text = txt.read_text(encoding="utf-8")
        g = yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}
        x = extract(text, "src-999", txt.name, rules, known)
        c = candidates(draft(x, schemas, rules.files, ""))
        taken: list = []  # places first (datelines come first), then participants, in one text
        places = locate(text, g.get("places"), taken)
        gold = {"dates": locate(text, g.get("dates")), "participants": locate(text, g.get("participants"), taken),
                "places": places}
        recs = locate(text, g.get("records"))
        gold["records_linked"] = [(r, s) for r, s in recs if r.get("id")]
        gold["records_new"] = [(r, s) for r, s in recs if not r.get("id")]
        spans = _free_occurrences(text, taken, gold["places"] + gold["participants"])
        for k in KINDS:
            for it, span in gold[k]:
                tot[k]["gold"] += 1
                hits = [cd for _, sp, cd in c[k] for at in spans.get(id(it), [span]) if ov(sp, at) and good(k, it, cd)]
                if hits:
                    tot[k]["found"] += 1
                    if k == "places" and it.get("country") == hits[0].get("country"):
                        tot[k]["extra"] += 1
                    if k == "records_new" and it.get("table") == hits[0].get("table"):
                        tot[k]["extra"] += 1
                else:
                    near = [cd for _, sp, cd in c[k] if ov(sp, span)]
                    misses.append(f"{txt.name} MISS {k}: {it}" + (f" (got {near[0]})" if near else "") + ("" if span else " (text not in article)"))
            groups: dict[str, list] = {}
            for g_, sp, cd in c[k]:
                groups.setdefault(g_, []).append((sp, cd))
            for g_, ms in groups.items():
                tot[k]["cands"] += 1
                if any(ov(sp, at) and good(k, it, cd) for sp, cd in ms for it, span in gold[k] for at in spans.get(id(it), [span])):
                    tot[k]["right"] += 1
                else:
                    misses.append(f"{txt.name} FALSE {k}: {', '.join(repr(text[a:b]) for (a, b), _ in ms)} {ms[0][1]}")
    return {"totals": tot, "misses": misses, "articles": len([p for p in folder.glob('*.gold.yaml')])}


def pct(a: int, b: int) -> str:
    return f"{a}/{b} = {100 * a / b:.1f}%" if b else "n/a"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0]) if args else ROOT / "tests" / "heldout"
    res = measure(folder)
    t = res["totals"]
    names = {"dates": "dates (value and precision)", "participants": "participants (right id where one exists)",
             "places": "places", "records_linked": "records linked to existing ids", "records_new": "new records"}
    print(f"{res['articles']} annotated articles in {folder}")
    if "--markdown" in sys.argv:
        print("| kind | recall | precision | note |")
        print("|---|---:|---:|---|")
    for k in KINDS:
        r = t[k]
        note = (f"country right {r['extra']}/{r['found']}" if k == "places" else
                f"table right {r['extra']}/{r['found']}" if k == "records_new" else "")
        if "--markdown" in sys.argv:
            print(f"| {names[k]} | {pct(r['found'], r['gold'])} | {pct(r['right'], r['cands'])} | {note} |")
        else:
            print(f"{names[k]}: recall {pct(r['found'], r['gold'])}; precision {pct(r['right'], r['cands'])} {note}")
    if "--misses" in sys.argv:
        for line in res["misses"]:
            print(line)


if __name__ == "__main__":
    main()
