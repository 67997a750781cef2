"""Every command has --help with an example; shell completion is available."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spacecoop.cli import app

runner = CliRunner()
COMMANDS = [["export", "sqlite"], ["export", "duckdb"], ["cite"], ["diff"], ["docs"], ["plot", "timeline"], ["plot", "network"]]


@pytest.mark.parametrize("cmd", COMMANDS, ids=" ".join)
def test_help_has_an_example(cmd):
    res = runner.invoke(app, [*cmd, "--help"])
    assert res.exit_code == 0
    assert "Example: spacecoop " + cmd[0] in res.stdout


def test_bash_completion_lists_the_new_commands():
    env = {**os.environ, "_SPACECOOP_COMPLETE": "complete_bash", "COMP_WORDS": "spacecoop ", "COMP_CWORD": "1"}
    exe = Path(sys.executable).parent / "spacecoop"  # the installed console script
    out = subprocess.run([str(exe)], env=env, capture_output=True, text=True)
    for name in ("export", "cite", "diff", "docs", "plot"):
        assert name in out.stdout.split()
