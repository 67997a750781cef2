"""Scan a CSV file in bounded memory before any parser sees it.

A package from elsewhere may hold a 2 GB single line, a quote that never closes, or bytes that
are not UTF-8. Parsers (pandas, polars, frictionless) would read such a file whole or fail with a
message naming a byte offset. This scan reads 1 MiB at a time, tracks quote parity with numpy to
find where each record (spreadsheet row) ends even when a quoted cell holds a newline, and stops
at the first file it cannot trust, saying why in one line with the row.
"""
from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem
from ..safety import open_regular

CHUNK = 1 << 20
MAX_ROW_BYTES = 1 << 20          # one record (row) may hold at most 1 MiB; the real package's longest is < 2 KiB
MAX_HEADER_BYTES = 64 * 1024     # the header row
MAX_REPORTED = 10                # ragged rows listed before "and N more"
BATCH_BYTES = 24 << 20           # bytes of whole records handed to emit at a time

_NL, _QUOTE, _COMMA = 10, 34, 44


@dataclass
class Scan:
    records: int = 0              # data rows (header excluded)
    problems: list[Problem] | None = None


def _human(n: int) -> str:
    return f"{n // (1 << 20)} MiB" if n >= 1 << 20 else f"{n // 1024} KiB"


def scan_csv(path: Path, file: str, table: str, names: list[str], check_encoding: bool = True,
             emit=None, batch_bytes: int = BATCH_BYTES) -> Scan:
    """Check record lengths, quote balance, field counts per row, and (optionally) UTF-8 and BOM.

    emit(data, first, n): called, while no problem has been seen, with about batch_bytes of whole
    records at a time (the header left out): first is the 0-based index of the first data row in
    data, n the number of records. The caller parses them while the scan reads on, and drops what
    it found if the returned Scan has problems."""
    import numpy as np

    out: list[Problem] = []
    decoder = codecs.getincrementaldecoder("utf-8")()
    parity = 0          # quotes seen so far, mod 2
    rec_start = 0       # absolute offset where the current record starts
    rec_commas = 0      # unquoted commas seen so far in the current record
    record = 0          # index of the current record (0 = header)
    offset = 0          # absolute offset of the chunk
    ragged = 0
    want = len(names)
    pending: list[bytes] = []  # with emit: the chunks read and not yet wholly handed over
    pending_at = 0      # absolute offset of pending[0]
    buf_at = 0          # absolute offset of the first byte not yet handed over
    first = 0           # record index of the record at buf_at (0 until the header is dropped)

    def take(end: int) -> bytes:
        """The bytes from buf_at to end, in one copy; the chunks wholly before end are dropped."""
        nonlocal pending_at
        pieces, at = [], pending_at
        for c in pending:
            s, e = max(buf_at - at, 0), min(end - at, len(c))
            if e > s:
                pieces.append(memoryview(c)[s:e])
            at += len(c)
        data = b"".join(pieces)
        while pending and pending_at + len(pending[0]) <= end:
            pending_at += len(pending.pop(0))
        return data

    def prob(msg, row=None, check="csv", field=None):
        return Problem(file, msg, table=table, row=row, field=field, check=check)

    with open_regular(path, file) as f:
        while True:
            chunk = f.read(CHUNK)
            if offset == 0 and check_encoding and chunk.startswith(b"\xef\xbb\xbf"):
                return Scan(0, [prob("file starts with a byte-order mark; save as UTF-8 without BOM", 1, "encoding")])
            if check_encoding:
                split = len(decoder.getstate()[0])  # bytes of a character split across chunks
                try:
                    decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as e:
                    at = offset - split + max(e.start, 0)
                    return Scan(0, [_encoding_problem(path, file, table, names, at, record, rec_start)])
            if not chunk:
                break
            if emit is not None and out:  # a ragged row: nothing more is handed over, so nothing more is kept
                emit = None
                pending.clear()
            if emit is not None:
                pending.append(chunk)
            header_open = record == 0
            a = np.frombuffer(chunk, dtype=np.uint8)
            q = np.flatnonzero(a == _QUOTE)
            nl = np.flatnonzero(a == _NL)
            cm = np.flatnonzero(a == _COMMA)
            if len(q):  # parity at a position = quotes before it in the chunk + carried parity
                ends = nl[((np.searchsorted(q, nl) + parity) & 1) == 0]   # record ends in this chunk (relative)
                commas = cm[((np.searchsorted(q, cm) + parity) & 1) == 0]
            else:  # no quote in the chunk (most chunks of most tables): every position has the carried parity
                ends, commas = (nl, cm) if parity == 0 else (nl[:0], cm[:0])
            starts = np.concatenate(([rec_start - offset], ends[:-1] + 1)) if len(ends) else np.array([], dtype=np.int64)
            if len(ends):
                lengths = ends - starts
                # commas before each record end (a search per record, not per comma: 6x fewer)
                before = np.searchsorted(commas, ends)
                per = np.diff(before, prepend=0, append=len(commas))
                fields = per[: len(ends)] + 1
                fields[0] += rec_commas
                limit = np.where(np.arange(len(ends)) + record == 0, MAX_HEADER_BYTES, MAX_ROW_BYTES)
                long = np.flatnonzero(lengths > limit)
                if len(long):
                    i = int(long[0])
                    return Scan(0, [_too_long(prob, record + i, int(lengths[i]))])
                bad = np.flatnonzero(fields != want)
                bad = bad[(bad + record) > 0]       # the header's width is the header check's business
                for i in bad:
                    ragged += 1
                    if ragged <= MAX_REPORTED:
                        blank = lengths[i] == 0 or (lengths[i] == 1 and chunk[ends[i] - 1] == 13)
                        what = "is blank" if blank else f"has {int(fields[i])} cells but the header has {want}"
                        out.append(prob(f"row {what}", int(record + i + 1)))
                record += len(ends)
                rec_start = offset + int(ends[-1]) + 1
                rec_commas = int(per[len(ends)])
            else:
                rec_commas += len(commas)
            parity = (parity + len(q)) & 1
            if emit is not None and header_open and record > 0:   # the header ended here: drop it
                buf_at, first = offset + int(ends[0]) + 1, 1
                take(buf_at)
            offset += len(chunk)
            if emit is not None and first and not out and rec_start - buf_at >= batch_bytes:
                emit(take(rec_start), first - 1, record - first)
                buf_at, first = rec_start, record
            if offset - rec_start > (MAX_HEADER_BYTES if record == 0 else MAX_ROW_BYTES):
                return Scan(0, [_too_long(prob, record, offset - rec_start, at_least=True)])
    if parity:
        return Scan(0, [prob("a quoted cell is never closed (a '\"' without its pair); the rest of the file "
                             "would be read as one cell", record + 1)])
    if offset > rec_start:  # a last record without a final newline
        if rec_commas + 1 != want and record > 0:
            ragged += 1
            if ragged <= MAX_REPORTED:
                out.append(prob(f"row has {rec_commas + 1} cells but the header has {want}", record + 1))
        record += 1
    if ragged > MAX_REPORTED:
        out.append(prob(f"and {ragged - MAX_REPORTED} more rows whose number of cells is not {want}"))
    if emit is not None and first and not out and record > first:
        emit(take(offset), first - 1, record - first)
    return Scan(max(record - 1, 0), out)


def _too_long(prob, record: int, n: int, at_least: bool = False) -> Problem:
    limit = MAX_HEADER_BYTES if record == 0 else MAX_ROW_BYTES
    what = "header row" if record == 0 else "row"
    size = f"more than {_human(n)}" if at_least else f"{n} bytes"
    return prob(f"{what} is {size}, over the limit of {_human(limit)}; refusing to read this table", record + 1, "limit")


def cells(line: str) -> list[str]:
    """One CSV line as cells; a line the csv module rejects (a stray CR) is one cell as it stands."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return [line]


def _encoding_problem(path: Path, file: str, table: str, names: list[str], at: int, record: int, rec_start: int) -> Problem:
    """Name the row and, where it can, the field of the first byte that is not UTF-8."""
    with open_regular(path, file) as f:
        f.seek(rec_start)
        window = f.read(min(at - rec_start + 4096, MAX_ROW_BYTES + 4096))
        f.seek(at)
        byte = f.read(1)
    rel = at - rec_start
    row = record + 1 + window[:rel].count(b"\n")
    start = window.rfind(b"\n", 0, rel) + 1
    end = window.find(b"\n", rel)
    line = window[start: end if end != -1 else len(window)].decode("utf-8", "replace")
    idx = next((i for i, c in enumerate(cells(line)) if "\ufffd" in c), None)
    fld = names[idx] if idx is not None and idx < len(names) else None
    return Problem(file, f"bytes are not valid UTF-8 (byte {at}: {byte!r}); save the file as UTF-8",
                   table=table, row=row, field=fld, check="encoding")
