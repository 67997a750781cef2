"""`spacecoop extract`: read one seed and propose candidates for a curator to confirm.

Rule-based and deterministic (the rules are build/extract/*.yaml). Every candidate carries its
quote and character offsets, and an `accept` block written in the format of build/*.yaml, so
accepting it is a copy, not a retyping. Placeholders are `TODO`, which the build refuses, so a
draft cannot slip into the data unedited.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SpacecoopError
from .model.ids import slug
from .extract_rules import Rules
from .sentences import Sentence, split
from .model import Schema

TODO = "TODO"
RECORD_FILES = {"agreement": ("agreements", "agr"), "meeting": ("meetings", "mtg"), "program": ("programs", "prg")}
_NAME_TOKEN = r"(?:[A-Z][\w’'.-]*[\w.]|[A-Z])"
_CONNECTORS = r"(?:of|on|for|the|de|del|la)"  # not "and": "Kestrania and Marvonia" are two names
# A capitalized run: tokens, allowing lower-case connectors between capitalized tokens, and a
# trailing acronym in brackets: "International Lunar Research Station (ILRS)".
_CAP_RUN = re.compile(rf"(?<![\w’']){_NAME_TOKEN}(?:(?: {_CONNECTORS})* {_NAME_TOKEN})*(?: \([A-Z][A-Za-z]+\))?")


@dataclass
class Known:
    """Participants already in the dataset (data/participants.csv, data/participant_aliases.csv)."""

    names: dict[str, str] = field(default_factory=dict)  # name or alias -> participant_id
    ids: set[str] = field(default_factory=set)

    @classmethod
    def from_data(cls, root: Path) -> "Known":
        k = cls()
        for fname, col in (("participants.csv", "name"), ("participant_aliases.csv", "alias")):
            p = root / "data" / fname
            if not p.is_file():
                continue
            with open(p, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    pid, name = row.get("participant_id"), row.get(col)
                    if pid and name:
                        k.ids.add(pid)
                        k.names.setdefault(name, pid)
        return k


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


def _word_rx(phrases) -> re.Pattern | None:
    phrases = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    if not phrases:
        return None
    return re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")  # a possessive ’s may follow


class _Spans:
    """Character spans already claimed by an entity candidate (entities never overlap)."""

    def __init__(self):
        self.taken: list[tuple[int, int]] = []

    def free(self, a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in self.taken)

    def take(self, a: int, b: int) -> None:
        self.taken.append((a, b))


def extract(text: str, source_id: str, path: str, rules: Rules, known: Known) -> Extraction:
    sentences = split(text, rules.abbreviations)
    out: list[Candidate] = []
    for s in sentences:
        out += _dates(s, rules)
        out += _entities(s, rules, known)
        out += _cues(s, rules)
    _resolve_groups(out)
    out.sort(key=lambda c: (c.start, c.end, c.section))
    return Extraction(source_id, path, text, sentences, out)


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
            value = _date_value(m, pat.precision, rules.months)
            if value is None:
                continue
            spans.take(a, b)
            info = {"value": value, "precision": pat.precision, "pattern": pat.name,
                    "year_unknown": pat.precision == "month_no_year"}
            if pat.note:
                info["note"] = pat.note
            elif pat.precision == "month_no_year":
                info["note"] = "the seed gives no year; keep XXXX unless a reference gives it (then basis: reference)"
            found.append(Candidate("dates", a, b, m.group(0), s.n, info))
    return found


def _date_value(m: re.Match, precision: str, months: tuple[str, ...]) -> str | None:
    g = m.groupdict()
    month = g.get("month")
    mm = None
    if month:
        mm = int(month) if month.isdigit() else months.index(month) + 1
        if not 1 <= mm <= 12:
            return None
    try:
        if precision == "day":
            from datetime import date
            return date(int(g["year"]), mm, int(g["day"])).isoformat()
        if precision == "day_range":
            from datetime import date
            a = date(int(g["year"]), mm, int(g["day"]))
            b = date(int(g["year"]), mm, int(g["day2"]))
            return f"{a.isoformat()}/{b.isoformat()}" if b > a else None
    except (ValueError, TypeError):
        return None
    if precision == "month":
        return f"{int(g['year']):04d}-{mm:02d}"
    if precision == "year":
        return g["year"]
    if precision == "month_no_year":
        return f"XXXX-{mm:02d}"
    return ""  # unknown: a relative expression has no value of its own


# --- participants, names and places ------------------------------------------------------------

def _entities(s: Sentence, rules: Rules, known: Known) -> list[Candidate]:
    out: list[Candidate] = []
    spans = _Spans()
    t = s.text

    def claim(m_start: int, m_end: int) -> tuple[int, int] | None:
        a, b = s.start + m_start, s.start + m_end
        if not spans.free(a, b):
            return None
        spans.take(a, b)
        return a, b

    def mention(a, b, ids, via):
        ids = [i for i in ids]
        out.append(Candidate("participants", a, b, t[a - s.start:b - s.start], s.n, {"participants": ids, "via": via}))

    def new(a, b, proposal: dict, via: str):
        pid = proposal["id"]
        if pid in known.ids:  # the gazetteer names someone already in the dataset
            mention(a, b, [pid], f"gazetteer {via}")
        else:
            out.append(Candidate("new_participants", a, b, t[a - s.start:b - s.start], s.n, {**proposal, "via": via}))

    for g in rules.groups:
        for m in g.regex.finditer(t):
            if (ab := claim(m.start(), m.end())):
                mention(*ab, list(g.participants), "group" if g.explicit else "group phrase")
    rx = _word_rx(known.names)
    if rx:
        for m in rx.finditer(t):
            if (ab := claim(m.start(), m.end())):
                mention(*ab, [known.names[m.group(0)]], "name or alias in data/")
    for body_rx, kind in rules.bodies:
        for m in body_rx.finditer(t):
            name = re.sub(r"^the ", "", m.group(0))
            if (ab := claim(m.start() + (m.end() - m.start() - len(name)), m.end())):
                new(*ab, {"id": "par-" + slug(name), "name": name, "kind": kind}, "gazetteer bodies")
    if rules.person_titles:
        demonym = "|".join(re.escape(d) for d in sorted(rules.demonyms, key=len, reverse=True))
        titles = "|".join(re.escape(x) for x in sorted(rules.person_titles, key=len, reverse=True))
        prx = re.compile(rf"(?:(?:{demonym}) )?(?:{titles}) ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+){{1,2}})\b")
        for m in prx.finditer(t):
            if (ab := claim(m.start(), m.end())):
                name = m.group(1)
                title = m.group(0)[: m.start(1) - m.start()].strip()
                new(*ab, {"id": "par-" + slug(name), "name": name, "kind": "person", "post": title}, "gazetteer person_titles")
    crx = _word_rx(rules.countries)
    if crx:
        for m in crx.finditer(t):
            if (ab := claim(m.start(), m.end())):
                code = rules.countries[m.group(0)]
                new(*ab, {"id": f"par-{code.lower()}", "name": rules.country_names[code], "kind": "state", "country": code}, "gazetteer countries")
    drx = _word_rx(rules.demonyms)
    if drx:
        for m in drx.finditer(t):
            code = rules.demonyms[m.group(0)]
            pid = f"par-{code.lower()}"
            if pid in known.ids and (ab := claim(m.start(), m.end())):
                mention(*ab, [pid], "gazetteer demonyms")
    plx = _word_rx(rules.places)
    if plx:
        for m in plx.finditer(t):
            if (ab := claim(m.start(), m.end())):
                out.append(Candidate("places", *ab, m.group(0), s.n, {"place": m.group(0)}))
    for m in _CAP_RUN.finditer(t):
        a, b, name = m.start(), m.end(), m.group(0)
        # Drop leading words that are not names (sentence openers, "The"), and a trailing stop.
        words = name.split(" ")
        while words and words[0].rstrip(",.") in rules.not_names:
            a += len(words[0]) + 1
            words = words[1:]
        name = " ".join(words).rstrip(".") if not re.search(r"\b[A-Z]\.$", " ".join(words)) else " ".join(words)
        if not name or name in rules.not_names or name in rules.months:
            continue
        b = a + len(name)
        if not spans.free(s.start + a, s.start + b):
            continue
        spans.take(s.start + a, s.start + b)
        kind = TODO
        if any(w.strip("()") in rules.org_words for w in name.split()):
            kind = "international_body" if name.startswith(rules.international_prefixes) else "government_body"
        new(s.start + a, s.start + b, {"id": "par-" + slug(name), "name": name, "kind": kind}, "capitalized name")
    return out


# --- cue phrases -------------------------------------------------------------------------------

def _cues(s: Sentence, rules: Rules) -> list[Candidate]:
    out = []
    seen: set[tuple[int, int, str]] = set()
    for cue in rules.cues:
        for m in cue.regex.finditer(s.text):
            a, b = s.start + m.start(), s.start + m.end()
            key = (a, b, cue.group)
            if key in seen:
                continue
            seen.add(key)
            section = "records" if cue.group in RECORD_FILES and "kind" in cue.suggest else "fields"
            out.append(Candidate(section, a, b, m.group(0), s.n, {"cue": cue.group, "suggest": dict(cue.suggest)}))
    return out


# --- the draft -----------------------------------------------------------------------------------

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


def _record_skeleton(x: Extraction, c: Candidate, schema: Schema, prefix: str) -> dict:
    s = x.sentences[c.sentence - 1]
    rec: dict = {"id": f"{prefix}-{TODO}"}
    title_like = {"title", "name", "label"}
    for f in schema.fields:
        if not f.required or f.name == schema.primary_key[0]:
            continue
        if f.name in c.info["suggest"]:
            rec[f.name] = {"value": c.info["suggest"][f.name], "evidence": [_ev(x, c.quote, c.start)]}
        elif f.name in title_like:
            rec[f.name] = {"value": TODO, "evidence": [_ev(x, c.quote, c.start)]}
        else:
            rec[f.name] = TODO
    rec["evidence"] = [_ev(x, s.text, s.start)]
    return rec


def draft(x: Extraction, schemas: dict[str, Schema], rules_files: dict[str, str], sha256: str) -> dict:
    """The draft as plain data (what the YAML file holds)."""
    d: dict = {
        "draft": {
            "seed": x.path, "source_id": x.source_id, "sha256": sha256, "characters": len(x.text),
            "rules": sorted(rules_files.values()),
            "status": "draft: nothing here is data until a curator copies an accept block into build/",
        },
        "sentences": [{"n": s.n, "start": s.start, "end": s.end, "text": s.text} for s in x.sentences],
        "dates": [], "participants": [], "new_participants": [], "places": [], "records": [], "fields": [],
    }
    for c in x.section("dates"):
        item = {**_where(c), "value": c.info["value"], "precision": c.info["precision"],
                "year_unknown": c.info["year_unknown"], "pattern": c.info["pattern"]}
        if "note" in c.info:
            item["note"] = c.info["note"]
        if c.info["precision"] != "unknown":
            item["into"] = "a date field of a record (signed, ratified, adopted, date, start)"
            item["accept"] = {"value": c.info["value"], "precision": c.info["precision"], "basis": "stated",
                              "evidence": [_ev(x, c.quote, c.start)]}
        d["dates"].append(item)
    for c in x.section("participants"):
        item = {**_where(c), "participants": c.info["participants"], "via": c.info["via"]}
        if "note" in c.info:
            item["note"] = c.info["note"]
        item["into"] = "participants: of a meeting, agreement or program record (choose each role)"
        item["accept"] = [{"participant": pid, "role": TODO, "evidence": [_ev(x, c.quote, c.start)]}
                          for pid in c.info["participants"] or [f"par-{TODO}"]]
        d["participants"].append(item)
    # New names: one candidate per distinct proposed id, with every mention listed.
    groups: dict[str, list[Candidate]] = {}
    for c in x.section("new_participants"):
        groups.setdefault(c.info["id"], []).append(c)
    for pid, cs in groups.items():
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
            **_where(first), "mentions": [[c.start, c.end] for c in cs], "via": info["via"],
            "into": "build/participants.yaml", "accept": rec,
            # Once accepted, the new participant is linked to a record like any other.
            "link": {"participant": pid, "role": TODO, "evidence": [_ev(x, first.quote, first.start)]},
        })
    for c in x.section("places"):
        d["places"].append({**_where(c), "into": "place: of a meeting record",
                            "accept": {"place": {"value": c.info["place"], "evidence": [_ev(x, c.quote, c.start)]}}})
    # Record cues: one candidate per sentence and kind of record, listing every cue in it.
    by_sentence: dict[tuple[int, str], list[Candidate]] = {}
    for c in x.section("records"):
        by_sentence.setdefault((c.sentence, c.info["cue"]), []).append(c)
    for (_, cue), cs in by_sentence.items():
        table, prefix = RECORD_FILES[cue]
        c = cs[0]
        d["records"].append({**_where(c), "cue": cue, "cues": [[k.quote, k.start, k.end] for k in cs],
                             "suggest": c.info["suggest"], "into": f"build/{table}.yaml",
                             "accept": _record_skeleton(x, c, schemas[table], prefix)})
    for c in x.section("fields"):
        item = {**_where(c), "cue": c.info["cue"], "suggest": c.info["suggest"]}
        if c.info["suggest"]:
            (fname, value), = list(c.info["suggest"].items())[:1]
            if fname == "topic":
                item["into"] = "topics: of a meeting record"
                item["accept"] = {"topic": value, "evidence": [_ev(x, c.quote, c.start)]}
            else:
                item["into"] = f"{fname}: of a record"
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
    try:
        art = read_article(root / rel)
        rules = load_rules(root)
    except (ArticleError, CurationError) as e:
        raise ExtractError(str(e)) from None
    x = extract(art.text, sid, rel, rules, Known.from_data(root))
    d = draft(x, schemas_package(root).schemas(), rules.files, hashlib.sha256(art.data).hexdigest())
    text = draftfile.dumps(d, draftfile.HEADER.format(seed=rel, source_id=sid))
    drafts = root / "build" / "drafts"
    try:
        path = draftfile.write_new(drafts, Path(rel).stem, text)
    except OSError as e:
        raise ExtractError(f"cannot write a draft in {drafts}: {e.strerror or e}; "
                           f"make build/drafts a writable directory") from None
    return path, d
