"""Opening untrusted files, and echoing untrusted text.

regular_file(): every file a command reads is first stat()ed and must be a regular file, so a
FIFO (which blocks on open), a device (/dev/zero reports size 0 and never ends), a directory or
a socket is refused in one line without being opened. open_regular() is the one way a file is
opened for reading; read_bounded() reads at most limit + 1 bytes through it. escape(): control characters and newlines in a value from the input, shown repr-style."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .errors import SpacecoopError
from .limits import human

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a directory"), (stat.S_ISSOCK, "a socket"))


class UnsafeFile(SpacecoopError):
    """A file that is not a regular file, or over its limit. `reason` is the message without the name."""

    def __init__(self, name: str, reason: str, exit_code: int | None = None):
        super().__init__(f"{escape(name)}: {reason}", exit_code)
        self.name, self.reason = name, reason


def not_regular(path) -> str | None:
    """Why path is not a regular file (following links), or None; 'does not exist' if missing."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as e:
        return f"cannot be read: {e.strerror}"
    if stat.S_ISREG(mode):
        return None
    kind = next((k for test, k in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a regular file; refused"


def regular_file(path, name: str | None = None) -> Path:
    """path, if it is a regular file; else UnsafeFile (exit 2) naming it."""
    why = not_regular(path)
    if why is not None:
        raise UnsafeFile(name or str(path), why)
    return Path(path)


def open_regular(path, name: str | None = None):
    """A binary file object on path, if it is a regular file: stat()ed before it is opened, opened
    without blocking (O_NONBLOCK: a FIFO swapped in after the stat does not hang) and fstat()ed
    again; else UnsafeFile (exit 2) naming it. The one way spacecoop opens a file it reads."""
    regular_file(path, name)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped for a FIFO after the stat
        f.close()
        raise UnsafeFile(name or str(path), "is not a regular file; refused")
    return f


def read_bounded(path, limit: int | None, name: str | None = None, what: str = "file") -> bytes:
    """The bytes of a regular file of at most limit bytes (None: no limit, for the package's own
    files a command copies whole): reads at most limit + 1, whatever the file claims its size is;
    UnsafeFile naming the limit otherwise."""
    with open_regular(path, name) as f:
        data = f.read() if limit is None else f.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise UnsafeFile(name or str(path), f"{what} is larger than the limit of {human(limit)}; refused")
    return data


def read_text(path, name: str | None = None, limit: int | None = None) -> str:
    """read_bounded, decoded as UTF-8 (an undecodable byte is UnsafeFile naming the file)."""
    try:
        return read_bounded(path, limit, name).decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnsafeFile(name or str(path), f"is not valid UTF-8 (byte {e.start}); refused") from None


# C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(value) -> str:
    """str(value) with each control character as \\n, \\t, \\x1b or \\u2028: one line, nothing a
    terminal would act on."""
    s = str(value)
    if not _CONTROL.search(s):
        return s
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], s)


def parquet_refusal(meta, csv_bytes: int, columns: int) -> str | None:
    """Why a Parquet twin is refused before any of its data is read, from its footer (meta, a
    pyarrow FileMetaData): more rows than its CSV of csv_bytes could hold (each row takes at least
    one byte per column), more than PARQUET_ROWS, or a decompressed size over PARQUET_RATIO times
    the CSV (+ 1 MiB); or None."""
    from .limits import PARQUET_RATIO, PARQUET_ROWS

    pandas = (meta.metadata or {}).get(b"pandas")
    if pandas is not None:  # pandas (and spacecoop.load) would fail on it; polars ignores it
        import json

        try:
            if not isinstance(json.loads(pandas), dict):
                raise ValueError
        except (ValueError, RecursionError):
            return "Parquet file's pandas metadata is not a JSON object; pandas cannot read the file"
    rows = min(PARQUET_ROWS, csv_bytes // max(columns, 1))
    if meta.num_rows > rows:
        return (f"Parquet file has {meta.num_rows} rows, over the limit of {rows} (its CSV's bytes per column, "
                f"at most {PARQUET_ROWS}); refused")
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    cap = PARQUET_RATIO * csv_bytes + (1 << 20)
    if size > cap:
        return f"Parquet file decompresses to {size} bytes, over the limit of {cap} ({PARQUET_RATIO} x its CSV + 1 MiB); refused"
    return None
