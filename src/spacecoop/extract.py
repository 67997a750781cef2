"""`spacecoop extract`: read one seed and propose candidates for a curator to confirm.

Rule-based and deterministic (the rules are build/extract/*.yaml). Every candidate carries its
quote and character offsets, and an `accept` block written in the format of build/*.yaml, so
accepting it is a copy, not a retyping. Placeholders are `TODO`, which the build refuses, so a
draft cannot slip into the data unedited.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SpacecoopError
from .extract_para import YEAR, noun_phrase, paraphrase as by_paraphrase
from .extract_link import WEAK, Knowledge, capital_as_state, content_words as _content_words, name_variants, similar
from .extract_rules import RECORD_GROUPS, Rules
from .model.ids import slug
from .sentences import Sentence, split
from .model import Schema

TODO = "TODO"
# Record tables a mention can link to (if their file exists in build/), with the key of their name.
RECORD_TABLES = {"participants": "par", "programs": "prg", "agreements": "agr", "meetings": "mtg",
                 "outcomes": "out", "frameworks": "frm", "claims": "clm"}
NAME_KEYS = ("name", "title", "label", "short_name")
_NAME_TOKEN = r"(?:[A-Z][\w’'.-]*[\w.]|[A-Z])"
_CONNECTORS = r"(?:of|on|for|the|de|del|la)"  # not "and": "Kestrania and Marvonia" are two names
# A capitalized run: tokens, allowing lower-case connectors between capitalized tokens, and a
# trailing acronym in brackets: "International Lunar Research Station (ILRS)".
_CAP_RUN = re.compile(rf"(?<![\w’']){_NAME_TOKEN}(?:(?: {_CONNECTORS})* {_NAME_TOKEN})*(?: \([A-Z][A-Za-z]+\))?")
_ACRONYM = re.compile(r"^(.*\S) \(([A-Z][A-Za-z]+)\)$")
# Words that may stand before a program noun in a lower-case name ("a lunar power unit"), i.e. not these:
_NOT_MODIFIER = ("a|an|the|its|their|this|that|these|those|to|of|on|in|at|for|and|or|with|by|from|as|is|are|was|were|be|"
                 "been|will|would|could|should|can|may|build|deploy|establish|create|set|up|open|run|supply|"
                 "said|says|new|said|which|who|what|where|when|first|second|each|every|other|such|also|both")
_ANAPHORS = ("project", "facility", "initiative")
# "X, a (new) Chinese–Russian program to ...", "X, a planned network of stations": X names a program.
_PROGRAM_APPOSITION = re.compile(r",\s+an?\s+(?:[\w’'–-]+\s+){0,4}?(?:program|programme|project|initiative|fellowship|"
                                 r"constellation|scheme|network|mission|station|observatory)\b")
_ACTIVITY = re.compile(r"(?<![\w-])(?:[a-z]+-[a-z]+\s+(?P<a>tracking|monitoring|surveillance)|(?P<b>tracking|monitoring|surveillance|watch)\s+(?:of|on)\s+(?:[a-z][\w-]*\s+)?[a-z][\w-]*"
                       r"|(?P<c>tracking|monitoring)\s+(?!(?:of|on|the|a|an|its|their)\b)(?:[a-z][\w-]*\s+)?[a-z][\w-]*)")  # "tracking orbital debris"
# A clause that identifies a record introduced with "a": "..., held in Moscow", "ratified by Vladimir Putin".
_IDENTIFYING = re.compile(r"[^.;:]{0,60}?\b(?:held|hosted) in (?P<what>[A-Z][\w’'-]+)|\s+(?P<what2>(?:ratified|signed) by [A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?)")
# What an instrument is for: "the 2021 pact to explore the Moon together".
_PURPOSE = re.compile(r"\s+to\s+[a-z]+(?:\s+(?!(?:and|but|which|that|while|after|before|since)\b)[\w’'-]+){0,5}")
# A defining clause after a noun, with or without its pronoun ("the reactor the two plan to put on the moon").
_RELATIVE = re.compile(r"\s+(?:(?:that|which)\s+|(?=(?:the two|both sides|they|[A-Z][a-z]+ and [A-Z][a-z]+)\s+[a-z]+\s))[^,.;:()“”\"]{3,120}")
# Nouns that name an existing program by its words ("the navigation-satellite partnership") and
# never a new one: a partnership or an effort is not a program of its own.
_LINK_ONLY = re.compile(r"(?<![\w-])((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:partnership|effort|collaboration)s?\b")
# A new record of these tables is first compared with the existing records of these tables.
SIMILAR_TABLES = {"programs": ("programs",), "agreements": ("agreements",), "meetings": ("meetings",)}  # "the project" refers back to the last program


@dataclass
class Known:
    """Records already curated in build/*.yaml: participants and the record tables, by name and alias."""

    names: dict[str, str] = field(default_factory=dict)  # participant name or alias -> participant_id
    ids: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)  # participant ids of kind person
    records: dict[str, tuple[str, str]] = field(default_factory=dict)  # record name or alias -> (table, id)
    record_ids: set[str] = field(default_factory=set)
    record_words: dict[str, tuple[str, frozenset]] = field(default_factory=dict)  # id -> (table, content words of its names)
    record_kinds: dict[str, str] = field(default_factory=dict)  # id -> kind
    context_words: dict[str, frozenset] = field(default_factory=dict)  # id -> its names, dates and people
    about_words: dict[str, frozenset] = field(default_factory=dict)  # id -> the words its seeds use about it
    lower_programs: dict[str, str] = field(default_factory=dict)  # a two-word lower-case program name (or three with "space" first, without it) -> id
    programs_of: dict[str, list[str]] = field(default_factory=dict)  # record id -> the programs it serves
    led_by: dict[str, list[str]] = field(default_factory=dict)  # participant id -> the frameworks it leads
    knowledge: Knowledge = field(default_factory=Knowledge)  # build/extract/knowledge.yaml

    @classmethod
    def from_root(cls, root: Path) -> "Known":
        """Read every record file of build/ that exists (participants, programs, agreements,
        meetings, and outcomes, frameworks, claims when present); names are read generically."""
        from .safety import regular_file
        from .yamlfile import CurationError, load_yaml

        k = cls()
        kp = root / "build" / "extract" / "knowledge.yaml"
        if kp.exists():
            regular_file(kp, "build/extract/knowledge.yaml")
            try:
                k.knowledge = Knowledge.from_data(load_yaml(kp, "build/extract/knowledge.yaml"))
            except CurationError:
                pass
        kn = k.knowledge
        program_links = k.programs_of
        meeting_of: dict[str, str] = {}  # an instrument -> the meeting it came from
        for table in RECORD_TABLES:
            p = root / "build" / f"{table}.yaml"
            if not p.exists():
                continue
            regular_file(p, f"build/{table}.yaml")  # a FIFO or device: one line, never opened
            try:
                recs = load_yaml(p, f"build/{table}.yaml") or []
            except CurationError:
                continue  # the build names the problem; extraction works from what it can read
            for rec in recs if isinstance(recs, list) else []:
                if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                    continue
                rid = rec["id"]
                names = []
                # An outcome is known by its words ("to bolster coordination ..."): a later article's
                # "promised to coordinate ... on multilateral platforms" is the same commitment.
                for key in NAME_KEYS + (("text",) if table == "outcomes" else ()):
                    v = rec.get(key)
                    v = v.get("value") if isinstance(v, dict) else v
                    if isinstance(v, str) and v and v != TODO:
                        names.append(v)
                for al in rec.get("aliases") or []:
                    v = al.get("alias") if isinstance(al, dict) else al
                    if isinstance(v, str) and v:
                        names.append(v)
                forms = []
                for n in names:
                    forms.append(n)
                    m = _ACRONYM.match(n)
                    if m:
                        forms += [m.group(1), m.group(2)]
                if table == "participants":
                    k.ids.add(rid)
                    kind = rec.get("kind")
                    if (kind.get("value") if isinstance(kind, dict) else kind) == "person":
                        k.persons.add(rid)
                    for f in forms:
                        for v in sorted(name_variants(f)):
                            k.names.setdefault(v, rid)
                else:
                    k.record_ids.add(rid)
                    kind = rec.get("kind")
                    kind = kind.get("value") if isinstance(kind, dict) else kind
                    if isinstance(kind, str):
                        k.record_kinds[rid] = kind
                    place = rec.get("place")
                    place = place.get("value") if isinstance(place, dict) else place
                    k.record_words[rid] = (table, frozenset(_content_words(" ".join(forms + ([place] if isinstance(place, str) else [])), kn)))
                    k.about_words[rid] = frozenset(_content_words(" ".join(_said_about(rec)), kn))
                    program_links[rid] = [str(p.get("program")) for p in rec.get("programs") or [] if isinstance(p, dict)]
                    leader = rec.get("leader")
                    leader = leader.get("value") if isinstance(leader, dict) else leader
                    if table == "frameworks" and isinstance(leader, str):
                        k.led_by.setdefault(leader, []).append(rid)
                    mtg = rec.get("meeting")
                    mtg = mtg.get("value") if isinstance(mtg, dict) else mtg
                    if isinstance(mtg, str):
                        meeting_of[rid] = mtg
                    # Its dates and its people ("par-vladimir-putin": vladimir, putin) tell it from others of its kind.
                    k.context_words[rid] = frozenset(_content_words(" ".join(_dates_said(rec) + [
                        str(p.get("participant", "")).removeprefix("par-") for p in rec.get("participants") or [] if isinstance(p, dict)]), kn))
                    for f in forms:
                        # A lower-case descriptive name links only when it is specific (3+ words).
                        if f[:1].isupper() or any(c.isupper() for c in f) or len(f.split()) >= 3:
                            for v in sorted(name_variants(f)):
                                k.records.setdefault(v, (table, rid))
                            if table == "programs" and f.startswith("space ") and len(f.split()) == 3:
                                k.lower_programs.setdefault(f.removeprefix("space "), rid)  # "debris monitoring cooperation": "space" says nothing
                        elif table == "programs":
                            k.lower_programs.setdefault(f, rid)
        # A person's surname alone ("Putin") is that person when no other participant has it.
        surnames: dict[str, set[str]] = {}
        for name, pid in k.names.items():
            if pid in k.persons and len(name.split()) >= 2 and re.fullmatch(r"[A-Z][a-z’'-]{2,}", name.split()[-1]):
                surnames.setdefault(name.split()[-1], set()).add(pid)
        for sn, pids in surnames.items():
            if len(pids) == 1:
                k.names.setdefault(sn, next(iter(pids)))
        # The programs a record serves tell what it is about: the 2014 MoU is on satellite navigation.
        for rid, progs in program_links.items():
            extra = frozenset(w for p in progs if p in k.record_words for w in k.record_words[p][1])
            if extra:
                k.context_words[rid] = k.context_words.get(rid, frozenset()) | extra
        # The meeting an instrument came from tells it from others: the 2024 statement of Putin's visit.
        for rid, mid in meeting_of.items():
            extra = k.record_words.get(mid, ("", frozenset()))[1] | k.context_words.get(mid, frozenset())
            if extra:
                k.context_words[rid] = k.context_words.get(rid, frozenset()) | extra
        return k

    from_data = from_root  # the name used before the records were read from build/


_ACTIVITY_END = re.compile(r"\s+(?:and|which|that|with|by|since|in|at|to|from|for|has|have|is|was|were|will)\b|\s*$")
_MONTHS = ("january february march april may june july august september october november december").split()


_ABOUT_FIELDS = ("aims", "focus", "level_stated", "description")


def _said_about(rec: dict) -> list[str]:
    """What the seeds say about a record: its own evidence quotes and descriptive fields (not its
    participants' quotes, which are about them); "inaugural" when it is the first of its kind."""
    out = [e.get("quote", "") for e in rec.get("evidence") or [] if isinstance(e, dict)]
    for key in _ABOUT_FIELDS:
        v = rec.get(key)
        v = v.get("value") if isinstance(v, dict) else v
        if isinstance(v, str) and v != TODO:
            out.append(v)
    f = rec.get("first_of_its_kind")
    if (f.get("value") if isinstance(f, dict) else f) is True:
        out.append("inaugural")
    return [x for x in out if isinstance(x, str)]


def _dates_said(rec: dict) -> list[str]:
    """The years and month names of a record's date and milestones ("2024", "may")."""
    vals = []
    for d in [rec.get("date")] + [m.get("date") for m in rec.get("milestones") or [] if isinstance(m, dict)]:
        v = d.get("value") if isinstance(d, dict) else d
        if isinstance(v, str):
            m = re.match(r"((?:19|20)\d\d)(?:-(\d\d))?", v)
            if m:
                vals.append(m.group(1))
                if m.group(2) and 1 <= int(m.group(2)) <= 12:
                    vals.append(_MONTHS[int(m.group(2)) - 1])
    return vals


def _not_name(w: str, rules) -> bool:
    """A word never a name on its own: "The", and "It’s" (a pronoun with its verb)."""
    w = w.rstrip(",.")
    return w in rules.not_names or re.sub(r"[’']s$", "", w) in rules.not_names


def _without_leading_non_names(m, rules, possessive: bool = False) -> tuple[int, list[str]]:
    """A capitalized run's start and words, less the leading words that are never names ("The"),
    and a leading possessive: a country's always ("Russia's Volga Propulsion Bureau"), any with
    possessive ("China's" before "Chang'e-8")."""
    a, words = m.start(), m.group(0).split(" ")
    while words and (_not_name(words[0], rules) or (len(words) > 1 and words[0].endswith(".") and words[0][:-1] in rules.months)
                     or (len(words) > 1 and re.search(r"[’']s$", words[0])
                     and (possessive or re.sub(r"[’']s$", "", words[0]) in rules.countries))  # "Russia's Volga Bureau"
                     or re.fullmatch(_CONNECTORS, words[0])):  # "on Monday" left after "Interfax"
        a += len(words[0]) + 1
        words = words[1:]
    return a, words


_ADJ_COMPOUND = re.compile(r"-(?:led|based|run|made|backed|built|funded|owned)$")
_PERSON_OF = re.compile(r"^((?:[A-Z][a-zà-ÿ’'-]+ ){1,2}[A-Z][a-zà-ÿ’'-]+) of (?:the )?(?=[A-Z])")


def _name_parts(m, rules, possessive: bool = False) -> list[tuple[int, list[str], bool]]:
    """The names in a capitalized run, as (start, words, a person?): less leading non-names and a
    leading "Moscow-based"; less a trailing date word ("... Outer Space on Monday"); and a person
    glued to a body by "of" ("Anton Lebedev of the Russian Foreign Ministry") split from it."""
    a, words = _without_leading_non_names(m, rules, possessive)
    if len(words) > 1 and _ADJ_COMPOUND.search(words[0]):
        a += len(words[0]) + 1
        words = words[1:]
    while len(words) > 2 and re.fullmatch(_CONNECTORS, words[-2]) and (_not_name(words[-1], rules) or words[-1].rstrip(",.") in rules.months):
        words = words[:-1]
        while len(words) > 1 and re.fullmatch(_CONNECTORS, words[-1]):
            words = words[:-1]
    name = " ".join(words)
    pm = _PERSON_OF.match(name)
    if pm and not re.search(r"\b(?:the|a|an|its|their)\s+$", m.string[:a], re.I):  # not "the Great Hall of the People"
        left = pm.group(1).split()
        stop = set(rules.person_titles) | set(rules.demonyms) | set(rules.countries) | set(rules.adjectives) | set(rules.program_nouns) \
            | set(rules.framework_nouns) | set(rules.event_words) | set(rules.mission_words) | set(rules.international_prefixes)
        if not any(w in rules.org_words or w in stop or w.lower() in rules.program_nouns or _not_name(w, rules) for w in left):
            return [(a, left, True), (a + pm.end(), name[pm.end():].split(" "), False)]
    return [(a, words, False)]


# A country after these words is where something happens (a place), not a party: "held in China",
# "a state visit to China".
_LIST_ITEM = r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?"
_PLACE_BEFORE = re.compile(r"\b(?:[Ii]n|(?:visit|visits|trip|travel|journey) to)\s+(?:the\s+)?"
                           rf"(?:(?:{_LIST_ITEM},\s+){{0,3}}{_LIST_ITEM},?\s+(?:and|or)\s+)?$")  # "in Kazakhstan and Mongolia"
# Where one assertion ends and another begins inside a sentence.
_CLAUSE_BREAK = re.compile(r";|,\s+(?:but|while|though|although|whereas|and)\s|\s(?:but|though|although|whereas)\s")
_RIGHT_STOP = re.compile(r"[,.;:()\[\]]|\b(?:said|says|was|were|is|are|will|would|could|has|have|had|began|begin|that|which|who|after|before|when|while|but|and then|according)\b|\band\s+(?:the|a|an|its|their)\b")  # "the commission and the data centre": two records


_BODY_NOUNS = ("committee", "commission", "council", "office", "agency", "conference", "panel")
_DESCRIBED = re.compile(r"(?:[’']s)?\s+(?P<pre>(?:[a-z][\w-]*\s+){0,3}?)(?P<noun>" + "|".join(_BODY_NOUNS) + r")\b"
                        r"(?P<post>\s+(?:on|for)\s+(?:the\s+)?(?:(?!(?:by|in|at|to|with|from|after|before|until|since|next|last|this|"
                        r"that|which|who|and|is|was|will|would)\b)[a-z][\w-]*\s*){1,5})?")
_FUNCTION = frozenset("the of on for and in".split())


def _described_body(t: str, end: int, known: "Known") -> tuple[str, int] | None:
    """(id, end) of the one international body in build/ that "UN" and the lower-case words after it
    describe ("the UN’s outer space committee", "the UN committee on outer space"): a body noun its
    name has, and no other word its name lacks."""
    m = _DESCRIBED.match(t, end)
    if not m:
        return None
    said = set(re.findall(r"[a-z]+", (m.group("pre") + " " + m.group("noun") + " " + (m.group("post") or "")).lower())) - _FUNCTION
    if len(said) < 2:
        return None  # "the UN committee" alone says which of several
    hits = {pid for name, pid in known.names.items() if name.startswith(("UN ", "United Nations "))
            and said <= set(re.findall(r"[a-z]+", name.lower()))}
    if len(hits) != 1:
        return None
    post = m.group("post")
    return hits.pop(), (m.end("post") - (len(post) - len(post.rstrip())) if post else m.end("noun"))


def _without_names(phrase: str, known: "Known") -> str:
    """The phrase without the names (of two words or more) of participants in build/: who a
    commitment names is not what it commits to ("to present joint findings to the UN Committee on
    the Peaceful Uses of Outer Space"). One-word names are stop words or proper names already."""
    for name in sorted(known.names, key=len, reverse=True):
        if " " in name:
            phrase = phrase.replace(name, " ")
    return phrase


def _past_names(t: str, m, known: "Known", rules: Rules) -> int:
    """Where a program noun phrase's own words start: at its first modifier (or its noun), past any
    leading state names joined by a dash ("the China–Russia lunar station": the states stay
    participants of their own)."""
    if not m.group("mods"):
        return m.start("noun")
    start = m.start("mods")
    for w in re.finditer(r"\S+", m.group("mods")):
        parts = re.split(r"[-–/]", w.group(0))
        if len(parts) < 2 or not all(p in known.names or p in rules.countries or p in rules.capitals for p in parts):
            break
        start = m.start("mods") + w.end() + 1
    return min(start, m.start("noun"))


def _phrase(t: str, a: int, b: int) -> str:
    """The words around a mention that may name its record: up to three before, and after it to
    the end of the clause (at most ten words)."""
    left = t[:a].split()[-3:]
    keep = []
    for w in reversed(left):
        if re.search(r"[,.;:()]$", w) or w.lower() in ("the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "and"):
            break
        keep.insert(0, w)
    right = t[b:]
    m = _RIGHT_STOP.search(right)
    right = " ".join((right[:m.start()] if m else right).split()[:10])
    return " ".join(keep + [t[a:b], right]).strip()


@dataclass
class Candidate:
    section: str  # dates, participants, new_participants, places, records, fields
    start: int
    end: int
    quote: str
    sentence: int
    info: dict = field(default_factory=dict)


@dataclass
class Extraction:
    source_id: str
    path: str
    text: str
    sentences: list[Sentence]
    candidates: list[Candidate]

    def section(self, name: str) -> list[Candidate]:
        return [c for c in self.candidates if c.section == name]


def _word_rx(phrases, flags: int = 0) -> re.Pattern | None:
    phrases = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    if not phrases:
        return None
    return re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w])", flags)  # a possessive ’s may follow


class _Spans:
    """Character spans already claimed by an entity candidate (entities never overlap)."""

    def __init__(self):
        self.taken: list[tuple[int, int]] = []

    def free(self, a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in self.taken)

    def take(self, a: int, b: int) -> None:
        self.taken.append((a, b))


@dataclass
class _Memory:
    """What the article has named so far: short forms and head nouns that refer back to it."""

    short: dict[str, tuple[str, str]] = field(default_factory=dict)  # "Orsk", "ILRS" -> (section, key)
    heads: dict[str, str] = field(default_factory=dict)  # program noun -> record key
    last_program: str | None = None
    records: dict[str, dict] = field(default_factory=dict)  # key -> info of the record candidate
    last_meeting: str | None = None
    last_instrument: str | None = None
    new_info: dict[str, dict] = field(default_factory=dict)  # new participant id -> its first candidate's info


def extract(text: str, source_id: str, path: str, rules: Rules, known: Known) -> Extraction:
    sentences = split(text, rules.abbreviations)
    out: list[Candidate] = []
    mem = _Memory()
    for s in (w for s in sentences for w in _windows(s)):
        out += _dates(s, rules)
        out += _entities(s, text, rules, known, mem, source_id)
        out += _fields(s, rules)
    _resolve_groups(out)
    out.sort(key=lambda c: (c.start, c.end, c.section))
    return Extraction(source_id, path, text, sentences, out)


WINDOW = 2000  # characters of a sentence read at a time: a run-on "sentence" stays linear in time


def _windows(s: Sentence) -> list[Sentence]:
    """s, or, past WINDOW characters (no wire sentence is that long), pieces of it cut at a space
    (the sentence's number kept), so that no rule scans a megabyte for each name in it."""
    if len(s.text) <= WINDOW:
        return [s]
    out, a = [], 0
    while a < len(s.text):
        b = len(s.text) if len(s.text) - a <= WINDOW else (s.text.rfind(" ", a + WINDOW // 2, a + WINDOW) + 1 or a + WINDOW)
        out.append(Sentence(s.n, s.start + a, s.start + b, s.text[a:b]))
        a = b
    return out


def _resolve_groups(cands: list[Candidate]) -> None:
    """A group phrase ("both nations") stands for the gazetteer's participants only in an article
    that names each of them; elsewhere it is left for the curator to resolve, never guessed."""
    named = {p for c in cands if c.section == "participants" and c.info["via"] != "group phrase" for p in c.info["participants"]}
    named |= {c.info["id"] for c in cands if c.section == "new_participants"}
    for c in cands:
        if c.section == "participants" and c.info["via"] == "group phrase" and not set(c.info["participants"]) <= named:
            c.info["note"] = f"the gazetteer reads this as {', '.join(c.info['participants'])}, but this article does not name them all; say who is meant"
            c.info["participants"] = []
            c.info["via"] = "group (unresolved)"


# --- dates -----------------------------------------------------------------------------------

def _dates(s: Sentence, rules: Rules) -> list[Candidate]:
    found: list[Candidate] = []
    spans = _Spans()
    for pat in rules.date_patterns:
        for m in pat.regex.finditer(s.text):
            a, b = s.start + m.start(), s.start + m.end()
            if a == b or not spans.free(a, b):
                continue
            value = _date_value(m, pat.precision, rules.month_numbers)
            if value is None:
                continue
            spans.take(a, b)
            info = {"value": value, "precision": pat.precision, "pattern": pat.name,
                    "year_unknown": value.startswith("XXXX"), "relative": pat.relative}
            if pat.anchor:
                info["anchor"] = pat.anchor
            if pat.note:
                info["note"] = pat.note
            elif value.startswith("XXXX"):
                info["note"] = "the seed gives no year; keep XXXX unless a reference gives it (then basis: reference)"
            found.append(Candidate("dates", a, b, m.group(0), s.n, info))
    return found


def _month(v: str | None, months: dict[str, int]) -> int | None:
    if not v:
        return None
    mm = int(v) if v.isdigit() else months[v]
    return mm if 1 <= mm <= 12 else None


def _date_value(m: re.Match, precision: str, months: dict[str, int]) -> str | None:
    """The value the words state, at the precision the pattern names; None when they are not a real date."""
    from datetime import date

    g = m.groupdict()
    mm, mm2 = _month(g.get("month"), months), _month(g.get("month2"), months)
    if g.get("month") and mm is None:
        return None
    y = g.get("year")
    y2 = g.get("year2")
    if y2 and len(y2) == 2 and y:
        y2 = y[:2] + y2
    try:
        if precision in ("day", "day_no_year"):
            d = date(int(y) if y else 2000, mm, int(g["day"]))  # 2000: a leap year, so 29 February stands
            return f"{y}-{mm:02d}-{d.day:02d}" if y else f"XXXX-{mm:02d}-{d.day:02d}"
        if precision == "day_range":
            a = date(int(y) if y else 2000, mm, int(g["day"]))
            b = date(int(y2 or y) if (y2 or y) else 2000, mm2 or mm, int(g["day2"]))
            if b <= a:
                return None
            ya, yb = (y or "XXXX"), (y2 or y or "XXXX")
            return f"{ya}-{a.month:02d}-{a.day:02d}/{yb}-{b.month:02d}-{b.day:02d}"
    except (ValueError, TypeError):
        return None
    if precision == "month":
        return f"{int(y):04d}-{mm:02d}"
    if precision == "month_range":
        ya, yb = y or "XXXX", y2 or y or "XXXX"  # "between March and May": XXXX-03/XXXX-05
        if (0 if yb == "XXXX" else int(yb), mm2) <= (0 if ya == "XXXX" else int(ya), mm):
            return None
        return f"{ya}-{mm:02d}/{yb}-{mm2:02d}"
    if precision == "year":
        return y
    if precision == "year_range":
        if not y2:  # a decade: 2030s
            return f"{y}/{int(y) + 9}"
        return f"{y}/{y2}" if int(y2) > int(y) else None
    if precision == "month_no_year":
        return f"XXXX-{mm:02d}"
    return ""  # unknown: a relative expression has no value of its own


# --- participants, places and records ----------------------------------------------------------

def _entities(s: Sentence, text: str, rules: Rules, known: Known, mem: _Memory, sid: str) -> list[Candidate]:
    out: list[Candidate] = []
    spans = _Spans()
    t = s.text

    def claim(m_start: int, m_end: int) -> tuple[int, int] | None:
        a, b = s.start + m_start, s.start + m_end
        if a >= b or not spans.free(a, b):
            return None
        spans.take(a, b)
        return a, b

    def q(a, b):
        return text[a:b]

    def mention(a, b, ids, via):
        out.append(Candidate("participants", a, b, q(a, b), s.n, {"participants": list(ids), "via": via}))

    def new(a, b, proposal: dict, via: str):
        pid = proposal["id"]
        if known.knowledge.system_words(proposal.get("name", "")):
            return  # a named system ("Beidou") is no participant
        if pid in known.ids:  # the gazetteer names someone already in the dataset
            mention(a, b, [pid], f"gazetteer {via}")
            return
        out.append(Candidate("new_participants", a, b, q(a, b), s.n, {**proposal, "via": via}))
        mem.new_info.setdefault(pid, proposal)
        if (acr := _initials(proposal.get("name", ""))) and proposal.get("kind") != "person":
            mem.short.setdefault(acr, ("new_participants", pid))  # "ESA" after "European Space Agency"
        if proposal.get("kind") == "person":
            for part in proposal["name"].split():
                if len(part) >= 2 and part not in rules.not_names:
                    mem.short.setdefault(part, ("new_participants", pid))

    def acronym_after(b: int, pid: str):
        """'China National Space Administration (CNSA)': CNSA is the same participant, here and later."""
        am = re.match(r" \(([A-Z][A-Za-z]{1,14})\)", text[b:s.end])
        if am:
            mem.short.setdefault(am.group(1), ("participants" if pid in known.ids else "new_participants", pid))
            if (ab2 := claim(b - s.start + 2, b - s.start + 2 + len(am.group(1)))):
                if pid in known.ids:
                    mention(*ab2, [pid], "acronym given in brackets")
                else:
                    first = next((c for c in out if c.section == "new_participants" and c.info["id"] == pid), None)
                    out.append(Candidate("new_participants", *ab2, am.group(1), s.n, {**(first.info if first else {"id": pid, "name": am.group(1), "kind": TODO}), "via": "acronym given in brackets"}))

    def record(a, b, key: str, table: str, via: str, paraphrase: bool = True, **info):
        r0 = mem.records.get(key)
        ph = _phrase(t, a - s.start, b - s.start)
        if r0 and re.search(r"\b(?:the|this|that|its|their)\s+$", t[:a - s.start], re.I) and not YEAR.search(ph) \
                and noun_phrase(t, a - s.start, b - s.start) == q(a, b) and not _RELATIVE.match(t, b - s.start):
            paraphrase = False  # "the memorandum" after "a memorandum": the one this article introduced
        if paraphrase and not info.get("record") and table in SIMILAR_TABLES and not (r0 and r0.get("record")):
            cue_kind = info.get("kind") if table != "programs" else None
            fresh = table != "programs" and _indefinite(t, a - s.start, ph)
            hit = None if fresh else similar(ph, SIMILAR_TABLES[table], known, heads, cue_kind, name=q(a, b))
            if fresh and (idf := _IDENTIFYING.match(t, b - s.start)):
                # "a consultation on ..., held in Moscow", "an agreement ratified by Vladimir Putin": a record
                # introduced with "a" that the clause after it identifies as one in build/, by its own words
                np, what = noun_phrase(t, a - s.start, b - s.start, place=table == "meetings"), idf.group("what") or idf.group("what2")
                hit = by_paraphrase(np + " " + what, SIMILAR_TABLES[table], known, cue_kind, heads, q(a, b))
                rid = hit[1] if hit else None
                said = set(_content_words(what, known.knowledge)) - WEAK
                if not rid or not said & (known.record_words[rid][1] | known.about_words.get(rid, frozenset())):
                    hit = None
            if not hit and not fresh:
                np = noun_phrase(t, a - s.start, b - s.start, place=table == "meetings")
                hit = by_paraphrase(np, SIMILAR_TABLES[table], known, cue_kind, heads, q(a, b))
                rel = (_RELATIVE.match(t, b - s.start) or _PURPOSE.match(t, b - s.start)) if not hit and np.endswith(q(a, b)) else None
                if rel:  # "the agreements the two governments have struck on protecting ...", "the pact to explore the Moon"
                    hit = by_paraphrase(np + rel.group(0), SIMILAR_TABLES[table], known, cue_kind, heads, q(a, b))
            if not hit and table != "programs" and cue_kind and cue_kind != "agreement":
                # The sentence up to the next record cue: "during Putin's visit in May 2024, ... in a joint statement"
                after = t[b - s.start:]
                nxt = [m.start() for c in rules.cues if RECORD_GROUPS.get(c.group, ("",))[0] == table for m in [c.regex.search(after)] if m]
                hit = _by_context(t[:a - s.start] + " " + after[:min(nxt, default=len(after))], table, cue_kind, known)
            if hit:
                key = hit[1]
                mem.records.setdefault(key, {"table": hit[0], "record": hit[1], "similar": ph})
                via = f"words shared with {hit[1]} (a paraphrase? check)"
        if key not in mem.records:
            mem.records[key] = {"table": table, **info}
        r = mem.records[key]
        table = r["table"]
        out.append(Candidate("records", a, b, q(a, b), s.n, {"key": key, "table": table, "via": via, **r}))
        if table == "programs":
            mem.last_program = key
        if table == "meetings":
            mem.last_meeting = key
        return key

    def learn_record_name(name: str, key: str):
        m = _ACRONYM.match(name)
        if m:
            mem.short.setdefault(m.group(2), ("records", key))
            name = m.group(1)
        head = name.split()[-1].lower()
        if head in rules.program_nouns:
            mem.heads[head] = key

    heads = _heads(rules)

    # A dateline: "HARBIN, April 30 (Test Wire) -" or "ADDIS ABABA, Ethiopia (Wire) -": the city (and
    # country) are places, the agency is the outlet.
    if s.start == 0 or text[s.start - 1] == "\n":
        dm = _dateline_rx(rules).match(t)
        if dm:
            if (ab := claim(dm.start("city"), dm.end("city"))):
                city = dm.group("city")
                out.append(Candidate("places", *ab, city, s.n, {"place": _place_name(city, rules), "country": _country_of(city, rules), "via": "dateline"}))
            if dm.group("country") and (ab := claim(dm.start("country"), dm.end("country"))):
                ctry = dm.group("country")
                code = rules.countries.get(ctry) or next((v for k, v in rules.countries.items() if k.lower() == ctry.lower()), None)
                out.append(Candidate("places", *ab, ctry, s.n, {"place": ctry, "country": code, "via": "dateline"}))
            claim(dm.start("agency"), dm.end("agency"))

    # Well-known other things (knowledge.yaml: distinct): no record of the dataset, nothing new.
    for d in known.knowledge.distinct:
        dx = re.escape(d).replace("\\ ", r"[\s-]+")
        for m in re.finditer(r"(?<!\w)" + dx + r"(?!\w)", t, re.IGNORECASE):
            claim(m.start(), m.end())
    # Records already curated, by name or alias (and their short forms).
    linked = _Spans()  # records linked by name: no new record is proposed over them
    rrx = _word_rx(known.records, re.IGNORECASE)  # "Lunar Research Station" as "lunar research station"
    lower = {k.lower(): v for k, v in sorted(known.records.items())}
    if rrx:
        for m in rrx.finditer(t):
            table, rid = known.records.get(m.group(0)) or lower[m.group(0).lower()]
            if table in ("programs", "frameworks"):
                ab = claim(m.start(), m.end())  # a name: nothing inside it is another candidate
            else:  # a title or label describes: the names in it are still participants
                ab = (s.start + m.start(), s.start + m.end()) if spans.free(s.start + m.start(), s.start + m.end()) else None
            if ab:
                record(*ab, rid, table, "name or alias in build/", record=rid)
                learn_record_name(m.group(0), rid)
                linked.take(*ab)
    # A two-word lower-case program name beside a cooperation word ("satellite navigation cooperation").
    if rules.program_context and known.lower_programs:
        ctx = "|".join(re.escape(w) for w in rules.program_context)
        ends: dict[str, set[str]] = {}  # a name's last word stands for it when no other such name ends in it
        for name, rid in known.lower_programs.items():
            ends.setdefault(name.split()[-1].lower(), set()).add(rid)
        # "(a decade of) cooperation in satellite navigation"; not "a programme of cooperation in ...": the instrument's subject
        not_instrument = "".join(f"(?<!{w} of )" for w in ("programme", "programmes", "program", "programs", "plan", "plans"))
        after_ctx = re.compile(rf"(?:\b(?:{ctx})(?:\s+[a-z]+){{1,3}}\s+(?:with|in|on|of)|{not_instrument}\b(?:{ctx})\s+(?:in|on))\s+$", re.IGNORECASE)
        for name, rid in sorted(known.lower_programs.items()):
            forms = [(v, True) for v in sorted(name_variants(name), key=len, reverse=True)]
            if len(ends[name.split()[-1].lower()]) == 1:
                forms.append((name.split()[-1], False))  # "the navigation partnership", never "cooperation on navigation"
            for v, whole in forms:
                for m in re.finditer(rf"(?<![\w-]){re.escape(v)}(?![\w-])", t, re.IGNORECASE):
                    # before a cooperation word, or after one, a verb and a preposition ("a partnership that began
                    # with satellite navigation"; "a programme of cooperation in ..." names an instrument's subject)
                    if re.match(rf"\s+(?:{ctx})\b", t[m.end():], re.IGNORECASE) or (whole and after_ctx.search(t[max(0, m.start() - 200):m.start()])):
                        if (ab := claim(m.start(), m.end())):
                            record(*ab, rid, "programs", "name in build/ beside a cooperation word", record=rid)
                            linked.take(*ab)
    # Named programs and frameworks: a capitalized name ending in a program or framework noun.
    for m in _CAP_RUN.finditer(t):
        a, words = _without_leading_non_names(m, rules)
        name = " ".join(words)
        core = _ACRONYM.match(name).group(1) if _ACRONYM.match(name) else name
        last = core.split()[-1] if core else ""
        if len(core.split()) < 2:
            continue
        if _site(core, rules):
            continue  # "Jiuquan Satellite Launch Center": a place (below), not a program
        if last.lower() in rules.program_nouns and last[:1].isupper():
            table, kind = "programs", rules.program_nouns[last.lower()]
        elif last in rules.framework_nouns or any(w in rules.framework_nouns and nx in ("on", "of", "for")
                                                  for w, nx in zip(core.split()[1:], core.split()[2:])):
            table, kind = "frameworks", None  # "Artemis Accords", "Meridian Code on Space Resources"
        else:
            continue
        if not any(linked.taken) or all(b0 <= s.start + a or a0 >= s.start + a + len(name) for a0, b0 in linked.taken):
            ab = claim(a, a + len(name))
        else:
            ab = None
        if ab:
            key = f"{RECORD_TABLES[table]}-{slug(core)}"
            key = record(*ab, key, table, "capitalized name", name=core, kind=kind)
            learn_record_name(name, key)
    # Programs named in lower case ("a lunar power unit") and their later mentions ("the power unit").
    if rules.program_nouns:
        nouns = "|".join(sorted(set(rules.program_nouns) | set(_ANAPHORS), key=len, reverse=True))
        capmods = "".join(f"|{re.escape(w)}" for w in rules.program_modifiers)  # "a joint Moon base"
        prx = re.compile(rf"\b(?P<det>[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Tt]his|[Tt]hat|(?<=\s)[a-z]+s[’'](?=\s)|(?<=\s)[a-z]+[’']s(?=\s))\s+(?P<mods>(?:(?!(?:{_NOT_MODIFIER})\b)(?:[a-z][\w-]*|[A-Z][\w’'-]*\d[\w-]*|[A-Z][a-z]+[-–][A-Z][a-z]+{capmods})\s+(?:and\s+(?=[a-z][\w-]*\s+[a-z]))?){{0,4}})(?P<noun>(?i:{nouns}))(?P<pl>e?s)?\b(?![-’'])")
        for m in prx.finditer(t):
            noun = m.group("noun").lower()
            if _modifies_instrument(t, m.end(), rules):
                continue  # "the lunar station agreement": the agreement is the record
            if re.search(r"[’']s$", m.group("det")) and noun not in _ANAPHORS:
                continue  # "the country's space research center" describes a body; "the station’s nuclear power project" refers
            definite = m.group("det").lower() in ("the", "its", "their", "this", "that") or m.group("det")[-1] in "’'" or m.group("det")[-2:] in ("’s", "'s")  # "the two countries’"
            if m.group("pl"):  # "ground stations": a program only when it is one already in build/
                start = _past_names(t, m, known, rules)
                hit = similar(_phrase(t, start, m.end()) + _defining_tail(t, m.end(), known), ("programs",), known, heads) if m.group("mods") else None
                if hit and (ab := claim(start, m.end())):
                    record(*ab, hit[1], "programs", f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
                continue
            if noun in _ANAPHORS:
                start = _past_names(t, m, known, rules)
                hit = (similar(_phrase(t, start, m.end()), ("programs",), known, heads)
                       or by_paraphrase(noun_phrase(t, start, m.end()), ("programs",), known, None, heads, t[start:m.end()])) if m.group("mods") else None
                if hit and (ab := claim(start, m.end("noun"))):  # "the lunar research station project": the ILRS
                    record(*ab, hit[1], "programs", f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
                    continue
                if not (definite and mem.last_program):
                    continue
                key = mem.last_program
                if m.group("mods") and (fit := _program_fitting(t[start:m.start("noun")], key, known)) is not None:
                    if fit and (ab := claim(start, m.end("noun"))):  # "the reactor project" after the ILRS: the power station
                        record(*ab, fit, "programs", f"words shared with {fit} (a paraphrase? check)", record=fit)
                    continue  # its words are not the last program's: no reference back
            elif noun in mem.heads:
                key = mem.heads[noun]
            else:
                key = None
            start = _past_names(t, m, known, rules)
            if key is not None:
                if (ab := claim(start, m.end("noun"))):
                    record(*ab, key, mem.records[key]["table"], "refers back to a program named earlier", paraphrase=False, **({"record": key} if key in known.record_ids else {}))
                continue
            if not m.group("mods"):
                rel = _RELATIVE.match(t, m.end()) if definite else None  # "the reactor that Russia and China intend to place on the Moon"
                hit = by_paraphrase(t[start:m.end()] + rel.group(0), ("programs",), known, None, heads, t[start:m.end("noun")]) if rel else None
                if hit and (ab := claim(start, m.end("noun"))):
                    record(*ab, hit[1], "programs", f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
                continue  # "a station" alone names no program
            linked_here = {k for k, r in mem.records.items() if r.get("record")}
            own = similar(t[start:m.end()], ("programs",), known, heads) if definite else None  # "the nuclear power plant for the lunar base"
            hit = own or (similar(_phrase(t, start, m.end()), ("programs",), known, heads, only=linked_here, loose=True) if definite else None)
            hit = hit or (_only_program_named(t[start:m.end("noun")], known) if definite else None)
            if hit and (ab := claim(start, m.end("noun"))):  # "the power unit" after "a nuclear power plant" (linked)
                record(*ab, hit[1], "programs", "refers back to a program named earlier", record=hit[1])
                continue
            name = t[start:m.end("noun")]
            if (ab := claim(start, m.end("noun"))):
                key = f"prg-{slug(name)}"
                mem.heads[noun] = record(*ab, key, "programs", "program noun", name=name, kind=rules.program_nouns[noun])
        # A plural without a determiner ("placing ground stations on each other's territory", "four
        # ground stations"): a program only when one or two words before it make it one in build/.
        plx = re.compile(rf"(?<![\w’'-])(?P<mods>(?:[a-z][\w-]*\s+){{1,2}})(?P<noun>(?i:{'|'.join(rules.program_nouns)}))e?s\b(?![-’'])")
        for m in plx.finditer(t):
            for start in reversed([m.start("mods") + w.start() for w in re.finditer(r"\S+", m.group("mods"))]):
                hit = similar(_phrase(t, start, m.end()) + _defining_tail(t, m.end(), known), ("programs",), known, heads)
                if hit and (ab := claim(start, m.end())):
                    record(*ab, hit[1], "programs", f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
                    break
    for m in _LINK_ONLY.finditer(t):
        hit = by_paraphrase(m.group(0), ("programs",), known, None, heads, m.group(0))
        if hit and (ab := claim(m.start(), m.end())):
            record(*ab, hit[1], "programs", f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
    # An activity named by its words ("space-debris tracking", "radar tracking of orbital fragments"):
    # the program in build/ it paraphrases, when one is clearly it; never a new program.
    noun_next = re.compile(r"\s+(?:" + "|".join(map(re.escape, rules.program_nouns)) + r")") if rules.program_nouns else None
    for m in _ACTIVITY.finditer(t):
        if noun_next and noun_next.match(t, m.end()):
            continue  # "a satellite-navigation monitoring station": the station is the record
        hit = by_paraphrase(m.group(0), ("programs",), known, None, heads, m.group(0))
        what = m.group(0).replace(m.group("a") or m.group("b") or m.group("c"), " ")  # its object must be the program's too
        if hit and set(_content_words(what, known.knowledge)) & known.record_words[hit[1]][1] - WEAK and (ab := claim(m.start(), m.end())):
            record(*ab, hit[1], "programs", f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
    # A joint activity ("joint monitoring of space junk", "joint tracking of space debris"): the
    # program in build/ it paraphrases, when one is clearly it (extract_para).
    for m in re.finditer(r"\b(?:[Jj]oint|bilateral)\s+[a-z]+ing\s+(?:of|in|on)\s+(?:[a-z][\w-]*\s*){1,3}", t):
        e = _ACTIVITY_END.search(m.group(0), m.group(0).find(" ") + 1)
        b = m.start() + (e.start() if e else len(m.group(0).rstrip()))
        hit = by_paraphrase(t[m.start():b], ("programs",), known, None, heads, t[m.start():b])
        if hit and (ab := claim(m.start(), b)):
            record(*ab, hit[1], "programs", f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
    nrx = _word_rx(rules.named_programs)
    if nrx:
        # Cooperation between named systems ("cooperation between BeiDou and GLONASS", "BeiDou-GLONASS
        # cooperation") is the existing program named by what they are (knowledge.yaml: systems).
        for a, b, rid in _systems_cooperation(t, rules, known):
            if (ab := claim(a, b)):
                record(*ab, rid, "programs", f"cooperation of named systems: {rid} (a paraphrase? check)", record=rid)
                linked.take(*ab)
        for m in nrx.finditer(t):
            if (ab := claim(m.start(), m.end())) and not known.knowledge.system_words(m.group(0)):
                # one state's national system (knowledge.yaml: systems) is no record of cooperation
                key = f"prg-{slug(m.group(0))}"  # a system's own name: not a paraphrase of a program
                record(*ab, key, "programs", "named program (cues.yaml)", paraphrase=False, name=m.group(0), kind="project")
    # Short forms learnt earlier in the article: a surname, an acronym.
    srx = _word_rx(mem.short)
    if srx:
        for m in srx.finditer(t):
            sec, key = mem.short[m.group(0)]
            full = mem.new_info.get(key, {}).get("name", "")
            if sec == "new_participants" and full != m.group(0) and t.startswith(full, m.start()):
                continue  # the full name again ("Volna Capital"): the name rules below take it whole
            if (ab := claim(m.start(), m.end())):
                if sec == "outlet":
                    continue  # the reporting outlet named again
                if sec == "records":
                    record(*ab, key, mem.records[key]["table"], "short form earlier in the article")
                elif sec == "participants":
                    mention(*ab, [key], "short form of a name earlier in the article")
                else:
                    info = mem.new_info.get(key) or {"id": key, "name": m.group(0), "kind": "person"}
                    out.append(Candidate("new_participants", *ab, m.group(0), s.n, {**info, "via": "short form of a name earlier in the article"}))
    # A named body ("China Satellite Navigation Office", "Minsk Optical Works") before the shorter
    # names inside it ("China", "Minsk").
    for m in _CAP_RUN.finditer(t):
        for a, words, _ in _name_parts(m, rules):
            name = " ".join(words)
            if name.endswith(".") and words and words[-1] not in rules.org_words:
                name = name[:-1]  # the sentence's stop, not "Co."
            core = _ACRONYM.match(name).group(1) if _ACRONYM.match(name) else name
            po = re.match(r"^((?:\S+ )+?\S+) of ([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?)$", core)
            if po and po.group(2) in rules.places and po.group(1).split()[-1] in rules.org_words:
                core = po.group(1)  # "Sibkosmos Instruments of Novosibirsk": the body, then the place
            pp = re.match(r"^([A-Z][\w-]*(?: [A-Z][\w-]*)?)[’']s (?=\S+ \S)", core)
            if pp and pp.group(1) in rules.places and pp.group(1) not in rules.countries:
                a, core = a + pp.end(), core[pp.end():]  # "Shenzhen’s Huaxing Microsystems": the city is a place of its own
            if len(core.split()) < 2 or not any(w.strip("(),") in rules.org_words or w.strip("().,") in rules.org_words for w in core.split()[1:]):
                continue
            if core.split()[-1] in rules.event_words:
                continue  # "Siberian Space Technology Forum": an event (a meeting), unless an employer (below)
            if not spans.free(s.start + a, s.start + a + len(core)) or not linked.free(s.start + a, s.start + a + len(core)):
                continue
            pid = known.names.get(core) or _known_body(core, known, rules)
            pm = None if pid else re.search(r"\b([A-Z][\w-]*)[’']s $", t[:a])
            if pm and pm.group(1) in rules.countries and (pid := _known_body(t[pm.start(1):a] + core, known, rules)):
                a, core = pm.start(1), t[pm.start(1):a] + core  # "Russia's Foreign Ministry": the Russian Foreign Ministry
            prg = None if pid else by_paraphrase(core, ("programs",), known, None, heads, core)
            if prg:  # "Sino-Russian Committee on Satellite Navigation": the commission in build/programs.yaml
                ab = claim(a, a + len(core))
                record(*ab, prg[1], "programs", f"words shared with {prg[1]} (a paraphrase? check)", record=prg[1])
                linked.take(*ab)
                continue
            ab = claim(a, a + len(core))
            if pid:
                mention(*ab, [pid], "name or alias in build/participants.yaml")
            else:
                kind = "international_body" if core.startswith(rules.international_prefixes) else \
                    "company" if core.split()[-1] in rules.company_words else "government_body"
                new(*ab, {"id": "par-" + slug(core), "name": core, "kind": kind}, "capitalized name (a body)")
                pid = "par-" + slug(core)
                if _own_word(core.split()[0], rules, known, text):
                    mem.short.setdefault(core.split()[0], ("new_participants", pid))  # "Kamensk" after "Kamensk Motor Works"
            acronym_after(ab[1], pid)
    for body_rx, kind in rules.bodies:
        for m in body_rx.finditer(t):
            name = re.sub(r"^the ", "", m.group(0))
            if re.search(r" [a-z]", name) and re.match(r" [A-Z][\w-]*[A-Za-z](?![\w’'-])", t[m.end():]) and not (known.names.get(name) or _known_body(name, known, rules)):
                claim(m.start(), m.end())  # "the Russian space agency Roscosmos": a description of the name after it
                continue
            if (ab := claim(m.start() + (m.end() - m.start() - len(name)), m.end())):
                pid = known.names.get(name) or _known_body(name, known, rules)
                if pid:
                    mention(*ab, [pid], "name or alias in build/participants.yaml")
                else:
                    pid = "par-" + slug(name)
                    new(*ab, {"id": pid, "name": name, "kind": kind}, "gazetteer bodies")
                acronym_after(ab[1], pid)
    for g in rules.groups:
        for m in g.regex.finditer(t):
            if (ab := claim(m.start(), m.end())):
                mention(*ab, list(g.participants), "group" if g.explicit else "group phrase")
    rx = _word_rx(known.names)
    if rx:
        for m in rx.finditer(t):
            if (ab := claim(m.start(), m.end())):
                pid = known.names[m.group(0)]
                code = pid.removeprefix("par-").upper()
                if code in rules.country_names and _city_in(t, m.start(), rules):
                    continue  # "Urumqi and Kunming in China": the country of the places named, not another place
                if code in rules.country_names and _PLACE_BEFORE.search(t[max(0, m.start() - 160):m.start()]):
                    out.append(Candidate("places", *ab, m.group(0), s.n, {"place": rules.country_names[code], "country": code, "via": "a country after 'in' or 'visit to'"}))
                    continue
                mention(*ab, [pid], "name or alias in build/participants.yaml")
                if pid in known.persons and len(m.group(0).split()) >= 2:
                    for part in m.group(0).split()[-2:]:
                        if len(part) > 2 and part not in rules.not_names and part not in rules.person_titles:
                            mem.short.setdefault(part, ("participants", pid))
    if rules.person_titles:
        demonym = "|".join(re.escape(d) for d in sorted(rules.demonyms, key=len, reverse=True))
        titles = "|".join(re.escape(x) for x in sorted(rules.person_titles, key=len, reverse=True))
        prx = re.compile(rf"(?:(?:{demonym}) )?(?:{titles}) ((?:[A-Z][a-z]+(?:[’'-][A-Z][a-z]+)?)(?: [A-Z][a-z]+(?:[’'-][A-Z][a-z]+)?){{1,2}})\b")
        for m in prx.finditer(t):
            name = m.group(1)
            if not spans.free(s.start + m.start(1), s.start + m.end(1)):
                continue
            # The title and demonym go in the alias only when no other candidate holds them.
            a0 = m.start() if spans.free(s.start + m.start(), s.start + m.start(1)) and m.group(0)[:1].isupper() else m.start(1)
            if (ab := claim(a0, m.end())):
                title = m.group(0)[: m.start(1) - m.start()].strip() or None
                new(*ab, {"id": "par-" + slug(name), "name": name, "kind": "person", **({"post": title} if title else {})}, "gazetteer person_titles")
    crx = _word_rx(rules.countries)
    if crx:
        for m in crx.finditer(t):
            if (ab := claim(m.start(), m.end())):
                code = rules.countries[m.group(0)]
                if _city_in(t, m.start(), rules):
                    continue
                if _PLACE_BEFORE.search(t[max(0, m.start() - 160):m.start()]):
                    out.append(Candidate("places", *ab, m.group(0), s.n, {"place": rules.country_names[code], "country": code, "via": "a country after 'in' or 'visit to'"}))
                    continue
                new(*ab, {"id": f"par-{code.lower()}", "name": rules.country_names[code], "kind": "state", "country": code}, "gazetteer countries")
    # A site's name ("the Sverdlovsk Region", "Jiuquan Satellite Launch Center") is one place, before
    # the gazetteer's places inside it ("Jiuquan").
    for m in _CAP_RUN.finditer(t):
        for a, words, _ in _name_parts(m, rules):
            name = " ".join(words).rstrip(".")
            if _site(name, rules) and not _employer_or_body(t, a, a + len(name), rules) and (ab := claim(a, a + len(name))):
                out.append(Candidate("places", *ab, name, s.n, {"place": name, "country": _country_of(name, rules), "via": "a site's name (gazetteer site_names)"}))
    plx = _word_rx(list(rules.places) + [p.upper() for p in rules.places])
    if plx:
        for m in plx.finditer(t):
            code = _country_of(m.group(0), rules)
            if m.group(0) in rules.capitals and code and capital_as_state(t, m.start(), m.end()) and (ab := claim(m.start(), m.end())):
                pid = f"par-{code.lower()}"  # "Washington has argued", "Moscow and Beijing signed": the state
                if pid in known.ids:
                    mention(*ab, [pid], "a capital standing for its state")
                elif code in rules.country_names:
                    new(*ab, {"id": pid, "name": rules.country_names[code], "kind": "state", "country": code}, "a capital standing for its state")
                else:
                    out.append(Candidate("places", *ab, m.group(0), s.n, {"place": _place_name(m.group(0), rules), "country": code, "via": "gazetteer places"}))
                continue
            if (ab := claim(m.start(), m.end())):
                out.append(Candidate("places", *ab, m.group(0), s.n, {"place": _place_name(m.group(0), rules), "country": code, "via": "gazetteer places"}))
    for m in re.finditer(r"(?<![\w-])[RDI]-[A-Z][a-z]{1,5}\.(?!\w)", t):
        claim(m.start(), m.end())  # "Walter Brandage, R-Kan.": a US lawmaker's party and state, no actor
    for m in re.finditer(r"\b(?:the\s+)(\w+)\s+capital\b", t):
        code = rules.demonyms.get(m.group(1))
        city = next((c for c in sorted(rules.capitals) if rules.places.get(c) == code), None) if code else None
        if city and (ab := claim(m.start(1), m.end())):  # "in the Russian capital": Moscow
            out.append(Candidate("places", *ab, q(*ab), s.n, {"place": city, "country": code, "via": "the capital of a state"}))
    for w in sorted(rules.celestial + rules.regions, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(w)}(?![\w-])", t):
            claim(m.start(), m.end())  # neither a participant nor a place
    if rules.vehicle_words:  # "a Soyuz-2.1b rocket": a vehicle's designation names no actor
        vw = "|".join(re.escape(w) for w in sorted(rules.vehicle_words, key=len, reverse=True))
        for m in re.finditer(rf"(?<![\w’'-])[A-Z][\w’'.-]*(?: [A-Z0-9][\w.-]*){{0,2}}(?= (?:{vw})\b)", t):
            w = m.group(0)
            if not re.search(r"[’']s$", w) and w not in rules.countries and w not in rules.demonyms and w not in known.names:
                claim(m.start(), m.end())
    runs = []
    for m in _CAP_RUN.finditer(t):
        for a, words, person in _name_parts(m, rules, possessive=True):  # "The", and "China's" before "Chang'e-8"
            name = " ".join(words).rstrip(".") if not re.search(r"\b[A-Z]\.$", " ".join(words)) else " ".join(words)
            if not name or name in rules.not_names or name in rules.months or name.split()[0] in rules.months:
                continue
            runs.append((a, a + len(name), name, person or _said_of_person(t, a, a + len(name), rules)))
    # "in Ardenfell": a capitalized name after a place cue, that no rule above claims, is a place.
    cue_rx = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in rules.place_cues) + r") $") if rules.place_cues else None
    for a, b, name, person in runs:
        if not spans.free(s.start + a, s.start + b) or not linked.free(s.start + a, s.start + b):
            continue
        if re.fullmatch(r"|.*(?:—|–|--|\s-)\s*|\s*[“\"‘]\s*", t[:a], re.S) and " " not in name and not name.isupper() \
                and not re.search(rf"(?:^|\s)[a-z][\w’']*[,;]? {re.escape(name)}\b(?! [A-Z])", text):
            continue  # "Funding remains unclear", "“Debris knows ...", "(Sputnik) — Satellite operators": a first word, capitalized nowhere else
        body = _employer_or_body(t, a, b, rules)  # "an analyst at Neva Capital", "Atomkosmos, a ... firm"
        # "Siberian Space Technology Forum" is an event (a meeting) unless someone works at it
        org = any(w.strip("()") in rules.org_words for w in name.split()) and (body or name.split()[-1] not in rules.event_words)
        body = body or org
        if rules.place_nouns and not body and not person and len(name.split()) <= 2 and name not in known.names \
                and name not in rules.countries and name not in rules.demonyms and name not in rules.adjectives and re.match(rf" (?:{'|'.join(map(re.escape, rules.place_nouns))})\b", t[b:]):
            spans.take(s.start + a, s.start + b)  # "its Hartebeesthoek site", "the Kourou spaceport"
            out.append(Candidate("places", s.start + a, s.start + b, name, s.n, {"place": name, "country": _country_of(name, rules), "via": "before a place noun"}))
            continue
        if re.match(r"(?:[’']s)?\s+(?:has|have) learned\b|[’']s (?:interlocutors|sources|correspondent)\b", t[b:]) and " " not in name:
            spans.take(s.start + a, s.start + b)
            mem.short.setdefault(name, ("outlet", None))
            continue  # "Kommersant has learned", "Kommersant's interlocutors": the outlet reporting, no participant
        if cue_rx and not body and not person and name not in rules.demonyms and cue_rx.search(t[:a]) and "(" not in name \
                and not re.search(r"\baccording to $", t[:a]) \
                and not _acts_elsewhere(text, name, rules.place_cues):
            spans.take(s.start + a, s.start + b)
            out.append(Candidate("places", s.start + a, s.start + b, name, s.n, {"place": name, "country": _country_of(name, rules), "via": "after a place cue"}))
            continue
        un = re.sub(r"[’']s$", "", name)
        if un in ("UN", "U.N.", "United Nations") and (lb := _described_body(t, a + len(un), known)) and spans.free(s.start + a, s.start + lb[1]):
            spans.take(s.start + a, s.start + lb[1])  # "the UN’s outer space committee": the committee in build/
            mention(s.start + a, s.start + lb[1], [lb[0]], "an international body in build/, described in other words")
            continue
        spans.take(s.start + a, s.start + b)
        if re.fullmatch(r"(?:(?:North|South|East|West|Central|Inner|Outer)\s+)?\S+", name) and not org \
                and (re.search(r"(?:ian|ean|ese)$", name) or name.split()[-1] in rules.demonyms):
            continue  # "her Marvonian counterpart", "South Korean shipping firms": a demonym, not a participant
        if len(name.split()) == 2 and name.split()[-1] in rules.demonyms and re.fullmatch(r"|.*(?:—|–|--|\s-)\s*|\s*[“\"‘]\s*", t[:a], re.S):
            continue  # "‘Cheap Chinese chips ...": a first word capitalized before a demonym
        if name in rules.adjectives or re.fullmatch(r"[A-Z][\w’']*(?:-[a-z][\w’']*)+", name):
            continue  # "African states", "the Chinese-led effort", "the Soviet-era site", "Earth-observation satellites"
        last = name.split()[-1]
        if not body and (re.search(r"[A-Za-z’']-\d+[A-Za-z]?$", name) or (last in rules.mission_words and " " in name)):
            key = record(s.start + a, s.start + b, f"prg-{slug(name)}", "programs", "a mission's name", name=name, kind="project")
            mem.short.setdefault(name, ("records", key))
            continue  # "Chang'e-7", "Luna-27": a mission is a program, not a participant
        if not body and _PROGRAM_APPOSITION.match(t, b):
            key = record(s.start + a, s.start + b, f"prg-{slug(name)}", "programs", "a program its apposition names", name=name, kind="project")
            mem.short.setdefault(name, ("records", key))
            continue  # "Orbital Sentinel, a Chinese–Russian program to inspect ...": a program, not a participant
        if not body and last in rules.event_words and " " in name:
            key = record(s.start + a, s.start + b, f"mtg-{slug(name)}", "meetings", "an event's name", name=name)
            mem.short.setdefault(name, ("records", key))
            continue  # "Siberian Space Technology Forum": a meeting, not a participant
        if re.search(r"[’']s$", name):
            name, b = name[:-2], b - 2  # "Ma's remarks"
            if name in mem.short or len(name) < 2:
                continue
        kind = "person" if person else TODO
        if org:
            kind = "international_body" if name.startswith(rules.international_prefixes) else \
                "company" if last in rules.company_words else "government_body"
        core, acr = (_ACRONYM.match(name).group(1), _ACRONYM.match(name).group(2)) if _ACRONYM.match(name) else (name, None)
        new(s.start + a, s.start + b, {"id": "par-" + slug(core), "name": core, "kind": kind}, "capitalized name")
        words = core.split()
        if not org and not acr and 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-zà-ÿğşıöüç’']+(?:-[A-Z]?[a-zà-ÿğşıöüç’']+)*", w) for w in words):
            mem.short.setdefault(words[-1], ("new_participants", "par-" + slug(core)))  # "Lavrenov" after "Dmitry Lavrenov"
            first = words[0]
            if len(words) == 2 and first not in rules.not_names and first not in rules.demonyms and first not in rules.countries \
                    and first not in rules.capitals and first not in known.names:
                mem.short.setdefault(first, ("new_participants", "par-" + slug(core)))  # "Zhao" after "Zhao Minghui" (surname first)
        if acr:
            mem.short.setdefault(acr, ("new_participants", "par-" + slug(core)))
        elif not person and len(words) >= 2 and _own_word(words[0], rules, known, text):
            mem.short.setdefault(words[0], ("new_participants", "par-" + slug(core)))  # "Kamensk" after "Kamensk Motor Works"
    # Instruments, meetings, outcomes, claims: cue words, one candidate per record mentioned.
    claims_here, outcome_here = set(), None
    for cue in rules.cues:
        if cue.group not in RECORD_GROUPS:
            continue
        table, prefix = RECORD_GROUPS[cue.group]
        for m in cue.regex.finditer(t):
            if not spans.free(s.start + m.start(), s.start + m.end()) or not linked.free(s.start + m.start(), s.start + m.end()):
                continue
            before = t[max(0, m.start() - 5):m.start()].lower()
            definite = bool(re.search(r"\b(?:the|this|that|its|their)\s+$", before))
            if cue.group == "instruments":
                fid = _led_framework(t[:m.start()], known)
                if fid and (ab := claim(m.start(), m.end())):  # "the US-led accords": the one framework the US leads
                    record(*ab, fid, "frameworks", f"the framework its leader leads in build/: {fid} (check)", paraphrase=False, record=fid)
                    continue
                key = f"{prefix}-{slug(cue.suggest['kind'])}"
                aid = _instrument_for_program(t, m.end(), s.start, out, cue.suggest["kind"], known) \
                    or _instrument_of_head(t[:m.start()], cue.suggest["kind"], known, heads)
                if aid and (ab := claim(m.start(), m.end())):  # "an agreement with Beijing to build the station"
                    mem.last_instrument = record(*ab, aid, "agreements", f"the {cue.suggest['kind']} for a program in build/: {aid} (check)",
                                                 paraphrase=False, record=aid)
                    continue
                if definite and cue.suggest["kind"] == "agreement" and mem.last_instrument and key not in mem.records \
                        and noun_phrase(t, m.start(), m.end()) == m.group(0):  # "the agreements on ..." say which: not a reference back
                    key = mem.last_instrument
                mem.last_instrument = key
            elif cue.group == "meetings":
                if definite and mem.last_meeting and cue.definite:
                    key = mem.last_meeting
                else:
                    key = f"{prefix}-{slug(cue.suggest['kind'])}-s{s.n}"
            elif cue.group == "outcomes":
                # One new outcome per sentence; each outcome in build/ it names is linked ("stressed the
                # need to keep weapons out of orbit and pledged to work together on legal frameworks": two).
                c0, c1 = _commitment(t, m.end(), cue.link_only, on=bool(re.search(r"positions?$", m.group(0))))
                hit = by_paraphrase(_without_names(t[c0:c1], known), ("outcomes",), known) if c1 > c0 else None
                if hit and hit[1] != outcome_here and (ab := claim(m.start(), m.end())):  # the commitment an outcome in build/ records: cue to its last word
                    outcome_here = record(ab[0], s.start + len(t[:c1].rstrip()), hit[1], "outcomes",
                                          f"words shared with {hit[1]} (a paraphrase? check)", record=hit[1])
                    # A second infinitive of the same verb is a commitment of its own ("pledged to coordinate
                    # ..., and to deepen work on ...").
                    more = re.match(r",?\s+and\s+(?=to\s+[a-z])", t[c1:])
                    if more:
                        c2, c3 = _commitment(t, c1 + more.end() - 1)
                        hit2 = by_paraphrase(_without_names(t[c2:c3], known), ("outcomes",), known) if c3 > c2 else None
                        verb = re.match(r"to\s+[a-z]+", t[c1 + more.end():])
                        if hit2 and hit2[1] != hit[1] and (ab2 := claim(c1 + more.end(), c1 + more.end() + verb.end())):
                            record(ab2[0], s.start + len(t[:c3].rstrip()), hit2[1], "outcomes",
                                   f"words shared with {hit2[1]} (a paraphrase? check)", record=hit2[1])
                    continue
                if outcome_here or cue.link_only:
                    continue  # "the pledge" names no new outcome: only one build/ has
                key = outcome_here = f"{prefix}-s{s.n}"
            else:  # one claim per assertion clause ("X is likely to ..., though analysts say ...")
                clause = len(_CLAUSE_BREAK.findall(t[:m.start()]))
                if clause in claims_here:
                    continue
                key = f"{prefix}-s{s.n}" + (f"-c{clause}" if clause else "")
                claims_here.add(clause)
            if (ab := claim(m.start(), m.end())):
                key = record(*ab, key, table, f"cue ({cue.group})", **dict(cue.suggest))
                if cue.group == "instruments":
                    mem.last_instrument = key  # "the deals" after "agreements on ...": the record they were linked to
    return out


_LED = re.compile(r"(?:the\s+)?(?P<who>[A-Z][\w.’']*(?:\s+[A-Z][\w.’']*){0,2})[-–]led\s+$")


def _led_framework(before: str, known: Known) -> str | None:
    """The framework in build/ that "X-led" names, when X is a participant leading exactly one."""
    m = _LED.search(before)
    pid = known.names.get(m.group("who")) if m else None
    led = known.led_by.get(pid or "", [])
    return led[0] if len(led) == 1 else None


# Where the words of an agreed commitment end: "promised to coordinate ... platforms[, ]at which ...".
# A second verb of the same subject starts another commitment ("stressed the need to ... and pledged to ...").
_OUTCOME_END = re.compile(r"[,.;:()“”\"]|\b(?:that|which|who|whose|while|but|after|before|when|during|according)\b"
                          r"|\band\s+(?=[a-z]+ed\s+(?:to|that)\b)")
# A commitment named by a noun first ("reaffirmed their 2024 commitment in Moscow to deepen ...",
# "the pledge, made at the consultation in August 2024, to coordinate ..."): its words start at the
# first "to" or "for" after the noun, within 200 characters and the sentence's clause (no ";").
_COMMITMENT_NOUN = re.compile(r"\s*(?:[\w’'-]+\s+){0,3}?(?:pledges?|commitments?|promises?|call|need)\b")
_COMMITMENT_START = re.compile(r"\b(?:to|for)\s+(?=[a-z])")
_POSITION_START = re.compile(r"\b(?:on|against)\s+(?=[a-z])")  # "a joint position ... on preventing an arms race"


def _commitment(t: str, end: int, noun: bool = False, on: bool = False) -> tuple[int, int]:
    """Where in t the words of the commitment an outcome cue ending at end introduces lie (noun: the
    cue is itself a commitment noun, "the pledge"; on: a position, whose words start at "on" or
    "against"), up to the clause's end; (end, end) when none."""
    start = end
    m = None if noun or on else _COMMITMENT_NOUN.match(t, end)
    if noun or on or m:
        head = t[m.end() if m else end:][:200].split(";", 1)[0]
        to = (_POSITION_START if on else _COMMITMENT_START).search(head)
        if not to:
            return end, end
        start = (m.end() if m else end) + to.start()
    stop = _OUTCOME_END.search(t, start)
    return start, stop.start() if stop else len(t)


def _initials(name: str) -> str | None:
    """The acronym a body's name makes of its capitalized words' first letters ("European Space
    Agency": ESA, "Shanghai Cooperation Organization": SCO), when it has three words or more."""
    words = [w for w in name.split() if w not in ("of", "the", "and", "for", "on", "in", "&")]
    if len(words) < 3 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def _own_word(w: str, rules: Rules, known: Known, text: str = "") -> bool:
    """A body's first word that is its own ("Kamensk" of "Kamensk Motor Works"): not a place, state,
    people, kind of body or adjective ("China", "Moscow", "National", "Baltic"), nor a common word
    the article also writes in lower case ("Space" of "Space Technologies Directorate")."""
    return bool(re.fullmatch(r"[A-Z][a-z’'-]{3,}", w)) and w not in rules.not_names and w not in rules.demonyms \
        and not re.search(rf"(?<![\w-]){re.escape(w.lower())}(?![\w-])", text) \
        and w not in rules.countries and w not in rules.capitals and w not in known.names and w not in rules.org_words \
        and w not in rules.adjectives and w not in rules.months and w not in rules.places \
        and not re.search(r"(?:ian|ean|ese|ic|al|ern)$", w)


def _program_fitting(mods: str, last: str, known: Known) -> str | None:
    """None when the modifiers of a definite "the ... project" fit the last program named (or say
    nothing telling); else the one program in build/ they fit ("reactor": the power station, whose
    defining word "power" a reactor says), or "" when none or several do."""
    kn = known.knowledge
    telling = {w for w in _content_words(mods, kn) if w not in WEAK and w not in (kn.generic or ()) and not w.isdigit()}
    last_words = known.record_words.get(last, ("", None))[1]
    if not telling or last_words is None or telling & last_words:
        return None
    fits = [rid for rid, (tb, rw) in known.record_words.items() if tb == "programs" and telling & rw - WEAK
            and not (rw & kn.defining) - telling]
    return fits[0] if len(fits) == 1 else ""


def _only_program_named(np: str, known: Known) -> tuple[str, str] | None:
    """The one program in build/ whose name holds every content word of a definite noun phrase of
    two or more ("the lunar station": the ILRS, since the power station needs "power"), or None."""
    words = set(_content_words(np, known.knowledge))
    if len(words) < 2:
        return None
    hits = [rid for rid, (tb, rw) in known.record_words.items() if tb == "programs" and words <= rw
            and not (rw & known.knowledge.defining) - words]
    return ("programs", hits[0]) if len(hits) == 1 else None


_FOR_PROGRAM = re.compile(r"(?:\s+with(?:\s+[A-Z][\w’'.-]*){1,3}?)?\s+(?:to\s+(?:jointly\s+)?(?:build|establish|create|construct|develop|deploy|set\s+up)|on\s+(?:building|establishing|creating|the\s+construction\s+of))\s+")


def _instrument_for_program(t: str, end: int, s0: int, out: list, kind: str, known: Known) -> str | None:
    """The existing instrument of this kind, the only one in build/ that serves the program named
    right after the cue "to build ..." ("an agreement with Beijing to build the station", where
    "the station" is the ILRS): that instrument, not a new one, nor the last instrument named."""
    m = _FOR_PROGRAM.match(t, end)
    if not m:
        return None
    at = s0 + m.end()
    prg = next((c.info["record"] for c in out if c.section == "records" and c.info.get("table") == "programs"
                and c.info.get("record") and at <= c.start <= at + len("the ")), None)
    hits = [rid for rid, progs in known.programs_of.items() if prg in progs and known.record_kinds.get(rid) == kind
            and known.record_words.get(rid, ("",))[0] == "agreements"] if prg else []
    return hits[0] if len(hits) == 1 else None


def _instrument_of_head(before: str, kind: str, known: Known, heads: dict) -> str | None:
    """The existing instrument of this kind, the only one in build/ that concerns a program whose
    name has the head noun just before the cue ("the Sino-Russian station treaty": the ILRS agreement)."""
    w = re.search(r"(?<![\w-])([a-z]+)\s+$", before)
    if not w or w.group(1) not in heads:
        return None
    said = set(_content_words(w.group(1), known.knowledge))
    progs = {rid for rid, (table, rw) in known.record_words.items() if table == "programs" and said & rw}
    hits = [rid for rid, ps in known.programs_of.items() if set(ps) & progs and known.record_kinds.get(rid) == kind
            and known.record_words.get(rid, ("",))[0] == "agreements"]
    return hits[0] if len(hits) == 1 else None


def _site(name: str, rules: Rules) -> bool:
    """Whether a capitalized name of two or more words ends in a site's name ("Sverdlovsk Region")."""
    return " " in name and any(name.endswith(" " + w) for w in rules.site_names)


def _employer_or_body(t: str, a: int, b: int, rules: Rules) -> bool:
    """Whether the name at t[a:b] is an employer ("a propulsion analyst at Aerocom Analytics", "who
    covers the space sector at Atlas Capital") or a body its apposition names ("Atomkosmos, a
    Russian nuclear engineering firm"): a participant, never a place."""
    roles = [w.lower() for w in rules.person_titles + rules.person_nouns + rules.employer_cues]
    if roles and re.search(r"\b(?:" + "|".join(re.escape(w) for w in roles) + r")s?\s+at\s+(?:the\s+)?$", t[max(0, a - 200):a], re.I):
        return True
    nouns = "|".join(re.escape(w) for w in rules.org_nouns)
    return bool(nouns) and bool(re.match(rf",\s+an?\s+(?:[\w’'-]+\s+){{0,4}}?(?:{nouns})\b", t[b:b + 200]))


def _city_in(t: str, a: int, rules: Rules) -> bool:
    """Whether a country at t[a] follows "<a place in the gazetteer> in": "Kunming in China"."""
    m = re.search(r"([A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*)*) in (?:the )?$", t[:a])
    return bool(m) and any(m.group(1).endswith(p) for p in rules.places if rules.places[p])


def _said_of_person(t: str, a: int, b: int, rules: Rules) -> bool:
    """Whether the two or three words at t[a:b] name a person by what is said of them:
    "X, a spokeswoman for ...", "X, an analyst at ...", "X, deputy head of ..."."""
    if not 2 <= len(t[a:b].split()) <= 3:
        return False
    titles = "|".join(re.escape(x.lower()) for x in rules.person_titles + rules.person_nouns)
    return bool(titles) and bool(re.match(rf",\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){{0,3}}(?:{titles})\b", t[b:], re.I))


def _acts_elsewhere(text: str, name: str, cues) -> bool:
    """Whether name acts somewhere in the article ("Rosatom and ... signed", "Rosatom said"): then
    "at Rosatom" is at a body, not a place. An occurrence after a place cue ("near X will") is no act."""
    verbs = r"and|said|says|signed|has|have|will|would|is|was|plans|agreed|announced"
    cue = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\s+$", re.I)
    for m in re.finditer(rf"(?<![\w’'-]){re.escape(name)}\b(?![’'-])", text):
        if cue.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if re.search(r"(?:^|[.!?]\s+|\n)$", text[:m.start()]) or re.match(rf"\s+(?:{verbs})\b", text[m.end():]):
            return True
    return False


def _indefinite(t: str, a: int, np: str) -> bool:
    """"signed a memorandum on satellite navigation": an instrument or meeting introduced with "a"
    (before its modifiers) and no year is a new one, whatever existing record its words recall."""
    m = re.search(rf"(?:^|\s)(?:[Aa]n?|[Aa]nother)\s+(?:new\s+)?(?:(?!(?:{_NOT_MODIFIER})\b)[\w’'-]+\s+){{0,4}}$", t[:a])
    return bool(m) and not YEAR.search(np)


def _modifies_instrument(t: str, end: int, rules: Rules) -> bool:
    """Whether an instrument cue ("agreement", "memorandum") follows at end: the noun before it
    says what the instrument is about, and is no program of its own."""
    nxt = re.match(r"\s+", t[end:])
    if not nxt:
        return False
    at = end + nxt.end()
    return any(c.group == "instruments" and (m := c.regex.match(t, at)) and m.start() == at for c in rules.cues)


def _defining_tail(t: str, end: int, known: Known) -> str:
    """The defining words (knowledge.yaml) that the clause after a noun says of it ("ground stations
    each country hosts on the other's soil": reciprocal), as " word ...", or ""."""
    clause = re.split(r"[,.;:()“”\"]", t[end:end + 120], maxsplit=1)[0]
    said = [w for w in _content_words(clause, known.knowledge) if w in known.knowledge.defining]
    return "".join(" " + w for w in dict.fromkeys(said))


def _systems_cooperation(t: str, rules: Rules, known: Known) -> list[tuple[int, int, str]]:
    """Spans in t where named systems of one kind cooperate ("cooperation between BeiDou and
    GLONASS", "the BeiDou-GLONASS partnership"), with the existing program whose name is what
    they are ("satellite navigation"); nothing when no program in build/ is named so."""
    kn = known.knowledge
    if not kn.systems or not rules.program_context:
        return []
    by_words = {rw: rid for rid, (tb, rw) in known.record_words.items() if tb == "programs"}
    sysx = "(?i:" + "|".join(re.escape(n) for n in sorted(kn.systems, key=len, reverse=True)) + ")"  # "Beidou" too
    ctx = "|".join(re.escape(w) for w in rules.program_context)
    own = r"(?:the\s+|[A-Z][\w.]*[’']s\s+)?"  # "the BeiDou", "Russia's GLONASS"
    pair = rf"{own}{sysx}(?:\s*(?:[-–/]|and|with)\s*{own}{sysx})?"
    # Two systems joined by a dash name what they do together ("the GLONASS–BeiDou compatibility effort").
    joint = rf"{sysx}\s*[-–/]\s*{sysx}(?:\s+(?:compatibility|interoperability|integration))?(?:\s+(?:efforts?|work|project))?"
    rx = re.compile(rf"\b(?:(?i:{ctx})\s+(?:between|of|on)\s+{pair}|{sysx}(?:\s*[-–/]\s*{sysx})?\s+(?i:{ctx})|{joint})\b")
    low = {k.lower(): v for k, v in kn.systems.items()}
    out = []
    for m in rx.finditer(t):
        names = re.findall(sysx, m.group(0))
        kinds = {low[n.lower()] for n in names}
        if len(kinds) != 1:
            continue
        rid = by_words.get(frozenset(_content_words(kinds.pop(), kn)))
        if rid:
            out.append((m.start(), m.end(), rid))
    return out


def _heads(rules: Rules) -> dict[str, str]:
    """Head nouns and their class: a program noun's kind ("plant", "station": facility) and the
    meeting cue nouns' kinds ("talks", "session": consultation; "visit": visit)."""
    heads = dict(rules.program_nouns)
    for cue in rules.cues:
        if cue.group == "meetings" and cue.definite:
            for w in re.findall(r"[a-z]+", cue.regex.pattern):
                if len(w) > 3 and w not in ("state", "official", "working", "round", "of"):
                    heads.setdefault(w, cue.suggest["kind"])
    return heads


def _by_context(t: str, table: str, kind: str, known: Known) -> tuple[str, str] | None:
    """The one existing record of table and this exact kind whose dates and people the sentence
    gives: "the joint statement that Putin ... adopted ... in May 2024". A year must be shared, or,
    for an instrument, when build/ has one of the kind and the sentence gives no year, two of its
    people or dates ("the joint statement adopted during Vladimir Putin's state visit"). The same
    people meet again: a meeting always needs the year."""
    words = set(_content_words(t))
    of_kind = [rid for rid, (tb, _) in known.record_words.items() if tb == table and known.record_kinds.get(rid) == kind]
    no_year = table == "agreements" and not re.search(r"\b(?:1[89]|20)\d\d\b", t)
    hits = []
    for rid in of_kind:
        shared = words & known.context_words.get(rid, frozenset())
        if len(shared) >= 2 and (any(w.isdigit() for w in shared) or (no_year and len(of_kind) == 1)):
            hits.append((len(shared), rid))
    hits.sort(reverse=True)
    if hits and (len(hits) == 1 or hits[0][0] > hits[1][0]):
        return table, hits[0][1]
    return None


def _known_body(name: str, known: Known, rules: Rules) -> str | None:
    """A known body named another way: "China's foreign ministry" is the "Chinese foreign ministry"."""
    demonym_of = {code: w for w, code in rules.demonyms.items()}
    m = re.match(r"^(.+?)['’]s (.+)$", name)
    forms = {name.lower()}
    if m:
        forms.add(f"{m.group(1)} {m.group(2)}".lower())  # "UN’s Committee on ...": the "UN Committee on ..."
    if m and m.group(1) in rules.countries and rules.countries[m.group(1)] in demonym_of:
        forms.add(f"{demonym_of[rules.countries[m.group(1)]]} {m.group(2)}".lower())
    low = {k.lower(): v for k, v in known.names.items()}
    return next((low[f] for f in forms if f in low), None)


def _dateline_rx(rules: Rules) -> re.Pattern:
    months = "|".join(rules.months) + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    return re.compile(rf"^(?P<city>[A-Z][A-Za-z.'’ -]{{1,40}}?)(?:, (?P<country>[A-Z][A-Za-z’' -]{{1,40}}?))?(?:,\s+(?:(?:{months})\.? \d{{1,2}}|\d{{1,2}} (?:{months})\.?)(?:,? \d{{4}})?)?"
                      rf"\s*\((?P<agency>[^()\n]{{1,60}})\)\s*[-–—]+")


def _country_of(place: str, rules: Rules) -> str | None:
    """The country of a gazetteer place, or of the place a site's name starts with ("Vostochny
    Cosmodrome": Vostochny's)."""
    low = {k.lower(): v for k, v in rules.places.items()}
    words = place.lower().split()
    return next((low[" ".join(words[:n])] for n in range(len(words), 0, -1) if " ".join(words[:n]) in low), None) \
        if _site(place, rules) else low.get(place.lower())


def _place_name(place: str, rules: Rules) -> str:
    """HARBIN (a dateline in capitals) -> Harbin, as the gazetteer writes it."""
    return next((k for k in rules.places if k.lower() == place.lower()), place if not place.isupper() else place.title())


# --- field cues --------------------------------------------------------------------------------

def _fields(s: Sentence, rules: Rules) -> list[Candidate]:
    out = []
    seen: set[tuple[int, int, str]] = set()
    for cue in rules.cues:
        if cue.group in RECORD_GROUPS:
            continue
        for m in cue.regex.finditer(s.text):
            a, b = s.start + m.start(), s.start + m.end()
            key = (a, b, cue.group)
            if key in seen:
                continue
            seen.add(key)
            suggest = {"milestone": cue.suggest["kind"]} if cue.group == "milestones" else dict(cue.suggest)
            out.append(Candidate("fields", a, b, m.group(0), s.n, {"cue": cue.group, "suggest": suggest}))
    return out


# --- the draft -----------------------------------------------------------------------------------

# Where a date goes (codebook 1.0): a meeting has a date; the dated stages of a program or an
# agreement are milestones, nested in the record; outcomes, frameworks and claims have no date.
DATE_FIELD = {"meetings": "date"}
# The milestone kinds each table takes, in the order a sentence's cues choose among them (the
# furthest stage first: "signed and ratified in 2024" dates the ratification).
MILESTONE_KINDS = {"agreements": ("ratified", "signed", "adopted", "dated", "discussed"),
                   "programs": ("established", "initiated", "discussed", "proposed")}
# Status cues that make a program's date a target (programs.timeframe), not a milestone, when
# the sentence names no stage: "plan to build a station in 2032".
TARGET_STATUSES = ("planned",)
TITLE_FIELD = {"agreements": "title", "meetings": "label", "programs": "name", "outcomes": "text",
               "frameworks": "name", "claims": "text"}
CAND_PREFIX = {"sentences": "s", "dates": "d", "participants": "p", "new_participants": "n", "places": "l",
               "records": "r", "fields": "f"}


def _occurrence(text: str, quote: str, start: int) -> int | None:
    """The occurrence number the build needs for this quote (None when the quote is unique)."""
    starts, i = [], text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    return None if len(starts) <= 1 else starts.index(start) + 1


def _ev(x: Extraction, quote: str, start: int) -> dict:
    ev = {"src": x.source_id, "quote": quote}
    occ = _occurrence(x.text, quote, start)
    if occ is not None:
        ev["occurrence"] = occ
    return ev


def _where(c: Candidate) -> dict:
    return {"quote": c.quote, "at": [c.start, c.end], "sentence": c.sentence}


def _date_accept(x: Extraction, c: Candidate) -> dict:
    return {"value": c.info["value"], "precision": c.info["precision"], "basis": "stated", "evidence": [_ev(x, c.quote, c.start)]}


def _date_target(table: str | None, cues: list[Candidate]) -> tuple[str, str | None]:
    """Where a date of this sentence goes in a record of table: ("date", None) for a meeting,
    ("milestones", kind or TODO) for a program or an agreement, ("timeframe", None) for a
    program's target ("plan to build ... in 2032", no stage named), ("", None) for a table
    with no date."""
    if table in DATE_FIELD:
        return DATE_FIELD[table], None
    if table not in MILESTONE_KINDS:
        return "", None
    said = {k.info["suggest"].get("milestone") for k in cues if k.section == "fields"}
    kind = next((m for m in MILESTONE_KINDS[table] if m in said), None)
    if kind is None and table == "programs" and any(k.section == "fields" and k.info["suggest"].get("status") in TARGET_STATUSES for k in cues):
        return "timeframe", None
    return "milestones", kind or TODO


def _date_value_for(x: Extraction, c: Candidate, key: str, kind: str | None) -> dict:
    """The accept block of date candidate c under key (see _date_target)."""
    if key == "milestones":
        return {"kind": kind, "date": _date_accept(x, c)}
    if key == "timeframe":
        return {"value": c.quote, "evidence": [_ev(x, c.quote, c.start)]}
    return _date_accept(x, c)


def _record_id(prefix: str, base: str, seed_n: str, taken: set[str]) -> str:
    rid = f"{prefix}-{slug(base)}" if prefix == "prg" or prefix == "frm" else f"{prefix}-{slug(base)}-{seed_n}"
    n, out = 2, rid
    while out in taken:
        out, n = f"{rid}-{n}", n + 1
    taken.add(out)
    return out


def _new_record(x: Extraction, cs: list[Candidate], table: str, rid: str, schema: Schema | None,
                same: dict[int, list[Candidate]], pid_of: dict[int, list[str]], prog_of: dict[int, list[str]]) -> dict:
    """The accept block of a new record: what its first sentence says, TODO for the rest."""
    c = cs[0]
    info = c.info
    s = x.sentences[c.sentence - 1]
    here = same.get(c.sentence, [])
    rec: dict = {"id": rid}
    title = TITLE_FIELD[table]
    if table in ("claims",):
        rec["type"] = {"value": info.get("type", TODO), "evidence": [_ev(x, c.quote, c.start)]}
        rec["attribution"] = info.get("attribution", TODO)
        rec[title] = {"value": s.text, "evidence": [_ev(x, s.text, s.start)]}
        rec["evidence"] = [_ev(x, s.text, s.start)]
        return rec
    if "kind" in info and info["kind"]:
        rec["kind"] = {"value": info["kind"], "evidence": [_ev(x, c.quote, c.start)]}
    elif table != "outcomes":
        rec["kind"] = TODO
    rec[title] = {"value": info.get("name") or TODO, "evidence": [_ev(x, c.quote, c.start)]}
    fields = {f.name: f for f in schema.fields} if schema else {}
    cues = [k for k in here if k.section == "fields"]
    for k in cues:
        for fname, value in k.info["suggest"].items():
            f = fields.get(fname)
            if f is not None and fname not in rec and (f.enum is None or value in f.enum) and fname != "topic":
                rec[fname] = {"value": value, "evidence": [_ev(x, k.quote, k.start)]}
    for f in (schema.fields if schema else []):
        if f.required and f.name not in rec and f.name != schema.primary_key[0] and not f.name.endswith("_id"):
            rec[f.name] = TODO
    places = [k for k in here if k.section == "places"]
    if table == "meetings" and places:
        p = places[0]
        rec["place"] = {"value": p.info["place"], "evidence": [_ev(x, p.quote, p.start)]}
        if p.info.get("country"):
            rec["country"] = p.info["country"]
    dates = [k for k in here if k.section == "dates" and not k.info["relative"] and k.info["value"]]
    key, kind = _date_target(table, cues)
    if dates and key and key not in rec:
        value = _date_value_for(x, dates[0], key, kind)
        rec[key] = [value] if key == "milestones" else value
    rec["evidence"] = [_ev(x, t.text, t.start) for t in (x.sentences[n - 1] for n in dict.fromkeys(k.sentence for k in cs))]
    people = [(k, p) for k in here if k.section in ("participants", "new_participants") for p in pid_of.get(id(k), [])]
    if people:
        seen, links = set(), []
        for k, p in people:
            if p not in seen:
                seen.add(p)
                links.append({"participant": p, "role": TODO, "evidence": [_ev(x, k.quote, k.start)]})
        rec["participants"] = links
    progs = [(k, p) for k in here if k.section == "records" for p in prog_of.get(id(k), []) if p != rid]
    if progs and table in ("agreements", "meetings"):
        rec["programs"] = [dict({"program": p}, **({"role": TODO} if table == "agreements" else {}), evidence=[_ev(x, k.quote, k.start)])
                           for k, p in dict((p, (k, p)) for k, p in progs).values()]
    return rec


def draft(x: Extraction, schemas: dict[str, Schema], rules_files: dict[str, str], sha256: str) -> dict:
    """The draft as plain data (what the YAML file holds). Every candidate has an id (cand: n1,
    r2, ...) for `spacecoop accept`."""
    d: dict = {
        "draft": {
            "seed": x.path, "source_id": x.source_id, "sha256": sha256, "characters": len(x.text),
            "rules": sorted(rules_files.values()),
            "status": "draft: nothing here is data until a curator accepts a candidate (spacecoop accept DRAFT ID...)",
        },
        "sentences": [{"cand": f"s{s.n}", "n": s.n, "start": s.start, "end": s.end, "text": s.text,
                       "into": "build/exclusions.yaml (accept as s{0}='reason' to leave it out)".format(s.n)} for s in x.sentences],
        "dates": [], "participants": [], "new_participants": [], "places": [], "records": [], "fields": [],
    }
    counters = {k: 0 for k in CAND_PREFIX}

    def cand(section: str) -> str:
        counters[section] += 1
        return f"{CAND_PREFIX[section]}{counters[section]}"

    seed_n = re.sub(r"\D", "", x.source_id) or "x"
    same: dict[int, list[Candidate]] = {}
    for c in x.candidates:
        same.setdefault(c.sentence, []).append(c)
    # Record keys -> ids (existing ids stay; new ones get a readable id, unique in the draft).
    groups: dict[str, list[Candidate]] = {}
    for c in x.section("records"):
        groups.setdefault(c.info["key"], []).append(c)
    taken: set[str] = set()
    rid_of: dict[str, str] = {}
    for key, cs in groups.items():
        info = cs[0].info
        if info.get("record"):
            rid_of[key] = info["record"]
        else:
            table = info["table"]
            base = info.get("name") or info.get("kind") or info.get("type") or table
            rid_of[key] = _record_id(RECORD_TABLES[table], base, seed_n, taken)
    pid_of = {id(c): (c.info["participants"] if c.section == "participants" else [c.info["id"]])
              for c in x.candidates if c.section in ("participants", "new_participants")}
    prog_of = {id(c): [rid_of[c.info["key"]]] for c in x.section("records") if c.info["table"] == "programs"}
    record_in_sentence: dict[int, list[tuple[str, str]]] = {}
    for key, cs in groups.items():
        if cs[0].info["table"] == "claims":
            continue
        for c in cs:
            if (rid_of[key], cs[0].info["table"]) not in record_in_sentence.get(c.sentence, []):
                record_in_sentence.setdefault(c.sentence, []).append((rid_of[key], cs[0].info["table"]))

    def into_record(c: Candidate, what: str) -> dict | str:
        """The record of the same sentence (a meeting for a place, level or topic; else the first
        one named there) and the key to fill."""
        here = record_in_sentence.get(c.sentence, [])
        if what in ("place", "level", "topics"):
            here = sorted(here, key=lambda r: r[1] != "meetings")
        if what == "date":  # outcomes, frameworks and claims have no date
            here = [r for r in here if r[1] in DATE_FIELD or r[1] in MILESTONE_KINDS]
        elif what == "milestones":  # only programs and agreements have milestones
            here = [r for r in here if r[1] in MILESTONE_KINDS]
        rid, table = here[0] if here else (None, None)
        if rid is None:
            return f"{what} of a record" + (" (a meeting's date, or a milestone of a program or agreement)" if what == "date" else "")
        if what == "date":
            what = _date_target(table, same.get(c.sentence, []))[0]
        return {"record": rid, "field": what}

    for c in x.section("dates"):
        item = {"cand": cand("dates"), **_where(c), "value": c.info["value"], "precision": c.info["precision"],
                "year_unknown": c.info["year_unknown"], "relative": c.info["relative"], "pattern": c.info["pattern"]}
        if c.info.get("anchor"):
            item["anchor"] = c.info["anchor"]
        if "note" in c.info:
            item["note"] = c.info["note"]
        if c.info["precision"] != "unknown":
            item["into"] = into = into_record(c, "date")
            if isinstance(into, dict) and into["field"] == "milestones":
                table = next(t for r, t in record_in_sentence[c.sentence] if r == into["record"])
                item["accept"] = _date_value_for(x, c, "milestones", _date_target(table, same.get(c.sentence, []))[1])
            elif isinstance(into, dict):
                item["accept"] = _date_value_for(x, c, into["field"], None)
            else:
                item["accept"] = _date_accept(x, c)
            # Every other record of the sentence that takes a date is offered the date too.
            others = [(r, t) for r, t in record_in_sentence.get(c.sentence, [])
                      if (t in DATE_FIELD or t in MILESTONE_KINDS) and not (isinstance(into, dict) and r == into["record"])]
            if others and not c.info["relative"]:
                item["also_into"] = [{"record": r, "field": _date_target(t, same.get(c.sentence, []))[0],
                                      "accept": (_date_value_for(x, c, "milestones", _date_target(t, same.get(c.sentence, []))[1])
                                                 if _date_target(t, same.get(c.sentence, []))[0] == "milestones" else
                                                 _date_value_for(x, c, _date_target(t, same.get(c.sentence, []))[0], None))}
                                     for r, t in others]
        d["dates"].append(item)
    for c in x.section("participants"):
        item = {"cand": cand("participants"), **_where(c), "participants": c.info["participants"], "via": c.info["via"]}
        if "note" in c.info:
            item["note"] = c.info["note"]
        item["into"] = into_record(c, "participants")
        item["accept"] = [{"participant": pid, "role": TODO, "evidence": [_ev(x, c.quote, c.start)]}
                          for pid in c.info["participants"] or [f"par-{TODO}"]]
        d["participants"].append(item)
    # New names: one candidate per distinct proposed id, with every mention listed.
    people: dict[str, list[Candidate]] = {}
    for c in x.section("new_participants"):
        people.setdefault(c.info["id"], []).append(c)
    for pid, cs in people.items():
        first = cs[0]
        info = first.info
        rec = {"id": pid, "name": info["name"], "kind": info["kind"]}
        if info.get("country"):
            rec["country"] = info["country"]
        if info.get("post"):
            rec["post"] = {"value": info["post"], "evidence": [_ev(x, first.quote, first.start)]}
        rec["evidence"] = [_ev(x, first.quote, first.start)]
        aliases = []
        for q in dict.fromkeys(c.quote for c in cs):
            c0 = next(c for c in cs if c.quote == q)
            al = {"alias": q, "src": x.source_id}
            occ = _occurrence(x.text, q, c0.start)
            if occ is not None:
                al["occurrence"] = occ
            aliases.append(al)
        rec["aliases"] = aliases
        d["new_participants"].append({
            "cand": cand("new_participants"), **_where(first), "mentions": [[c.start, c.end] for c in cs], "via": info["via"],
            "into": "build/participants.yaml", "accept": rec,
            # Once accepted, the new participant is linked to a record like any other.
            "link": {"participant": pid, "role": TODO, "evidence": [_ev(x, first.quote, first.start)]},
        })
    for c in x.section("places"):
        acc = {"place": {"value": c.info["place"], "evidence": [_ev(x, c.quote, c.start)]}}
        if c.info.get("country"):
            acc["country"] = c.info["country"]
        d["places"].append({"cand": cand("places"), **_where(c), "country": c.info.get("country"), "via": c.info["via"],
                            "into": into_record(c, "place"), "accept": acc})
    for key, cs in groups.items():
        c = cs[0]
        info = c.info
        table = info["table"]
        rid = rid_of[key]
        item = {"cand": cand("records"), **_where(c), "table": table, "mentions": [[k.start, k.end] for k in cs], "via": info["via"]}
        if info.get("record"):
            item["record"] = rid
            ref_key = "program" if table == "programs" else "meeting" if table == "meetings" else "agreement" if table == "agreements" else table.rstrip("s")
            other = next((rid_of[k] for k, ks in groups.items() if rid_of[k] != rid and groups[k][0].info["table"] in ("agreements", "meetings")
                          and any(k2.sentence == c.sentence for k2 in ks)), None)
            item["into"] = ({"record": other, "field": "programs"} if other and table == "programs"
                            else f"{table} already has {rid}: link it from a record ({ref_key}: or {table}:)")
            item["accept"] = {ref_key: rid, "evidence": [_ev(x, c.quote, c.start)]}
        else:
            item["suggest"] = {k: v for k, v in info.items() if k in ("kind", "type", "attribution", "name")}
            item["into"] = f"build/{table}.yaml"
            item["accept"] = _new_record(x, cs, table, rid, schemas.get(table), same, pid_of, prog_of)
        d["records"].append(item)
    for c in x.section("fields"):
        item = {"cand": cand("fields"), **_where(c), "cue": c.info["cue"], "suggest": c.info["suggest"]}
        (fname, value), = list(c.info["suggest"].items())[:1]
        if fname == "topic":
            item["into"] = into_record(c, "topics")
            item["accept"] = {"topic": value, "evidence": [_ev(x, c.quote, c.start)]}
        elif fname == "milestone":
            item["into"] = into_record(c, "milestones")
            item["accept"] = {"kind": value, "evidence": [_ev(x, c.quote, c.start)]}
        else:
            item["into"] = into_record(c, fname)
            item["accept"] = {fname: {"value": value, "evidence": [_ev(x, c.quote, c.start)]}}
        d["fields"].append(item)
    return d


# --- the command -------------------------------------------------------------------------------

class ExtractError(SpacecoopError):
    """One-line reason the extract cannot run."""


def find_source(root: Path, seed: str) -> tuple[str, str]:
    """(source_id, path relative to root) of a seed given by source id or by file path."""
    from .yamlfile import CurationError, load_yaml

    try:
        sources = load_yaml(root / "build" / "sources.yaml", "build/sources.yaml") or []
    except CurationError as e:
        raise ExtractError(str(e)) from None
    recs = [(str(r.get("id")), str(r.get("path"))) for r in sources if isinstance(r, dict)]
    if re.fullmatch(r"src-\d{3}", seed):
        for sid, rel in recs:
            if sid == seed:
                return sid, rel
        raise ExtractError(f"{seed}: no such source in build/sources.yaml")
    p = Path(seed)
    candidates = [p.resolve(), (root / p).resolve()]
    for sid, rel in recs:
        if (root / rel).resolve() in candidates:
            return sid, rel
    if not any(c.exists() for c in candidates):
        raise ExtractError(f"{seed}: no such file")
    raise ExtractError(f"{seed}: not a seed in build/sources.yaml; add it first: spacecoop add-seed {seed} --outlet ... --address ...")


def run_extract(root: Path, seed: str) -> tuple[Path, dict]:
    """Extract candidates from one seed into a new draft file; returns its path and the draft."""
    import hashlib

    from .article import ArticleError, read_article
    from .extract_rules import load_rules
    from .model import schemas_package
    from .yamlfile import CurationError
    from . import draftfile

    root = root.resolve()
    sid, rel = find_source(root, seed)
    seeds = (root / "seeds").resolve()
    if seeds not in (root / rel).resolve().parents:  # sources.yaml is input too: /etc/passwd, ../x
        from .safety import escape

        raise ExtractError(f"build/sources.yaml: {sid}: path {escape(repr(rel))} is not a file in seeds/; refused")
    try:
        art = read_article(root / rel)
        rules = load_rules(root)
    except (ArticleError, CurationError) as e:
        raise ExtractError(str(e)) from None
    x = extract(art.text, sid, rel, rules, Known.from_root(root))
    d = draft(x, schemas_package(root).schemas(), rules.files, hashlib.sha256(art.data).hexdigest())
    from .safety import escape

    text = draftfile.dumps(d, draftfile.HEADER.format(seed=escape(rel), source_id=escape(sid)))  # a comment stays one line
    drafts = root / "build" / "drafts"
    try:
        path = draftfile.write_new(drafts, Path(rel).stem, text)
    except OSError as e:
        raise ExtractError(f"cannot write a draft in {drafts}: {e.strerror or e}; "
                           f"make build/drafts a writable directory") from None
    return path, d
