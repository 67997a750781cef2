"""Run `spacecoop validate` and `frictionless validate` on the same synthetic package, in the same
run, and print wall seconds, peak memory, rows per second, the ratio, and whether each injected
error was reported with its row. Beside every figure, two floors measured in the same run: the
import floor (`python -c "import pandera.polars, polars"`, best of 3, also the curated package's
yardstick) and the I/O floor (benchmarks/floor.py: every CSV read by polars as text, every file
hashed with sha256).

    python benchmarks/run.py 10000 100000 1000000 [--frictionless-max 100000] [--subset]

--frictionless-max N: above N rows per table, frictionless runs on the subset package only
(references, participants, meetings, meeting_participants, CSV and Parquet), and so does
spacecoop for that line, so both validate the same files.
--tools spacecoop|frictionless: run only that tool (e.g. frictionless alone at 1M rows, ~25 min,
in the background while other work goes on). --reuse: keep a package already generated in --dir.
--subset-only: skip the line for all the tables. --repeat N: the I/O floor and spacecoop run N times
each, alternately; the least wall time of each and the highest peak are reported (frictionless once).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SUBSET = ("references", "participants", "meetings", "meeting_participants")


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MiB (of the child, via GNU time), stdout."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return wall, rss_kb // 1024, p.stdout


def best_of(cmd: list[str], n: int = 3) -> float:
    return min(timed(cmd)[0] for _ in range(n))


def subset(pkg: Path) -> Path:
    d = json.loads((pkg / "datapackage.json").read_text())
    keep = set(SUBSET) | {f"{t}-parquet" for t in SUBSET}
    d["resources"] = [r for r in d["resources"] if r["name"] in keep]
    out = pkg / "datapackage-subset.json"
    out.write_text(json.dumps(d, indent=2))
    return out


def rows_of(descriptor: Path) -> int:
    d = json.loads(descriptor.read_text())
    n = 0
    for r in d["resources"]:
        if r.get("format") == "csv":
            with open(descriptor.parent / r["path"], "rb") as f:
                n += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
    return n


def found_spacecoop(out: str) -> set[tuple]:
    rep = json.loads(out)
    return {(p["table"], p["row"], p["field"]) for p in rep["problems"]}, len(rep["problems"])


def found_frictionless(out: str) -> set[tuple]:
    rep = json.loads(out)
    got = set()
    n = 0
    for task in rep.get("tasks", []):
        for e in task.get("errors", []):
            n += 1
            got.add((task.get("name"), e.get("rowNumber"), e.get("fieldName")))
    return got, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--frictionless-max", type=int, default=100_000)
    ap.add_argument("--dir", default="/tmp/spacecoop-bench")
    ap.add_argument("--tools", default="spacecoop,frictionless")
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--subset-only", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="run the I/O floor and spacecoop N times each, alternately")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    lines = ["| rows/table | files | rows | tool | wall s | peak MiB | rows/s | I/O floor s | x floor | injected errors found with row |",
             "|---:|---|---:|---|---:|---:|---:|---:|---:|---|"]
    floor = best_of([sys.executable, "-c", "import pandera.polars, polars"])
    curated = best_of([str(BIN / "spacecoop"), "validate", "-p", str(HERE.parent)])
    print(f"import floor {floor:.2f} s; curated package {curated:.2f} s ({curated - floor:+.2f} s over the floor)", flush=True)
    for n in args.sizes:
        pkg = Path(args.dir) / f"n{n}"
        if not (args.reuse and (pkg / "expected.json").is_file()):
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(pkg), str(n)], check=True)
        expected = json.loads((pkg / "expected.json").read_text())
        every = f"all {sum(1 for _ in (pkg / 'data').glob('*.csv'))} tables"
        descs = [(every, pkg / "datapackage.json")]
        if n > args.frictionless_max:
            descs = [(every, pkg / "datapackage.json"), (f"subset ({', '.join(SUBSET)})", subset(pkg))]
        if args.subset_only:
            descs = [(f"subset ({', '.join(SUBSET)})", subset(pkg))]
        tools = set(args.tools.split(","))
        for label, desc in descs:
            rows = rows_of(desc)
            # --repeat N: the floor and spacecoop alternately, N times each; the least wall time of
            # each (the run least disturbed by the machine) and the highest peak are reported.
            floors, ours = [], []
            for _ in range(args.repeat):
                floors.append(timed([sys.executable, str(HERE / "floor.py"), str(desc)]))
                if "spacecoop" in tools:
                    ours.append(timed([str(BIN / "spacecoop"), "validate", "-p", str(desc), "--json"]))
            io_floor, io_mem = min(f[0] for f in floors), max(f[1] for f in floors)
            print(f"{n:,} {label}: I/O floor {io_floor:.1f} s, {io_mem} MiB"
                  + (f" (runs: {', '.join(f'{f[0]:.1f}' for f in floors)} s)" if args.repeat > 1 else ""), flush=True)
            want = [e for e in expected if e["table"].removesuffix("-parquet") in
                    {r["name"].removesuffix("-parquet") for r in json.loads(desc.read_text())["resources"]}]
            wall_s = mem_s = None
            if "spacecoop" in tools:
                wall_s, mem_s, out = min(o[0] for o in ours), max(o[1] for o in ours), ours[0][2]
                if args.repeat > 1:
                    print(f"{n:,} {label}: spacecoop runs: {', '.join(f'{o[0]:.1f} s {o[1]} MiB' for o in ours)}", flush=True)
                got, count = found_spacecoop(out)
                hit = [e for e in want if (e["table"], e["row"], e["field"]) in got]
                extra = count - len(want)
                lines.append(f"| {n:,} | {label} | {rows:,} | spacecoop validate | {wall_s:.1f} | {mem_s} | {rows / wall_s:,.0f} | {io_floor:.1f} | {wall_s / io_floor:.1f} | "
                             f"{len(hit)}/{len(want)}{'' if extra == 0 else f' ({extra:+d} other lines)'} |")
                print(lines[-1], flush=True)
            if (n > args.frictionless_max and label.startswith("all")) or "frictionless" not in tools:
                continue
            wall_f, mem_f, out = timed([str(BIN / "frictionless"), "validate", "--json", str(desc)])
            got, count = found_frictionless(out)
            hit = [e for e in want if any(g[0] == e["table"] and g[1] == e["row"] for g in got)]
            missed = sorted({e["check"] for e in want if e not in hit})
            lines.append(f"| {n:,} | {label} | {rows:,} | frictionless validate | {wall_f:.1f} | {mem_f} | {rows / wall_f:,.0f} | {io_floor:.1f} | {wall_f / io_floor:.1f} | "
                         f"{len(hit)}/{len(want)}{' (not found: ' + ', '.join(missed) + ')' if missed else ''} |")
            if wall_s is not None:
                lines.append(f"| | | | **ratio** | **{wall_f / wall_s:.1f}x** | {mem_f / max(mem_s, 1):.2f}x | | | | |")
            print("\n".join(lines[-2:]), flush=True)
    print(f"import floor {floor:.2f} s; curated package {curated:.2f} s ({curated - floor:+.2f} s over the floor)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
