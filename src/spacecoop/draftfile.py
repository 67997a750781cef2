"""Write a draft as YAML in the style of build/*.yaml, to a new file that never replaces another."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .atomic import write_file

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./~-]*\Z")
_UNSAFE = re.compile("[\u0080-\u009f\u2028\u2029\ufeff]")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}
# A mapping printed on one line when it is this short: evidence items, link items.
_FLOW_WIDTH = 160

HEADER = """\
# DRAFT written by `spacecoop extract` from {seed} ({source_id}). Nothing here is data.
# To accept candidates, name their ids: `spacecoop accept <this file> n1 r2 s7='reason' ...`
# writes each `accept:` block where its `into:` says (a file in build/, or a record there).
# Then replace every TODO and run `spacecoop build`, which refuses TODO ids, kinds and roles.
# Offsets (start, end) are character positions in the seed (Python str indices, end
# exclusive); quotes are its exact words.
"""


def scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if _PLAIN.match(s) and s.lower() not in _RESERVED:
        return s
    # A JSON string is a YAML double-quoted scalar; characters YAML reads as line breaks or that
    # a terminal would act on (U+0085, U+2028, U+2029, C1 controls) are escaped too.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(s, ensure_ascii=False))


def flow(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


def _wants_block(x) -> bool:
    """Records (they have an id) and candidates (they have into) go one key a line when long;
    everything else (evidence items, links, field values) stays on one line, as in build/."""
    return isinstance(x, dict) and ("id" in x or "into" in x) and len(flow(x)) > _FLOW_WIDTH


def _block(v, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(v, dict):
        for k, x in v.items():
            if _wants_block(x) or (isinstance(x, list) and any(_wants_block(i) for i in x)):
                lines.append(f"{pad}{k}:")
                lines += _block(x, indent + 2)
            elif isinstance(x, list) and x and isinstance(x[0], dict) and len(flow(x)) > _FLOW_WIDTH:
                lines.append(f"{pad}{k}:")
                lines += [f"{pad}  - {flow(i)}" for i in x]
            else:
                lines.append(f"{pad}{k}: {flow(x)}")
    elif isinstance(v, list):
        for x in v:
            if _wants_block(x):
                sub = _block(x, indent + 2)
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines += sub[1:]
            else:
                lines.append(f"{pad}- {flow(x)}")
    else:
        lines.append(pad + scalar(v))
    return lines


def dumps(d: dict, header: str = "") -> str:
    out = [header.rstrip("\n")] if header else []
    for k, v in d.items():
        if isinstance(v, (dict, list)) and v:
            out.append(f"{k}:")
            out += _block(v, 2)
        else:
            out.append(f"{k}: {flow(v)}")
    return "\n".join(out) + "\n"


def records_yaml(records: list[dict]) -> str:
    """Records as they are written in build/*.yaml (a list, one record per '- id:')."""
    return "\n".join(_block(records, 0)) + "\n"


def new_draft_path(drafts_dir: Path, stem: str) -> Path:
    """build/drafts/<stem>.draft.yaml, or .draft.2.yaml, .draft.3.yaml ... whichever is free."""
    p = drafts_dir / f"{stem}.draft.yaml"
    n = 2
    while p.exists():
        p = drafts_dir / f"{stem}.draft.{n}.yaml"
        n += 1
    return p


def write_new(drafts_dir: Path, stem: str, text: str) -> Path:
    """Write text to a new draft file; an existing file is never replaced, even in a race.
    Raises OSError (e.g. drafts_dir is a file, or not writable) before anything is written."""
    drafts_dir.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            return write_file(new_draft_path(drafts_dir, stem), text.encode("utf-8"), new=True)
        except FileExistsError:  # another writer took the name first: take the next one
            continue
