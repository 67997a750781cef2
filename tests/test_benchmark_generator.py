"""The benchmark's generator at a tiny N: every injected error is found with its row, and nothing else."""
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


def test_every_injected_error_is_found_with_its_row(synthetic):
    expected = json.loads((synthetic / "expected.json").read_text())
    report = validate(synthetic)
    got = {(p.table, p.row, p.field): p for p in report.problems}
    for e in expected:
        assert (e["table"], e["row"], e["field"]) in got, (e, [p.line() for p in report.problems])
    # Nothing else: the generated values are valid, so only the injected errors show.
    assert len(report.problems) == len(expected), [p.line() for p in report.problems]


def test_frictionless_adds_no_line(synthetic):
    ours = [p.line() for p in validate(synthetic).problems]
    assert [p.line() for p in validate(synthetic, frictionless=True).problems] == ours
