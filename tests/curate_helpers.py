"""Shared by the curation-tool tests: a copy of the repository's package in tmp_path, and the CLI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _pkgcopy import REPO, copy_package  # noqa: F401  (REPO is re-exported to the curation tests)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FICTION = FIXTURES / "fictional_wire_report.txt"


def copy_repo(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "repo")


def cli(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    """Run a command in process (typer's CliRunner): a subprocess here would add only start-up
    time; tests/test_cli.py runs each command once as the installed program."""
    from typer.testing import CliRunner

    from spacecoop.cli import app

    args = [*args, *(["--package", str(root)] if root is not None else [])]
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    return subprocess.CompletedProcess(args, res.exit_code, res.stdout, res.stderr)


def cli_process(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    """The same, run as the installed `spacecoop` program (end to end)."""
    cmd = [sys.executable, "-m", "spacecoop.cli", *args, *(["--package", str(root)] if root is not None else [])]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in p.stderr, p.stderr
    return p


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
