"""The R package (r/): built as the release builds it (data inside), installed with R CMD INSTALL,
and its testthat tests run through Rscript on the shipped data and on a clone.

Skipped when R is missing, except under CI=true, where a missing R is a failure (.ci/run installs
it from Debian's packages).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import tarfile

import pytest

from spacecoop.archive import zip_bytes
from spacecoop.release import archive_members, changelog_entry, write_r_package
from spacecoop.model import open_package

from _pkgcopy import REPO, copy_package

RSCRIPT, R = shutil.which("Rscript"), shutil.which("R")
DESC = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def r_lib(tmp_path_factory) -> str:
    """A library with the R source package, made by the release's builder, installed into it."""
    if RSCRIPT is None or R is None:
        if os.environ.get("CI") == "true":
            pytest.fail("R is not installed, and CI=true requires the R tests: "
                        "apt-get install -y --no-install-recommends r-base-core r-cran-jsonlite r-cran-readr r-cran-testthat")
        pytest.skip("R is not installed (apt-get install r-base-core r-cran-jsonlite r-cran-readr r-cran-testthat)")
    tmp = tmp_path_factory.mktemp("r")
    tarball = write_r_package(REPO, tmp, DESC["version"])
    lib = tmp / "lib"
    lib.mkdir()
    out = subprocess.run([R, "CMD", "INSTALL", "--no-test-load", "-l", str(lib), str(tarball)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return str(lib)


def _run_r(code: str, lib: str, **env) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SPACECOOP_PATH"} | {"R_LIBS": lib} | env
    return subprocess.run([RSCRIPT, "--vanilla", "-e", code], capture_output=True, text=True, cwd=REPO / "r" / "tests",
                          env=env, timeout=300)


def test_r_source_package_carries_the_data_at_the_data_version(tmp_path):
    tarball = write_r_package(REPO, tmp_path, DESC["version"])
    assert tarball.name == f"spacecoop_{DESC['version']}.tar.gz"
    with tarfile.open(tarball) as tf:
        names = tf.getnames()
        description = tf.extractfile("spacecoop/DESCRIPTION").read().decode()
        shipped = tf.extractfile("spacecoop/inst/extdata/datapackage.json").read()
    assert f"\nVersion: {DESC['version']}\n" in description
    assert shipped == (REPO / "datapackage.json").read_bytes()
    for t in open_package(REPO).table_names():
        assert f"spacecoop/inst/extdata/data/{t}.csv" in names and f"spacecoop/inst/extdata/schemas/{t}.schema.json" in names
    assert {"spacecoop/NAMESPACE", "spacecoop/R/spacecoop.R", "spacecoop/man/read_spacecoop.Rd"} <= set(names)
    # Same input, same bytes.
    assert write_r_package(REPO, tmp_path / "again", DESC["version"]).read_bytes() == tarball.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("where", ["shipped", "clone", "zip"])
def test_library_spacecoop_testthat(r_lib, tmp_path, where):
    counts = {}
    for t in open_package(REPO).table_names():
        with open(REPO / "data" / f"{t}.csv", encoding="utf-8", newline="") as f:
            counts[t] = sum(1 for _ in csv.reader(f)) - 1
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps(counts))
    env = {"SPACECOOP_EXPECTED": str(expected)}
    if where == "clone":
        env["SPACECOOP_PATH"] = str(REPO)
    elif where == "zip":  # the release archive itself, as spacecoop release writes it
        entry = changelog_entry((REPO / "CHANGELOG.md").read_text(encoding="utf-8"), DESC["version"]) or ""
        z = tmp_path / f"spacecoop-data-{DESC['version']}.zip"
        z.write_bytes(zip_bytes(archive_members(REPO, DESC, entry)))
        env["SPACECOOP_PATH"] = str(z)
    out = _run_r('library(testthat); library(spacecoop); '
                 'test_dir("testthat", reporter = "summary", stop_on_failure = TRUE)', r_lib, **env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "DONE" in out.stdout and "Failed" not in out.stdout


@pytest.mark.slow
def test_r_loader_names_the_bad_value(r_lib, tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    p = pkg / "data" / "evidence.csv"
    header, first, rest = p.read_text(encoding="utf-8").split("\n", 2)
    cells = next(csv.reader([first]))
    col = next(csv.reader([header])).index("char_start")
    cells[col] = "twelve"  # an integer field
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow(cells)
    p.write_text("\n".join([header, line.getvalue(), rest]), encoding="utf-8")
    out = _run_r(f'spacecoop::read_spacecoop_table("evidence", "{pkg}")', r_lib)
    assert out.returncode != 0
    assert f"data/evidence.csv: table evidence, row 1, column {col + 1}: an integer, got 'twelve'" in out.stderr
    out = _run_r('spacecoop::read_spacecoop_table("no_such_table")', r_lib)
    assert out.returncode != 0 and "unknown table 'no_such_table'; choose from" in out.stderr
