"""`spacecoop add-seed`: copy a new article into seeds/ and record it in build/sources.yaml.

The seed is copied byte for byte under the next three-digit prefix (ids are never reused, so the
prefix follows the highest ever used) and the first 16 hex digits of its sha256. The outlet,
address and publication date come from the curator, not from the seed's words, so they are
recorded as an external reference (the article's page, in build/references.yaml) and the source
says basis 'reference' for them, as the two first seeds do. Both YAML files are appended to:
their existing bytes are kept, and each is replaced atomically.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from .errors import INVALID, SpacecoopError
from . import atomic, dates
from .article import ArticleError, read_article
from .formula import formula_start
from .formula import message as formula_message
from .yamlfile import CurationError, load_yaml


class AddSeedError(SpacecoopError):
    """One-line reason the seed was not added; nothing was changed."""
    exit_code = INVALID


@dataclass
class Added:
    source_id: str
    seed: Path
    reference_id: str
    created_reference: bool
    notes: list[str]


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def parse_published(value: str) -> tuple[str, str]:
    """'2024-08-09' -> day, '2024-08' -> month, '2024' -> year; AddSeedError otherwise."""
    for precision, rx in (("day", r"\d{4}-\d{2}-\d{2}"), ("month", r"\d{4}-\d{2}"), ("year", r"\d{4}")):
        if re.fullmatch(rx, value):
            try:
                dates.bounds(value, precision)
            except dates.DateError as e:
                raise AddSeedError(f"--published {value!r}: {e}") from None
            return value, precision
    raise AddSeedError(f"--published {value!r}: give YYYY-MM-DD, YYYY-MM or YYYY (only as precise as the page says)")


def _check_address(address: str) -> None:
    u = urlparse(address)
    if u.scheme not in ("http", "https") or not u.netloc or any(c.isspace() for c in address):
        raise AddSeedError(f"--address {address!r}: give the article's full web address (http:// or https://)")


def _records(root: Path, name: str) -> tuple[bytes, list]:
    p = root / "build" / f"{name}.yaml"
    from .limits import YAML_BYTES
    from .safety import read_bounded

    try:
        raw = read_bounded(p, YAML_BYTES, f"build/{name}.yaml", "YAML file")
        data = load_yaml(p, f"build/{name}.yaml") or []
    except (OSError, CurationError) as e:
        raise AddSeedError(f"build/{name}.yaml: cannot read it ({e}); fix it first (spacecoop build shows why)") from None
    if not isinstance(data, list):
        raise AddSeedError(f"build/{name}.yaml: is not a list of records; fix it first")
    return raw, data


def _next_prefix(root: Path, sources: list) -> int:
    used = [int(p.name[:3]) for p in (root / "seeds").glob("[0-9][0-9][0-9]_*")]
    used += [int(str(r.get("id"))[4:]) for r in sources if isinstance(r, dict) and re.fullmatch(r"src-\d{3}", str(r.get("id")))]
    try:
        errata = load_yaml(root / "build" / "errata.yaml", "build/errata.yaml") or []
    except CurationError:
        errata = []
    used += [int(str(e.get("record_id"))[4:]) for e in errata if isinstance(e, dict) and re.fullmatch(r"src-\d{3}", str(e.get("record_id")))]
    n = max(used, default=-1) + 1
    if n > 999:
        raise AddSeedError("no three-digit prefix is left (999 used)")
    return n


def _append(raw: bytes, text: str) -> bytes:
    sep = b"" if not raw or raw.endswith(b"\n") else b"\n"
    return raw + sep + text.encode("utf-8")


def add_seed(root: Path, file: Path, outlet: str, address: str, published: str | None = None,
             language: str = "en", reference: str | None = None) -> Added:
    root = root.resolve()
    notes = []
    try:
        art = read_article(file)
    except ArticleError as e:
        raise AddSeedError(str(e)) from None
    if art.crlf:
        notes.append("note: the article has CRLF line ends; kept byte for byte (offsets count each \\r)")
    outlet = outlet.strip()
    if not outlet or "\n" in outlet:
        raise AddSeedError("--outlet: give the outlet's name on one line")
    for option, value in (("--outlet", outlet), ("--address", address)):
        if formula_start(value):  # the build would refuse it: refuse before writing anything
            raise AddSeedError(f"{option}: {formula_message(value)}")
    _check_address(address)
    if not re.fullmatch(r"[a-z]{2}", language):
        raise AddSeedError(f"--language {language!r}: give an ISO 639-1 code such as en")
    pub = parse_published(published) if published else None
    digest = hashlib.sha256(art.data).hexdigest()
    seeds = root / "seeds"
    if not seeds.is_dir():
        raise AddSeedError(f"{seeds}: no seeds/ directory here; run from the repository (or give --root)")
    from .limits import SEED_BYTES
    from .safety import not_regular, read_bounded

    for p in sorted(seeds.glob("*.txt")):
        if not_regular(p) is None and hashlib.sha256(read_bounded(p, 4 * SEED_BYTES, f"seeds/{p.name}", "seed")).hexdigest() == digest:
            raise AddSeedError(f"{file}: its bytes are already a seed: seeds/{p.name}")
    src_raw, sources = _records(root, "sources")
    ref_raw, refs = _records(root, "references")
    ref_ids = {str(r.get("id")) for r in refs if isinstance(r, dict)}
    n = _next_prefix(root, sources)
    sid = f"src-{n:03d}"
    seed_path = seeds / f"{n:03d}_{digest[:16]}.txt"
    rel = f"seeds/{seed_path.name}"

    created = reference is None
    if reference is not None:
        if reference not in ref_ids:
            raise AddSeedError(f"--reference {reference!r} is not an id in build/references.yaml")
        rid = reference
        ref_text = None
    else:
        rid = f"ref-src-{n:03d}-page"
        if rid in ref_ids:
            raise AddSeedError(f"build/references.yaml already has {rid}; give --reference")
        said = f"published {pub[0]}" if pub else "publication date not given"
        ref_text = (
            f"# Added by spacecoop add-seed for {sid}: the article's page, as the curator gave it.\n"
            f"- id: {rid}\n"
            f"  title: {_q(f'The {outlet} page of seed {n:03d}')}\n"
            f"  publisher: {_q(outlet)}\n"
            f"  address: {_q(address)}\n"
            f"  wording: {_q(f'{outlet}; {said}')}\n"
            f"  accessed: \"outlet, address and date given by the curator on the command line (spacecoop add-seed); not re-checked\"\n"
        )
    src_text = (
        f"# Added by spacecoop add-seed. Outlet, address and publication date are not in the seed's\n"
        f"# words: they come from the article's page ({rid}), so their basis is 'reference'.\n"
        f"- id: {sid}\n"
        f"  path: {rel}\n"
        f"  outlet: {_q(outlet)}\n"
        f"  outlet_basis: reference\n"
        f"  address: {_q(address)}\n"
        f"  metadata_reference: {rid}\n"
        f"  language: {_q(language)}\n"
        f"  kind: news_article\n"
    )
    if pub:
        src_text += f"  published: {{value: {_q(pub[0])}, precision: {pub[1]}, basis: reference, reference: {rid}}}\n"
    new_src = _append(src_raw, src_text)
    new_ref = _append(ref_raw, ref_text) if ref_text else None
    # Check what will be written parses, before anything is written.
    import yaml
    for name, data, before in (("sources", new_src, sources), ("references", new_ref, refs)):
        if data is None:
            continue
        try:
            parsed = yaml.safe_load(data.decode("utf-8"))
        except yaml.YAMLError as e:
            raise AddSeedError(f"build/{name}.yaml: the appended record would not parse ({e}); nothing was changed") from None
        if not isinstance(parsed, list) or len(parsed) != len(before) + 1:
            raise AddSeedError(f"build/{name}.yaml: appending would not add exactly one record; nothing was changed")

    try:
        atomic.write_file(seed_path, art.data, new=True)
    except FileExistsError:
        raise AddSeedError(f"{rel} already exists; nothing was changed") from None
    try:
        if new_ref is not None:
            atomic.write_file(root / "build" / "references.yaml", new_ref)
        atomic.write_file(root / "build" / "sources.yaml", new_src)
    except BaseException:
        # Put everything back as it was: the new seed goes, references.yaml gets its old bytes.
        seed_path.unlink(missing_ok=True)
        if new_ref is not None:
            atomic.write_file(root / "build" / "references.yaml", ref_raw)
        raise
    return Added(sid, seed_path, rid, created, notes)
