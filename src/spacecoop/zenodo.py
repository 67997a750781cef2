""".zenodo.json: Zenodo's deposit metadata, derived from datapackage.json (hence from build/package.yaml).

`spacecoop build` writes it beside CITATION.cff, from the same descriptor, so the two agree on
title, version, creators, licence and keywords (a test checks it). Zenodo's GitHub integration
reads .zenodo.json in preference to CITATION.cff; the release archive carries it too, for an
upload through Zenodo's API. A DOI is never written here: Zenodo mints it; once it exists, it
goes into build/package.yaml as `id` and from there into every citation.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import cite

FILENAME = ".zenodo.json"


def metadata(desc: dict) -> dict:
    d: dict = {
        "upload_type": "dataset",
        "title": desc.get("title", desc.get("name")),
        "version": str(desc.get("version")),
        "publication_date": cite.released(desc),
        "description": desc.get("description", ""),
        "creators": [{"name": a} for a in cite.authors(desc)],
        "access_right": "open",
    }
    lic = cite.data_licence(desc)
    if lic:
        d["license"] = lic.lower()  # Zenodo's licence ids are SPDX ids in lower case
    if desc.get("keywords"):
        d["keywords"] = list(desc["keywords"])
    related = []
    if desc.get("homepage"):
        related.append({"identifier": desc["homepage"], "relation": "isSupplementTo", "scheme": "url"})
    for src in desc.get("sources", []):
        if str(src.get("path", "")).startswith(("http://", "https://")):
            related.append({"identifier": src["path"], "relation": "isDerivedFrom", "scheme": "url"})
    if related:
        d["related_identifiers"] = related
    return d


def dumps(desc: dict) -> str:
    return json.dumps(metadata(desc), indent=2, ensure_ascii=False) + "\n"


def check(package_dir: Path) -> list[str]:
    """Differences between .zenodo.json and what datapackage.json gives, one line each."""
    path = package_dir / FILENAME
    from .safety import read_text

    if not path.exists() and not path.is_symlink():
        return [f"{FILENAME}: missing; run `spacecoop build`"]
    if read_text(path, FILENAME) != dumps(cite.read_descriptor(package_dir)):
        return [f"{FILENAME}: out of step with datapackage.json; run `spacecoop build`"]
    return []
