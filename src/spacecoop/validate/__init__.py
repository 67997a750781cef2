"""`spacecoop validate`: frictionless, pandera and the package's own rules, one line per problem."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .package import PackageError, open_package
from .problems import Problem, merge

ENGINES = ("frictionless", "pandera", "rules")


@dataclass
class Report:
    package: str
    problems: list[Problem] = field(default_factory=list)
    engines: tuple[str, ...] = ENGINES
    rows: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"package": self.package, "valid": self.valid, "engines": list(self.engines),
                "rows": self.rows, "problems": [p.as_dict() for p in self.problems]}


def validate(path: Path, engines: tuple[str, ...] = ENGINES) -> Report:
    """Validate the data package at path (a directory or its datapackage.json)."""
    from . import pandera_engine, rules
    from .tables import read_tables

    try:
        pkg = open_package(Path(path))
    except PackageError as e:
        return Report(str(path), [e.problem], engines)
    problems: list[Problem] = []
    tables, read_problems = read_tables(pkg)
    problems += read_problems
    unsafe = [p for p in read_problems if p.check == "path"]
    if "pandera" in engines:
        for t in tables.values():
            problems += pandera_engine.check(t)
    if "rules" in engines:
        problems += rules.check_files(pkg)
        texts, seed_problems = rules.check_seeds(pkg, tables)
        problems += seed_problems
        problems += rules.check_evidence(tables, texts)
        problems += rules.check_dates(tables)
        problems += rules.check_link_ids(tables)
        problems += rules.check_errata(tables)
        problems += rules.check_parquet(pkg, tables)
    for p in problems:
        p.engines = p.engines or ["rules"]
    # frictionless last: where it finds what pandera or the rules found, their wording is kept.
    if "frictionless" in engines and not unsafe:
        from . import frictionless_engine

        problems += frictionless_engine.check(pkg, {n: t.schema.primary_key for n, t in tables.items()})
    rows = sum(len(t.frame) for t in tables.values())
    return Report(str(pkg.descriptor_path), merge(problems), engines, rows)
