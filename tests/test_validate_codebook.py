"""The codebook's mechanical rules (docs/codebook.md), each broken on a copy of the real package:
`spacecoop validate` names the row, the field and the rule in one exact line."""
from __future__ import annotations

from spacecoop.validate import validate

from conftest import edit_csv


def lines(pkg) -> list[str]:
    report = validate(pkg)
    assert not report.valid
    return [p.line() for p in report.problems]


def _drop(key: str):
    def fn(rows):
        rows[:] = [rows[0]] + [r for r in rows[1:] if r[0] != key]
    return fn


def _set(key: str, **values):
    def fn(rows):
        row = next(r for r in rows[1:] if r[0] == key)
        for k, v in values.items():
            row[rows[0].index(k)] = v
    return fn


def _row(pkg, table: str, key: str) -> int:
    from conftest import read_rows

    return [r[0] for r in read_rows(pkg / "data" / f"{table}.csv")].index(key) + 1


def test_an_agreement_binds_china_and_russia(pkg):
    edit_csv(pkg, "agreement_participants", _drop("agr-ilrs-agreement~par-rus~party"))
    n = _row(pkg, "agreements", "agr-ilrs-agreement")
    assert (f"data/agreements.csv: table agreements, row {n}, field scope: agreement agr-ilrs-agreement is bilateral but its "
            "parties are CHN: an agreement binds China and Russia, alone when bilateral, with others when multilateral "
            "(codebook: agreements)") in lines(pkg)


def test_a_bilateral_agreement_has_no_third_party(pkg):
    edit_csv(pkg, "agreement_participants", lambda rows: rows.append(["agr-ilrs-agreement~par-egy~party", "agr-ilrs-agreement", "par-egy", "party"]))
    n = _row(pkg, "agreements", "agr-ilrs-agreement")
    assert (f"data/agreements.csv: table agreements, row {n}, field scope: agreement agr-ilrs-agreement is bilateral but its "
            "parties are CHN, EGY, RUS: an agreement binds China and Russia, alone when bilateral, with others when "
            "multilateral (codebook: agreements)") in lines(pkg)


def test_a_meeting_has_two_sides(pkg):
    edit_csv(pkg, "meeting_participants", _drop("mtg-putin-visit-to-china~par-chn~host"))
    n = _row(pkg, "meetings", "mtg-putin-visit-to-china")
    assert (f"data/meetings.csv: table meetings, row {n}, field meeting_id: meeting mtg-putin-visit-to-china has 1 side(s): "
            "a meeting needs at least two sides (party, host or visitor) from different countries; a date with no "
            "gathering is a milestone (codebook: meetings)") in lines(pkg)


def test_an_outcome_has_two_parties(pkg):
    edit_csv(pkg, "outcome_participants", _drop("out-moscow-coordination~par-rus~party"))
    n = _row(pkg, "outcomes", "out-moscow-coordination")
    assert (f"data/outcomes.csv: table outcomes, row {n}, field outcome_id: outcome out-moscow-coordination has 1 party: "
            "an outcome is agreed or stated by at least two sides (codebook: outcomes)") in lines(pkg)


def test_a_milestone_names_a_record_that_exists(pkg):
    edit_csv(pkg, "milestones", _set("mst-space-debris-monitoring-initiated", record_id="prg-nowhere"))
    n = _row(pkg, "milestones", "mst-space-debris-monitoring-initiated")
    assert (f"data/milestones.csv: table milestones, row {n}, field record_id: 'prg-nowhere' is not a record of programs "
            "(dangling foreign key)") in lines(pkg)


def test_a_claim_is_about_a_record_that_exists(pkg):
    rows = edit_csv(pkg, "claim_subjects", _set("clm-pivotal-moment~meetings~mtg-moscow-outer-space-consultation", record_id="mtg-nowhere"))
    n = [r[0] for r in rows].index("clm-pivotal-moment~meetings~mtg-moscow-outer-space-consultation") + 1
    assert (f"data/claim_subjects.csv: table claim_subjects, row {n}, field record_id: 'mtg-nowhere' is not a record of "
            "meetings (dangling foreign key)") in lines(pkg)


def test_a_milestone_kind_fits_its_table(pkg):
    edit_csv(pkg, "milestones", _set("mst-space-debris-monitoring-initiated", kind="ratified"))
    n = _row(pkg, "milestones", "mst-space-debris-monitoring-initiated")
    assert (f"data/milestones.csv: table milestones, row {n}, field kind: a programs record has no stage 'ratified' "
            "(codebook: milestones.kind)") in lines(pkg)


def test_a_status_is_not_behind_its_milestones(pkg):
    edit_csv(pkg, "agreements", _set("agr-ilrs-agreement", status="signed"))
    n = _row(pkg, "milestones", "mst-ilrs-agreement-ratified")
    assert (f"data/milestones.csv: table milestones, row {n}, field kind: agr-ilrs-agreement has a milestone 'ratified' but "
            "its status is 'signed', an earlier stage (codebook: statuses and stages)") in lines(pkg)


def test_stages_are_dated_in_their_order(pkg):
    def fn(rows):
        h = rows[0]
        r = list(next(x for x in rows[1:] if x[0] == "mst-ilrs-agreement-ratified"))
        for k, v in {"milestone_id": "mst-ilrs-agreement-signed", "kind": "signed", "date": "2025", "date_earliest": "2025-01-01",
                     "date_latest": "2025-12-31", "date_precision": "year", "date_basis": "inferred", "date_reference_id": "",
                     "notes": "a test"}.items():
            r[h.index(k)] = v
        rows.append(r)
    edit_csv(pkg, "milestones", fn)
    n = _row(pkg, "milestones", "mst-ilrs-agreement-ratified")
    assert (f"data/milestones.csv: table milestones, row {n}, field date: ratified (2024-06-12) before it was signed (2025): "
            "stages are dated in their order") in lines(pkg)


def test_a_stage_dated_before_many_others_is_one_line(pkg):
    """24 later-dated earlier stages of one record: the ratified row is one line, the same line
    each time (the first by value: adopted on 2024-07-01), and no "and N more rows" counting it again."""
    def fn(rows):
        h = rows[0]
        base = next(x for x in rows[1:] if x[0] == "mst-ilrs-agreement-ratified")
        for i in range(12):
            for kind, month in (("signed", "08"), ("adopted", "07")):
                r = list(base)
                for k, v in {"milestone_id": f"mst-x-{kind}-{i}", "kind": kind, "date": f"2024-{month}-{i + 1:02d}",
                             "date_earliest": f"2024-{month}-{i + 1:02d}", "date_latest": f"2024-{month}-{i + 1:02d}",
                             "date_precision": "day", "date_basis": "inferred", "date_reference_id": "", "notes": "a test"}.items():
                    r[h.index(k)] = v
                rows.append(r)
    edit_csv(pkg, "milestones", fn)
    n = _row(pkg, "milestones", "mst-ilrs-agreement-ratified")
    dated = [ln for ln in lines(pkg) if "field date" in ln]
    assert dated == [f"data/milestones.csv: table milestones, row {n}, field date: ratified (2024-06-12) before it was "
                     "adopted (2024-07-01): stages are dated in their order"], dated


def test_a_claim_names_its_speaker_exactly_when_a_participant_makes_it(pkg):
    edit_csv(pkg, "claims", _set("clm-dual-use", attribution="participant"))
    n = _row(pkg, "claims", "clm-dual-use")
    assert (f"data/claims.csv: table claims, row {n}, field speaker_id: claim clm-dual-use is attributed to 'participant' but "
            "speaker_id is '': name the speaker exactly when the attribution is 'participant' (codebook: claims.attribution)") in lines(pkg)
