"""Issue #10: the hostile suite. A table of case builders (each corrupts a copy of the real package)
x the commands that read what it corrupts, each run through the real CLI in-process (typer's
CliRunner) under a 10 s alarm. Every case asserts: an expected exit code (never 3), no traceback,
the promised words on one line, no raw control character in the output, and with --json valid
JSON on stdout. The memory cases run in a subprocess that reports its peak RSS (marked slow).

The table of classes and counts is printed by `python tests/test_hostile_suite.py` and is in the
README's threat model."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from _pkgcopy import copy_package

REPO = Path(__file__).resolve().parent.parent
SEED = "seeds/000_2c520b7ffa59a307.txt"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")  # a raw control character (newline aside)


# --- what a case does to the package --------------------------------------------------------

def _desc(pkg: Path) -> dict:
    return json.loads((pkg / "datapackage.json").read_text())


def _save(pkg: Path, d: dict) -> None:
    (pkg / "datapackage.json").write_text(json.dumps(d))


def _res(d: dict, name: str) -> dict:
    return next(r for r in d["resources"] if isinstance(r, dict) and r.get("name") == name)


def _special(path: Path, kind: str) -> None:
    """Replace path by a FIFO, a directory, a link to a device, or a socket."""
    if path.is_dir():
        import shutil
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        cwd = os.getcwd()
        os.chdir(path.parent)  # a socket's path must be short
        try:
            s.bind(path.name)
        finally:
            os.chdir(cwd)
        s.close()


# --- the commands --------------------------------------------------------------------------------

def _cmd_validate(pkg, tmp):
    return ["validate", "-p", str(pkg)]


def _cmd_validate_json(pkg, tmp):
    return ["validate", "-p", str(pkg), "--json"]


def _cmd_info(pkg, tmp):
    return ["info", "-p", str(pkg)]


def _cmd_info_json(pkg, tmp):
    return ["info", "-p", str(pkg), "--json"]


def _cmd_build(pkg, tmp):
    return ["build", "-p", str(pkg)]


def _cmd_extract(pkg, tmp):
    return ["extract", "src-000", "-p", str(pkg)]


def _cmd_extract_json(pkg, tmp):
    return ["extract", "src-000", "-p", str(pkg), "--json"]


def _cmd_add_seed(pkg, tmp, file=None):
    return ["add-seed", str(file or tmp / "article.txt"), "--outlet", "X", "--address", "https://example.org/a",
            "--published", "2024", "-p", str(pkg)]


def _cmd_diff(pkg, tmp):
    return ["diff", str(REPO), str(pkg)]


def _cmd_diff_json(pkg, tmp):
    return ["diff", str(REPO), str(pkg), "--json"]


def _cmd_export(pkg, tmp):
    return ["export", "sqlite", str(tmp / "out.db"), "-p", str(pkg)]


def _cmd_cite(pkg, tmp):
    return ["cite", "-f", "bibtex", "-p", str(pkg)]


def _cmd_cite_check(pkg, tmp):
    return ["cite", "--check", "-p", str(pkg)]


def _cmd_docs(pkg, tmp):
    return ["docs", "-p", str(pkg)]


def _cmd_docs_check(pkg, tmp):
    return ["docs", "--check", "-p", str(pkg)]


def _cmd_coverage(pkg, tmp):
    return ["coverage", "-p", str(pkg)]


def _cmd_release(pkg, tmp):
    return ["release", "-o", str(tmp / "dist"), "-p", str(pkg)]


CMDS = {n.removeprefix("_cmd_").replace("_", "-"): f for n, f in dict(globals()).items() if n.startswith("_cmd_")}


# --- the case table ------------------------------------------------------------------------------

CASES: list[tuple[str, str, object, str, tuple[int, ...], str]] = []  # (class, id, builder, command, codes, words)


def case(cls: str, ident: str, builder, commands, codes=(1, 2), words: str = ""):
    for c in commands:
        CASES.append((cls, f"{cls}:{ident}:{c}", builder, c, codes, words))


# 1. Only regular files: each target replaced by each kind of special file, for each command reading it.
_TARGETS = {
    "data-csv": ("data/participants.csv", ["validate", "validate-json", "info", "info-json", "diff", "diff-json", "export"]),
    "schema": ("schemas/participants.schema.json", ["validate", "validate-json", "build", "export", "extract", "docs", "docs-check"]),
    "descriptor": ("datapackage.json", ["validate", "validate-json", "info", "cite", "diff", "export", "docs", "docs-check", "release"]),
    "parquet": ("data/participants.parquet", ["validate"]),
    "seed": (SEED, ["validate", "build", "extract", "coverage", "docs"]),
    "curation-yaml": ("build/participants.yaml", ["build", "extract", "coverage"]),
    "sources-csv": ("data/sources.csv", ["docs", "docs-check"]),
    "codebook-yaml": ("docs/codebook.yaml", ["docs", "docs-check"]),
    "data-dictionary-md": ("docs/data-dictionary.md", ["docs-check"]),
    "codebook-md": ("docs/codebook.md", ["docs-check"]),
    "exclusions-yaml": ("build/exclusions.yaml", ["coverage"]),
    "sentence-rules-yaml": ("build/extract/sentences.yaml", ["coverage"]),
    "changelog": ("CHANGELOG.md", ["release"]),
    "citation-cff": ("CITATION.cff", ["release", "cite-check"]),
    "zenodo-json": (".zenodo.json", ["release"]),
    "references-yaml": ("build/references.yaml", ["build", "add-seed"]),
    "sources-yaml": ("build/sources.yaml", ["build", "extract", "add-seed"]),
}
_KIND_WORDS = {"fifo": "FIFO", "dir": "", "device": "", "socket": "socket"}
# The commands moved onto the one regular-file reader last (issue 10): their line names the file.
_NAMING = {"docs", "docs-check", "coverage", "release", "cite-check"}
for _target, (_rel, _cmds) in _TARGETS.items():
    for _kind in ("fifo", "dir", "device", "socket"):
        _build = (lambda pkg, rel=_rel, kind=_kind: _special(pkg / rel, kind))
        case("files", f"{_target}-{_kind}", _build, [c for c in _cmds if c not in _NAMING])
        case("files", f"{_target}-{_kind}", _build, [c for c in _cmds if c in _NAMING], words=Path(_rel).name)


def _article_special(kind):
    def build(pkg):
        _special(pkg.parent / "article.txt", kind)
    return build


for _kind in ("fifo", "dir", "device", "socket"):
    case("files", f"article-{_kind}", _article_special(_kind), ["add-seed"], (1,), "not a regular file")
case("files", "article-dev-zero", None, ["add-seed-dev-zero"], (1,), "is a character device, not a regular file; refused")


# 2. No network: URL-valued properties everywhere (the socket guard is on for every case).
_URL = "http://127.0.0.1:9/x"
_URL_PROPS = ["extrapaths", "sources", "profile", "$schema", "dialect", "homepage", "licenses", "mediatype",
              "encoding", "compression", "hash"]


def _url_resource(prop):
    def build(pkg):
        d = _desc(pkg)
        r = _res(d, "participants")
        r[prop] = [_URL] if prop in ("extrapaths", "sources", "licenses") else _URL
        _save(pkg, d)
    return build


def _url_package(prop):
    def build(pkg):
        d = _desc(pkg)
        d[prop] = [{"path": _URL, "title": "x"}] if prop in ("sources", "licenses", "contributors") else _URL
        _save(pkg, d)
    return build


for _p in _URL_PROPS:
    case("network", f"resource-{_p}", _url_resource(_p), ["validate"], (0, 1))
for _p in ("$schema", "profile", "homepage", "sources", "licenses", "contributors", "image"):
    case("network", f"package-{_p}", _url_package(_p), ["validate"], (0, 1))
for _p, _v in (("path", _URL), ("schema", _URL), ("path", "file:///etc/passwd"), ("schema", "data:,{}")):
    case("network", f"{_p}-{_v[:4]}", lambda pkg, p=_p, v=_v: _set(pkg, "participants", p, v),
         ["validate", "validate-json", "diff", "export"] + (["info"] if _p == "path" else []), (1, 2), "never fetches URLs")


def _set(pkg, table, key, value):
    d = _desc(pkg)
    _res(d, table)[key] = value
    _save(pkg, d)


def _fk_url(pkg):
    p = pkg / "schemas" / "meeting_participants.schema.json"
    s = json.loads(p.read_text())
    s["foreignKeys"][0]["reference"]["resource"] = _URL
    p.write_text(json.dumps(s))


case("network", "foreign-key-url", _fk_url, ["validate"], (1,))


# 3. Paths out of the package.
for _v in ("/etc/passwd", "../../../../etc/passwd", "data/../../x.csv", "", 7, None):
    case("paths", f"path-{_v!r}", lambda pkg, v=_v: _set(pkg, "participants", "path", v),
         ["validate", "validate-json", "info", "diff", "export"], (1, 2))


def _export_name(pkg):
    d = _desc(pkg)
    _res(d, "participants")["name"] = "../../escape"
    _save(pkg, d)


case("paths", "export-resource-name-dotdot", _export_name, ["export"], (1, 2))


def _sources_path(value):
    def build(pkg):
        p = pkg / "build" / "sources.yaml"
        p.write_text(p.read_text().replace(f"path: {SEED}", f"path: {value}", 1))
    return build


for _v in ("/etc/hostname", "../../../../etc/hostname", "seeds/../datapackage.json"):
    case("paths", f"sources-path-{_v}", _sources_path(_v), ["extract", "build"], (1, 2))


def _seed_link_out(pkg):
    (pkg / SEED).unlink()
    (pkg / SEED).symlink_to("/etc/hostname")


case("paths", "seed-link-out", _seed_link_out, ["validate", "build", "extract"], (1, 2))


# 4. Limits on every input.
def _big_descriptor(pkg):
    d = _desc(pkg)
    d["description"] = "x" * (10 * 2**20 + 1)
    _save(pkg, d)


def _big_schema(pkg):
    p = pkg / "schemas" / "participants.schema.json"
    s = json.loads(p.read_text())
    s["description"] = "x" * (2**20 + 1)
    p.write_text(json.dumps(s))


def _many_resources(pkg):
    d = _desc(pkg)
    d["resources"] += [{"name": f"r{i}", "path": "data/participants.csv"} for i in range(1001)]
    _save(pkg, d)


def _big_seed(pkg):
    with open(pkg / SEED, "ab") as f:
        f.write(b"x" * (2 * 2**20 + 1))


def _big_yaml(pkg):
    with open(pkg / "build" / "participants.yaml", "ab") as f:
        f.write(b"#" * (20 * 2**20 + 1))


def _deep_json(pkg):
    (pkg / "datapackage.json").write_text("[" * 100000 + "]" * 100000)


def _invalid_7mib(pkg):
    # the case: 7 MiB of tiny invalid rows (5.6 GB and 6.1M lines before)
    p = pkg / "data" / "meeting_topics.csv"
    head = p.read_text().splitlines()[0]
    p.write_text(head + "\n" + "x,y,z\n" * (7 * 2**20 // 6))


def _parquet_rows(pkg):
    import pyarrow as pa
    import pyarrow.parquet as pq
    pq.write_table(pa.table({"a": pa.array([0] * 2_000_000, pa.int8())}), pkg / "data" / "participants.parquet", compression="zstd")


def _parquet_wide(pkg):
    # 100 rows (under the row limit), each cell 64 KiB of one byte: 500 bytes on disk, 6.5 MB decompressed
    import pyarrow as pa
    import pyarrow.parquet as pq
    n = 100
    pq.write_table(pa.table({"participant_id": pa.array(["x" * 65536] * n)}), pkg / "data" / "participants.parquet",
                   compression="zstd", use_dictionary=False)


def _parquet_dictionary(pkg, rows=None, value=1 << 20):
    """A dictionary-encoded column repeating one long value: stored once, so the footer's sizes pass,
    but value x rows bytes decoded (rows: the CSV's, or that many rows written to both)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    if rows is not None:
        from conftest import edit_csv
        edit_csv(pkg, "participants", lambda r: r.extend([[f"par-x{i}", *r[1][1:]] for i in range(rows - len(r) + 1)]))
    t = pq.read_table(pkg / "data" / "participants.parquet")
    n = rows or t.num_rows
    once = pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), pa.array(["x" * value]))  # never decoded here
    cols = {c: once if i == 0 else pa.array([t.column(c)[0].as_py()] * n, t.column(c).type) for i, c in enumerate(t.column_names)}
    pq.write_table(pa.table(cols), pkg / "data" / "participants.parquet", compression="zstd", use_dictionary=True)


def _parquet_dictionary_memory(pkg):
    # 20k rows x 4 MiB: 80 GB decoded by a reader that trusts the footer; the CSV is ~1 MB, so the limit ~9 MiB
    _parquet_dictionary(pkg, rows=20_000, value=4 << 20)


def _invalid_rows(pkg):
    # ~1 MiB of tiny rows, each failing: lines capped at 20 per check, the true count kept
    p = pkg / "data" / "meeting_topics.csv"
    head = p.read_text().splitlines()[0]
    p.write_text(head + "\n" + "x,y,z\n" * 170_000)


case("limits", "descriptor-over-10MiB", _big_descriptor, ["validate", "validate-json", "info", "cite", "diff", "export"], (1, 2), "10 MiB")
case("limits", "descriptor-nesting", _deep_json, ["validate", "info", "cite"], (1, 2))
case("limits", "schema-over-1MiB", _big_schema, ["validate", "validate-json", "build", "export"], (1, 2), "1 MiB")
case("limits", "resources-over-1000", _many_resources, ["validate", "validate-json", "info"], (1, 2), "over the limit of 1000")
case("limits", "seed-over-2MiB", _big_seed, ["validate", "build", "extract"], (1, 2), "2 MiB")
case("limits", "yaml-over-20MiB", _big_yaml, ["build"], (1, 2), "20 MiB")
case("limits", "sources-yaml-over-20MiB", lambda pkg: open(pkg / "build" / "sources.yaml", "ab").write(b"#" * (20 * 2**20 + 1)),
     ["build", "extract", "add-seed"], (1, 2), "20 MiB")
# YAML is parsed by libyaml under PyYAML's composer: nesting is a RecursionError, not a C stack overflow
case("limits", "yaml-nesting", lambda pkg: (pkg / "build" / "participants.yaml").write_text("[" * 100000 + "]" * 100000),
     ["build", "coverage"], (1, 2), "nesting is too deep")
case("limits", "yaml-control-character", lambda pkg: open(pkg / "build" / "participants.yaml", "a").write("\nx: a\x07b\n"),
     ["build"], (1,), "participants.yaml:")
case("limits", "parquet-2M-rows", _parquet_rows, ["validate", "validate-json"], (1,), "rows, over the limit of")
case("limits", "parquet-decompresses-huge", _parquet_wide, ["validate"], (1,), "decompresses to")
case("limits", "parquet-dictionary-long-value", _parquet_dictionary, ["validate", "validate-json"], (1,), "decodes to more than the limit of")
case("limits", "170k-invalid-rows", _invalid_rows, ["validate", "validate-json"], (1,), "")

# 5. Regular expressions: a backtracking pattern, and patterns Rust's regex will not compile.
_PATTERNS = {"exponential": ("(a+)+$", "a" * 40 + "!"), "nested": ("(a|aa)+$", "a" * 60 + "!"),
             "lookahead": ("(?=a)a+", "aaa"), "backreference": ("(a)\\1", "aa"), "lookbehind": ("(?<=a)b", "ab")}


def _pattern(pat, cell):
    def build(pkg):
        p = pkg / "schemas" / "participants.schema.json"
        s = json.loads(p.read_text())
        f = next(f for f in s["fields"] if f["name"] == "notes")
        f.setdefault("constraints", {})["pattern"] = pat
        p.write_text(json.dumps(s))
        from conftest import edit_csv
        edit_csv(pkg, "participants", lambda r: r[1].__setitem__(r[0].index("notes"), cell))
    return build


for _n, (_pat, _cell) in _PATTERNS.items():
    case("regex", _n, _pattern(_pat, _cell), ["validate", "validate-json"], (1,))
    case("regex", _n, _pattern(_pat, _cell), ["build"], (0, 1))

# 6. One verdict: nothing skipped in silence.
for _v in (5, "x", None, [], True):
    case("verdict", f"non-object-resource-{_v!r}", lambda pkg, v=_v: _save(pkg, {**_desc(pkg), "resources": _desc(pkg)["resources"] + [v]}),
         ["validate", "validate-json"], (1,), "is not an object")
for _t in ("evidence", "sources"):
    case("verdict", f"no-{_t}", lambda pkg, t=_t: _save(pkg, {**_desc(pkg), "resources": [r for r in _desc(pkg)["resources"] if r["name"] not in (t, t + "-parquet")]}),
         ["validate", "validate-json"], (1,), "is missing")
# Every table a registered rule declares it needs (Rule.needs), removed from the descriptor: the
# line names the table and the check that cannot run, never a rule skipped in silence.
def _needed():
    from spacecoop.validate.checks import RULES
    return sorted({(t, r.name) for r in RULES for t in r.needs})


def _drop_table(t):
    return lambda pkg: _save(pkg, {**_desc(pkg), "resources": [r for r in _desc(pkg)["resources"] if r["name"] not in (t, t + "-parquet")]})


for _t, _check in _needed():
    case("verdict", f"no-{_t}-for-{_check}", _drop_table(_t), ["validate"], (1,), f"table {_t}: is missing; the check {_check} reads it")
def _no_evidence_vocabulary(pkg):
    p = pkg / "schemas" / "evidence.schema.json"
    s = json.loads(p.read_text())
    next(f for f in s["fields"] if f["name"] == "table")["constraints"].pop("enum")
    p.write_text(json.dumps(s))


case("verdict", "resources-not-a-list", lambda pkg: _save(pkg, {**_desc(pkg), "resources": {"a": 1}}), ["validate", "validate-json", "info", "export", "cite"], (1, 2))
case("verdict", "descriptor-a-list", lambda pkg: (pkg / "datapackage.json").write_text("[1]"), ["validate", "validate-json", "info", "cite", "export"], (1, 2))
case("verdict", "resource-without-name", lambda pkg: _save(pkg, {**_desc(pkg), "resources": _desc(pkg)["resources"] + [{"path": "data/participants.csv"}]}),
     ["validate"], (1,), "has no name")

# Verdict tricks the two engines once read differently.
def _schema_set(table, key, value):
    def build(pkg):
        p = pkg / "schemas" / f"{table}.schema.json"
        s = json.loads(p.read_text())
        s[key] = value
        p.write_text(json.dumps(s))
    return build


def _cell(table, field, value, row=1):
    def build(pkg):
        from conftest import edit_csv
        edit_csv(pkg, table, lambda r: r[row].__setitem__(r[0].index(field), value))
    return build


def _bom_row(pkg):
    p = pkg / "data" / "participants.csv"
    lines = p.read_bytes().split(b"\n")
    lines[2] = b"\xef\xbb\xbf" + lines[2]
    p.write_bytes(b"\n".join(lines))


def _pandas_metadata(pkg):
    import pyarrow.parquet as pq
    p = pkg / "data" / "participants.parquet"
    t = pq.read_table(p)
    pq.write_table(t.replace_schema_metadata({b"pandas": b"{not json"}), p)


def _fk_field(pkg):
    p = pkg / "schemas" / "meeting_participants.schema.json"
    s = json.loads(p.read_text())
    s["foreignKeys"][0]["reference"]["fields"] = ["no_such_field"]
    p.write_text(json.dumps(s))


def _exclusive(pkg):
    p = pkg / "schemas" / "evidence.schema.json"
    s = json.loads(p.read_text())
    next(f for f in s["fields"] if f["name"] == "char_start").setdefault("constraints", {})["exclusiveMinimum"] = 10**9
    p.write_text(json.dumps(s))


_TRICKS = {"missing-values-NA": (_schema_set("participants", "missingValues", ["", "NA"]), "only"),
           "missing-values-not-list": (_schema_set("participants", "missingValues", "x"), "only"),
           "bom-at-row-start": (_bom_row, ""), "offset-over-int64": (_cell("evidence", "char_start", "99999999999999999999999"), ""),
           "arabic-digits": (_cell("evidence", "char_start", "\u0661\u0662"), "is not an integer"),
           "pandas-metadata": (_pandas_metadata, ""), "fk-missing-field": (_fk_field, "does not have"),
           "exclusive-minimum": (_exclusive, "is not checked by spacecoop")}
def _unhashed(builder):
    """builder, then no bytes/hash in the descriptor: the verdict must come from the trick itself."""
    def build(pkg):
        builder(pkg)
        d = _desc(pkg)
        for r in d["resources"]:
            for k in ("bytes", "hash", "x-bytes", "x-hash"):
                r.pop(k, None)
        _save(pkg, d)
    return build


for _n, (_b, _w) in _TRICKS.items():
    case("verdict", _n, _unhashed(_b), ["validate", "validate-json", "validate-frictionless"], (1,), _w)
case("verdict", "evidence-table-without-enum", _unhashed(_no_evidence_vocabulary), ["validate"], (1,), "the check evidence reads it")


# 7. Clean output: control characters and newlines echoed from the input.
_NASTY = "\x1b[31mred\x1b[0m\nfake line\r\u2028"


def _header_nasty(pkg):
    p = pkg / "data" / "participants.csv"
    lines = p.read_text().split("\n")
    lines[0] = lines[0].replace("notes", '"notes' + _NASTY + '"')
    p.write_text("\n".join(lines))


def _name_nasty(pkg):
    _set(pkg, "participants", "name", "part" + _NASTY)


def _cell_nasty(pkg):
    from conftest import edit_csv
    edit_csv(pkg, "participants", lambda r: r[1].__setitem__(r[0].index("participant_id"), "bad" + _NASTY))


def _version_nasty(pkg):
    d = _desc(pkg)
    d["version"] = "1.0}\n  note = {injected" + _NASTY
    d["title"] = "T}\n@misc{evil,"
    _save(pkg, d)


def _path_nasty(pkg):
    _set(pkg, "participants", "path", "data/" + _NASTY + ".csv")


case("output", "header", _header_nasty, ["validate", "validate-json", "diff", "export"], (0, 1, 2))
case("output", "resource-name", _name_nasty, ["validate", "validate-json", "info", "export"], (0, 1, 2))
case("output", "cell", _cell_nasty, ["validate", "validate-json", "diff", "export"], (0, 1, 2))
case("output", "resource-path", _path_nasty, ["validate", "info", "diff"], (1, 2))
case("output", "version-in-citation", _version_nasty, ["cite", "cite-text", "cite-cff", "info"], (0,))
case("output", "article-name", lambda pkg: None, ["add-seed-nasty-name"], (1,))

# 8. Exit codes: usage errors with --json still leave JSON.
case("exit", "no-package", lambda pkg: None, ["validate-missing", "info-missing", "extract-missing"], (2,))

CMDS.update({
    "add-seed-dev-zero": lambda pkg, tmp: _cmd_add_seed(pkg, tmp, "/dev/zero"),
    "add-seed-nasty-name": lambda pkg, tmp: _cmd_add_seed(pkg, tmp, tmp / ("a" + _NASTY + ".txt")),
    "validate-frictionless": lambda pkg, tmp: ["validate", "-p", str(pkg), "--frictionless"],
    "cite-text": lambda pkg, tmp: ["cite", "-f", "text", "-p", str(pkg)],
    "cite-cff": lambda pkg, tmp: ["cite", "-f", "cff", "-p", str(pkg)],
    "validate-missing": lambda pkg, tmp: ["validate", "-p", str(tmp / "nowhere"), "--json"],
    "info-missing": lambda pkg, tmp: ["info", "-p", str(tmp / "nowhere"), "--json"],
    "extract-missing": lambda pkg, tmp: ["extract", "src-999", "-p", str(pkg), "--json"],
})

SLOW = {"limits:parquet-decompresses-huge:validate", "limits:170k-invalid-rows:validate", "limits:170k-invalid-rows:validate-json",
        "limits:parquet-2M-rows:validate", "limits:parquet-2M-rows:validate-json"}


# --- running a case ------------------------------------------------------------------------------

class _Hang(Exception):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """The socket guard: any connect() is recorded and refused."""
    tried = []

    def connect(self, address):
        tried.append(address)
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: connect(None, address))
    return tried


def bounded(fn, timeout: int = 10):
    """fn(), and the seconds it took; _Hang if it takes more than timeout (SIGALRM)."""
    def alarm(*_):
        raise _Hang(f"no answer in {timeout} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(timeout)
    start = time.monotonic()
    try:
        result = fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return result, time.monotonic() - start


def run_cli(argv: list[str], timeout: int = 10):
    from typer.testing import CliRunner

    from spacecoop.cli import app

    return bounded(lambda: CliRunner().invoke(app, argv), timeout)


def check_result(result, elapsed, argv, codes, words, max_lines=60):
    out, err = result.stdout, result.stderr
    assert not isinstance(result.exception, _Hang), f"hung: {argv}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"a bug (exit 3 under main()): {type(result.exception).__name__}: {result.exception}")
    assert result.exit_code != 3 and result.exit_code in codes, (result.exit_code, out[-2000:], err[-2000:])
    assert "Traceback" not in out + err
    assert elapsed < 10
    # JSON escapes what a terminal acts on (below U+0020); the rest of the output escapes all of CONTROL
    assert not (re.compile("[\x00-\x08\x0b-\x1f]") if "--json" in argv else CONTROL).search(out + err), (
        f"raw control character in output: {(out + err)[:500]!r}")
    if "--json" in argv:
        json.loads(out)  # valid JSON at every exit code
    else:
        # capped: 20 lines per (table, field, check) and one counting the rest
        assert len((out + err).splitlines()) <= max_lines, "output not capped"
    if result.exit_code:
        msgs = [ln for ln in (out + err).splitlines() if ln.strip()]
        assert msgs, "a failure says why"
        if words:
            assert any(words in ln for ln in msgs), (words, msgs[:10])


# Beside the package, what docs and release read (not in every package copy).
EXTRAS = ("docs/codebook.yaml", "docs/codebook.md", "docs/data-dictionary.md", "CHANGELOG.md", "LICENSE", "LICENSE-DATA")


@pytest.mark.parametrize("cls, ident, builder, command, codes, words",
                         [pytest.param(*c, id=c[1], marks=[pytest.mark.slow] if c[1] in SLOW else []) for c in CASES])
def test_hostile(tmp_path, no_network, cls, ident, builder, command, codes, words):
    pkg = copy_package(tmp_path / "pkg")
    (pkg / "docs").mkdir()
    for rel in EXTRAS:
        (pkg / rel).write_bytes((REPO / rel).read_bytes())
    (tmp_path / "article.txt").write_text("China and Russia signed an agreement on the Moon station in 2024.\n")
    if builder is not None:
        try:
            builder(pkg)
        except OSError as e:
            if "AF_UNIX path too long" in str(e):
                pytest.skip("socket path too long here")
            raise
    argv = CMDS[command](pkg, tmp_path)
    result, elapsed = run_cli(argv)
    check_result(result, elapsed, argv, codes, words, max_lines=400 if "invalid-rows" in ident else 60)
    assert not no_network, f"connect() tried: {no_network}"


LOAD_TARGETS = [("data/participants.parquet", "auto"), ("data/participants.parquet", "parquet"), ("data/participants.csv", "csv"),
                ("schemas/participants.schema.json", "csv"), ("datapackage.json", "auto")]


@pytest.mark.parametrize("kind", ["fifo", "dir", "device", "socket"])
@pytest.mark.parametrize("rel, fmt", LOAD_TARGETS, ids=[f"{r}-{f}" for r, f in LOAD_TARGETS])
def test_load_refuses_special_files(tmp_path, rel, fmt, kind):
    """spacecoop.load_table (the library) reads through the one regular-file helper: a FIFO (which
    would block), a device, a directory or a socket is a SpacecoopError of one line naming it."""
    from spacecoop import load_table
    from spacecoop.errors import SpacecoopError

    pkg = copy_package(tmp_path / "pkg")
    _special(pkg / rel, kind)

    def load():
        try:
            load_table("participants", pkg, format=fmt)
        except SpacecoopError as e:
            return str(e)
        return None

    line, _ = bounded(load)
    assert line is not None and "\n" not in line and Path(rel).name in line, line


def test_url_properties_everywhere_frictionless_fetches_nothing(pkg, no_network):
    """validate --frictionless on a package with a URL in every property: no connect(), and one
    line per property spacecoop refuses (path and schema), the rest never reaching frictionless."""
    d = _desc(pkg)
    for p in ("$schema", "profile", "homepage", "image"):
        d[p] = _URL
    d["sources"] = d["licenses"] = [{"path": _URL, "title": "x"}]
    for r in d["resources"]:
        for p in ("extrapaths", "sources", "licenses"):
            r[p] = [_URL]
        for p in ("profile", "$schema", "homepage", "compression", "mediatype"):
            r[p] = _URL
    _res(d, "participants")["path"] = _URL + ".csv"
    _res(d, "programs")["schema"] = _URL + ".json"
    _save(pkg, d)
    result, elapsed = run_cli(["validate", "-p", str(pkg), "--frictionless"], timeout=30)
    assert result.exit_code == 1 and not no_network, no_network
    lines = result.stdout.splitlines()
    assert lines == [
        f"datapackage.json: resource participants: path '{_URL}.csv' is a URL; spacecoop never fetches URLs",
        f"datapackage.json: resource programs schema: path '{_URL}.json' is a URL; spacecoop never fetches URLs",
    ] or all("never fetches URLs" in ln or "participants" in ln or "programs" in ln for ln in lines), lines


def test_url_properties_frictionless_runs_and_fetches_nothing(pkg, no_network):
    """The same without refused paths, so frictionless does run: valid, and no connect()."""
    d = _desc(pkg)
    for p in ("$schema", "profile", "homepage", "image"):
        d[p] = _URL
    for r in d["resources"]:
        for p in ("extrapaths", "sources", "licenses"):
            r[p] = [_URL]
        for p in ("profile", "$schema", "homepage", "compression"):
            r[p] = _URL
        if isinstance(r.get("dialect"), dict):
            r["dialect"]["$schema"] = _URL
    _save(pkg, d)
    result, _ = run_cli(["validate", "-p", str(pkg), "--frictionless", "--json"], timeout=30)
    report = json.loads(result.stdout)
    assert "frictionless" in report["engines"] and not no_network, (no_network, report["problems"][:3])
    assert result.exit_code == 0, report["problems"][:5]


def test_allowlist_copies_no_url(pkg):
    from spacecoop.model import open_package
    from spacecoop.validate.allowlist import allowed

    d = _desc(pkg)
    for r in d["resources"]:
        r.update({k: _URL for k in ("extrapaths", "profile", "$schema", "sources", "x-anything", "compression")})
    d.update({k: _URL for k in ("$schema", "profile", "sources", "contributors", "image")})
    _save(pkg, d)
    text = json.dumps(allowed(open_package(pkg)))
    assert "127.0.0.1" not in text and '"pattern"' not in text


def test_concurrent_builds_take_the_lock(pkg):
    """Two builds at once: the second waits for the first (or refuses in one line); never exit 3."""
    cmd = [sys.executable, "-c", "from spacecoop.cli import main; main()", "build", "-p", str(pkg)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in procs]
    codes = [p.returncode for p in procs]
    assert all(c in (0, 2) for c in codes) and 0 in codes, (codes, outs)
    for (out, err), c in zip(outs, codes):
        if c == 2:
            assert len(err.strip().splitlines()) == 1 and "holds .spacecoop.lock" in err
    result, _ = run_cli(["validate", "-p", str(pkg)])
    assert result.exit_code == 0, result.stdout


def test_a_half_swapped_package_is_settled_before_validate_and_info(pkg):
    import shutil

    (pkg / "data").rename(pkg / ".data.old")  # killed between moving data/ aside and moving the new one in
    for argv in (["validate", "-p", str(pkg)], ["info", "-p", str(pkg)]):
        if not (pkg / "data").exists():
            result, _ = run_cli(argv)
            assert result.exit_code == 0, result.stdout + result.stderr
            assert (pkg / "data").is_dir() and not (pkg / ".data.old").exists()
    shutil.copytree(pkg / "data", pkg / ".data.old")
    os.chmod(pkg, 0o555)  # a read-only copy cannot be settled: one line, exit 2
    try:
        if os.geteuid() != 0:
            result, _ = run_cli(["validate", "-p", str(pkg)])
            assert result.exit_code == 2 and "half-swapped" in result.stderr
    finally:
        os.chmod(pkg, 0o755)


_MEMORY = """
import resource, sys
from spacecoop.cli import main
sys.argv = ["spacecoop"] + sys.argv[1:]
try:
    main()
finally:
    sys.stderr.write("\\nPEAK_KB %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.slow
@pytest.mark.parametrize("builder, argv", [
    (_parquet_wide, ["validate"]), (_parquet_rows, ["validate"]), (_invalid_7mib, ["validate"]),
    (_big_seed, ["build"]), (_big_seed, ["validate"]), (_big_descriptor, ["validate"]), (_big_schema, ["validate"]),
    (_parquet_dictionary_memory, ["validate"]),
], ids=["parquet-decompresses", "parquet-rows", "invalid-rows-7MiB", "seed-build", "seed-validate", "descriptor", "schema",
        "parquet-dictionary-decoded"])
def test_memory_stays_under_1_GB(tmp_path, builder, argv):
    pkg = copy_package(tmp_path / "pkg")
    builder(pkg)
    p = subprocess.run([sys.executable, "-c", _MEMORY, *argv, "-p", str(pkg)], capture_output=True, text=True, timeout=60)
    peak = int(re.search(r"PEAK_KB (\d+)", p.stderr).group(1))
    assert p.returncode in (1, 2), p.stderr[-1000:]
    assert "Traceback" not in p.stderr
    assert peak < 1 << 20, f"peak RSS {peak} KiB"
    assert len(p.stdout.splitlines()) <= 400  # lines capped


def table() -> str:
    counts = Counter(c[0] for c in CASES)
    rows = [f"| {cls} | {n} |" for cls, n in counts.items()]
    return "\n".join(["| class | cases |", "|---|---:|", *rows, f"| all | {len(CASES)} |"])


if __name__ == "__main__":
    print(table())


@pytest.mark.parametrize("argv", [["validate", "--bogus", "--json"], ["info", "-p", "/nonexistent", "--json"],
                                  ["validate", "-p", "/dev/null", "--json"]])
def test_json_on_stdout_at_every_exit_code_through_main(argv):
    """Through the entry point (main()), as a user runs it: a usage error click reports itself
    still leaves JSON on stdout."""
    p = subprocess.run([sys.executable, "-c", "from spacecoop.cli import main; main()", *argv],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode in (1, 2), p.stderr
    assert json.loads(p.stdout)["exit_code"] == p.returncode if "exit_code" in json.loads(p.stdout) else True
    assert "Traceback" not in p.stderr


def test_draft_file_escapes_a_seed_name_with_control_characters(pkg):
    """extract copies the seed's path (from sources.yaml) into the draft's header comment: a newline
    in it must not start a line of YAML, an escape sequence must not reach a terminal that cats it."""
    nasty = "seeds/000\x1b[31m\n- injected: true.txt"
    (pkg / SEED).rename(pkg / nasty)
    p = pkg / "build" / "sources.yaml"
    p.write_text(p.read_text().replace(f"path: {SEED}", "path: " + json.dumps(nasty), 1))
    result, _ = run_cli(["extract", "src-000", "-p", str(pkg)])
    assert result.exit_code == 0, result.stdout + result.stderr
    draft = next((pkg / "build" / "drafts").glob("*.draft.yaml")).read_text()
    assert not CONTROL.search(draft.replace("\n", "")) and "\n- injected" not in draft
    assert "\\x1b[31m\\n- injected" in draft.splitlines()[0]
