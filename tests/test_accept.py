"""`spacecoop accept` on the real build/*.yaml (with their comments), in a copy of the repository."""
import difflib
import os
import stat

import yaml

from curate_helpers import FIXTURES, cli, copy_repo

DEV3 = FIXTURES / "dev" / "dev-03.txt"


def _extract(root, article):
    p = cli("add-seed", str(article), "--outlet", "Test Wire (fictional)", "--address", "https://example.org/dev", root=root)
    assert p.returncode == 0, p.stderr
    p = cli("extract", "src-004", root=root)
    assert p.returncode == 0, p.stderr
    draft = p.stdout.split(":")[0].removeprefix("wrote ")
    return draft, yaml.safe_load((root / draft).read_text(encoding="utf-8"))


def test_accept_inserts_into_an_existing_record_keeping_every_line_comment_and_mode(tmp_path):
    root = copy_repo(tmp_path)
    draft, d = _extract(root, DEV3)
    putin = next(i for i in d["participants"] if i["quote"] == "Putin")
    # The curator points the link at a record already in build/meetings.yaml (in the middle of it).
    path = root / draft
    text = path.read_text(encoding="utf-8")
    old_into = f"into: {{record: {putin['into']['record']}, field: participants}}"
    start = text.index(f"cand: {putin['cand']}\n")
    at = text.index(old_into, start)
    path.write_text(text[:at] + "into: {record: mtg-putin-visit-to-china, field: participants}" + text[at + len(old_into):], encoding="utf-8")
    meetings = root / "build" / "meetings.yaml"
    os.chmod(meetings, 0o640)
    before = meetings.read_text(encoding="utf-8").splitlines(keepends=True)
    p = cli("accept", draft, putin["cand"], root=root)
    assert p.returncode == 0, p.stderr
    after = meetings.read_text(encoding="utf-8").splitlines(keepends=True)
    assert stat.S_IMODE(meetings.stat().st_mode) == 0o640
    added = [ln for ln in after if ln not in before]
    assert len(after) == len(before) + 1 and len(added) == 1
    assert added[0].startswith("    - {participant: par-vladimir-putin, role: TODO, evidence: [{src: src-004, quote: Putin")
    assert [ln for ln in after if ln != added[0]] == before  # every old line, comments included, in order
    old = {r["id"]: r for r in yaml.safe_load("".join(before))}["mtg-putin-visit-to-china"]["participants"]
    recs = {r["id"]: r for r in yaml.safe_load("".join(after))}
    assert "par-vladimir-putin" in [x["participant"] for x in old]
    assert recs["mtg-putin-visit-to-china"]["participants"] == old + [recs["mtg-putin-visit-to-china"]["participants"][-1]]  # appended last
    assert recs["mtg-putin-visit-to-china"]["participants"][-1]["participant"] == "par-vladimir-putin"
    assert recs["mtg-putin-visit-to-china"]["participants"][-1]["role"] == "TODO"


def test_accept_refuses_a_key_the_record_already_has(tmp_path):
    root = copy_repo(tmp_path)
    draft, d = _extract(root, DEV3)
    visit = next(i for i in d["records"] if i["table"] == "meetings" and i["quote"] == "state visit")
    assert "place" in visit["accept"]  # the sentence's place is already in the record's block
    place = next(i for i in d["places"] if isinstance(i["into"], dict) and i["into"]["record"] == visit["accept"]["id"])
    before = (root / "build" / "meetings.yaml").read_bytes()
    p = cli("accept", draft, visit["cand"], place["cand"], root=root)
    assert p.returncode == 1 and "already has place" in p.stderr and len(p.stderr.splitlines()) == 1
    assert (root / "build" / "meetings.yaml").read_bytes() == before


def test_accept_refuses_a_table_that_does_not_exist_yet(tmp_path):
    root = copy_repo(tmp_path)
    draft, d = _extract(root, DEV3)
    claim = next(i for i in d["records"] if i["table"] == "claims")
    if (root / "build" / "claims.yaml").exists():
        return  # the claims table exists on this branch: nothing to refuse
    p = cli("accept", draft, claim["cand"], root=root)
    assert p.returncode == 1 and "build/claims.yaml does not exist" in p.stderr


def test_a_hand_broken_draft_is_one_line_not_a_traceback(tmp_path):
    root = copy_repo(tmp_path)
    draft, d = _extract(root, DEV3)
    place = d["places"][0]["cand"]
    path = root / draft
    text = path.read_text(encoding="utf-8")
    i = text.index(f"cand: {place}\n")
    j = text.index("accept: ", i)
    k = text.index("\n", j)
    path.write_text(text[:j] + "accept: [not, a, mapping]" + text[k:], encoding="utf-8")
    p = cli("accept", draft, place, root=root)
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and draft in p.stderr
    path.write_text("draft: [unclosed\n", encoding="utf-8")
    p = cli("accept", draft, place, root=root)
    assert p.returncode == 1 and "YAML syntax error" in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_control_characters_from_the_input_are_escaped_in_the_draft():
    from spacecoop.draftfile import dumps

    text = dumps({"sentences": [{"text": "a\tb\x1bc\u2028d"}]})
    assert "\t" not in text and "\x1b" not in text and "\u2028" not in text
    assert yaml.safe_load(text)["sentences"][0]["text"] == "a\tb\x1bc\u2028d"


def test_a_dated_stage_of_an_existing_record_is_appended_to_its_milestones(tmp_path):
    """codebook 1.0: a date of an agreement or program already in build/ is one more item of its
    milestones: list (the key is created when the record has none); every old line is kept."""
    root = copy_repo(tmp_path)
    art = tmp_path / "milestones.txt"
    art.write_text("FICTIONAL TEST ARTICLE for the spacecoop tests; none of it happened.\n"
                   "China and Russia ratified the agreements concerning space technology intellectual property in May 2031.\n"
                   "The two countries discussed space debris monitoring in June 2031.\n", encoding="utf-8")
    draft, d = _extract(root, art)
    may = next(i for i in d["dates"] if i["quote"] == "in May 2031")
    june = next(i for i in d["dates"] if i["quote"] == "in June 2031")
    assert may["into"] == {"record": "agr-space-technology-ip", "field": "milestones"}
    assert may["accept"]["kind"] == "ratified" and may["accept"]["date"]["value"] == "2031-05"
    assert june["into"] == {"record": "prg-space-debris-monitoring", "field": "milestones"}
    assert june["accept"]["kind"] == "discussed" and june["accept"]["date"]["value"] == "2031-06"
    files = {n: root / "build" / f"{n}.yaml" for n in ("agreements", "programs")}
    before = {n: p.read_text(encoding="utf-8") for n, p in files.items()}
    old = {n: {r["id"]: r for r in yaml.safe_load(t)} for n, t in before.items()}
    assert "milestones" not in old["agreements"]["agr-space-technology-ip"]
    assert old["programs"]["prg-space-debris-monitoring"]["milestones"]
    p = cli("accept", draft, may["cand"], june["cand"], root=root)
    assert p.returncode == 0, p.stderr
    for n, path in files.items():  # only insertions: every old line, comments included, in order
        ops = difflib.SequenceMatcher(None, before[n].splitlines(keepends=True), path.read_text(encoding="utf-8").splitlines(keepends=True), autojunk=False).get_opcodes()
        assert {op for op, *_ in ops} == {"equal", "insert"}, (n, ops)
    new = {n: {r["id"]: r for r in yaml.safe_load(p.read_text(encoding="utf-8"))} for n, p in files.items()}
    assert new["agreements"]["agr-space-technology-ip"]["milestones"] == [may["accept"]]
    assert new["programs"]["prg-space-debris-monitoring"]["milestones"] == old["programs"]["prg-space-debris-monitoring"]["milestones"] + [june["accept"]]
    for n in files:  # no other record changed
        assert {k: v for k, v in new[n].items() if k not in ("agr-space-technology-ip", "prg-space-debris-monitoring")} == \
               {k: v for k, v in old[n].items() if k not in ("agr-space-technology-ip", "prg-space-debris-monitoring")}
