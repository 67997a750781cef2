"""SIGKILL `spacecoop build` at several points: data/ and datapackage.json are then the old or the
new complete set (once `recover` has run, as every build does first), and the next build succeeds."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spacecoop import atomic
from spacecoop.build import build

from conftest import copy_package

SRC = Path(__file__).resolve().parent.parent / "src"


def digest(root: Path) -> dict[str, str]:
    files = [root / "datapackage.json", *sorted((root / "data").iterdir())] if (root / "data").is_dir() else [root / "datapackage.json"]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.exists()}


def _change(root: Path) -> None:
    p = root / "build" / "participants.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("  name: Egypt\n", "  name: Arab Republic of Egypt\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """(old digest, new digest) of the package before and after the curation change."""
    root = copy_package(tmp_path_factory.mktemp("sets") / "pkg")
    old = digest(root)
    _change(root)
    build(root)
    new = digest(root)
    assert old != new
    return old, new


def _start(root: Path, pause: str | None):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    if pause:
        env["SPACECOOP_PAUSE_AT"] = pause
    return subprocess.Popen([sys.executable, "-m", "spacecoop.cli", "build", "--package", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("pause", ["staged", "committed", "dir-moved-aside", "dir-swapped"])
def test_killed_at_each_point_of_the_swap(tmp_path, sets, pause):
    old, new = sets
    root = copy_package(tmp_path / "pkg")
    _change(root)
    proc = _start(root, pause)
    assert proc.stdout.readline().strip() == f"paused at {pause}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    atomic.recover(root)
    assert digest(root) in (old, new)
    assert not list(root.glob(".staging-*")) and not (root / ".data.old").exists()
    build(root)
    assert digest(root) == new


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2])
def test_killed_after_a_delay(tmp_path, sets, delay):
    old, new = sets
    root = copy_package(tmp_path / "pkg")
    _change(root)
    proc = _start(root, None)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    atomic.recover(root)
    assert digest(root) in (old, new)
    build(root)
    assert digest(root) == new
