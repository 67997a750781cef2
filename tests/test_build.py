"""The build: deterministic, atomic, and one file:line per curation error."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from spacecoop.build import BuildFailed, build


def digest_tree(root: Path) -> dict[str, str]:
    files = [root / "datapackage.json", *sorted((root / "data").iterdir())]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_build_reproduces_committed_package_byte_for_byte(pkg):
    before = digest_tree(pkg)
    result = build(pkg)
    assert result.changed == []
    assert digest_tree(pkg) == before


def test_two_builds_are_identical(pkg):
    (pkg / "datapackage.json").unlink()
    for p in (pkg / "data").iterdir():
        p.unlink()
    build(pkg)
    first = digest_tree(pkg)
    build(pkg)
    assert digest_tree(pkg) == first


def test_csv_is_utf8_lf_with_header(pkg):
    for p in (pkg / "data").glob("*.csv"):
        data = p.read_bytes()
        assert b"\r" not in data
        data.decode("utf-8")
        assert data.endswith(b"\n")


def _fail(pkg: Path, file: str, old: str, new: str) -> list[str]:
    p = pkg / "build" / file
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = digest_tree(pkg)
    with pytest.raises(BuildFailed) as exc:
        build(pkg)
    assert digest_tree(pkg) == before, "a failed build changed data/ or datapackage.json"
    assert not list(pkg.glob(".staging-*"))
    return [str(e) for e in exc.value.errors]


def _line_of(pkg: Path, file: str, needle: str) -> int:
    lines = (pkg / "build" / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_unfindable_quote(pkg):
    errors = _fail(pkg, "agreements.yaml", 'quote: "In March 2021"}', 'quote: "In March 2012"}')
    n = _line_of(pkg, "agreements.yaml", "In March 2012")
    assert errors == [f"build/agreements.yaml:{n}: quote not found in seeds/000_2c520b7ffa59a307.txt: "
                      f"'In March 2012'; copy it exactly from the seed"]


def test_ambiguous_quote_needs_occurrence(pkg):
    errors = _fail(pkg, "programs.yaml", 'quote: "In 2019, Russia and China initiated"}', 'quote: "Russia and China"}')
    n = _line_of(pkg, "programs.yaml", 'quote: "Russia and China"}')
    assert errors == [f"build/programs.yaml:{n}: quote occurs 5 times in seeds/003_f6d3eb4ef6c6ac45.txt: "
                      f"'Russia and China'; add occurrence: 1..5"]


def test_yaml_syntax_error(pkg):
    errors = _fail(pkg, "meetings.yaml", "  kind: {value: visit,", "  kind: {value: visit,,]")
    assert len(errors) == 1 and errors[0].startswith("build/meetings.yaml:")
    assert "YAML syntax error" in errors[0]


def test_unknown_key(pkg):
    errors = _fail(pkg, "participants.yaml", "  name: Egypt\n", "  name: Egypt\n  colour: red\n")
    n = _line_of(pkg, "participants.yaml", "colour: red")
    assert errors[0].startswith(f"build/participants.yaml:{n}: unknown key 'colour' in participants; allowed: ")


def test_missing_required_value(pkg):
    errors = _fail(pkg, "programs.yaml", '  kind: {value: institution, evidence: [{src: src-003, quote: "a commission on satellite navigation"}]}\n', "")
    n = _line_of(pkg, "programs.yaml", "- id: prg-satellite-navigation-commission")
    assert errors == [f"build/programs.yaml:{n}: prg-satellite-navigation-commission: kind is required in programs; add kind:"]


def test_bad_id(pkg):
    errors = _fail(pkg, "meetings.yaml", "- id: mtg-putin-visit-to-china", "- id: Putin_Visit")
    n = _line_of(pkg, "meetings.yaml", "- id: Putin_Visit")
    assert f"build/meetings.yaml:{n}: meetings.meeting_id: 'Putin_Visit' does not match the pattern mtg-[a-z0-9]+(?:-[a-z0-9]+)*" in errors


def test_unknown_reference(pkg):
    errors = _fail(pkg, "agreements.yaml", "reference: ref-kremlin-ilrs-ratification", "reference: ref-kremlin")
    n = _line_of(pkg, "agreements.yaml", "reference: ref-kremlin,")
    assert errors == [f"build/agreements.yaml:{n}: 'ref-kremlin' is not an id in references; define it or fix the spelling"]


def test_errata_id_is_never_reused(pkg):
    (pkg / "build" / "errata.yaml").write_text(
        "- {record_id: par-egy, table: participants, removed_in: 0.1.0, reason: test}\n", encoding="utf-8")
    before = digest_tree(pkg)
    with pytest.raises(BuildFailed) as exc:
        build(pkg)
    n = _line_of(pkg, "participants.yaml", "- id: par-egy")
    assert [str(e) for e in exc.value.errors] == [
        f"build/participants.yaml:{n}: id 'par-egy' was removed in 0.1.0 (errata.yaml) and may never be reused; choose a new id"]
    assert digest_tree(pkg) == before


def test_interrupted_swap_is_recovered(pkg):
    # The one window in the swap: data/ moved aside, the new one not yet in place.
    (pkg / "data").rename(pkg / ".data.old")
    result = build(pkg)
    assert (pkg / "data").is_dir() and not (pkg / ".data.old").exists()
    assert result.changed == []


def test_stated_date_must_be_in_its_quoted_words(pkg):
    # "In March 2021" states a month; a day stored as 'stated' would claim more than the seed says.
    errors = _fail(pkg, "agreements.yaml",
                   'date: {value: "2021-03-09", precision: day, basis: reference, reference: ref-newdelhitimes-ilrs-mou,',
                   'date: {value: "2021-03-09", precision: day, basis: stated,')
    n = _line_of(pkg, "agreements.yaml", 'date: {value: "2021-03-09", precision: day, basis: stated,')
    assert errors == [f"build/agreements.yaml:{n}: date: basis is 'stated' but the quoted words do not state the day (9) "
                      f"of '2021-03-09'; quote the words that do, or give the precision they support"]


def test_stated_month_passes_when_quoted(pkg):
    p = pkg / "build" / "agreements.yaml"
    text = p.read_text(encoding="utf-8")
    old = 'date: {value: "2021-03-09", precision: day, basis: reference, reference: ref-newdelhitimes-ilrs-mou,'
    p.write_text(text.replace(old, 'date: {value: "2021-03", precision: month, basis: stated,'), encoding="utf-8")
    build(pkg)
    row = next(r for r in (pkg / "data" / "milestones.csv").read_text(encoding="utf-8").splitlines()
               if r.startswith("mst-lunar-exploration-mou-2021-signed,"))
    assert ",2021-03,2021-03-01,2021-03-31,month,stated," in row


def test_a_milestone_kind_with_its_own_quote_keeps_its_id(pkg):
    # "kind: {value: signed, evidence: [...]}" (codebook P2: a kind is quoted on its own): the id is
    # derived from the value, not from the mapping, and the quote is the kind's evidence.
    p = pkg / "build" / "agreements.yaml"
    assert '- kind: {value: signed, evidence: [{src: src-000, quote: "the two countries signed"}]}' in p.read_text(encoding="utf-8")
    build(pkg)
    ids = [r.split(",", 1)[0] for r in (pkg / "data" / "milestones.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert "mst-lunar-exploration-mou-2021-signed" in ids and not [i for i in ids if "value" in i or "evidence" in i]
    ev = (pkg / "data" / "evidence.csv").read_text(encoding="utf-8")
    assert "milestones,mst-lunar-exploration-mou-2021-signed,kind,src-000," in ev
