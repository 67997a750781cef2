import hashlib
import re

import pytest
import yaml

from curate_helpers import FICTION, cli, copy_repo, snapshot


def _add(root, file, *extra):
    return cli("add-seed", str(file), "--outlet", "Test Wire (fictional)", "--address",
               "https://example.org/fiction/1", *extra, root=root)


def test_add_seed_copies_bytes_and_appends_records(tmp_path):
    root = copy_repo(tmp_path)
    before = snapshot(root)
    p = _add(root, FICTION, "--published", "2031-04")
    assert p.returncode == 0, p.stderr
    digest = hashlib.sha256(FICTION.read_bytes()).hexdigest()
    new = root / "seeds" / f"004_{digest[:16]}.txt"
    assert p.stdout.splitlines()[0] == f"added seeds/{new.name} as src-004; appended it to build/sources.yaml and reference ref-src-004-page to build/references.yaml"
    assert new.read_bytes() == FICTION.read_bytes()
    after = snapshot(root)
    for name in ("build/sources.yaml", "build/references.yaml"):
        assert after[name].startswith(before[name])  # existing bytes kept, text appended
    for name, data in before.items():  # nothing else changed, no seed touched
        if name not in ("build/sources.yaml", "build/references.yaml"):
            assert after[name] == data
    src = yaml.safe_load(after["build/sources.yaml"])[-1]
    assert src["id"] == "src-004" and src["outlet_basis"] == "reference" and src["metadata_reference"] == "ref-src-004-page"
    assert src["published"] == {"value": "2031-04", "precision": "month", "basis": "reference", "reference": "ref-src-004-page"}
    assert cli("build", root=root).returncode == 0
    v = cli("validate", root=root)
    assert v.returncode == 0, v.stdout + v.stderr


def test_existing_reference_and_no_date(tmp_path):
    root = copy_repo(tmp_path)
    before = snapshot(root)
    p = _add(root, FICTION, "--reference", "ref-menafn-article")
    assert p.returncode == 0, p.stderr
    after = snapshot(root)
    assert after["build/references.yaml"] == before["build/references.yaml"]
    src = yaml.safe_load(after["build/sources.yaml"])[-1]
    assert src["metadata_reference"] == "ref-menafn-article" and "published" not in src


def _refused(tmp_path, file, *extra, message):
    root = copy_repo(tmp_path)
    before = snapshot(root)
    p = _add(root, file, *extra)
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("spacecoop add-seed: ") and re.search(message, lines[0]), p.stderr
    assert snapshot(root) == before  # nothing written, nothing overwritten


def test_refuses_a_file_that_is_already_a_seed(tmp_path):
    (tmp_path / "a").mkdir()
    seed = next((copy_repo(tmp_path / "a") / "seeds").glob("003_*"))
    _refused(tmp_path, seed, message=r"already a seed: seeds/003_f6d3eb4ef6c6ac45\.txt")


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b" \n\n\t\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes: a binary file"),
    ("Caf\u00e9 talks in Moscow.".encode("latin-1"), r"not valid UTF-8 \(line 1, byte 3\)"),
    (b"\xef\xbb\xbfChina and Russia met.\n", "byte-order mark"),
    (b"Talks\x07 held.\n", "control character U\\+0007"),
])
def test_refuses_bad_files(tmp_path, content, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    _refused(tmp_path, f, message=message)


def test_refuses_a_huge_file(tmp_path):
    f = tmp_path / "huge.txt"
    f.write_bytes(b"China and Russia held talks. " * 100_000)  # ~2.9 MB
    _refused(tmp_path, f, message="too large for a news article")


def test_refuses_missing_file_and_directory(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _refused(tmp_path / "a", tmp_path / "nope.txt", message="cannot read")
    _refused(tmp_path / "b", tmp_path, message="is a directory")


@pytest.mark.parametrize("extra, message", [
    (("--published", "2031-13"), "has no month 13"),
    (("--published", "12 April 2031"), "give YYYY-MM-DD, YYYY-MM or YYYY"),
    (("--published", "2031-02-30"), "not a real calendar day"),
    (("--reference", "ref-nothing"), "not an id in build/references.yaml"),
    (("--language", "English"), "ISO 639-1"),
])
def test_refuses_bad_metadata(tmp_path, extra, message):
    _refused(tmp_path, FICTION, *extra, message=message)


def test_refuses_an_address_that_is_not_a_uri(tmp_path):
    root = copy_repo(tmp_path)
    before = snapshot(root)
    p = cli("add-seed", str(FICTION), "--outlet", "X", "--address", "example.org/page", root=root)
    assert p.returncode == 1 and "full web address" in p.stderr
    assert snapshot(root) == before


def test_crlf_file_is_kept_byte_for_byte_and_builds(tmp_path):
    root = copy_repo(tmp_path)
    f = tmp_path / "crlf.txt"
    f.write_bytes(FICTION.read_bytes().replace(b"\n", b"\r\n"))
    p = _add(root, f)
    assert p.returncode == 0 and "CRLF" in p.stderr
    assert next((root / "seeds").glob("004_*")).read_bytes() == f.read_bytes()
    assert cli("build", root=root).returncode == 0


def test_refuses_a_formula_outlet_before_writing(tmp_path):
    root = copy_repo(tmp_path)
    before = snapshot(root)
    p = cli("add-seed", str(FICTION), "--outlet", "=HYPERLINK(1)", "--address", "https://example.org/x", root=root)
    assert p.returncode == 1
    assert "--outlet: '=HYPERLINK(1)' starts with '='" in p.stderr
    assert snapshot(root) == before


def test_language_code_that_yaml_reads_as_a_boolean_still_builds(tmp_path):
    # 'no' (Norwegian) is a boolean to YAML 1.1 unless quoted.
    root = copy_repo(tmp_path)
    p = cli("add-seed", str(FICTION), "--outlet", "Test Wire (fictional)", "--address", "https://example.org/x",
            "--language", "no", root=root)
    assert p.returncode == 0, p.stderr
    b = cli("build", root=root)
    assert b.returncode == 0, b.stderr
    rows = (root / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()
    assert any(",no,news_article," in r for r in rows)
