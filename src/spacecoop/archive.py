"""Release archives: written byte for byte reproducibly, and read back without trusting them.

The writers fix everything a zip or tar records besides the bytes of the files (timestamps,
order, permissions, owners), so the same package gives the same archive and the same sha256.
The reader refuses what could write outside its temporary directory or fill the disk.
"""
from __future__ import annotations

import gzip
import io
import shutil
import stat
import tarfile
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterable, Iterator

from .atomic import write_file
from .errors import SpacecoopError

EPOCH_ZIP = (1980, 1, 1, 0, 0, 0)   # the earliest time a zip can record
MAX_MEMBER = 256 * 1024 * 1024      # a member larger than this (unpacked) is refused
MAX_TOTAL = 1024 * 1024 * 1024
MAX_MEMBERS = 100_000


class ArchiveError(SpacecoopError):
    """An archive that cannot or may not be read; the message says why, in one line."""


def files_under(root: Path, rel: str) -> list[tuple[str, Path]]:
    """(archive name, file) of every file under root/rel (a file or directory), hidden ones left
    out; a FIFO, device or socket among them is UnsafeFile (one line), never left out in silence."""
    from .safety import regular_file

    base = root / rel
    if not base.exists() and not base.is_symlink():
        return []  # absent: the caller says whether it must be there (release does)
    if not base.is_dir():
        return [(rel, regular_file(base, rel))]
    out = []
    for p in sorted(base.rglob("*")):
        name = p.relative_to(root).as_posix()
        if not any(part.startswith(".") for part in p.relative_to(base).parts) and not p.is_dir():
            out.append((name, regular_file(p, name)))
    return out


def zip_bytes(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) in name order, with a fixed time and mode 0644."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in sorted(members):
            info = zipfile.ZipInfo(name, date_time=EPOCH_ZIP)
            info.create_system = 3  # unix, so that the mode below is read
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def write_tar_gz(path: Path, members: Iterable[tuple[str, bytes]]) -> bytes:
    """Write a .tar.gz of (name, bytes) in name order, mtime 0, mode 0644, owner 0; atomically."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        dirs: set[str] = set()
        for name, data in sorted(members):
            parts = name.split("/")
            for i in range(1, len(parts)):  # R CMD INSTALL wants the directories as members too
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    tf.addfile(_tarinfo(d, 0, tarfile.DIRTYPE, 0o755))
            tf.addfile(_tarinfo(name, len(data), tarfile.REGTYPE, 0o644), io.BytesIO(data))
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", compresslevel=9, mtime=0, filename="") as g:
        g.write(raw.getvalue())
    out = gz.getvalue()
    write_file(path, out)
    return out


def _tarinfo(name: str, size: int, kind: bytes, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.type, info.mode, info.mtime = size, kind, mode, 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def extract_zip(archive: Path, dest: Path) -> None:
    """Extract a zip into dest, refusing absolute names, '..', links, special files and oversized members."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise ArchiveError(f"{archive}: not a readable zip archive ({e})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArchiveError(f"{archive}: {len(infos)} members, more than the {MAX_MEMBERS} a release may hold")
        total = 0
        for info in infos:
            name = info.filename
            parts = name.replace("\\", "/").split("/")
            if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
                raise ArchiveError(f"{archive}: member {name!r} would be written outside the archive's directory; refused")
            mode = info.external_attr >> 16
            # Many writers record only permission bits (no file type): those are plain files.
            if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise ArchiveError(f"{archive}: member {name!r} is a link or special file; refused")
            total += info.file_size
            if info.file_size > MAX_MEMBER or total > MAX_TOTAL:
                raise ArchiveError(f"{archive}: member {name!r} makes the archive larger than "
                                   f"{MAX_MEMBER >> 20} MiB per file / {MAX_TOTAL >> 20} MiB in all unpacked; refused")
        for info in infos:
            target = dest / info.filename
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                # Read at most the declared size (+1 to notice a lie): the header is not trusted.
                data = src.read(info.file_size + 1)
                if len(data) > info.file_size:
                    raise ArchiveError(f"{archive}: member {info.filename!r} is larger than its header says; refused")
                out.write(data)


def package_root(directory: Path) -> Path:
    """The directory holding datapackage.json: directory itself or its single top-level folder."""
    if (directory / "datapackage.json").is_file():
        return directory
    subs = [p for p in directory.iterdir() if p.is_dir()]
    if len(subs) == 1 and (subs[0] / "datapackage.json").is_file():
        return subs[0]
    raise ArchiveError(f"{directory.name}: no datapackage.json at the top of the archive or in its one top-level folder")


def unpack(archive: Path) -> tuple[Path, Path]:
    """(package root, temporary directory to remove) of a release archive extracted safely."""
    tmp = Path(tempfile.mkdtemp(prefix="spacecoop-archive-"))
    try:
        extract_zip(archive, tmp)
        return package_root(tmp), tmp
    except ArchiveError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ArchiveError(str(e) if str(e).startswith(str(archive)) else f"{archive}: {e}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextmanager
def extracted(archive: Path) -> Iterator[Path]:
    """A temporary directory with the archive's package in it (its datapackage.json's directory)."""
    root, tmp = unpack(archive)
    try:
        yield root
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
