"""Write a file others will read (docs, images, CITATION.cff): atomically, and readable by all.

`atomic.write_file` goes through a private temp file (mode 0600); published files get 0644.
"""
from __future__ import annotations

import os
from pathlib import Path

from .atomic import write_file


def write_public(path: Path, data: bytes) -> None:
    write_file(path, data)
    os.chmod(path, 0o644)
