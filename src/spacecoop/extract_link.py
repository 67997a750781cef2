"""How `spacecoop extract` recognises a thing already in build/ when an article names it another way.

- Name forms: a name matches with either apostrophe (’ or '), a hyphen or en dash written as a
  space, and an initialism with or without stops (UN / U.N.).
- Paraphrases: a mention around a program, instrument or meeting cue links to an existing record
  of a table (and kind) that fits the cue when their content words overlap enough (see similar()).
- Capitals standing for their state ("Washington has argued", "Moscow and Beijing signed").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

APOSTROPHES = "’'‘"
# Words that say nothing about which record is meant, and forms that mean the same.
STOP = frozenset("a an the of on in at to for with by from and or its their his her each other s both two new joint "
                 "china russia chinese russian sino china-russia russia-china space outer first this that these those shared "
                 "understanding between about as is are was were be will would could which who dedicated concerning "
                 "build building establish create under also has have had it said says "
                 "more most very closely further jointly "  # degree adverbs: "coordinate more closely"
                 "being into out keep "  # "keep outer space from being turned into ..."
                 "he she we they him them together last next ago year years month months".split())  # pronouns and times say nothing
SAME = {"mou": "memorandum", "mous": "memorandum", "memoranda": "memorandum", "centre": "center", "centres": "center",
        "lunar": "moon", "stations": "station", "agreements": "agreement", "programme": "program", "programmes": "program",
        "consultations": "consultation", "talks": "consultation", "systems": "system", "units": "unit", "plants": "plant",
        "bases": "base", "reactors": "reactor", "commissions": "commission", "missions": "mission", "visits": "visit",
        "protecting": "protection", "navigational": "navigation", "putin's": "putin", "countries": "country",
        "territories": "territory", "sessions": "session", "meetings": "meeting", "statements": "statement",
        "protocols": "protocol", "declarations": "declaration", "communiques": "communique", "communiqué": "communique",
        "communiqués": "communique", "trip": "visit", "trips": "visit", "round": "consultation",
        "rounds": "consultation", "explore": "exploration", "exploring": "exploration", "explored": "exploration"}


# Words most records here share ("lunar", "international"): they do not tell one from another.
WEAK = frozenset("moon mars earth orbit orbital international cooperation program project deep exploration".split())
MONTHS = ("january february march april may june july august september october november december").split()


def fold(s: str) -> str:
    """A name as compared: one apostrophe, dashes as spaces, no stops in initialisms, lower case."""
    s = re.sub(f"[{APOSTROPHES}]", "'", s)
    s = re.sub(r"\b((?:[A-Za-z]\.){2,})", lambda m: m.group(1).replace(".", ""), s)
    s = re.sub(r"(?<=\w)[-–—](?=\w)", " ", s)
    return " ".join(s.split()).lower()


def name_variants(name: str) -> set[str]:
    """The ways an article may write name: either apostrophe, UN or U.N., a hyphen or a space."""
    out = {name}
    for v in list(out):
        out |= {re.sub(f"[{APOSTROPHES}]", "'", v), re.sub(f"[{APOSTROPHES}]", "’", v)}
    for v in list(out):
        out.add(re.sub(r"\b((?:[A-Z]\.){2,})", lambda m: m.group(1).replace(".", ""), v))
        out.add(re.sub(r"\b([A-Z]{2})\b(?!\.)", lambda m: ".".join(m.group(1)) + ".", v))
    for v in list(out):
        out.add(re.sub(r"(?<=[a-z])[-–](?=[a-z])", " ", v))
        out.add(v.replace("–", "-"))
    return out


@dataclass
class Knowledge:
    """build/extract/knowledge.yaml: what a head noun stands for ("plant": station), words that mean
    a record's word ("territory": country), phrases that mean one word ("each other's":
    reciprocal), and named systems with what they are ("BeiDou": satellite navigation)."""

    heads: dict[str, list[str]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    phrases: dict[str, str] = field(default_factory=dict)
    systems: dict[str, str] = field(default_factory=dict)
    generic: frozenset = frozenset()  # words that say only what kind of record it is ("agreement")
    defining: frozenset = frozenset()  # a record whose name has one links only to a phrase with it
    distinct: frozenset = frozenset()  # well-known other things ("International Space Station"), folded

    @classmethod
    def from_data(cls, data) -> "Knowledge":
        data = data if isinstance(data, dict) else {}

        def table(key, as_list=True):
            v = data.get(key) or {}
            if not isinstance(v, dict):
                return {}
            out = {}
            for k, w in v.items():
                if as_list:
                    out[str(k).lower()] = [str(x).lower() for x in (w if isinstance(w, list) else [w])]
                else:
                    out[str(k)] = str(w).lower()
            return out
        def words(key):
            v = data.get(key) if isinstance(data.get(key), list) else []
            return frozenset(w for g in v for w in content_words(str(g)))
        dis = data.get("distinct") if isinstance(data.get("distinct"), list) else []
        return cls(table("heads"), table("words"), {k.lower(): v for k, v in table("phrases", False).items()},
                   table("systems", False), words("generic"), words("defining"), frozenset(fold(str(d)) for d in dis))

    def system_words(self, name: str) -> list[str]:
        """What a named system says ("BeiDou": satellite, navigation), or []."""
        low = {k.lower(): v for k, v in self.systems.items()}
        return low.get(name.lower(), "").split()


def _all_stop(w: str) -> bool:
    """A compound of stop words only ("sino-russian", "russia-china") says no more than they do."""
    parts = re.split(r"[–-]", w)
    if len(parts) > 1 and all(p in STOP or not p for p in parts):
        return True
    # A stop verb's -ing form says no more than the verb ("keeping weapons out of orbit").
    return w.endswith("ing") and (w[:-3] in STOP or w[:-3] + "e" in STOP)


_ATE = re.compile(r"([a-z]{4,}at)(?:e|es|ed|ing)")


def _noun_of(w: str) -> str:
    """A verb in -ate as its noun in -ation, as records are named: "coordinate" is "coordination",
    "integrating" is "integration" (four letters before -ate at least: "state" stays)."""
    m = _ATE.fullmatch(w)
    return m.group(1) + "ion" if m else w


def content_words(text: str, kn: Knowledge | None = None) -> list[str]:
    """The words of text that may tell one record from another, in one form each; with kn, a head
    noun, a synonym, a phrase or a named system is replaced by the words it stands for."""
    text = re.sub(f"[{APOSTROPHES}]", "'", text.lower())
    if kn:
        for ph, w in sorted(kn.phrases.items(), key=lambda x: -len(x[0])):
            ph = re.escape(re.sub(f"[{APOSTROPHES}]", "'", ph))
            text = re.sub(rf"(?<![\w']){ph}(?![\w'])", f" {w} ", text)
    words = [w.strip("'") for w in re.findall(r"[a-z0-9][a-z0-9'–-]*", text)]
    parts = []
    for w in words:
        parts += [w] + (re.split(r"[–-]", w) if re.search(r"[–-]", w) else [])
    words = [SAME.get(w, w.removesuffix("'s")) for w in parts]
    words = [_noun_of(SAME.get(w, w)) for w in words if w and w not in STOP and not _all_stop(w)]
    if not kn:
        return words
    out = []
    for w in words:
        sys_words = kn.system_words(w)
        out += sys_words or kn.heads.get(w) or kn.words.get(w) or [w]
    return [SAME.get(w, w) for w in out]


def similar(phrase: str, tables: tuple[str, ...], known, heads: dict[str, str], cue_kind: str | None = None,
            only: set[str] | None = None, loose: bool = False, name: str = "") -> tuple[str, str] | None:
    """The existing record of tables whose names share most content words with phrase, or None.

    Links when (a) three or more words are shared, or both words of a two-word phrase, and they are
    two thirds of the shorter side (the older rule); or (b) the heads agree -- the same head noun
    class ("plant" and "station" are both facilities), or the instrument or meeting kind of the cue
    -- and two more content words are shared (one when loose: a definite mention of a record the
    article has already named). heads maps a head noun to its class (build/extract/cues.yaml).
    only: the record ids to consider (None: all). name: the mention itself; a proper name in it
    that the record lacks blocks any link ("Harbin Lunar Power Unit" is not the power station)."""
    kn = getattr(known, "knowledge", None)
    words = set(content_words(phrase, kn))
    # Proper names in the phrase ("Harbin Lunar Power Unit"): a record that lacks one is another
    # thing. A named system ("BeiDou") is no such name: it stands for the words it carries.
    proper = set()
    for tok in re.findall(r"\b[A-Z][\w’'–-]*", phrase):
        parts = re.split(r"[–-]", tok)
        if kn and any(kn.system_words(p) for p in parts):
            proper |= {w for p in parts if not kn.system_words(p) for w in content_words(p)[:1]}
        else:
            proper |= set(content_words(tok)[:1])
    proper = {x for w in proper for x in content_words(w, kn)} if kn else proper
    own = {x for tok in re.findall(r"\b[A-Z][\w’'–-]*", name) for w in content_words(tok)[:1] for x in content_words(w, kn)
           if not (kn and kn.system_words(tok))}
    phrase_heads = {heads[w] for w in words if w in heads}
    defining = kn.defining if kn else frozenset()
    said = {x for tok in re.findall(r"[\w’'-]+", phrase) for x in content_words(tok, kn) if x == tok.lower()}  # not carried by a head ("reactor": power)
    best, best_key = None, (0, 0.0)
    for rid, (table, rw) in known.record_words.items():
        if table not in tables or not rw or (only is not None and rid not in only) or rw & defining - words:
            continue
        shared = words & rw
        n = len(shared)
        ok = n >= 3 or (n == 2 and words <= rw)
        ok = ok and n / min(len(words), len(rw)) >= 2 / 3
        kind = known.record_kinds.get(rid)
        rec_heads = {heads[w] for w in rw if w in heads}
        head_fit = bool(phrase_heads & rec_heads) or (cue_kind is not None and kind == cue_kind) \
            or (cue_kind == "agreement" and table == "agreements")
        rest = {w for w in shared if w not in heads and w != (cue_kind or "")}
        if cue_kind and kind and kind != cue_kind and cue_kind != "agreement" and table != "meetings":
            ok = head_fit = False  # a memorandum is not the joint statement
        ctx = known.context_words.get(rid, frozenset())
        rest |= {w for w in words & ctx if w not in heads}
        # A defining word the phrase says itself counts for two: it alone says which record ("monitoring
        # stations that each country hosts for the other" are the reciprocal ground stations).
        if not ok and head_fit and len(rest - WEAK) + (0 if loose else len(rest & defining & said)) >= (1 if loose else 2) and proper <= rw | ctx | set(MONTHS):
            ok = True
        years = {w for w in words if re.fullmatch(r"(?:19|20)\d\d", w)}
        rec_years = {w for w in rw | ctx if re.fullmatch(r"(?:19|20)\d\d", w)}
        if ok and years and rec_years and not years & rec_years and (cue_kind or table != "programs"):
            ok = False  # "the 2019 memorandum" is not the 2014 one
        if ok and not own <= rw | ctx | set(MONTHS):
            ok = False  # the mention's own proper name, which the record lacks
        if ok and (n, n / max(len(rw), 1)) > best_key:
            best, best_key = (table, rid), (n, n / max(len(rw), 1))
    return best


# Words after a capital that do not make it a noun's modifier ("Moscow will", "Beijing and").
NOT_ATTRIBUTIVE = frozenset("and or but nor to in on at for of as by from with into over than that which who whom "
                             "will would could can may might must should shall did do does has have had is was "
                             "are were be been being not also still now then too alone itself "
                             # irregular past tenses and adverbs: "Moscow and Beijing began", "first discussed"
                             "began begun made took gave sent built set put held kept led met saw won told found brought "
                             "bought sold ran grew became came went got chose drew spent paid lost left sought struck "
                             "ever never first already again long once jointly just only soon even "
                             # determiners: "could give Beijing and Moscow a foothold" (an object, not a qualifier)
                             "a an the this these those its their his her our some any no every each another".split())


def capital_as_state(t: str, a: int, b: int) -> bool:
    """Whether the capital at t[a:b] stands for its state: a sentence subject, a possessive, or one
    side of "X and Y" -- not after "in", "at", "to", "from", "near" (a place)."""
    before, after = t[:a], t[b:]
    after = re.sub(r"^,\s+(?:which|who)\b[^,;.]*,", "", after)  # "Washington, which leads the Accords, has ..."
    if re.match(r"[-–]\w", after) or re.search(r"\b(?:in|at|near)\s+$", before, re.I):
        return False  # "Beijing-based", "in Moscow"
    if re.match(r"[’']s\b", after):
        return True  # "Washington's Artemis program"
    if re.search(r"\b(?:to|from|of|via|across|around|inside|outside)\s+$", before, re.I):
        return False
    if re.search(r"\b(?:in|at|near|to|from|between)\s+[A-Z][\w ]*?\s+and\s+$", before) and not re.search(r"\bbetween\s+[A-Z][\w ]*?\s+and\s+$", before):
        return False  # "sessions in Beijing and Moscow"
    attr = re.match(r"\s+([a-z]+)\b", after)
    if attr and attr.group(1) not in NOT_ATTRIBUTIVE and not re.search(r"(?:s|ed|ly)$", attr.group(1)):
        return False  # "Moscow instrument maker Orbita-Pribor": the city qualifies a noun, a place
    if re.match(r"\s+and\s+[A-Z]", after) or re.search(r"\b(?:and|between|by|with|on|upon|against|toward|towards)\s+$", before):  # "ties with Beijing", "leaning on Beijing"
        return True
    verbs = r"(?:has|have|had|is|was|will|would|said|says|say|signed|argued|argues|wants|sees|insists|accused|rejected|" \
            r"welcomed|opposed|denied|responded|announced|agreed|plans|hopes|views|regards|warned|called|urged|confirmed|feared|fears|believes|expects|runs|leads|leases|operates|hosts|hosted|controls|" \
            r"does|did|may|might|could|can|remains|continues|needs|need|must|should|lacks|seeks|intends|pays|funds|has long)\b"
    at_start = not before.strip() or re.search(r"(?:^|[.;:!?\"“]\s*|,\s*(?:but|and|while)\s+|\b(?:that|while|but|as|said|says|say|and|whether|if|because|since|although|though|unless|[Hh]ow much|[Hh]ow|[Ww]hy|[Ww]hen)\s+|\bthe [a-z]+\s+)$", before)  # "the project Beijing runs"
    adverb = r"(?:\w+ly|first|already|also|still|now|once|never|jointly|just|only|soon|even|again|long)"
    return bool(at_start and re.match(rf"\s+(?:{adverb}\s+)?(?:{verbs}|[a-z]+ed\b)", after))  # "that Moscow first floated"
