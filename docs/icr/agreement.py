"""Agreement between the package's coding (data/) and a second coder's (docs/icr/coder2-*.yaml),
per vocabulary field: units coded, percent agreement and Cohen's kappa.

Run from the repository root: python docs/icr/agreement.py docs/icr/coder2-round1.yaml [--markdown]
The build never reads docs/icr/; this script reads data/ as published.
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two coders over the same units; None when chance agreement is 1 (one value only)."""
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[v] * cb[v] for v in ca) / (n * n)
    return None if pe == 1 else (po - pe) / (1 - pe)


def field_key(table: str, field: str) -> str:
    return f"date.{field.rsplit('_', 1)[1]}" if field.endswith(("_precision", "_basis")) else f"{table}.{field}"


def compare(coding_file: Path) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    key = {k["unit"]: k for k in yaml.safe_load((ROOT / "docs" / "icr" / "units-key.yaml").read_text(encoding="utf-8"))}
    rows: dict[tuple[str, str], dict] = {}
    for t in {k["table"] for k in key.values()}:
        with open(ROOT / "data" / f"{t}.csv", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rows[(t, next(iter(r.values())))] = r
    pairs: dict[str, list[tuple[str, str]]] = {}
    diffs = []
    for u in yaml.safe_load(coding_file.read_text(encoding="utf-8")):
        k = key[u["unit"]]
        row = rows.get((k["table"], k["id"]))
        if row is None:  # a row removed since the units were drawn: its disagreement was resolved by removing it
            continue
        for f, theirs in u["code"].items():
            ours = row[f]
            pairs.setdefault(field_key(k["table"], f), []).append((ours, str(theirs)))
            if ours != str(theirs):
                diffs.append(f"{u['unit']} {k['table']}/{k['id']} {f}: data {ours!r}, coder 2 {theirs!r}"
                             + (f"  # {u['comment']}" if u.get("comment") else ""))
    return pairs, diffs


def main(argv: list[str]) -> None:
    coding = Path(argv[0])
    pairs, diffs = compare(coding)
    md = "--markdown" in argv
    head = "| field | units | agreement | kappa |\n|---|---:|---:|---:|" if md else f"{'field':36} {'units':>5} {'agree':>7} {'kappa':>6}"
    print(head)
    for f in sorted(pairs):
        p = pairs[f]
        agree = sum(a == b for a, b in p) / len(p)
        k = kappa(p)
        ks = "n/a" if k is None else f"{k:.2f}"
        print(f"| `{f}` | {len(p)} | {agree:.0%} | {ks} |" if md else f"{f:36} {len(p):5d} {agree:7.0%} {ks:>6}")
    allp = [x for p in pairs.values() for x in p]
    print(("\n" if md else "") + f"all fields: {len(allp)} values, {sum(a == b for a, b in allp) / len(allp):.0%} agreement")
    if not md:
        print("\n".join(["", "disagreements:"] + diffs) if diffs else "\nno disagreements")


if __name__ == "__main__":
    main(sys.argv[1:])
