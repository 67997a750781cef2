"""The extractor's rules, read from build/extract/*.yaml (data a curator can read and extend).

Every problem in a rules file is a CurationError naming file:line, like the curation files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .yamlfile import CurationError, load_yaml

RULE_FILES = ("sentences", "dates", "cues", "gazetteer")
CUE_GROUPS = ("agreement", "meeting", "program", "status", "level", "topic", "domain")


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


@dataclass(frozen=True)
class Cue:
    group: str  # agreement, meeting, program, status, level, topic, domain
    regex: re.Pattern
    suggest: dict


@dataclass(frozen=True)
class Group:
    regex: re.Pattern
    participants: tuple[str, ...]
    explicit: bool  # the phrase names each participant ("Russia and China")


@dataclass
class Rules:
    abbreviations: frozenset[str]
    months: tuple[str, ...]
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
    places: tuple[str, ...]
    not_names: frozenset[str]
    files: dict[str, str] = field(default_factory=dict)  # name -> display path


def rules_dir(root: Path) -> Path:
    return root / "build" / "extract"


def _load(root: Path, name: str):
    p = rules_dir(root) / f"{name}.yaml"
    disp = f"build/extract/{name}.yaml"
    if not p.is_file():
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
    abbreviations = frozenset(str(a) for a in _list(sent, "abbreviations", sent_disp))

    dts, dts_disp = _load(root, "dates")
    months = tuple(str(m) for m in _list(dts, "months", dts_disp))
    if len(months) != 12:
        raise CurationError(dts_disp, dts.line_of("months"), "months must list the 12 month names, January first")
    patterns = []
    for item in _list(dts, "patterns", dts_disp):
        line = getattr(item, "line", None)
        if not isinstance(item, dict) or not {"name", "regex", "precision"} <= set(item):
            raise CurationError(dts_disp, line, "each date pattern needs name, regex and precision")
        if item["precision"] not in _precisions(root):
            raise CurationError(dts_disp, line, f"precision {item['precision']!r} is not one of {', '.join(_precisions())}")
        src = str(item["regex"]).replace("{month}", f"(?:{_alt(months)})")
        patterns.append(DatePattern(str(item["name"]), _rx(src, dts_disp, line), item["precision"], item.get("note")))

    cue_data, cue_disp = _load(root, "cues")
    cues = []
    for group in CUE_GROUPS:
        for item in _list(cue_data, group, cue_disp, required=False):
            line = getattr(item, "line", None)
            if not isinstance(item, dict) or "cue" not in item:
                raise CurationError(cue_disp, line, "each cue needs cue: a regex")
            suggest = item.get("suggest") or {}
            if not isinstance(suggest, dict):
                raise CurationError(cue_disp, line, "suggest must be a mapping like {kind: agreement}")
            flags = 0 if item.get("case") else re.IGNORECASE
            cues.append(Cue(group, _rx(rf"\b(?:{item['cue']})\b", cue_disp, line, flags), dict(suggest)))

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
        src = str(item["regex"]).replace("{demonym}", f"(?:{_alt(demonyms)})")
        bodies.append((_rx(rf"\b(?:{src})\b", gaz_disp, line), str(item["kind"])))
    return Rules(
        abbreviations=abbreviations, months=months, date_patterns=patterns, cues=cues,
        groups=groups, countries=countries, country_names=country_names, demonyms=demonyms,
        bodies=bodies,
        org_words=frozenset(str(w) for w in _list(gaz, "org_words", gaz_disp, required=False)),
        international_prefixes=tuple(str(w) for w in _list(gaz, "international_prefixes", gaz_disp, required=False)),
        person_titles=tuple(str(w) for w in _list(gaz, "person_titles", gaz_disp, required=False)),
        places=tuple(str(w) for w in _list(gaz, "places", gaz_disp, required=False)),
        not_names=frozenset(str(w) for w in _list(gaz, "not_names", gaz_disp, required=False)),
        files={n: f"build/extract/{n}.yaml" for n in RULE_FILES},
    )


def load_abbreviations(root: Path) -> frozenset[str]:
    """Only the sentence rules (what `spacecoop coverage` needs)."""
    sent, disp = _load(root, "sentences")
    return frozenset(str(a) for a in _list(sent, "abbreviations", disp))
