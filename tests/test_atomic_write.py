"""The one writer keeps an existing file's mode and gives a new file 0666 & ~umask."""
import os
import stat

import pytest

from spacecoop.atomic import write_file

from curate_helpers import FICTION, cli, copy_repo


def mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_file(tmp_path / "a.txt", b"x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "a.txt") == 0o640


def test_existing_file_keeps_its_mode(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"old")
    os.chmod(p, 0o604)
    write_file(p, b"new")
    assert p.read_bytes() == b"new" and mode(p) == 0o604


def test_new_never_replaces(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        write_file(p, b"new", new=True)
    assert p.read_bytes() == b"old"
    assert [q.name for q in tmp_path.iterdir()] == ["a.txt"]  # no temp file left


def test_add_seed_keeps_modes(tmp_path):
    """The bug of 0.1.0: after add-seed, build/*.yaml went from 0644 to 0600, and the seed was 0600."""
    root = copy_repo(tmp_path)
    for name in ("sources.yaml", "references.yaml"):
        os.chmod(root / "build" / name, 0o644)
    old = os.umask(0o022)
    try:
        p = cli("add-seed", str(FICTION), "--outlet", "Test Wire (fictional)", "--address",
                "https://example.org/fiction/1", root=root)
    finally:
        os.umask(old)
    assert p.returncode == 0, p.stderr
    assert mode(root / "build" / "sources.yaml") == 0o644
    assert mode(root / "build" / "references.yaml") == 0o644
    assert [mode(s) for s in (root / "seeds").glob("004_*.txt")] == [0o644]
