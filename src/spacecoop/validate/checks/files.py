"""Files: each resource's bytes and sha256 match the descriptor (x-bytes/x-hash on Parquet, which
frictionless cannot count). (Each Parquet twin holding its CSV's rows: parquet.py.)"""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

from ...model import Package, PackageError
from ..problems import Problem
from . import Rule, Run, register
from ...safety import open_regular

REBUILD = "changed after build; rebuild with `spacecoop build`"


def _sha256(path) -> str:
    h = hashlib.sha256()
    with open_regular(path) as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _digest(pkg: Package) -> list[Problem]:
    out = []
    for res in pkg.resources():
        name = res.get("name", "?")
        size = res.get("bytes", res.get("x-bytes"))
        digest = res.get("hash", res.get("x-hash"))
        if size is None and digest is None:
            continue
        try:
            path = pkg.path(res.get("path"), f"resource {name}")
        except PackageError as e:
            out.append(e.problem)
            continue
        file = res["path"]
        if not path.is_file():
            out.append(Problem(file, "file does not exist", table=name, check="file", engines=["rules"]))
            continue
        n = path.stat().st_size
        if size is not None and n != size:
            out.append(Problem(file, f"file has {n} bytes but the descriptor says {size}: {REBUILD}", table=name, check="bytes", engines=["rules"]))
        algo, _, want = digest.rpartition(":") if isinstance(digest, str) else ("-", "", "")
        if algo not in ("", "sha256"):
            continue
        # A file of another size has another hash: it is not read (it may be 2 GiB of one line).
        if (size is not None and n != size) or want != _sha256(path):
            out.append(Problem(file, f"sha256 differs from the descriptor's hash: {REBUILD}", table=name, check="hash", engines=["rules"]))
    return out


@register
class BytesAndHash(Rule):
    """Hashed in a thread beside the reading (hashlib releases the GIL, polars runs its own threads)."""
    name = "hash"

    def begin(self, run: Run):
        pool = ThreadPoolExecutor(1)
        run.state[self.name] = (pool, pool.submit(_digest, run.pkg))
        return []

    def end(self, run: Run):
        pool, future = run.state.pop(self.name)
        try:
            return future.result()
        finally:
            pool.shutdown()
