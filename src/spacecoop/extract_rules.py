"""The extractor's rules, read from build/extract/*.yaml (data a curator can read and extend).

Every problem in a rules file is a CurationError naming file:line, like the curation files.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .yamlfile import CurationError, load_yaml

RULE_FILES = ("sentences", "dates", "cues", "gazetteer")
FIELD_GROUPS = ("status", "level", "topic", "domain")
# Record cue groups in build/extract/cues.yaml -> (table, id prefix).
RECORD_GROUPS = {"instruments": ("agreements", "agr"), "meetings": ("meetings", "mtg"),
                 "outcomes": ("outcomes", "out"), "claims": ("claims", "clm")}


def _precisions(root: Path) -> tuple[str, ...]:
    """The date precision vocabulary: that of the first `*_precision` field in the Table Schemas
    under root (every date group shares it; the schemas are the one place for a vocabulary)."""
    from .model import schemas_package

    for s in schemas_package(root).schemas().values():
        for f in s.fields:
            if f.name.endswith("_precision") and f.enum:
                return f.enum
    return ()


@dataclass(frozen=True)
class DatePattern:
    name: str
    regex: re.Pattern
    precision: str
    note: str | None
    relative: bool = False
    anchor: str | None = None


@dataclass(frozen=True)
class Cue:
    group: str  # instruments, meetings, outcomes, claims, milestones, status, level, topic, domain
    regex: re.Pattern
    suggest: dict  # kind/type/attribution of a record cue; {field: value} of a field cue
    definite: bool = False  # a later "the <cue>" refers back to the same record
    link_only: bool = False  # an outcome cue that only links to an outcome in build/ ("the pledge ... to X")


@dataclass(frozen=True)
class Group:
    regex: re.Pattern
    participants: tuple[str, ...]
    explicit: bool  # the phrase names each participant ("Russia and China")


@dataclass
class Rules:
    abbreviations: frozenset[str]
    months: tuple[str, ...]
    month_numbers: dict[str, int]  # full names and abbreviations -> 1..12
    date_patterns: list[DatePattern]
    cues: list[Cue]
    groups: list[Group]
    countries: dict[str, str]  # name -> ISO alpha-3
    country_names: dict[str, str]  # ISO alpha-3 -> usual name
    demonyms: dict[str, str]  # word -> ISO alpha-3
    bodies: list[tuple[re.Pattern, str]]
    org_words: frozenset[str]
    international_prefixes: tuple[str, ...]
    person_titles: tuple[str, ...]
    places: dict[str, str | None]  # name -> ISO alpha-3 (None when unknown)
    not_names: frozenset[str]
    program_nouns: dict[str, str] = field(default_factory=dict)  # noun -> programs.kind
    framework_nouns: tuple[str, ...] = ()
    named_programs: tuple[str, ...] = ()
    celestial: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # continents and wide regions: never participants nor places
    person_nouns: tuple[str, ...] = ()  # "X, a senior fellow at ...": X is a person
    company_words: tuple[str, ...] = ()  # a body's last word that makes it a company ("Neva Capital")
    employer_cues: tuple[str, ...] = ()  # "an analyst at Y", "the space sector at Y": Y is an employer
    org_nouns: tuple[str, ...] = ()  # "Atomkosmos, a Russian nuclear engineering firm": a body
    place_nouns: tuple[str, ...] = ()  # "its Hartebeesthoek site": the name before one is a place
    site_names: tuple[str, ...] = ()  # "Sverdlovsk Region", "Jiuquan Satellite Launch Center": a place
    vehicle_words: tuple[str, ...] = ()  # "a Soyuz-2.1b rocket": the designation is a vehicle
    place_cues: tuple[str, ...] = ()
    program_modifiers: tuple[str, ...] = ()  # capitalized words that may modify a program noun: "a joint Moon base"
    program_context: tuple[str, ...] = ()  # words after a lower-case program name: "satellite navigation cooperation"
    mission_words: tuple[str, ...] = ()  # a capitalized name ending in one is a program, not a participant
    event_words: tuple[str, ...] = ()  # a capitalized name ending in one is a meeting, not a participant
    capitals: frozenset[str] = frozenset()  # places that may stand for their state ("Washington says")
    adjectives: tuple[str, ...] = ()  # capitalized adjectives that are never names ("African", "Uzbek")
    files: dict[str, str] = field(default_factory=dict)  # name -> display path


def rules_dir(root: Path) -> Path:
    return root / "build" / "extract"


def _load(root: Path, name: str):
    p = rules_dir(root) / f"{name}.yaml"
    disp = f"build/extract/{name}.yaml"
    if not os.path.lexists(p):  # anything else there is refused by load_yaml, in one line
        raise CurationError(disp, None, "rules file is missing; restore it from git (git checkout -- build/extract)")
    data = load_yaml(p, disp)
    if not isinstance(data, dict):
        raise CurationError(disp, getattr(data, "line", 1), "must be a mapping of rule lists")
    return data, disp


def _list(data, key: str, disp: str, required: bool = True) -> list:
    v = data.get(key)
    if v is None and not required:
        return []
    if not isinstance(v, list):
        raise CurationError(disp, data.line_of(key) if hasattr(data, "line_of") else None, f"{key} must be a list")
    return v


def _words(data, key: str, disp: str, required: bool = True) -> tuple[str, ...]:
    """A list of words. YAML reads a bare On, No, Yes or Off as a boolean, and 1 as a number: such an
    item is refused in one line rather than matched as "True" or "1"."""
    out = []
    for w in _list(data, key, disp, required):
        if not isinstance(w, str):
            line = data.line_of(key) if hasattr(data, "line_of") else None
            raise CurationError(disp, line, f"{key}: an item is read as {type(w).__name__} {w!r}, not a word; quote it")
        out.append(w)
    return tuple(out)


def _rx(pattern, disp: str, line, flags: int = 0) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise CurationError(disp, line, "a rule needs a non-empty regex string")
    try:
        return re.compile(pattern, flags)
    except re.error as e:
        raise CurationError(disp, line, f"bad regex {pattern!r}: {e}") from None


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def load_rules(root: Path) -> Rules:
    """All extractor rules under root/build/extract; CurationError on the first bad rule."""
    sent, sent_disp = _load(root, "sentences")
    abbreviations = frozenset(_words(sent, "abbreviations", sent_disp))

    dts, dts_disp = _load(root, "dates")
    months = _words(dts, "months", dts_disp)
    if len(months) != 12:
        raise CurationError(dts_disp, dts.line_of("months"), "months must list the 12 month names, January first")
    month_numbers = {m: i + 1 for i, m in enumerate(months)}
    abbr = dts.get("month_abbreviations") or {}
    if not isinstance(abbr, dict) or not all(isinstance(v, int) and 1 <= v <= 12 for v in abbr.values()):
        raise CurationError(dts_disp, dts.line_of("month_abbreviations"), "month_abbreviations must map an abbreviation to a month number (Sept.: 9)")
    month_numbers.update({str(k): v for k, v in abbr.items()})
    patterns = []
    precisions = _precisions(root)  # the schemas are read once, not per pattern
    for item in _list(dts, "patterns", dts_disp):
        line = getattr(item, "line", None)
        if not isinstance(item, dict) or not {"name", "regex", "precision"} <= set(item):
            raise CurationError(dts_disp, line, "each date pattern needs name, regex and precision")
        if item["precision"] not in precisions:
            raise CurationError(dts_disp, line, f"precision {item['precision']!r} is not one of {', '.join(precisions)}")
        src = str(item["regex"]).replace("{month}", f"(?:{_alt(month_numbers)})")
        patterns.append(DatePattern(str(item["name"]), _rx(src, dts_disp, line), item["precision"], item.get("note"),
                                    bool(item.get("relative")), item.get("anchor")))

    cue_data, cue_disp = _load(root, "cues")
    cues = []
    for group in (*RECORD_GROUPS, "milestones", *FIELD_GROUPS):
        for item in _list(cue_data, group, cue_disp, required=False):
            line = getattr(item, "line", None)
            if not isinstance(item, dict) or "cue" not in item:
                raise CurationError(cue_disp, line, "each cue needs cue: a regex")
            if group in FIELD_GROUPS:
                suggest = item.get("suggest") or {}
                if not isinstance(suggest, dict):
                    raise CurationError(cue_disp, line, "suggest must be a mapping like {status: signed}")
            else:
                suggest = {k: str(item[k]) for k in ("kind", "type", "attribution") if item.get(k) is not None}
                if group in ("instruments", "meetings", "milestones") and "kind" not in suggest:
                    raise CurationError(cue_disp, line, f"each cue in {group} needs kind:")
                if group == "claims" and "type" not in suggest:
                    raise CurationError(cue_disp, line, "each claim cue needs type: (assessment, motive, effect, forecast, caveat)")
            flags = 0 if item.get("case") else re.IGNORECASE
            cues.append(Cue(group, _rx(rf"\b(?:{item['cue']})\b", cue_disp, line, flags), dict(suggest), bool(item.get("definite")),
                            bool(item.get("link_only"))))
    program_nouns = {}
    for item in _list(cue_data, "program_nouns", cue_disp, required=False):
        if not isinstance(item, dict) or "noun" not in item or "kind" not in item:
            raise CurationError(cue_disp, getattr(item, "line", None), "each program noun needs noun and kind")
        program_nouns[str(item["noun"]).lower()] = str(item["kind"])
    framework_nouns = _words(cue_data, "framework_nouns", cue_disp, required=False)

    gaz, gaz_disp = _load(root, "gazetteer")
    groups = []
    for item in _list(gaz, "groups", gaz_disp):
        line = getattr(item, "line", None)
        if not isinstance(item, dict) or not isinstance(item.get("participants"), list):
            raise CurationError(gaz_disp, line, "each group needs phrase and participants: [par-..., ...]")
        groups.append(Group(_rx(rf"\b(?:{item.get('phrase')})\b", gaz_disp, line), tuple(item["participants"]), bool(item.get("explicit"))))
    countries, country_names = {}, {}
    for item in _list(gaz, "countries", gaz_disp):
        line = getattr(item, "line", None)
        code, names = (item.get("code"), item.get("names")) if isinstance(item, dict) else (None, None)
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code) or not isinstance(names, list) or not names:
            raise CurationError(gaz_disp, line, "each country needs code (ISO alpha-3, e.g. CHN) and names: [...]")
        country_names[code] = str(names[0])
        for n in names:
            countries[str(n)] = code
    demonyms = {}
    for item in _list(gaz, "demonyms", gaz_disp):
        if not isinstance(item, dict) or "word" not in item or "code" not in item:
            raise CurationError(gaz_disp, getattr(item, "line", None), "each demonym needs word and code")
        demonyms[str(item["word"])] = str(item["code"])
    bodies = []
    for item in _list(gaz, "bodies", gaz_disp, required=False):
        line = getattr(item, "line", None)
        if not isinstance(item, dict) or "regex" not in item or "kind" not in item:
            raise CurationError(gaz_disp, line, "each body needs regex and kind")
        src = str(item["regex"]).replace("{demonym}", f"(?:{_alt(demonyms)})").replace("{country}", f"(?:{_alt(countries)})")
        bodies.append((_rx(rf"\b(?:{src})\b", gaz_disp, line), str(item["kind"])))

    def gw(key: str) -> tuple[str, ...]:  # an optional word list of the gazetteer
        return _words(gaz, key, gaz_disp, required=False)

    def cw(key: str) -> tuple[str, ...]:  # an optional word list of the cues
        return _words(cue_data, key, cue_disp, required=False)

    return Rules(
        abbreviations=abbreviations, months=months, month_numbers=month_numbers, date_patterns=patterns, cues=cues,
        groups=groups, countries=countries, country_names=country_names, demonyms=demonyms,
        bodies=bodies,
        org_words=frozenset(gw("org_words")),
        international_prefixes=gw("international_prefixes"),
        person_titles=gw("person_titles"),
        places=_places(gaz, gaz_disp),
        not_names=frozenset(gw("not_names"))
        | frozenset(gw("news_agencies")),
        program_nouns=program_nouns, framework_nouns=framework_nouns,
        program_context=cw("program_context"),
        program_modifiers=cw("program_modifiers"),
        mission_words=cw("mission_words"),
        event_words=cw("event_words"),
        capitals=frozenset(gw("capitals")),
        adjectives=gw("adjectives"),
        named_programs=cw("named_programs"),
        celestial=gw("celestial"),
        regions=gw("regions"),
        person_nouns=gw("person_nouns"),
        company_words=gw("company_words"),
        employer_cues=gw("employer_cues"),
        org_nouns=gw("org_nouns"),
        place_nouns=gw("place_nouns"),
        site_names=gw("site_names"),
        vehicle_words=gw("vehicle_words"),
        place_cues=gw("place_cues"),
        files={n: f"build/extract/{n}.yaml" for n in RULE_FILES},
    )


def _places(gaz, disp: str) -> dict[str, str | None]:
    """places: [{country: RUS, names: [...]}, ...] (a bare name is a place of unknown country)."""
    out: dict[str, str | None] = {}
    for item in _list(gaz, "places", disp, required=False):
        if isinstance(item, str):
            out[item] = None
            continue
        code, names = (item.get("country"), item.get("names")) if isinstance(item, dict) else (None, None)
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code) or not isinstance(names, list) or not names:
            raise CurationError(disp, getattr(item, "line", None), "each place needs country (ISO alpha-3, e.g. RUS) and names: [...]")
        for n in names:
            out[str(n)] = code
            for a, b in (("'", "’"), ("’", "'")):  # "Xi'an" is also written "Xi’an"
                if a in str(n):
                    out.setdefault(str(n).replace(a, b), code)
    return out


def load_abbreviations(root: Path) -> frozenset[str]:
    """Only the sentence rules (what `spacecoop coverage` needs)."""
    sent, disp = _load(root, "sentences")
    return frozenset(str(a) for a in _list(sent, "abbreviations", disp))
