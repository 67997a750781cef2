"""The registry of package rules: what neither the Table Schema nor pandera can say.

A rule is a small class registered once with `@register`: a name (the `check` of every problem it
reports), a message template (formatted with the columns of each failing row), and hooks the
validator calls as it streams the package, one table at a time and each table in batches:

    begin(run)          once, before any table is read
    start(run, t)       before table t's first batch (and before the table read before t is finished)
    probe(run, t)       an expression true on the rows batch() may report, or None (see Rule.probe);
                        asked, like start, before the table read before t is finished
    batch(run, t, df)   each batch (where the probe holds): df holds text columns and ROW (0-based record index)
    finish(run, t)      after t's last batch; t.frame then holds ROW and the kept columns
    end(run)            once, after every table
    close(run)          only if validation stops on an exception: release what start() opened

A rule with `early = True` reads, in end(), only the kept columns of the tables its keep() names:
it runs in a thread as soon as those tables are read, beside the tables still streaming.

Each hook returns a list of Problems (usually `self.hits(run, t, frame)`). `keep(run)` names the
columns a rule needs after a table's rows are gone (given run.order), and `holds` those it still
needs as tables are read; `after(pkg)` the tables that must be read before a table. A small
package is one batch of the same path.

`needs` declares the tables, and their columns, a rule reads: a package whose descriptor lacks one
is told so in one line naming the table and the rule (checks/shape.py), so a rule is never skipped
in silence because its input was removed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Package
from ..problems import Problem
from ..table import ROW, Table, collect

RULES: list["Rule"] = []


def register(cls):
    RULES.append(cls())
    return cls


@dataclass
class Run:
    pkg: Package
    max_per_check: int
    order: list[str] = field(default_factory=list)           # the tables, in the order they are read
    tables: dict[str, Table] = field(default_factory=dict)   # tables read so far
    texts: dict[str, str] = field(default_factory=dict)      # seed texts by source_id
    state: dict = field(default_factory=dict)                # per (rule, table)

    @classmethod
    def of(cls, pkg: Package, max_per_check: int) -> "Run":
        """A run over pkg, its tables in the order the rules' after() and the foreign keys ask."""
        after: dict[str, set[str]] = {}
        for r in RULES:
            for name, deps in r.after(pkg).items():
                after.setdefault(name, set()).update(deps)
        return cls(pkg, max_per_check, order=pkg.table_names(after))

    def collect(self, query):
        """Run a query over tables read (table.collect, as large as the largest read so far)."""
        return collect(query, max((t.rows for t in list(self.tables.values())), default=0))


class Rule:
    name = ""
    message = ""
    needs: dict[str, tuple[str, ...]] = {}   # table -> columns this rule reads (reported if lacking)
    early = False                            # end() reads only the tables keep() names (see above)

    def needed(self, pkg: Package) -> dict[str, tuple[str, ...]]:
        """needs, and the tables the package's own vocabularies name for this rule (evidence.table, ...)."""
        return dict(self.needs)

    def keep(self, run: Run) -> dict[str, tuple[str, ...]]:
        return {}

    def holds(self, run: Run, kept: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """Of the columns keep() gave (kept), those the rule still needs, now that run.tables are
        read; the others are dropped. All of them until its end() has run, unless it says so."""
        return kept

    def after(self, pkg: Package) -> dict[str, set[str]]:
        return {}

    def begin(self, run: Run) -> list[Problem]:
        return []

    def start(self, run: Run, t: Table) -> list[Problem]:
        return []

    def probe(self, run: Run, t: Table):
        """An expression over a batch's columns, true on every row batch() may report (it may be
        true on more). The validator asks every probe and the field checks in one query per batch,
        and calls batch() only where its probe holds on some row. None: batch() always runs."""
        return None

    def batch(self, run: Run, t: Table, df) -> list[Problem]:
        return []

    def finish(self, run: Run, t: Table) -> list[Problem]:
        return []

    def end(self, run: Run) -> list[Problem]:
        return []

    def close(self, run: Run) -> None:
        return None

    def hits(self, run: Run, t: Table, frame, field: str | None = None, message=None) -> list[Problem]:
        """A problem per row of frame (ROW, and the template's columns), in row order: the first
        max_per_check, then one line counting the rest. message: a template or a function of the row.
        A row in frame more than once (a stage dated before several others) is one line, the first
        of its hits in the order of their values: a line is named by its row, and the same input
        gives the same line and the same count in either of polars' engines, whatever order a
        join left them in."""
        import polars as pl

        if not frame.height:
            return []
        template = message or self.message
        ties = [pl.col(c).cast(pl.String) for c, dtype in frame.schema.items() if c != ROW and not dtype.is_nested()]
        frame = frame.sort(ROW, *ties).unique(ROW, keep="first", maintain_order=True)
        out = [Problem(t.file, template(r) if callable(template) else template.format(**r), table=t.name, row=r[ROW] + 2, field=field, check=self.name,
                       engines=["rules"]) for r in frame.head(run.max_per_check).iter_rows(named=True)]
        if frame.height > run.max_per_check:
            out.append(more(t, field, self.name, frame.height - run.max_per_check, ["rules"]))
        return out


def more(t: Table, field: str | None, check: str, n: int, engines: list[str]) -> Problem:
    return Problem(t.file, f"and {n} more rows fail the same check", table=t.name, field=field, check=check, engines=engines)


def first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


from . import codebook, dates, evidence, files, formula, ids, keys, parquet, shape  # noqa: E402,F401  # each module registers its rules
