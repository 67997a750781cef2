"""`spacecoop cite`: how to cite this exact release, from datapackage.json alone.

CITATION.cff is generated from the same descriptor (`spacecoop cite --write`), and
`spacecoop cite --check` (and a test) fail when its version or date drift from datapackage.json.
A DOI appears only once the descriptor's `id` is one; none is invented.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

FORMATS = ("text", "bibtex", "cff", "csl-json")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
CFF_MESSAGE = "If you use this data package, please cite this exact version as below."


def read_descriptor(package_dir: Path) -> dict:
    from .model import open_package

    return open_package(package_dir).descriptor


def doi(desc: dict) -> str | None:
    m = _DOI.match(str(desc.get("id", "")).strip())
    return m[1] if m else None


def homepage(desc: dict) -> str | None:
    """Where the data set lives (build/package.yaml's `homepage`), when it has an address."""
    url = str(desc.get("homepage") or "").strip()
    return url if url.startswith(("https://", "http://")) else None


def unlocated(desc: dict) -> str | None:
    """One line saying the citation cannot say where the data is, or None when it can."""
    if doi(desc) or homepage(desc):
        return None
    return ("note: this release has no address or DOI yet (build/package.yaml has no `homepage` or DOI `id`); "
            "the citation names the version only")


def authors(desc: dict) -> list[str]:
    names = [c.get("title") or c.get("name") for c in desc.get("contributors", [])]
    return [n for n in names if n] or [desc.get("name", "spacecoop")]


def data_licence(desc: dict) -> str | None:
    """The data's licence: the first in the descriptor (build/package.yaml lists the data's first;
    the code's MIT licence does not govern the data)."""
    lic = [x["name"] for x in desc.get("licenses", []) if x.get("name")]
    return lic[0] if lic else None


def released(desc: dict) -> str:
    """The release date: the day part of `created` (ISO 8601)."""
    created = str(desc.get("created", ""))
    if not re.match(r"\d{4}-\d{2}-\d{2}", created):
        raise ValueError("datapackage.json has no 'created' date; set it in build/package.yaml and run `spacecoop build`")
    return created[:10]


def _key(desc: dict) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{desc.get('name', 'spacecoop')}_{desc.get('version', '')}")


def _bib(value: str) -> str:
    """A BibTeX field's text: control characters escaped, braces quoted, so that a value from the
    descriptor (a version with a newline and a brace) stays inside its field."""
    from .safety import escape

    return re.sub(r"([{}])", r"\\\1", escape(value))


def text(desc: dict) -> str:
    who = ", ".join(authors(desc))
    out = (f"{who} ({released(desc)[:4]}). {desc.get('title', desc.get('name'))} "
           f"(Version {desc.get('version')}) [Data set].")
    if doi(desc):
        out += f" https://doi.org/{doi(desc)}"
    elif homepage(desc):
        out += f" {homepage(desc)}"
    lic = data_licence(desc)
    from .safety import escape

    return escape(out + (f" Licence: {lic}." if lic else ""))


def bibtex(desc: dict) -> str:
    fields = [
        ("author", " and ".join("{" + _bib(a) + "}" for a in authors(desc))),
        ("title", "{" + _bib(str(desc.get("title", desc.get("name")))) + "}"),
        ("year", released(desc)[:4]),
        ("month", str(int(released(desc)[5:7]))),
        ("version", str(desc.get("version"))),
        ("note", "Data set" + (f"; licence {data_licence(desc)}" if data_licence(desc) else "")),
    ]
    if doi(desc):
        fields.append(("doi", doi(desc)))
    if homepage(desc):
        fields.append(("url", homepage(desc)))
    body = ",\n".join(f"  {k} = {{{v if k in ('author', 'title') else _bib(v)}}}" for k, v in fields)
    return f"@misc{{{_key(desc)},\n{body}\n}}"


def csl_json(desc: dict) -> str:
    y, m, d = (int(x) for x in released(desc).split("-"))
    item = {
        "id": _key(desc),
        "type": "dataset",
        "title": desc.get("title", desc.get("name")),
        "author": [{"literal": a} for a in authors(desc)],
        "issued": {"date-parts": [[y, m, d]]},
        "version": desc.get("version"),
        "abstract": desc.get("description"),
    }
    if doi(desc):
        item["DOI"] = doi(desc)
    if homepage(desc):
        item["URL"] = homepage(desc)
    return json.dumps([item], indent=2, ensure_ascii=False)


def cff_dict(desc: dict) -> dict:
    d: dict = {
        "cff-version": "1.2.0",
        "message": CFF_MESSAGE,
        "type": "dataset",
        "title": desc.get("title", desc.get("name")),
        "abstract": desc.get("description"),
        "authors": [{"name": a} for a in authors(desc)],
        "version": str(desc.get("version")),
        "date-released": released(desc),
    }
    if doi(desc):
        d["doi"] = doi(desc)
    if homepage(desc):
        d["url"] = homepage(desc)
    # One licence, not a list: in CFF a list means "choose any", and the data is CC-BY only.
    if data_licence(desc):
        d["license"] = data_licence(desc)
    if desc.get("keywords"):
        d["keywords"] = list(desc["keywords"])
    return d


def cff(desc: dict) -> str:
    import yaml

    head = ("# Generated from datapackage.json by `spacecoop build` (or `spacecoop cite --write`); do not edit by hand.\n"
            "# Edit build/package.yaml and run `spacecoop build`.\n")
    return head + yaml.safe_dump(cff_dict(desc), sort_keys=False, allow_unicode=True, width=100)


def render(desc: dict, fmt: str) -> str:
    return {"text": text, "bibtex": bibtex, "cff": cff, "csl-json": csl_json}[fmt](desc)


def check_cff(package_dir: Path) -> list[str]:
    """Differences between CITATION.cff and what datapackage.json says, one line each."""
    import yaml

    desc = read_descriptor(package_dir)
    from .safety import read_text

    path = package_dir / "CITATION.cff"
    if not path.exists() and not path.is_symlink():
        return [f"{path}: missing; run `spacecoop cite --write`"]
    written = read_text(path, "CITATION.cff")  # a FIFO or device: one line, never opened
    have = yaml.safe_load(written) or {}
    want = cff_dict(desc)
    out = []
    for key in ("version", "date-released", "title", "doi", "url"):
        if str(have.get(key)) != str(want.get(key)):
            out.append(f"CITATION.cff: {key} is {have.get(key)!r} but datapackage.json says {want.get(key)!r}; "
                       "run `spacecoop cite --write`")
    if not out and written != cff(desc):
        out.append("CITATION.cff: differs from what datapackage.json gives; run `spacecoop cite --write`")
    return out
