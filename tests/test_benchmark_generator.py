"""The benchmark's generator at a tiny N: every injected error is found with its row, by both the
small-package engines (frictionless, pandera, rules) and the large-package ones (polars, rules)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from spacecoop.validate import validate

REPO = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "pkg"
    _generator().write(out, 120)
    return out


@pytest.mark.parametrize("engines", [("frictionless", "pandera", "rules"), ("polars", "rules")])
def test_every_injected_error_is_found_with_its_row(synthetic, engines):
    expected = json.loads((synthetic / "expected.json").read_text())
    report = validate(synthetic, engines)
    got = {(p.table, p.row, p.field): p for p in report.problems}
    for e in expected:
        assert (e["table"], e["row"], e["field"]) in got, (e, [p.line() for p in report.problems])
    # Nothing else: the generated values are valid, so only the injected errors show (pandera also
    # names the first occurrence of the duplicated id).
    extra = 1 if "pandera" in engines else 0
    assert len(report.problems) == len(expected) + extra, [p.line() for p in report.problems]


def test_engines_agree_on_the_lines(synthetic):
    slow = {(p.table, p.row, p.field) for p in validate(synthetic, ("frictionless", "pandera", "rules")).problems}
    fast = {(p.table, p.row, p.field) for p in validate(synthetic, ("polars", "rules")).problems}
    dup = next(p for p in validate(synthetic, ("polars",)).problems if p.check == "unique")
    first = dup.message.split("first at row ")[1].rstrip(")")
    assert slow - fast <= {("participants", int(first), "participant_id")} and fast <= slow
