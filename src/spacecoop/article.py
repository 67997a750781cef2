"""Read an article's bytes and text, refusing what cannot be a seed, with one-line reasons.

A seed is cited by character offsets (Python str indices of its UTF-8 text), so anything that
would make two readers disagree on those offsets is refused rather than silently fixed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# A news article is a few kilobytes; anything this large is not one (and would be slow to read).
MAX_BYTES = 2 * 1024 * 1024
BOM = b"\xef\xbb\xbf"


class ArticleError(ValueError):
    """An article that cannot be read or used as a seed; str() is the whole one-line message."""


@dataclass(frozen=True)
class Article:
    path: Path
    data: bytes
    text: str

    @property
    def crlf(self) -> bool:
        return b"\r\n" in self.data


def read_article(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    """The bytes and text of an article, or ArticleError saying what is wrong with it."""
    if path.is_dir():
        raise ArticleError(f"{path}: is a directory, not an article file")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ArticleError(f"{path}: cannot read: {e.strerror}") from None
    if size > max_bytes:
        raise ArticleError(f"{path}: {size} bytes is too large for a news article (limit {max_bytes}); is it the right file?")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(f"{path}: cannot read: {e.strerror}") from None
    if not data.strip():
        raise ArticleError(f"{path}: is empty (or only white space); there is nothing to curate")
    if data.startswith(BOM):
        raise ArticleError(f"{path}: starts with a UTF-8 byte-order mark, which would shift every character offset by one for some readers; save it as UTF-8 without BOM and try again")
    if b"\x00" in data:
        raise ArticleError(f"{path}: holds NUL bytes: a binary file, not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ArticleError(f"{path}: is not valid UTF-8 (line {line}, byte {e.start}); convert it to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8) and try again") from None
    bad = next((c for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\x7f"), None)
    if bad is not None:
        raise ArticleError(f"{path}: holds control character U+{ord(bad):04X} at character {text.index(bad)}: not a plain-text article")
    return Article(path, data, text)
