"""Write a synthetic spacecoop package with N rows per entity and link table, for benchmarks.

Same schemas (copied from schemas/), same descriptor layout as `spacecoop build` (CSV + Parquet
resources, bytes and sha256 right for the generated files), synthetic seeds so that the quote rule
has texts, and realistic values that pass every check; then a few errors injected at known rows,
listed in expected.json as (file, row, field, check).

Shape at N: `references` and 14 evidenced tables have N rows each (participants one more: the
duplicate), the three *_participants link tables 3 N each (China and Russia as parties, and one other);
`evidence` has one row per evidenced record (23 N: every record must have evidence); `sources` has
10 rows (one per synthetic seed), `errata` 10. At N = 1,000,000: 47,000,021 rows, 4.1 GB of CSV.

    python benchmarks/generate.py OUT_DIR N
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from spacecoop import descriptor  # noqa: E402
from spacecoop.model.ids import slug_expr  # noqa: E402
from spacecoop.model import schemas_package  # noqa: E402

_REPO_PKG = schemas_package(REPO)
TABLES = _REPO_PKG.table_names()
EVIDENCED = _REPO_PKG.evidenced

SEEDS = 10
WORDS = ("space cooperation lunar station orbit satellite navigation agreement ministry talks "
         "research launch mission program memorandum rocket deep exploration debris monitoring").split()


def _pick(values, n: int, seed: int) -> pl.Series:
    rng = np.random.default_rng(seed)
    return pl.Series(np.asarray(values, dtype=object)[rng.integers(0, len(values), n)].astype(str))


def _ids(prefix: str, n: int) -> pl.Series:
    return pl.Series([f"{prefix}{i}" for i in range(n)])


def _dates(n: int, seed: int) -> pl.Series:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 365 * 20, n)
    return pl.Series((np.datetime64("2005-01-01") + days.astype("timedelta64[D]")).astype(str))


def seeds(out: Path) -> list[dict]:
    rng = np.random.default_rng(7)
    rows = []
    (out / "seeds").mkdir(parents=True, exist_ok=True)
    for k in range(SEEDS):
        sentences = [" ".join(rng.choice(WORDS, 12)).capitalize() + "." for _ in range(60)]
        text = " ".join(sentences) + "\n"
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        name = f"{k:03d}_{digest[:16]}.txt"
        (out / "seeds" / name).write_bytes(data)
        rows.append({"source_id": f"src-{k:03d}", "path": f"seeds/{name}", "sha256": digest, "text": text})
    return rows


def tables(n: int, seed_rows: list[dict]) -> tuple[dict[str, pl.DataFrame], list[dict]]:
    t: dict[str, pl.DataFrame] = {}
    expected: list[dict] = []
    kinds = {"participants": ["state", "government_body", "space_agency", "company", "international_body", "person"]}
    countries = ["CHN", "RUS", "USA", "BLR", "AZE", "EGY", "IND", "BRA"]
    t["references"] = pl.DataFrame({
        "reference_id": _ids("ref-r", n), "title": _ids("Reference report ", n), "publisher": _pick(["Agency A", "Agency B", "News C"], n, 1),
        "address": _ids("https://example.org/r/", n), "published": _dates(n, 2), "wording": _pick(["signed the agreement", "met in Moscow"], n, 3),
        "accessed": pl.Series(["2024-09-01"] * n), "notes": pl.Series([None] * n, dtype=pl.String),
    })
    src = pl.DataFrame([{k: v for k, v in r.items() if k != "text"} for r in seed_rows])
    t["sources"] = src.with_columns(
        outlet=pl.lit("Synthetic Outlet"), outlet_basis=pl.lit("stated"), address=pl.lit("https://example.org/seed"),
        metadata_reference_id=pl.lit("ref-r0"), language=pl.lit("en"), kind=pl.lit("news_article"),
        published=pl.lit("2024-08-08"), published_earliest=pl.lit("2024-08-08"), published_latest=pl.lit("2024-08-08"),
        published_precision=pl.lit("day"), published_basis=pl.lit("stated"), published_reference_id=pl.lit(None, pl.String),
        notes=pl.lit(None, pl.String),
    )
    pid = _ids("par-p", n)
    t["participants"] = pl.DataFrame({
        "participant_id": pid, "name": _ids("Participant ", n), "kind": _pick(kinds["participants"], n, 4),
        "country": _pick(countries, n, 5), "post": pl.Series([None] * n, dtype=pl.String),
        "affiliation_id": pl.Series([f"par-p{i // 2}" if i % 3 == 0 else None for i in range(n)]),
        "notes": _pick(["", "Named in the seed.", "Counted once."], n, 6).replace("", None),
    })
    t["participant_aliases"] = pl.DataFrame({"participant_id": pid, "alias": _ids("Alias ", n)})
    d = _dates(n, 7)
    mid = _ids("mtg-m", n)
    t["meetings"] = pl.DataFrame({
        "meeting_id": mid, "label": _ids("Meeting number ", n), "kind": _pick(["consultation", "talks", "visit", "summit"], n, 8),
        "place": _pick(["Moscow", "Beijing", None], n, 9), "country": _pick(countries, n, 10), "date": d, "date_earliest": d, "date_latest": d,
        "date_precision": pl.Series(["day"] * n), "date_basis": pl.Series(["reference"] * n), "date_reference_id": _pick([f"ref-r{i}" for i in range(min(n, 500))], n, 11),
        "level": _pick(["head_of_state", "minister", "senior_official", "unknown"], n, 12), "level_stated": pl.Series([None] * n, dtype=pl.String),
        "first_of_its_kind": pl.Series(["true" if i % 7 == 0 else None for i in range(n)], dtype=pl.String), "notes": pl.Series([None] * n, dtype=pl.String),
    })
    rng = np.random.default_rng(13)
    other = pl.Series([f"par-p{j}" for j in rng.integers(0, n, n)])
    # The codebook's rules hold in the synthetic package too: par-p0 (China) and par-p1 (Russia) are
    # the two sides of every meeting and the parties of every agreement and outcome; one more link
    # per row has a random role that is not a side.
    t["participants"] = t["participants"].with_columns(
        kind=pl.when(pl.int_range(pl.len()) < 2).then(pl.lit("state")).otherwise("kind"),
        country=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("CHN")).when(pl.int_range(pl.len()) == 1).then(pl.lit("RUS")).otherwise("country"))

    def sides(key: str, ids: pl.Series, roles: list[str], seed: int) -> pl.DataFrame:
        return pl.concat([pl.DataFrame({key: ids, "participant_id": pl.Series([p] * n), "role": pl.Series(["party"] * n)}) for p in ("par-p0", "par-p1")]
                         + [pl.DataFrame({key: ids, "participant_id": other, "role": _pick(roles, n, seed)})])

    t["meeting_participants"] = sides("meeting_id", mid, ["delegate", "delegation", "announcer", "subject"], 14)
    t["meeting_topics"] = pl.DataFrame({"meeting_id": mid, "topic": _pick(["peaceful_use_of_outer_space", "international_legal_regulation",
                                        "sustainability_and_safety", "copuos_agenda", "arms_race_prevention", "space_cooperation"], n, 15)})
    gid = _ids("prg-g", n)
    t["programs"] = pl.DataFrame({
        "program_id": gid, "name": _ids("Program ", n), "kind": _pick(["cooperation", "project", "facility", "institution"], n, 17),
        "domain": _pick(["satellite_navigation", "lunar_exploration", "deep_space_exploration", "space_debris_monitoring"], n, 18),
        "status": pl.Series(["established"] * n),
        "aims": _pick(["establish a lunar research base", "monitor debris", None], n, 20), "focus": pl.Series([None] * n, dtype=pl.String),
        "timeframe": pl.Series([None] * n, dtype=pl.String),
        "notes": pl.Series([None] * n, dtype=pl.String),
    })
    t["program_participants"] = pl.DataFrame({"program_id": gid, "participant_id": other, "role": _pick(["partner", "interested"], n, 21)})
    t["meeting_programs"] = pl.DataFrame({"meeting_id": mid, "program_id": gid})
    aid = _ids("agr-a", n)
    s = _dates(n, 22)
    empty = pl.Series([None] * n, dtype=pl.String)
    t["agreements"] = pl.DataFrame({
        "agreement_id": aid, "kind": _pick(["memorandum_of_understanding", "agreement", "joint_statement"], n, 23), "scope": pl.Series(["bilateral"] * n),
        "title": _ids("Agreement on cooperation ", n), "content": empty, "status": pl.Series(["signed"] * n), "multiple": empty, "meeting_id": mid,
        "notes": empty,
    })
    t["agreement_participants"] = sides("agreement_id", aid, ["ratifier", "subject"], 24)
    t["agreement_programs"] = pl.DataFrame({"agreement_id": aid, "program_id": gid, "role": _pick(["establishes", "concerns"], n, 25)})
    oid = _ids("out-o", n)
    t["outcomes"] = pl.DataFrame({"outcome_id": oid, "kind": _pick(["agreed_outcome", "joint_position"], n, 26), "meeting_id": mid,
                                  "text": _ids("to cooperate on item ", n), "notes": empty})
    t["outcome_participants"] = sides("outcome_id", oid, ["subject"], 27)
    t["frameworks"] = pl.DataFrame({"framework_id": _ids("frm-f", n), "name": _ids("Framework ", n), "leader_id": other, "notes": empty})
    t["milestones"] = pl.DataFrame({"milestone_id": _ids("mst-a", n), "table": pl.Series(["agreements"] * n), "record_id": aid,
                                    "kind": pl.Series(["signed"] * n), "date": s, "date_earliest": s, "date_latest": s,
                                    "date_precision": pl.Series(["day"] * n), "date_basis": pl.Series(["stated"] * n),
                                    "date_reference_id": empty, "notes": empty})
    cid = _ids("clm-c", n)
    t["claims"] = pl.DataFrame({"claim_id": cid, "source_id": _pick([r_["source_id"] for r_ in seed_rows], n, 28),
                                "type": _pick(["caveat", "forecast", "motive", "effect", "assessment"], n, 29), "attribution": pl.Series(["outlet"] * n),
                                "speaker_id": empty, "text": _ids("An assertion ", n), "notes": empty})
    t["claim_subjects"] = pl.DataFrame({"claim_id": cid, "table": pl.Series(["participants"] * n), "record_id": other})
    t["errata"] = pl.DataFrame({"record_id": [f"par-removed-{k}" for k in range(10)], "table": ["participants"] * 10,
                                "removed_in": ["0.1.0"] * 10, "reason": ["synthetic"] * 10})

    # Injected errors, at rows spread through each table (row = spreadsheet row: index + 2).
    r = lambda frac: int(n * frac)  # noqa: E731
    def inject(table, idx, col, value, check, field=None):
        t[table] = t[table].with_columns(t[table].get_column(col).scatter(idx, value))
        expected.append({"table": table, "row": idx + 2, "field": field or col, "check": check, "value": value})
    inject("meeting_participants", 2 * n + r(0.71), "participant_id", "par-nowhere", "foreign-key")  # a non-side link: the sides stay two
    inject("agreements", r(0.42), "status", "maybe", "enum")
    inject("meetings", r(0.33), "date_earliest", "2024-02-30", "type")
    inject("programs", r(0.57), "name", None, "required")
    inject("participants", r(0.25), "notes", "=HYPERLINK(\"http://example.org\")", "formula")
    # Duplicate id: one more participants row copying row r(0.5) (appended, so nothing else moves).
    dup = t["participants"].slice(r(0.5), 1)
    t["participants"] = pl.concat([t["participants"], dup])
    expected.append({"table": "participants", "row": n + 2, "field": "participant_id", "check": "unique", "value": dup.item(0, 0)})

    # Link ids, derived from the key columns as the build does.
    schemas = _REPO_PKG.schemas()
    for name in TABLES:
        names = schemas[name].names
        if names[0] == "link_id":
            t[name] = t[name].with_columns(pl.concat_str([slug_expr(pl.col(p)) for p in names[1:]], separator="~").alias("link_id"))
    # Evidence: one row per evidenced record, a quote taken from a seed at its offsets.
    texts = {r_["source_id"]: r_["text"] for r_ in seed_rows}
    spans = []
    for sid, text in texts.items():
        for j in range(200):
            a = (j * 37) % (len(text) - 60)
            spans.append((sid, a, a + 20 + j % 30, text[a:a + 20 + j % 30]))
    parts = []
    for name in EVIDENCED:
        pk = schemas[name].primary_key[0]
        ids = t[name].get_column(pk)
        if name == "participants":
            ids = ids.head(n)  # the duplicate row shares its id with an earlier one
        parts.append(pl.DataFrame({"table": [name] * len(ids), "record_id": ids}))
    ev = pl.concat(parts)
    m = ev.height
    pick = np.random.default_rng(26).integers(0, len(spans), m)
    sp = [spans[i] for i in pick]
    ev = ev.with_columns(
        pl.Series("evidence_id", [f"ev-{i:012x}" for i in range(m)]), pl.lit(None, pl.String).alias("field"),
        pl.Series("source_id", [x[0] for x in sp]), pl.Series("char_start", [str(x[1]) for x in sp]),
        pl.Series("char_end", [str(x[2]) for x in sp]), pl.Series("quote", [x[3] for x in sp]),
    )
    t["evidence"] = ev
    i = int(m * 0.9)
    s0, e0 = int(ev.item(i, "char_start")), int(ev.item(i, "char_end"))
    t["evidence"] = ev.with_columns(ev.get_column("char_start").scatter(i, str(s0 + 1)), ev.get_column("char_end").scatter(i, str(e0 + 1)))
    expected.append({"table": "evidence", "row": i + 2, "field": "quote", "check": "quote", "value": ev.item(i, "quote")})
    for name in TABLES:
        t[name] = t[name].select(schemas[name].names)
    return t, expected


def write(out: Path, n: int) -> list[dict]:
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    shutil.copytree(REPO / "schemas", out / "schemas")
    seed_rows = seeds(out)
    t, expected = tables(n, seed_rows)
    schemas = schemas_package(out).schemas()
    for name in TABLES:
        df = t[name]
        df.write_csv(out / "data" / f"{name}.csv", line_terminator="\n", null_value="")
        typed = df.with_columns(
            [pl.col(f.name).cast(pl.Int64, strict=False) for f in schemas[name].fields if f.type == "integer"]
            + [pl.col(f.name).str.to_date("%Y-%m-%d", strict=False) for f in schemas[name].fields if f.type == "date"]
            + [pl.col(f.name) == "true" for f in schemas[name].fields if f.type == "boolean"])
        typed.write_parquet(out / "data" / f"{name}.parquet", compression="zstd")
    # The Parquet twin of an injected impossible date cannot hold it: the CSV is what is checked.
    meta = {"name": "spacecoop-synthetic", "title": f"Synthetic spacecoop package, {n} rows per table", "version": "0.0.0"}
    desc = descriptor.descriptor(meta, descriptor.resources(out, schemas))
    (out / "datapackage.json").write_bytes(descriptor.dumps(desc))
    for e in expected:
        e["file"] = f"data/{e['table']}.csv"
    date = next(e for e in expected if e["check"] == "type")
    expected.append({**date, "table": "meetings-parquet", "file": "data/meetings.parquet", "check": "parquet",
                     "consequence": "Parquet cannot hold the impossible date, so the twin differs from its CSV"})
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    return expected


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Write a synthetic spacecoop package for benchmarks.")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("rows", type=int, help="rows per entity and link table")
    args = ap.parse_args()
    out_dir, rows = args.out_dir, args.rows
    exp = write(out_dir, rows)
    print(f"wrote {out_dir} with {rows} rows per table and {len(exp)} injected errors")
