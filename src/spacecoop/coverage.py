"""`spacecoop coverage`: is every sentence of every seed either cited by evidence or excluded?

A sentence is cited when any evidence span overlaps it. A sentence left out on purpose (opinion,
analysis, page furniture) is listed in build/exclusions.yaml with a reason; an exclusion names its
sentence by source and opening words, and must match exactly one sentence, which must not be cited.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SpacecoopError, first_lines
from .curation import read_curation
from .extract_rules import load_abbreviations
from .sentences import Sentence, split
from .yamlfile import CurationError, load_yaml

EXCLUSIONS = "build/exclusions.yaml"
EXCLUSION_KEYS = {"source", "starts_with", "reason"}


class CoverageUnavailable(SpacecoopError):
    """Coverage cannot be computed (the curation or the rules do not load)."""

    def __init__(self, errors: list[CurationError]):
        super().__init__("the curation does not load; fix the errors above (spacecoop build shows them too)",
                         lines=first_lines(errors))
        self.errors = errors


@dataclass
class Row:
    sentence: Sentence
    status: str  # cited, excluded, MISSING
    reason: str | None = None

    def as_dict(self) -> dict:
        s = self.sentence
        return {"n": s.n, "start": s.start, "end": s.end, "status": self.status, "reason": self.reason, "text": s.text}


@dataclass
class SeedCoverage:
    source_id: str
    path: str
    rows: list[Row]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)


@dataclass
class CoverageReport:
    seeds: list[SeedCoverage]
    problems: list[CurationError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(s.count(status) for s in self.seeds)

    @property
    def ok(self) -> bool:
        return not self.problems and self.count("MISSING") == 0

    def summary(self) -> str:
        n = sum(len(s.rows) for s in self.seeds)
        return (f"coverage: {len(self.seeds)} seed(s), {n} sentences: {self.count('cited')} cited, "
                f"{self.count('excluded')} excluded, {self.count('MISSING')} MISSING"
                + (f"; {len(self.problems)} problem(s) in {EXCLUSIONS}" if self.problems else ""))

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "seeds": [{"source_id": s.source_id, "path": s.path, "sentences": len(s.rows),
                       "cited": s.count("cited"), "excluded": s.count("excluded"), "missing": s.count("MISSING"),
                       "rows": [r.as_dict() for r in s.rows]} for s in self.seeds],
            "problems": [str(p) for p in self.problems],
            "summary": self.summary(),
        }


def _exclusions(root: Path) -> tuple[list, list[CurationError]]:
    p = root / EXCLUSIONS
    if not os.path.lexists(p):  # a FIFO or directory there is refused by load_yaml, in one line
        return [], []
    data = load_yaml(p, EXCLUSIONS)
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [CurationError(EXCLUSIONS, getattr(data, "line", 1), "must be a list of {source, starts_with, reason}")]
    out, errs = [], []
    for item in data:
        line = getattr(item, "line", None)
        if not isinstance(item, dict):
            errs.append(CurationError(EXCLUSIONS, line, "each exclusion must be a mapping {source, starts_with, reason}"))
            continue
        unknown = set(item) - EXCLUSION_KEYS
        if unknown:
            errs.append(CurationError(EXCLUSIONS, line, f"unknown key {sorted(unknown)[0]!r}; allowed: {', '.join(sorted(EXCLUSION_KEYS))}"))
            continue
        missing = [k for k in ("source", "starts_with", "reason") if not isinstance(item.get(k), str) or not item[k].strip()]
        if missing:
            errs.append(CurationError(EXCLUSIONS, line, f"exclusion needs {missing[0]}: (text)"))
            continue
        out.append((line, item["source"], item["starts_with"], item["reason"]))
    return out, errs


def coverage(root: Path) -> CoverageReport:
    """Coverage of every seed in build/sources.yaml by the evidence in build/*.yaml."""
    root = root.resolve()
    cur = read_curation(root)
    if cur.errors:
        raise CoverageUnavailable(cur.errors)
    try:
        abbreviations = load_abbreviations(root)
        exclusions, problems = _exclusions(root)
    except CurationError as e:
        raise CoverageUnavailable([e]) from None
    spans: dict[str, list[tuple[int, int]]] = {}
    for ev in cur.tables["evidence"]:
        spans.setdefault(ev["source_id"], []).append((ev["char_start"], ev["char_end"]))
    report = CoverageReport([], problems)
    by_source: dict[str, dict[int, Row]] = {}
    for sid in sorted(cur.seeds):
        seed = cur.seeds[sid]
        rows = []
        for s in split(seed.text, abbreviations):
            cited = any(s.overlaps(a, b) for a, b in spans.get(sid, ()))
            rows.append(Row(s, "cited" if cited else "MISSING"))
        report.seeds.append(SeedCoverage(sid, seed.path, rows))
        by_source[sid] = {r.sentence.n: r for r in rows}
    seen: dict[tuple[str, int], int] = {}
    for line, sid, starts, reason in exclusions:
        rows = by_source.get(sid)
        if rows is None:
            report.problems.append(CurationError(EXCLUSIONS, line, f"source {sid!r} is not a seed in build/sources.yaml"))
            continue
        hits = [r for r in rows.values() if r.sentence.text.startswith(starts)]
        if len(hits) != 1:
            how = "no sentence" if not hits else f"{len(hits)} sentences ({', '.join(str(h.sentence.n) for h in hits)}); quote more of its opening words"
            report.problems.append(CurationError(EXCLUSIONS, line, f"{sid}: starts_with {starts[:50]!r} matches {how}"))
            continue
        row = hits[0]
        key = (sid, row.sentence.n)
        if key in seen:
            report.problems.append(CurationError(EXCLUSIONS, line, f"{sid} sentence {row.sentence.n} is already excluded at line {seen[key]}"))
            continue
        seen[key] = line
        if row.status == "cited":
            report.problems.append(CurationError(EXCLUSIONS, line, f"{sid} sentence {row.sentence.n} is cited by evidence, so it is not left out; remove this exclusion"))
            continue
        row.status, row.reason = "excluded", reason
    return report


def table_lines(report: CoverageReport, width: int = 60) -> list[str]:
    """The compact text table: per seed, one line per sentence, then the summary."""
    out = []
    for s in report.seeds:
        out.append(f"{s.source_id} {s.path}: {len(s.rows)} sentences, {s.count('cited')} cited, "
                   f"{s.count('excluded')} excluded, {s.count('MISSING')} MISSING")
        out.append(f"  {'#':>3} {'start':>6} {'end':>6}  {'status':<8}  first words")
        for r in s.rows:
            words = " ".join(r.sentence.text.split())
            words = words if len(words) <= width else words[: width - 1].rstrip() + "…"
            out.append(f"  {r.sentence.n:>3} {r.sentence.start:>6} {r.sentence.end:>6}  {r.status:<8}  {words}")
    return out
