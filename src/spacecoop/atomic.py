"""Write a set of files so that readers see either the old set or the new one, never a mix.

A set (data/ and datapackage.json) cannot be replaced by one rename, so the swap is journalled:
the staging directory gets a `.complete` marker (naming what it holds) before the first rename.
A swap killed at any point is then finished by `recover` (roll forward: the staged set is whole),
and a staging directory without the marker is a build that never finished and is discarded.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Callable

MARKER = ".complete"


def new_file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the umask (read without changing it for long)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: Path, data: bytes | Callable[[Path], None], *, new: bool = False) -> Path:
    """The one writer of files: atomically (a temp file beside path, fsync, then rename), keeping
    an existing file's mode and giving a new one 0666 & ~umask (mkstemp alone would leave 0600).

    data: the bytes, or a function that writes the file at the path it is given (a database engine).
    new=True never replaces a file that exists (FileExistsError), even in a race."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if callable(data):
            os.close(fd)
            fd = -1
            os.unlink(tmp)  # the writer creates the file itself
            data(Path(tmp))
            fd = os.open(tmp, os.O_RDONLY)
        else:
            with os.fdopen(fd, "wb", closefd=False) as f:
                f.write(data)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.chmod(tmp, mode)
        if new:
            os.link(tmp, path)  # FileExistsError if it is there: no overwrite, ever
        else:
            os.replace(tmp, path)
    finally:
        if fd >= 0:
            os.close(fd)
        for leftover in (tmp, tmp + ".wal", tmp + "-journal"):
            Path(leftover).unlink(missing_ok=True)
    return path


def staging_dir(root: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=root))


def _pause(point: str) -> None:
    """Test hook: SPACECOOP_PAUSE_AT=<point> stops here long enough for a test to kill the process."""
    if os.environ.get("SPACECOOP_PAUSE_AT") == point:
        print(f"paused at {point}", flush=True)
        time.sleep(60)


def _fsync_tree(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def recover(root: Path, name: str = "data") -> None:
    """Finish a swap that was interrupted (its staged set is complete), or discard an unfinished
    staging directory; then put back or remove the backup of the old directory."""
    for staged in sorted(root.glob(".staging-*")):
        marker = staged / MARKER
        if marker.is_file():
            try:
                plan = json.loads(marker.read_text(encoding="utf-8"))
                _roll_forward(root, staged, plan["dir"], plan["files"])
                continue
            except (OSError, ValueError, KeyError, TypeError):
                pass  # an unreadable marker: treat as unfinished
        shutil.rmtree(staged, ignore_errors=True)
    old = root / f".{name}.old"
    if old.exists():
        if not (root / name).exists():
            os.replace(old, root / name)
        else:
            shutil.rmtree(old, ignore_errors=True)


def _roll_forward(root: Path, staged: Path, dirname: str, files: list[str]) -> None:
    target, old = root / dirname, root / f".{dirname}.old"
    if (staged / dirname).exists():
        if target.exists():
            if old.exists():
                shutil.rmtree(old)
            os.replace(target, old)
        _pause("dir-moved-aside")
        os.replace(staged / dirname, target)
    _pause("dir-swapped")
    for name in files:
        if (staged / name).exists():
            os.replace(staged / name, root / name)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staged, ignore_errors=True)


def swap_in(root: Path, staged: Path, dirname: str, files: list[str]) -> None:
    """Move staged/<dirname> over root/<dirname> and each staged file over its twin.

    The marker is written (and the staged set synced) first: from then on the new set is
    committed, and a swap killed between any two renames is completed by `recover`.
    """
    _fsync_tree(staged)
    _pause("staged")
    write_file(staged / MARKER, json.dumps({"dir": dirname, "files": files}).encode("utf-8"))
    _pause("committed")
    _roll_forward(root, staged, dirname, files)
