"""The stated limits on untrusted input, in one place (the README lists them). Each is enforced
where the input is read, and an error over a limit names the limit."""
from __future__ import annotations

MiB = 1 << 20

DESCRIPTOR_BYTES = 10 * MiB        # datapackage.json
SCHEMA_BYTES = 1 * MiB             # one Table Schema file
RESOURCES = 1000                   # resources in one descriptor
YAML_BYTES = 20 * MiB              # one curation YAML file (build/*.yaml, sources.yaml)
SEED_BYTES = 2 * MiB               # one seed text (add-seed, extract); read at most this + 1 bytes
# A Parquet twin, from its footer before any data is read: rows at most its CSV's bytes / columns
# and PARQUET_ROWS; decompressed size at most PARQUET_RATIO x its CSV's bytes + 1 MiB.
PARQUET_ROWS = 50_000_000
BUILD_ERRORS_SHOWN = 20            # build errors printed, then one line counting the rest
PARQUET_RATIO = 8
# Also: a CSV row 1 MiB, a header 64 KiB (validate/csvscan.py); rows listed per check 20
# (validate/problems.py, the true count in one "and N more" line).


def human(n: int) -> str:
    """A limit in words: 2 MiB, 64 KiB, 5000000."""
    for unit, size in (("GiB", 1 << 30), ("MiB", MiB), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return str(n)
