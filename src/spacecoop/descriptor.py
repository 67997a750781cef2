"""Assemble datapackage.json from build/package.yaml and the files the build wrote."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .model import Schema

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def file_facts(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def resources(out_dir: Path, schemas: dict[str, Schema]) -> list[dict]:
    """One CSV resource per table (the canonical one, with the name of the table) and one Parquet
    resource per table named '<table>-parquet', both pointing at the same Table Schema file."""
    res = []
    for fmt in ("csv", "parquet"):
        for t in schemas:
            rel = f"data/{t}.{fmt}"
            size, digest = file_facts(out_dir / rel)
            r = {
                "name": t if fmt == "csv" else f"{t}-parquet",
                "type": "table",
                "profile": "tabular-data-resource",
                "path": rel,
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
            }
            if fmt == "csv":
                r["encoding"] = "utf-8"
                r["dialect"] = {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": "\""}
            if fmt == "csv":
                r.update({"bytes": size, "hash": digest})
            else:
                # frictionless-py reads Parquet through pyarrow and cannot count its bytes, so it
                # reports standard bytes/hash on a Parquet resource as wrong ("actual is None").
                # spacecoop validate checks these two instead.
                r.update({"x-bytes": size, "x-hash": digest})
            r.update({"description": schemas[t].description, "schema": f"schemas/{t}.schema.json"})
            res.append(r)
    return res


def descriptor(meta: dict, res: list[dict]) -> dict:
    d = {"$schema": PROFILE}
    for key in ("name", "id", "title", "description", "version", "created", "homepage", "keywords",
                "licenses", "contributors", "sources"):
        if key in meta:
            d[key] = meta[key]
    d["resources"] = res
    return d


def dumps(d: dict) -> bytes:
    return (json.dumps(d, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
