"""The codebook (docs/codebook.yaml + schemas -> docs/codebook.md) and the counts it promises."""
import csv
import re
import shutil

from spacecoop import codebook

from _pkgcopy import REPO, copy_package


def rows(table, root=REPO):
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_table_and_vocabulary_value_has_its_rules_and_true_quotes():
    assert codebook.check(REPO) == []


def _copy_with_codebook(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    (pkg / "docs").mkdir(exist_ok=True)
    shutil.copy(REPO / codebook.SOURCE, pkg / codebook.SOURCE)
    return pkg


def test_a_missing_rule_and_a_quote_not_in_its_seed_are_named(tmp_path):
    pkg = _copy_with_codebook(tmp_path)
    p = pkg / codebook.SOURCE
    text = p.read_text(encoding="utf-8")
    text = text.replace('quote: "including Azerbaijan, Belarus, Egypt, and Turkey"}', 'quote: "including Azerbaijan and Narnia"}', 1)
    text = re.sub(r"(\n  outcomes\.kind:\n    agreed_outcome:\n)      include: [^\n]*\n", r"\1", text)
    p.write_text(text, encoding="utf-8")
    problems = codebook.check(pkg)
    assert f"{codebook.SOURCE}: values.outcomes.kind.agreed_outcome has no include" in problems
    assert any("'including Azerbaijan and Narnia' is not in seed src-003" in x for x in problems)


def test_a_new_vocabulary_value_without_rules_is_named(tmp_path):
    import json

    pkg = _copy_with_codebook(tmp_path)
    sp = pkg / "schemas" / "claims.schema.json"
    schema = json.loads(sp.read_text(encoding="utf-8"))
    next(f for f in schema["fields"] if f["name"] == "type")["constraints"]["enum"].append("prophecy")
    sp.write_text(json.dumps(schema), encoding="utf-8")
    problems = codebook.check(pkg)
    assert f"{codebook.SOURCE}: values.claims.type.prophecy has no example" in problems


def test_the_naive_count_of_agreements_is_the_documented_count():
    """The README answers 'how many China–Russia agreements' with len(agreements); that is honest
    only while every row is a China–Russia instrument, and a row standing for several says so."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = int(re.search(r"len\(agreements\)\s+# (\d+)", readme)[1])
    agreements = rows("agreements")
    assert len(agreements) == documented
    states = {r["participant_id"]: r["country"] for r in rows("participants") if r["kind"] == "state"}
    parties = {}
    for link in rows("agreement_participants"):
        if link["role"] == "party" and link["participant_id"] in states:
            parties.setdefault(link["agreement_id"], set()).add(states[link["participant_id"]])
    assert all({"CHN", "RUS"} <= parties.get(a["agreement_id"], set()) for a in agreements)
    # A row that stands for several instruments is counted once: the README and the codebook say why.
    if any(a["multiple"] == "true" for a in agreements):
        assert "multiple = True" in readme
        assert "multiple" in (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    # What a naive reader might count as agreements lives elsewhere, and the README names each table.
    for table in ("outcomes", "frameworks", "claims"):
        assert f"| `{table}` | {len(rows(table))} |" in readme


def test_reliability_figures_in_the_datasheet_are_what_the_script_computes():
    """Each round of second coding in docs/icr/ is reported in the datasheet exactly as
    docs/icr/agreement.py computes it today, so a change to the data cannot leave stale figures."""
    import subprocess
    import sys

    sheet = (REPO / "docs" / "datasheet.md").read_text(encoding="utf-8")
    rounds = sorted((REPO / "docs" / "icr").glob("coder2-round*.yaml"))
    assert rounds
    for f in rounds:
        n = f.stem.removeprefix("coder2-round")
        out = subprocess.run([sys.executable, str(REPO / "docs" / "icr" / "agreement.py"), str(f), "--markdown"],
                             capture_output=True, text=True, check=True).stdout.strip()
        block = sheet.split(f"<!-- icr:round{n}:start -->")[1].split(f"<!-- icr:round{n}:end -->")[0].strip()
        assert block == out, f"datasheet round {n} is stale: rerun docs/icr/agreement.py {f.name} --markdown"
