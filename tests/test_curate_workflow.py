"""The whole workflow on a new article, in a copy of the repository: add-seed, extract, accept,
build, coverage -- five commands, no YAML copied by hand. The curator's part is replacing the
TODOs that accept leaves (done here by editing those words in the files, as in an editor). The
article is the fictional fixture; it only ever enters the copy in tmp_path."""
import csv
import re

import yaml

from curate_helpers import FICTION, REPO, cli, copy_repo


def _edit(root, name, *subs):
    """Replace words in build/<name>.yaml, as a curator would in an editor; each must be there."""
    p = root / "build" / f"{name}.yaml"
    text = p.read_text(encoding="utf-8")
    for old, new in subs:
        assert old in text, (name, old)
        text = text.replace(old, new, 1)
    p.write_text(text, encoding="utf-8")


def _rows(root, table):
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_new_article_end_to_end_in_five_commands(tmp_path):
    root = copy_repo(tmp_path)
    before = {n: (root / "build" / f"{n}.yaml").read_bytes() for n in ("participants", "agreements", "meetings", "programs", "exclusions")}
    # 1. add-seed
    p = cli("add-seed", str(FICTION), "--outlet", "Test Wire (fictional)", "--address",
            "https://example.org/fiction/china-russia-debris-mou", "--published", "2031-04-12", root=root)
    assert p.returncode == 0, p.stderr
    # 2. extract
    p = cli("extract", "src-004", root=root)
    assert p.returncode == 0, p.stderr
    draft = p.stdout.split(":")[0].removeprefix("wrote ")
    assert re.fullmatch(r"build/drafts/004_[0-9a-f]{16}\.draft\.yaml", draft)
    d = yaml.safe_load((root / draft).read_text(encoding="utf-8"))
    by_quote = {(sec, i["quote"]): i["cand"] for sec in ("new_participants", "records", "places", "dates") for i in d[sec]}
    people = [by_quote[("new_participants", q)] for q in ("Minister Talia Orsk", "Ivo Brenn", "Kestranian Space Agency")]
    mou, talks, station = (by_quote[("records", q)] for q in ("memorandum of understanding", "talks", "tracking station"))
    june = by_quote[("dates", "in June")]  # "first discussed the project in June": a milestone of the station
    banner = [s for s in d["sentences"] if s["text"].startswith(("FICTIONAL", "None of it", "Comments"))]
    assert len(banner) == 3
    # 3. accept: participants, records (with the dates, places, links of their sentences), the
    # June milestone, exclusions
    p = cli("accept", draft, *people, mou, talks, station, june, *[f"{s['cand']}=page furniture: the fixture's banner" for s in banner], root=root)
    assert p.returncode == 0, p.stderr
    assert "TODO left for you to replace" in p.stdout
    # Every existing byte (and comment) is kept: each file only grew at its end.
    for n, old in before.items():
        assert (root / "build" / f"{n}.yaml").read_bytes().startswith(old), n
    # A second accept of the same record is refused in one line, and changes nothing.
    snap = (root / "build" / "agreements.yaml").read_bytes()
    again = cli("accept", draft, mou, root=root)
    assert again.returncode == 1 and "already exists" in again.stderr and len(again.stderr.splitlines()) == 1
    assert (root / "build" / "agreements.yaml").read_bytes() == snap
    # The build refuses the TODOs accept left.
    b = cli("build", root=root)
    assert b.returncode == 1 and "TODO" in b.stderr
    # The curator replaces each TODO, in the order accept wrote them.
    _edit(root, "participants", ('name: "Ivo Brenn", kind: TODO', 'name: "Ivo Brenn", kind: person'))
    _edit(root, "agreements", ("title: {value: TODO", "title: {value: memorandum of understanding on joint space debris monitoring"),
          ("scope: TODO", "scope: bilateral"), ("role: TODO", "role: party"), ("role: TODO", "role: party"),
          ("{program: prg-space-debris-monitoring, role: TODO", "{program: prg-space-debris-monitoring, role: concerns"))
    _edit(root, "meetings", ("label: {value: TODO", "label: {value: talks in Ardenfell"),
          ("{participant: par-chn, role: TODO", "{participant: par-chn, role: party"),
          ("{participant: par-talia-orsk, role: TODO", "{participant: par-talia-orsk, role: delegate"),
          ("{participant: par-rus, role: TODO", "{participant: par-rus, role: party"),
          ("{participant: par-ivo-brenn, role: TODO", "{participant: par-ivo-brenn, role: delegate"))
    _edit(root, "programs", ("domain: TODO", "domain: space_debris_monitoring"),
          ("role: TODO", "role: partner"), ("role: TODO", "role: partner"), ("role: TODO", "role: partner"))
    for n in ("participants", "agreements", "meetings", "programs"):
        assert "TODO" not in (root / "build" / f"{n}.yaml").read_text(encoding="utf-8"), n
    # 4. build (and validate), 5. coverage
    b = cli("build", root=root)
    assert b.returncode == 0, b.stderr
    v = cli("validate", root=root)
    assert v.returncode == 0, v.stdout + v.stderr
    cov = cli("coverage", root=root)
    assert cov.returncode == 0, cov.stdout + cov.stderr
    assert re.search(r"^src-004 seeds/004_[0-9a-f]{16}\.txt: 7 sentences, 4 cited, 3 excluded, 0 MISSING$", cov.stdout, re.M)
    # What the data now says, in the codebook 1.0 model.
    agr = yaml.safe_load((root / "build" / "agreements.yaml").read_text(encoding="utf-8"))[-1]["id"]
    mtg = yaml.safe_load((root / "build" / "meetings.yaml").read_text(encoding="utf-8"))[-1]["id"]
    row = next(r for r in _rows(root, "agreements") if r["agreement_id"] == agr)
    assert (row["kind"], row["scope"], row["status"]) == ("memorandum_of_understanding", "bilateral", "signed")
    assert sorted((r["participant_id"], r["role"]) for r in _rows(root, "agreement_participants") if r["agreement_id"] == agr) == [
        ("par-chn", "party"), ("par-rus", "party")]
    ms = {(r["table"], r["record_id"], r["kind"], r["date"], r["date_precision"]) for r in _rows(root, "milestones")}
    assert ("agreements", agr, "signed", "2031-04", "month") in ms
    assert ("programs", "prg-tracking-station", "discussed", "XXXX-06", "month_no_year") in ms
    assert sorted((r["participant_id"], r["role"]) for r in _rows(root, "meeting_participants") if r["meeting_id"] == mtg) == [
        ("par-chn", "party"), ("par-ivo-brenn", "delegate"), ("par-rus", "party"), ("par-talia-orsk", "delegate")]
    meeting = next(r for r in _rows(root, "meetings") if r["meeting_id"] == mtg)
    assert (meeting["place"], meeting["level"], meeting["date"]) == ("Ardenfell", "minister", "")
    prog = next(r for r in _rows(root, "programs") if r["program_id"] == "prg-tracking-station")
    assert (prog["status"], prog["timeframe"], prog["domain"]) == ("planned", "in 2032", "space_debris_monitoring")
    # The June discussion is no meeting: the article's only meeting is the talks.
    assert [r["meeting_id"] for r in _rows(root, "meetings") if "004" in r["meeting_id"]] == [mtg]
    # The repository itself never saw the fixture.
    assert not list((REPO / "seeds").glob("004_*"))


def test_accept_refuses_unknown_ids_and_sentences_without_reason(tmp_path):
    root = copy_repo(tmp_path)
    assert cli("add-seed", str(FICTION), "--outlet", "T", "--address", "https://example.org/f", root=root).returncode == 0
    p = cli("extract", "src-004", root=root)
    draft = p.stdout.split(":")[0].removeprefix("wrote ")
    before = {q: (root / "build" / q).read_bytes() for q in ("participants.yaml", "exclusions.yaml")}
    for args, msg in ((["n1", "zz9"], "no candidate 'zz9'"), (["s1"], "needs a reason"), (["n1=why"], "only a sentence")):
        r = cli("accept", draft, *args, root=root)
        assert r.returncode == 1 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = cli("accept", "build/drafts/nothing.draft.yaml", "n1", root=root)
    assert r.returncode == 1 and "no such draft file" in r.stderr
    assert {q: (root / "build" / q).read_bytes() for q in before} == before


def test_an_unedited_accept_is_refused_by_the_build(tmp_path):
    root = copy_repo(tmp_path)
    assert cli("add-seed", str(FICTION), "--outlet", "T", "--address", "https://example.org/f", root=root).returncode == 0
    p = cli("extract", "src-004", root=root)
    draft = p.stdout.split(":")[0].removeprefix("wrote ")
    d = yaml.safe_load((root / draft).read_text(encoding="utf-8"))
    r1 = next(i["cand"] for i in d["records"] if i["table"] == "agreements")
    assert cli("accept", draft, r1, root=root).returncode == 0
    before = (root / "data" / "agreements.csv").read_bytes()
    b = cli("build", root=root)
    assert b.returncode == 1 and "TODO" in b.stderr
    assert (root / "data" / "agreements.csv").read_bytes() == before
