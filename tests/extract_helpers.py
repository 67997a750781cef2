"""Shared by the extractor's tests: the rules, schemas and known records of this repository's
build/, and a draft made from a sentence as `spacecoop extract` makes it (source src-900)."""
from __future__ import annotations

import hashlib

from spacecoop.extract import Known, draft, extract
from spacecoop.extract_rules import load_rules
from spacecoop.model import open_package

from _pkgcopy import REPO

RULES = load_rules(REPO)
SCHEMAS = open_package(REPO).schemas()
KNOWN = Known.from_root(REPO)


def extracted(text: str):
    return extract(text, "src-900", "seeds/x.txt", RULES, KNOWN)


def draft_of(text: str) -> dict:
    return draft(extracted(text), SCHEMAS, RULES.files, hashlib.sha256(text.encode()).hexdigest())


def linked(d: dict) -> set[str]:
    """The ids of the existing records the draft links."""
    return {i["record"] for i in d["records"] if i.get("record")}


def participant_ids(d: dict) -> set[str]:
    """The ids of the participants the draft names: linked ones and proposed new ones."""
    return {p for i in d["participants"] for p in i["participants"]} | {i["accept"]["id"] for i in d["new_participants"]}
