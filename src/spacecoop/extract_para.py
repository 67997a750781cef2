"""Linking a record-like noun phrase to an existing record by the words they share (a paraphrase).

"the lunar station agreement" is agr-ilrs-agreement, "intellectual-property deals on space
technology" is agr-space-technology-ip: each shared word counts by how rare it is among the names of
all records in build/ (a word in every lunar record tells little), words that only say what kind of
record it is (knowledge.yaml: generic) tell nothing, a year must agree, and the best record must be
clearly ahead of the second. Used where the stricter extract_link.similar() finds nothing.
"""
from __future__ import annotations

import math
import re

from .extract_link import NOT_ATTRIBUTIVE, WEAK, content_words

YEAR = re.compile(r"(?:19|20)\d\d")
_LEFT_STOP = frozenset("a an the this that these those its their his her our of in on at to for by with and or "
                       "as from under into over than".split())
_COMPLEMENT = re.compile(r"\s+(?:on|of|for|concerning|about|covering|regarding)\s+((?:[\w’'-]+\s*){1,6})")
_PLACE_COMPLEMENT = re.compile(r"\s+(?:on|of|for|concerning|about|covering|regarding|in|at)\s+((?:[\w’'-]+\s*){1,6})")
_TIME_POSS = re.compile(r"(?i:year|month|week|decade|today|yesterday|spring|summer|autumn|winter)[’']s")
_END = re.compile(r"\b(?:that|which|who|whose|with|is|are|was|were|will|would|has|have|had|he|she|it|they|we|"
                  r"and|but|since|after|before|when|while|in|at|to|by|from|under|signed|said|says)\b|[,.;:()\"“”]")
MARGIN = 1.5  # the best record's score over the second's
MIN_SCORE = 2.0  # the weight of the words shared: about two uncommon words
ABOUT = 0.5  # a word only the seeds' quotes about a record use counts half a word of its name


def noun_phrase(t: str, a: int, b: int, place: bool = False) -> str:
    """The mention t[a:b] with its modifiers (up to four words before it, not a verb in -ed or an
    irregular past ("held"), nor a time's possessive ("last year's")) and a complement after it
    ("memorandum on satellite navigation"; with place, also "consultation in Moscow"), cut at a
    clause word or punctuation."""
    keep = []
    for w in reversed(t[:a].split()[-4:]):
        if re.search(r"[,.;:()\"“”]$", w) or w.lower() in _LEFT_STOP or w.lower() in NOT_ATTRIBUTIVE \
                or re.fullmatch(r"[a-z]+ed", w) or _TIME_POSS.fullmatch(w):
            break
        keep.insert(0, w)
    right = ""
    m = (_PLACE_COMPLEMENT if place else _COMPLEMENT).match(t, b)
    if m:
        tail = m.group(0)
        e = _END.search(tail, m.start(1) - m.start())
        right = tail[:e.start()] if e else tail
    return " ".join(keep + [t[a:b] + right]).strip()


def _weights(known) -> dict[str, float]:
    """Each word's weight: log(records / records whose names or quotes have it), cached on known."""
    w = getattr(known, "_para_weights", None)
    if w is None:
        df: dict[str, int] = {}
        about = getattr(known, "about_words", {})
        for rid, (_, rw) in known.record_words.items():
            for x in rw | about.get(rid, frozenset()):
                df[x] = df.get(x, 0) + 1
        n = max(len(known.record_words), 1)
        w = {x: math.log((n + 1) / c) for x, c in df.items()}
        known._para_weights = w
    return w


def paraphrase(phrase: str, tables: tuple[str, ...], known, cue_kind: str | None = None,
               heads: dict[str, str] | None = None, name: str = "") -> tuple[str, str] | None:
    """The existing record of tables that phrase names in other words, or None when none is
    clearly the one (a bare "memorandum" never links: it has no distinguishing word).

    heads: the head nouns ("station", "system"); a phrase headed by one links only to a program
    whose name has it ("tracking system" is no data centre), and must share another word. name: the mention;
    a proper name in it that the record lacks blocks the link ("Harbin Lunar Power Unit")."""
    kn = known.knowledge
    heads = heads or {}
    head, head_words = None, set()
    for raw in reversed(re.findall(r"[\w’'-]+", name)):
        cw = content_words(raw, kn)  # "base": research, station
        if any(w in heads for w in cw):
            head, head_words = next(w for w in cw if w in heads), set(cw)
            break
    proper = {x for tok in re.findall(r"\b[A-Z][\w’'–-]*", name) if not kn.system_words(tok)
              for x in content_words(tok, kn)}
    generic = set(getattr(kn, "generic", ()) or ())
    own = set(content_words(name, kn))
    words = set(content_words(phrase, kn))
    years = {w for w in words if YEAR.fullmatch(w)}
    telling = words - generic - years
    if not telling:
        return None
    wt = _weights(known)
    about_all = getattr(known, "about_words", {})
    defining = set(getattr(kn, "defining", ()) or ())
    scored = []
    for rid, (table, rw) in known.record_words.items():
        if table not in tables:
            continue
        kind = known.record_kinds.get(rid)
        if cue_kind and cue_kind != "agreement" and kind and kind != cue_kind and table != "meetings":
            continue  # a memorandum is not the joint statement
        ctx = known.context_words.get(rid, frozenset())
        rec_years = {w for w in rw | ctx if YEAR.fullmatch(w)}
        if years and rec_years and not years & rec_years:
            continue  # "the 2019 memorandum" is not the 2014 one
        if head and table == "programs" and not head_words & rw:
            continue  # "a research reactor" is not the research station; a reactor says power (knowledge.yaml)
        if not proper <= rw | ctx:
            continue
        if rw & defining - words:
            continue  # the reciprocal stations are not any joint station
        about = about_all.get(rid, frozenset()) - rw
        shared = telling & (rw | about)
        if (not shared - WEAK and not years & rec_years) or not shared - head_words or 2 * len(shared) < len(telling):
            continue  # only common words shared (and no year), or most of the phrase unexplained
        if head and table == "programs" and own - generic - years - rw - about - WEAK:
            continue  # a word of the mention's own the program lacks: "a lunar greenhouse unit" is not the ILRS
        score = sum(wt.get(x, 0.0) * (ABOUT if x in about else 1.0) for x in shared) + (1.0 if years & rec_years else 0.0)
        whole = not rw - shared - generic - WEAK  # every telling word of its name is in the phrase
        scored.append((score, whole, rid, table, not shared & about))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < MIN_SCORE:
        return None
    if len(scored) > 1 and scored[0][0] < MARGIN * scored[1][0] and not (scored[0][4] and not scored[1][4]) \
            and not (scored[0][1] and not scored[1][1]):
        return None  # too close, unless only the best is named by the words (the other only described),
        #             or only the best has all its words in the phrase ("navigation-satellite partnership")
    return scored[0][3], scored[0][2]
