"""Shared fixtures: a private copy of the real package to corrupt or extend."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from _pkgcopy import REPO, copy_package  # noqa: F401  (REPO is imported from here by tests)


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    """A copy of the repository's built package (and its curation) in a temp dir."""
    return copy_package(tmp_path / "pkg")


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def edit_csv(pkg: Path, table: str, fn) -> list[list[str]]:
    """Apply fn to the rows (header first) of data/<table>.csv and write them back."""
    p = pkg / "data" / f"{table}.csv"
    rows = read_rows(p)
    fn(rows)
    write_rows(p, rows)
    return rows

def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes several seconds (builds a wheel, runs R, renders images)")
