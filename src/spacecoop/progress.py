"""Progress on stderr for work that may take more than a second.

A terminal sees a line that updates in place from the start; a log or pipe sees one line per step,
and only once the work has run for more than a second (so quick runs stay quiet).
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, what: str, total: int | None = None, stream: TextIO | None = None, always: bool = False):
        self.what, self.total, self.n = what, total, 0
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.always = always
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, item: str) -> None:
        self.n += 1
        count = f"{self.n}/{self.total}" if self.total else str(self.n)
        if self.tty:
            self.stream.write(f"\r\033[K{self.what}: {count} {item}")
            self.shown = True
        elif self.always or time.monotonic() - self.start > 1.0:
            self.stream.write(f"{self.what}: {count} {item}\n")
            self.shown = True
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
