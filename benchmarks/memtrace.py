"""Where validate's memory peaks: sample RSS every 10 ms through one in-process run, each sample
named by the table being read and the rule hook running, and print the highest samples.

    python benchmarks/memtrace.py /tmp/benchall/n1000000 [--top 15]

In-process, so without the CLI's allocator setting (`_RJEM_MALLOC_CONF=narenas:1`): set it in the
environment to match the CLI. Linux only (reads /proc/self/status)."""
from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path


def rss_mib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("package", type=Path)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()

    import spacecoop.validate as validate
    from spacecoop.validate import stream
    from spacecoop.validate.checks import RULES

    t0 = time.perf_counter()
    where = ["start"]
    samples: list[tuple[float, int, str]] = []

    def sample() -> None:
        while True:
            samples.append((time.perf_counter() - t0, rss_mib(), where[0]))
            time.sleep(0.01)

    threading.Thread(target=sample, daemon=True).start()
    open_table = stream.open_table

    def traced_open(run, t, keep):
        where[0] = f"open {t.name}"
        read, close = open_table(run, t, keep)

        def traced_read():
            where[0] = t.name
            try:
                return read()
            finally:
                where[0] = f"{t.name} read"
        return traced_read, close

    stream.open_table = traced_open
    for rule in RULES:
        for hook in ("finish", "end"):
            def traced(run, *a, f=getattr(rule, hook), name=f"{type(rule).__name__}.{hook}"):
                before = where[0]
                where[0] = f"{before} | {name}"
                try:
                    return f(run, *a)
                finally:
                    where[0] = before
            setattr(rule, hook, traced)
    report = validate.validate(args.package)
    print(f"{time.perf_counter() - t0:.1f} s, {len(report.problems)} problems; highest RSS samples:")
    for t, mib, at in sorted(sorted(samples, key=lambda s: -s[1])[:args.top]):
        print(f"{t:7.2f} s {mib:6d} MiB  {at}")


if __name__ == "__main__":
    main()
