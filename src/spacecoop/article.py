"""Read an article's bytes and text, refusing what cannot be a seed, with one-line reasons.

A seed is cited by character offsets (Python str indices of its UTF-8 text), so anything that
would make two readers disagree on those offsets is refused rather than silently fixed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# A news article is a few kilobytes; anything this large is not one (and would be slow to read).
from .limits import SEED_BYTES as MAX_BYTES
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
    from .limits import human
    from .safety import UnsafeFile, escape, read_bounded

    try:
        data = read_bounded(path, max_bytes, str(path), "article")
    except UnsafeFile as e:
        if e.reason == "does not exist":
            raise ArticleError(f"{escape(path)}: cannot read: no such file") from None
        if "larger than the limit" in e.reason:
            raise ArticleError(f"{escape(path)}: too large for a news article (over the limit of {human(max_bytes)}); is it the right file?") from None
        raise ArticleError(f"{escape(path)}: {e.reason}") from None
    except OSError as e:
        raise ArticleError(f"{escape(path)}: cannot read: {e.strerror}") from None
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
