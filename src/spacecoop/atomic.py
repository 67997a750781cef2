"""Write a set of files so that readers see either the old set or the new one, never a mix."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically: a temp file beside it, fsync, then rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def staging_dir(root: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=root))


def recover(root: Path, name: str = "data") -> None:
    """Finish or undo a swap that was interrupted: if only the backup is left, put it back."""
    old = root / f".{name}.old"
    if old.exists():
        if not (root / name).exists():
            os.replace(old, root / name)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for p in root.glob(".staging-*"):
        shutil.rmtree(p, ignore_errors=True)


def swap_in(root: Path, staged: Path, dirname: str, files: list[str]) -> None:
    """Move staged/<dirname> over root/<dirname> and each staged file over its twin.

    The directory swap is two renames; `recover` repairs the one window between them. The
    descriptor is replaced last, so a reader that trusts it never sees hashes of files not yet there.
    """
    target, old = root / dirname, root / f".{dirname}.old"
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staged / dirname, target)
    for name in files:
        os.replace(staged / name, root / name)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staged, ignore_errors=True)
