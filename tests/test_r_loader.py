"""The R loader (R/spacecoop.R), run through Rscript and testthat.

Skipped when Rscript is missing, except under CI=true, where a missing R is a failure
(.ci/run installs it from Debian's packages).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess

import pytest

from spacecoop.model import open_package

from _pkgcopy import REPO, copy_package

TABLES = open_package(REPO).table_names()

RSCRIPT = shutil.which("Rscript")


@pytest.fixture(scope="module")
def rscript() -> str:
    if RSCRIPT is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Rscript is not installed, and CI=true requires the R test: "
                        "apt-get install -y --no-install-recommends r-base-core r-cran-jsonlite r-cran-readr r-cran-testthat")
        pytest.skip("Rscript is not installed (apt-get install r-base-core r-cran-jsonlite r-cran-readr r-cran-testthat)")
    return RSCRIPT


def _run_r(rscript: str, code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([rscript, "--vanilla", "-e", code], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **env}, timeout=300)


@pytest.mark.slow
def test_r_loader_testthat(rscript, tmp_path):
    counts = {}
    for t in TABLES:
        with open(REPO / "data" / f"{t}.csv", encoding="utf-8", newline="") as f:
            counts[t] = sum(1 for _ in csv.reader(f)) - 1
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps(counts))
    out = _run_r(rscript, 'testthat::test_file("tests/R/test-spacecoop.R", reporter = "summary", stop_on_failure = TRUE)',
                 SPACECOOP_ROOT=str(REPO), SPACECOOP_EXPECTED=str(expected))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "FAIL" not in out.stdout.replace("FAIL 0", "")


@pytest.mark.slow
def test_r_loader_names_the_bad_value(rscript, tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    p = pkg / "data" / "evidence.csv"
    header, first, rest = p.read_text(encoding="utf-8").split("\n", 2)
    cells = next(csv.reader([first]))
    cells[5] = "twelve"  # char_start, an integer
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow(cells)
    p.write_text("\n".join([header, line.getvalue(), rest]), encoding="utf-8")
    out = _run_r(rscript, f'source("R/spacecoop.R"); spacecoop_read_table("evidence", "{pkg}")')
    assert out.returncode != 0
    assert "data/evidence.csv: table evidence, row 1, column 6: an integer, got 'twelve'" in out.stderr
