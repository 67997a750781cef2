"""Invariants of the curated data itself: faithful to the seeds, honest about dates and sources."""
from __future__ import annotations

import csv
import hashlib
import re

import pytest

from conftest import REPO

SHARED_SEEDS = REPO.parent / "shared" / "seeds"


def table(name: str) -> list[dict]:
    with (REPO / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_seeds_are_verbatim_copies():
    if not SHARED_SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this clone")
    for src in SHARED_SEEDS.iterdir():
        assert (REPO / "seeds" / src.name).read_bytes() == src.read_bytes()


def test_sources_record_each_seed_and_its_hash():
    rows = table("sources")
    assert sorted(r["path"] for r in rows) == sorted(f"seeds/{p.name}" for p in (REPO / "seeds").glob("*.txt"))
    for r in rows:
        assert hashlib.sha256((REPO / r["path"]).read_bytes()).hexdigest() == r["sha256"]


def test_a_fact_both_seeds_report_is_one_row_with_evidence_from_both():
    # Both seeds report talks in Moscow: one meeting in Moscow, cited from both.
    moscow = [m for m in table("meetings") if m["place"] == "Moscow"]
    assert len(moscow) == 1
    cited_by = {e["source_id"] for e in table("evidence") if e["record_id"] == moscow[0]["meeting_id"]}
    assert cited_by == {r["source_id"] for r in table("sources")}


def _date_groups(rows: list[dict]) -> list[str]:
    return [c.removesuffix("_precision") for c in (rows[0] if rows else {}) if c.endswith("_precision")]


DATED = ("sources", "meetings", "milestones")


def dated_groups():
    """(table, primary key value, date group, row) for every date group of every dated table."""
    for name in DATED:
        rows = table(name)
        pk = next(iter(rows[0]))
        for r in rows:
            for g in _date_groups(rows):
                yield name, r[pk], g, r


def test_stated_dates_are_in_the_quoted_words():
    """A date whose basis is 'stated' must have its year (and month name and day, if any) in a quote on that field."""
    ev = table("evidence")
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    checked = 0
    for name, rid, g, r in dated_groups():
        if r[f"{g}_basis"] != "stated":
            continue
        quotes = " ".join(e["quote"] for e in ev if e["table"] == name and e["record_id"] == rid and e["field"] == g)
        assert r[g][:4] in quotes, (name, rid, g)
        if r[f"{g}_precision"] in ("month", "day"):
            assert months[int(r[g][5:7]) - 1] in quotes, (name, rid, g)
        if r[f"{g}_precision"] == "day":
            assert re.search(rf"\b{int(r[g][8:10])}\b", quotes), (name, rid, g)
        checked += 1
    assert checked > 0


def test_dates_refined_from_references_cite_the_seed_words_too():
    """A date refined by a reference still quotes what the seed said (e.g. 'in June')."""
    ev = table("evidence")
    refs = {r["reference_id"] for r in table("references")}
    n = 0
    for name, rid, g, r in dated_groups():
        if r[f"{g}_basis"] == "reference":
            assert r[f"{g}_reference_id"] in refs
            assert any(e["table"] == name and e["record_id"] == rid and e["field"] == g for e in ev), (name, rid, g)
            n += 1
    assert n > 0


def test_every_reference_is_used():
    """Each reference refines a value (a *_reference_id column) or is the one a row's notes cite by id."""
    used, notes = set(), ""
    for name in DATED + ("programs", "agreements"):
        for r in table(name):
            used |= {v for k, v in r.items() if k.endswith("reference_id") and v}
            notes += " " + (r.get("notes") or "")
    refs = {r["reference_id"] for r in table("references")}
    assert used <= refs
    assert {ref for ref in refs - used if ref not in notes} == set()


def test_no_date_claims_more_than_a_day_or_less_than_its_bounds():
    for _, _, g, r in dated_groups():
        lo, hi = r[f"{g}_earliest"], r[f"{g}_latest"]
        if lo and hi:
            assert lo <= hi
        if r[f"{g}_precision"] == "day":
            assert lo == hi == r[g]


def test_ids_follow_their_patterns_and_prefixes():
    prefixes = {"participants": "par-", "agreements": "agr-", "programs": "prg-", "meetings": "mtg-", "references": "ref-",
                "outcomes": "out-", "frameworks": "frm-", "milestones": "mst-", "claims": "clm-"}
    for name, prefix in prefixes.items():
        for r in table(name):
            rid = next(iter(r.values()))
            assert re.fullmatch(re.escape(prefix) + r"[a-z0-9]+(-[a-z0-9]+)*", rid), rid


def test_changelog_counts_of_the_current_version_match_the_data():
    import json

    version = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["version"]
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    section = text.split(f"## {version} ", 1)[1].split("\n## ", 1)[0]
    counts = dict(re.findall(r"([a-z_]+) \((\d+)\)", section))
    assert counts, "the CHANGELOG entry of this version lists no table counts"
    for name, n in counts.items():
        assert len(table(name)) == int(n), f"CHANGELOG says {name} ({n}), data/{name}.csv has {len(table(name))} rows"
