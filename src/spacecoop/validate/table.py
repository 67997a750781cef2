"""A table being validated: its schema, file, and the columns kept once its rows are checked."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Schema

ROW = "__row"  # the column holding each record's 0-based index in its file


@dataclass
class Table:
    name: str
    file: str            # the path as the descriptor gives it, for messages
    path: Path
    schema: Schema
    resource: dict
    keep: tuple[str, ...] = ()  # the columns the rules keep
    frame: object = None  # polars DataFrame of the kept columns and ROW, once every batch is read
