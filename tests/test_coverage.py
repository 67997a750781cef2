import json
import re

import pytest

from spacecoop.coverage import coverage

from curate_helpers import REPO, cli, copy_repo


def test_repo_is_fully_covered_with_the_expected_counts():
    r = coverage(REPO)
    assert r.ok, r.summary()
    by = {s.source_id: s for s in r.seeds}
    assert (len(by["src-000"].rows), by["src-000"].count("cited"), by["src-000"].count("excluded")) == (16, 15, 1)
    assert (len(by["src-003"].rows), by["src-003"].count("cited"), by["src-003"].count("excluded")) == (11, 11, 0)
    excluded = [x.sentence.text for x in by["src-000"].rows if x.status == "excluded"]
    assert excluded[-1] == "Comments"


def test_cli_table_and_json():
    p = cli("coverage")
    assert p.returncode == 0, p.stderr
    assert "coverage: 2 seed(s), 27 sentences: 26 cited, 1 excluded, 0 MISSING" in p.stdout
    assert re.search(r"^\s+16\s+2576\s+2584\s+excluded\s+Comments$", p.stdout, re.M)
    d = json.loads(cli("coverage", "--json").stdout)
    assert d["ok"] and [s["sentences"] for s in d["seeds"]] == [16, 11]


def test_a_sentence_neither_cited_nor_excluded_fails(tmp_path):
    root = copy_repo(tmp_path)
    ex = root / "build" / "exclusions.yaml"
    text = ex.read_text(encoding="utf-8")
    entry = '- source: src-000\n  starts_with: "Comments"\n'
    assert entry in text
    ex.write_text(text.replace(entry, "").replace('  reason: "page furniture: the heading of the web page\'s comment section, not part of the article"\n', ""), encoding="utf-8")
    p = cli("coverage", root=root)
    assert p.returncode == 1
    assert re.search(r"MISSING\s+Comments", p.stdout)
    assert "MISSING" in p.stderr.splitlines()[-1]


@pytest.mark.parametrize("entry, message", [
    ('- {source: src-000, starts_with: "No such words", reason: x}\n', "matches no sentence"),
    ('- {source: src-000, starts_with: "Th", reason: x}\n', "quote more of its opening words"),
    ('- {source: src-000, starts_with: "China and Russia held major talks", reason: x}\n', "is cited by evidence"),
    ('- {source: src-009, starts_with: "China", reason: x}\n', "is not a seed"),
    ('- {source: src-000, starts_with: "China"}\n', "needs reason"),
])
def test_bad_exclusions_are_one_line_problems(tmp_path, entry, message):
    root = copy_repo(tmp_path)
    ex = root / "build" / "exclusions.yaml"
    ex.write_text(ex.read_text(encoding="utf-8") + entry, encoding="utf-8")
    p = cli("coverage", root=root)
    assert p.returncode == 1
    line = next(x for x in p.stderr.splitlines() if message in x)
    assert line.startswith("build/exclusions.yaml:")


def test_curation_errors_exit_2(tmp_path):
    root = copy_repo(tmp_path)
    (root / "build" / "agreements.yaml").write_text("- id: [\n", encoding="utf-8")
    p = cli("coverage", root=root)
    assert p.returncode == 2 and "build/agreements.yaml" in p.stderr
