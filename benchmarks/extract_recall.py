"""How much of the curated data of the seeds `spacecoop extract` proposes, and how much it adds.

    .venv/bin/python benchmarks/extract_recall.py            # figures per seed and in total
    .venv/bin/python benchmarks/extract_recall.py --markdown # the table in RESULTS-extract.md

Measured against the hand curation in build/ (read through spacecoop.curation.read_curation):
- spans: share of curated evidence spans (evidence rows) that some candidate's own span overlaps
  (the words matched: a date, a name, a cue; not the whole sentence, which would be trivial);
- dates: share of curated date groups whose seed words a date candidate reads right. The truth
  is what the quoted words state, read independently of the extractor: the 4-digit year, the
  month name and a day number beside it in the date's evidence quotes give the expected value
  and precision (year+month+day -> day, month+year -> month, year -> year, month alone ->
  month_no_year XXXX-MM). It must also agree with the curated value (same value when the basis
  is 'stated'; when a reference refined it, the curated day must lie in what the words say).
  A date whose quotes hold no year or month name (e.g. "have recently engaged") is not stated
  in the seed at all: it is counted apart, not as found or missed;
- participants: share of curated participants cited in a seed that the extractor finds there:
  'known' with the dataset's names and aliases (data/), and 'cold' with an empty dataset, where
  only the gazetteer and the capitalized-name rule can find them (the honest test of a new article);
- noise: candidates none of whose spans overlaps any curated evidence span.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from spacecoop.curation import read_curation  # noqa: E402
from spacecoop.extract import Known, draft, extract  # noqa: E402
from spacecoop.extract_rules import load_rules  # noqa: E402
from spacecoop.model import schemas_package  # noqa: E402

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def spans_of(section: str, item: dict) -> list[tuple[int, int]]:
    if section == "new_participants":
        return [tuple(m) for m in item["mentions"]]
    if section == "records":
        return [tuple(m) for m in item["mentions"]]
    return [tuple(item["at"])]


def overlaps(a, b, spans) -> bool:
    return any(a < e and b > s for s, e in spans)


def words_date(quotes: list[str]):
    """(value, precision) the quoted words state, or None when they state no date."""
    text = " ".join(quotes)
    y = re.search(r"\b(19|20)\d{2}\b", text)
    m = re.search(r"\b(" + "|".join(MONTHS) + r")\b", text)
    if m:
        mm = MONTHS.index(m.group(1)) + 1
        d = re.search(rf"\b{m.group(1)} (\d{{1,2}})\b|\b(\d{{1,2}}) {m.group(1)}\b", text)
        if y and d:
            return f"{y.group(0)}-{mm:02d}-{int(d.group(1) or d.group(2)):02d}", "day"
        return (f"{y.group(0)}-{mm:02d}", "month") if y else (f"XXXX-{mm:02d}", "month_no_year")
    return (y.group(0), "year") if y else None


def consistent(words_value: str, curated: str, basis: str) -> bool:
    if basis == "stated":
        return words_value == curated
    if words_value.startswith("XXXX-"):
        return curated[4:7] == words_value[4:7]
    return curated.startswith(words_value)


def measure(root: Path) -> dict:
    cur = read_curation(root)
    assert not cur.errors, cur.errors
    rules = load_rules(root)
    schemas = schemas_package(root).schemas()
    warm, cold = Known.from_data(root), Known()
    ev = cur.tables["evidence"]
    res = {}
    for sid, seed in sorted(cur.seeds.items()):
        x = extract(seed.text, sid, seed.path, rules, warm)
        d = draft(x, schemas, rules.files, seed.sha256)
        cands = [(sec, spans_of(sec, it), it) for sec in ("dates", "participants", "new_participants", "places", "records", "fields") for it in d[sec]]
        mine = [e for e in ev if e["source_id"] == sid]
        cur_spans = [(e["char_start"], e["char_end"]) for e in mine]
        all_cand_spans = [s for _, ss, _ in cands for s in ss]
        spans_hit = sum(overlaps(a, b, all_cand_spans) for a, b in cur_spans)
        noise = sum(not any(overlaps(a, b, cur_spans) for a, b in ss) for _, ss, _ in cands)
        # dates
        date_rows = []
        for table, rows in cur.tables.items():
            for s in (schemas[table].date_groups if table in schemas else []):
                for r in rows:
                    if not r.get(s + "_precision"):
                        continue
                    rid = r[schemas[table].primary_key[0]]
                    qs = [e for e in mine if e["table"] == table and e["record_id"] == rid and e["field"] == s]
                    if qs:
                        date_rows.append((table, rid, s, r[s] or "", r[s + "_basis"], qs))
        dates_found, dates_total, not_stated, date_detail = 0, 0, [], []
        for table, rid, fld, value, basis, qs in date_rows:
            want = words_date([e["quote"] for e in qs])
            if want is None:
                not_stated.append(f"{rid}.{fld} ({qs[0]['quote']!r})")
                continue
            dates_total += 1
            got = [it for it in d["dates"] if any(overlaps(e["char_start"], e["char_end"], [tuple(it["at"])]) for e in qs)]
            ok = consistent(want[0], value, basis) and any((it["value"], it["precision"]) == want for it in got)
            dates_found += ok
            date_detail.append(f"{rid}.{fld}: words {want} curated {value} ({basis}) -> {'found' if ok else 'MISSED'}")
        # participants
        pids = sorted({e["record_id"] for e in mine if e["table"] == "participants"} |
                      {e["record_id"].split("~")[0] for e in mine if e["table"] == "participant_aliases"})
        known_ids = {p for it in d["participants"] for p in it["participants"]}
        xc = extract(seed.text, sid, seed.path, rules, cold)
        dc = draft(xc, schemas, rules.files, seed.sha256)
        cold_found = []
        for pid in pids:
            own = [(e["char_start"], e["char_end"]) for e in mine
                   if (e["table"] == "participants" and e["record_id"] == pid) or (e["table"] == "participant_aliases" and e["record_id"].startswith(pid + "~"))]
            hit = any(it["accept"]["id"] == pid or any(overlaps(a, b, own) for a, b in spans_of("new_participants", it)) for it in dc["new_participants"])
            hit = hit or any(pid in it["participants"] for it in dc["participants"])
            if hit:
                cold_found.append(pid)
        res[sid] = {
            "spans": (spans_hit, len(cur_spans)), "dates": (dates_found, dates_total), "not_stated": not_stated,
            "participants_known": (len([p for p in pids if p in known_ids]), len(pids)),
            "participants_cold": (len(cold_found), len(pids)), "cold_missed": [p for p in pids if p not in cold_found],
            "candidates": len(cands), "noise": noise, "date_detail": date_detail,
        }
    return res


def pct(a, b) -> str:
    return f"{a}/{b} = {100 * a / b:.1f}%" if b else "n/a"


def main() -> None:
    res = measure(ROOT)
    tot = {k: (sum(r[k][0] for r in res.values()), sum(r[k][1] for r in res.values())) for k in ("spans", "dates", "participants_known", "participants_cold")}
    cands = sum(r["candidates"] for r in res.values())
    noise = sum(r["noise"] for r in res.values())
    rows = [(sid, r) for sid, r in res.items()] + [("all", {**{k: v for k, v in tot.items()}, "candidates": cands, "noise": noise})]
    md = "--markdown" in sys.argv
    if md:
        print("| seed | evidence spans overlapped | dates read right | participants (known) | participants (cold) | candidates | noise (unused) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
    for sid, r in rows:
        cells = [pct(*r["spans"]), pct(*r["dates"]), pct(*r["participants_known"]), pct(*r["participants_cold"]),
                 str(r["candidates"]), f"{r['noise']} ({100 * r['noise'] / r['candidates']:.0f}%)"]
        print(("| " + " | ".join([sid] + cells) + " |") if md else f"{sid}: spans {cells[0]}; dates {cells[1]}; participants known {cells[2]}, cold {cells[3]}; candidates {cells[4]}, noise {cells[5]}")
    if not md:
        for sid, r in res.items():
            for line in r["date_detail"]:
                print(f"  {sid} date {line}")
            for line in r["not_stated"]:
                print(f"  {sid} date not stated in the seed's words: {line}")
            if r["cold_missed"]:
                print(f"  {sid} participants missed cold: {', '.join(r['cold_missed'])}")


if __name__ == "__main__":
    main()
