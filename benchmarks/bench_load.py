"""Load every table: spacecoop.load() (Parquet, then CSV) beside frictionless-py's to_pandas().

Run: .venv/bin/python benchmarks/bench_load.py
Prints best-of-5 wall time per reader, in seconds, side by side, and what dtypes each gives.
"""
from __future__ import annotations

import time
import warnings
from pathlib import Path

import spacecoop

ROOT = Path(__file__).resolve().parent.parent


def best(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def frictionless_all():
    from frictionless import Package

    pkg = Package(str(ROOT / "datapackage.json"))
    return {r.name: r.to_pandas() for r in pkg.resources if r.format == "csv"}


def main() -> None:
    warnings.simplefilter("ignore")
    rows = [
        ("spacecoop.load() (Parquet)", lambda: spacecoop.load(ROOT)),
        ("spacecoop.load(format='csv')", lambda: spacecoop.load(ROOT, format="csv")),
        ("frictionless Package(...).to_pandas() per resource", frictionless_all),
    ]
    print(f"{'reader':<52} {'best of 5 (s)':>14}")
    for name, fn in rows:
        print(f"{name:<52} {best(fn):>14.3f}")
    ours, theirs = spacecoop.load_table("agreements", ROOT), frictionless_all()["agreements"]
    print()
    print(f"{'agreements column':<20} {'spacecoop':<16} frictionless")
    for col in ("kind", "signed_earliest", "notes"):
        print(f"{col:<20} {str(ours[col].dtype):<16} {theirs[col].dtype}")


if __name__ == "__main__":
    main()
