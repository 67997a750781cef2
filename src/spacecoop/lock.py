"""One build at a time per repository (fcntl.flock on .spacecoop.lock), and readers that never
read a half-swapped package: they finish the swap (atomic.recover) under the same lock, or say so."""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import SpacecoopError

LOCK = ".spacecoop.lock"
WAIT = 10.0  # seconds a second build waits for the first before refusing


@contextmanager
def repo_lock(root: Path, wait: float = WAIT):
    """Hold the repository's lock; wait up to `wait` s for another holder, then refuse in one line."""
    path = Path(root) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as e:
        raise SpacecoopError(f"{path}: cannot open the lock file: {e.strerror}") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SpacecoopError(f"{root}: another spacecoop build holds {LOCK}; waited {wait:g} s; "
                                         "try again when it has finished") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def half_swapped(root: Path) -> bool:
    root = Path(root)
    return any(root.glob(".staging-*")) or any(root.glob(".*.old"))


def settle(root: Path) -> None:
    """Before reading the package at root: if a build's swap was interrupted (or is running),
    complete or discard it under the lock (a running build is waited for, briefly); if that cannot
    be done (a read-only copy, a build that holds on), one line, exit 2."""
    from . import atomic

    root = Path(root)
    if not half_swapped(root):
        return
    try:
        with repo_lock(root, wait=WAIT):
            atomic.recover(root)
    except (SpacecoopError, OSError) as e:
        raise SpacecoopError(f"{root}: the package is half-swapped (a build was interrupted or is running) "
                             f"and cannot be settled ({e}); run `spacecoop build` there") from None
