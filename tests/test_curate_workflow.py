"""The whole workflow on a new article, in a copy of the repository: add-seed, extract, accept
the draft's candidates into build/, build, validate, coverage. The article is the fictional
fixture; it only ever enters the copy in tmp_path."""
import copy
import re

import yaml

from spacecoop.draftfile import records_yaml

from curate_helpers import FICTION, REPO, cli, copy_repo

TODO = "TODO"


def _one(items, **where):
    hits = [i for i in items if all(i.get(k) == v for k, v in where.items())]
    assert len(hits) >= 1, where
    return copy.deepcopy(hits[0])


def _record(draft, cue, quote):
    """The accept block of the record candidate whose cues include quote."""
    item = next(i for i in draft["records"] if i["cue"] == cue and any(q == quote for q, _, _ in i["cues"]))
    return copy.deepcopy(item["accept"])


def _append(root, name, records):
    p = root / "build" / f"{name}.yaml"
    p.write_text(p.read_text(encoding="utf-8") + records_yaml(records), encoding="utf-8")


def test_new_article_end_to_end(tmp_path):
    root = copy_repo(tmp_path)
    p = cli("add-seed", str(FICTION), "--outlet", "Test Wire (fictional)", "--address",
            "https://example.org/fiction/kestrania-marvonia", "--published", "2031-04-12", root=root)
    assert p.returncode == 0, p.stderr
    # Added but not curated: coverage fails, naming the new seed's sentences.
    cov = cli("coverage", root=root)
    assert cov.returncode == 1 and "src-004" in cov.stdout and "7 MISSING" in cov.stderr

    p = cli("extract", "src-004", root=root)
    assert p.returncode == 0, p.stderr
    path = root / p.stdout.split(":")[0].removeprefix("wrote ")
    assert re.fullmatch(r"004_[0-9a-f]{16}\.draft\.yaml", path.name) and path.parent == root / "build" / "drafts"
    d = yaml.safe_load(path.read_text(encoding="utf-8"))

    # --- accept: copy accept blocks, replace each TODO -------------------------------------------
    new = {i["accept"]["id"]: i for i in d["new_participants"]}
    people = []
    for pid, kind in (("par-kestrania", "state"), ("par-marvonia", "state"), ("par-kestranian-space-agency", None),
                      ("par-talia-orsk", None), ("par-ivo-brenn", "person")):
        rec = copy.deepcopy(new[pid]["accept"])
        if kind:
            rec["kind"] = kind
        assert TODO not in str(rec)
        people.append(rec)
    _append(root, "participants", people)

    def link(pid, role):
        lk = copy.deepcopy(new[pid]["link"])
        lk["role"] = role
        return lk

    mou = _record(d, "agreement", "memorandum of understanding")
    mou.update(id="agr-kestrania-marvonia-debris-mou", status="signed")
    mou["title"]["value"] = "memorandum of understanding on joint space debris monitoring"
    mou["signed"] = _one(d["dates"], quote="in April 2031")["accept"]
    mou["participants"] = [link("par-kestrania", "party"), link("par-marvonia", "party")]
    _append(root, "agreements", [mou])

    talks = _record(d, "meeting", "talks")
    talks.update(id="mtg-ardenfell-talks", level=_one(d["fields"], quote="Minister")["accept"]["level"])
    talks["label"]["value"] = "talks in Ardenfell"
    talks["participants"] = [link("par-talia-orsk", "delegate"), link("par-ivo-brenn", "delegate")]
    june = _record(d, "meeting", "discussed")
    june.update(id="mtg-june-discussions", level="unknown")
    june["label"]["value"] = "first discussions of the tracking station"
    june["date"] = _one(d["dates"], quote="in June")["accept"]
    group = _one(d["participants"], quote="The two countries")["accept"][0]
    june["participants"] = [dict(group, participant="par-kestrania", role="party"), dict(group, participant="par-marvonia", role="party")]
    _append(root, "meetings", [talks, june])

    station = _record(d, "program", "station")
    station.update(id="prg-coastal-tracking-station", domain=_one(d["fields"], quote="space debris")["accept"]["domain"]["value"])
    station["name"]["value"] = "tracking station on the coast of Kestrania"
    station["status"] = _one(d["fields"], quote="to build")["accept"]["status"]
    both = _one(d["participants"], quote="Both nations")["accept"][0]
    station["participants"] = [dict(both, participant="par-kestrania", role="partner"), dict(both, participant="par-marvonia", role="partner")]
    _append(root, "programs", [station])
    for rec in (mou, talks, june, station):
        assert TODO not in str(rec), rec

    ex = root / "build" / "exclusions.yaml"
    ex.write_text(ex.read_text(encoding="utf-8") + (
        '- {source: src-004, starts_with: "FICTIONAL TEST FIXTURE", reason: "page furniture: the fixture\'s banner"}\n'
        '- {source: src-004, starts_with: "None of it happened", reason: "page furniture: the fixture\'s banner"}\n'
        '- {source: src-004, starts_with: "Comments", reason: "page furniture"}\n'), encoding="utf-8")

    b = cli("build", root=root)
    assert b.returncode == 0, b.stderr
    v = cli("validate", root=root)
    assert v.returncode == 0, v.stdout + v.stderr
    cov = cli("coverage", root=root)
    assert cov.returncode == 0, cov.stdout + cov.stderr
    assert re.search(r"^src-004 seeds/004_[0-9a-f]{16}\.txt: 7 sentences, 4 cited, 3 excluded, 0 MISSING$", cov.stdout, re.M)
    # The repository itself never saw the fixture.
    assert not list((REPO / "seeds").glob("004_*"))


def test_an_unedited_draft_is_refused_by_the_build(tmp_path):
    root = copy_repo(tmp_path)
    assert cli("add-seed", str(FICTION), "--outlet", "T", "--address", "https://example.org/f", root=root).returncode == 0
    p = cli("extract", "src-004", root=root)
    d = yaml.safe_load((root / p.stdout.split(":")[0].removeprefix("wrote ")).read_text(encoding="utf-8"))
    _append(root, "agreements", [d["records"][0]["accept"]])
    before = (root / "data" / "agreements.csv").read_bytes()
    b = cli("build", root=root)
    assert b.returncode == 1 and "TODO" in b.stderr
    assert (root / "data" / "agreements.csv").read_bytes() == before
