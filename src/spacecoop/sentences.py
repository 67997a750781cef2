"""Cut a seed's text into sentences with their character offsets (Python str indices, end exclusive).

Deterministic and rule-based; the abbreviations that never end a sentence are data
(build/extract/sentences.yaml), so a curator can fix a wrong cut without touching code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A stop, any closing quotes/brackets, white space, then what can open a sentence.
_END = re.compile(r"[.!?][\"'”’)\]]*(?=[ \t]+[\"'“‘(\[]?[A-Z0-9])")
# U.S., U.N., F. (an initial): single letters with periods never end a sentence.
_INITIALISM = re.compile(r"\A(?:[A-Za-z]\.)+\Z")
_WORD_BEFORE = re.compile(r"(\S+)\Z")
_WS = " \t\r\n\f\v\ufeff"


@dataclass(frozen=True)
class Sentence:
    n: int  # 1-based, in order of the text
    start: int
    end: int
    text: str

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and end > self.start


def split(text: str, abbreviations: frozenset[str] | set[str] = frozenset()) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        cut = 0
        for m in _END.finditer(line):
            stop_at = m.start() + 1  # just after the . ! or ?
            word = _WORD_BEFORE.search(line[cut:stop_at])
            w = word.group(1).lstrip("\"'“‘([") if word else ""
            w = re.split(r"[–—/-]", w)[-1] or w  # "Oct. 31–Nov." ends in the abbreviation "Nov."
            if line[m.start()] == "." and (w in abbreviations or w.title() in abbreviations or _INITIALISM.search(w)):
                continue
            _add(out, text, line_start + cut, line_start + m.end())
            cut = m.end()
        _add(out, text, line_start + cut, line_start + len(line))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    if end > start:
        out.append(Sentence(len(out) + 1, start, end, text[start:end]))
