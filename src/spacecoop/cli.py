"""The `spacecoop` command. Imports live inside the commands so that --help answers fast."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    name="spacecoop",
    help="Build, validate and cite the China–Russia Space Cooperation data package.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=True,
)


def _err(line: str) -> None:
    typer.echo(line, err=True)


@app.command()
def build(
    root: Path = typer.Option(None, "--root", help="Repository root (default: this clone)."),
) -> None:
    """Build data/ and datapackage.json from the curation files in build/.

    Example: spacecoop build
    """
    from .build import BuildFailed, build as run_build
    from .paths import repo_root

    root = root or repo_root()
    try:
        result = run_build(root)
    except BuildFailed as e:
        for err in e.errors:
            _err(str(err))
        _err(f"build failed: {len(e.errors)} error(s); data/ and datapackage.json are unchanged")
        raise typer.Exit(1)
    total = sum(result.counts.values())
    typer.echo(f"built {len(result.counts)} tables, {total} rows; {len(result.changed)} file(s) changed")
    for name in result.changed:
        typer.echo(f"  changed {name}")


@app.command()
def validate(
    path: Optional[Path] = typer.Argument(None, help="Package directory or datapackage.json (default: this package)."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON report instead of lines."),
    engine: list[str] = typer.Option(None, "--engine", help="Run only these engines: frictionless, pandera, rules, polars (repeatable). Default: frictionless, pandera and rules for a package whose CSVs total up to 8 MiB, else polars and rules."),
) -> None:
    """Validate a data package: frictionless, pandera and the package's own rules.

    Prints one line per problem (file, table, row, field, what is wrong).
    Exit 0 valid, 1 invalid, 2 usage error.

    Example: spacecoop validate datapackage.json --json
    """
    import json

    from .paths import default_package_dir
    from .validate import ENGINES, validate as run_validate

    target = path or default_package_dir()
    if not target.exists():
        _err(f"spacecoop validate: {target}: no such file or directory")
        raise typer.Exit(2)
    if target.is_dir() and not (target / "datapackage.json").is_file():
        _err(f"spacecoop validate: {target}: no datapackage.json here; give a package directory or its datapackage.json")
        raise typer.Exit(2)
    engines = tuple(engine) if engine else None
    bad = [e for e in engines or () if e not in ENGINES]
    if bad:
        _err(f"spacecoop validate: unknown engine {bad[0]!r}; choose from {', '.join(ENGINES)}")
        raise typer.Exit(2)
    report = run_validate(target, engines)
    if json_out:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for p in report.problems:
            typer.echo(p.line())
        verdict = "valid" if report.valid else f"invalid: {len(report.problems)} problem(s)"
        how = f"{report.rows} rows checked by {', '.join(report.engines)}" if report.engines else "the descriptor cannot be read; no table was checked"
        typer.echo(f"{report.package}: {verdict} ({how})", err=not report.valid)
    if _ENTRY_POINT:
        # Run as the `spacecoop` command, this process is done: skip the interpreter's teardown of
        # pandas, pandera and frictionless (0.14 s of the curated package's 0.9 s).
        import os

        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:  # a reader that went away (`| head`)
                pass
        os._exit(0 if report.valid else 1)
    raise typer.Exit(0 if report.valid else 1)


@app.command()
def info(
    path: Optional[Path] = typer.Argument(None, help="Package directory (default: this package)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the table list as Markdown rows (for the README)."),
) -> None:
    """Show the package's name, version, and each table with its row count.

    Example: spacecoop info
    """
    from .info import markdown_table, package_info
    from .paths import default_package_dir

    try:
        meta, rows = package_info(path or default_package_dir())
    except (OSError, ValueError, KeyError) as e:
        _err(f"spacecoop info: cannot read the package: {e}")
        raise typer.Exit(2)
    if markdown:
        typer.echo(markdown_table(rows))
        return
    typer.echo(f"{meta.get('title', meta.get('name'))} — {meta.get('name')} {meta.get('version')}")
    width = max(len(t) for t, _, _ in rows)
    typer.echo(f"{'table'.ljust(width)}  {'rows':>6}  description")
    for table, n, desc in rows:
        typer.echo(f"{table.ljust(width)}  {n:>6}  {desc}")


# --- curation tools (issue #3): coverage, extract, add-seed -------------------------------------


@app.command()
def coverage(
    root: Path = typer.Option(None, "--root", help="Repository root (default: this clone)."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON report instead of the table."),
) -> None:
    """Show, for each seed, each sentence and whether evidence cites it or build/exclusions.yaml leaves it out.

    Exit 0 when every sentence is cited or excluded, 1 when one is MISSING or an exclusion is
    wrong, 2 when the curation or the rules do not load.

    Example: spacecoop coverage --json
    """
    import json

    from .coverage import CoverageUnavailable, coverage as run_coverage, table_lines
    from .paths import repo_root
    from .yamlfile import CurationError

    root = root or repo_root()
    try:
        report = run_coverage(root)
    except CoverageUnavailable as e:
        for err in e.errors:
            _err(str(err))
        _err("spacecoop coverage: the curation does not load; fix the errors above (spacecoop build shows them too)")
        raise typer.Exit(2)
    except CurationError as e:
        _err(str(e))
        raise typer.Exit(2)
    if json_out:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for line in table_lines(report):
            typer.echo(line)
        for p in report.problems:
            _err(str(p))
        typer.echo(report.summary(), err=not report.ok)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def extract(
    seed: str = typer.Argument(..., help="The seed: its file (seeds/004_....txt) or its source id (src-004)."),
    root: Path = typer.Option(None, "--root", help="Repository root (default: this clone)."),
) -> None:
    """Read one seed and write a draft curation file of candidates (dates, participants, names, cues).

    The draft goes to a new file in build/drafts/ (never over an existing one); each candidate
    has its quote, offsets and an accept: block in the format of build/*.yaml.

    Example: spacecoop extract seeds/003_f6d3eb4ef6c6ac45.txt
    """
    from .extract import ExtractError, run_extract
    from .paths import repo_root

    root = (root or repo_root()).resolve()
    try:
        path, d = run_extract(root, seed)
    except ExtractError as e:
        _err(f"spacecoop extract: {e}")
        raise typer.Exit(2)
    try:
        shown = path.relative_to(root)
    except ValueError:
        shown = path
    counts = ", ".join(f"{len(d[k])} {k.replace('_', ' ')}" for k in ("sentences", "dates", "participants", "new_participants", "places", "records", "fields"))
    typer.echo(f"wrote {shown}: {counts}")


@app.command("add-seed")
def add_seed(
    file: Path = typer.Argument(..., help="The article as a UTF-8 text file."),
    outlet: str = typer.Option(..., "--outlet", help="The news outlet that published it."),
    address: str = typer.Option(..., "--address", help="The article's web address (http:// or https://)."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date as the page gives it: YYYY-MM-DD, YYYY-MM or YYYY."),
    language: str = typer.Option("en", "--language", help="ISO 639-1 code of the article's language."),
    reference: Optional[str] = typer.Option(None, "--reference", help="An existing reference in build/references.yaml that gives the metadata (default: record the page as a new one)."),
    root: Path = typer.Option(None, "--root", help="Repository root (default: this clone)."),
) -> None:
    """Copy a new article byte for byte into seeds/ and append its source record to build/sources.yaml.

    The outlet, address and date are metadata from the curator, not the seed's words: they are
    recorded as a reference (the article's page) and given basis 'reference'. Refuses a file that
    is already a seed, empty, binary, not UTF-8 or with a byte-order mark; changes nothing then.

    Example: spacecoop add-seed article.txt --outlet "Example Wire" --address https://example.org/a --published 2024-08-09
    """
    from .addseed import AddSeedError, add_seed as run_add_seed
    from .paths import repo_root

    root = (root or repo_root()).resolve()
    try:
        added = run_add_seed(root, file, outlet, address, published, language, reference)
    except AddSeedError as e:
        _err(f"spacecoop add-seed: {e}")
        raise typer.Exit(1)
    for note in added.notes:
        _err(note)
    made = f" and reference {added.reference_id} to build/references.yaml" if added.created_reference else ""
    typer.echo(f"added {added.seed.relative_to(root)} as {added.source_id}; appended it to build/sources.yaml{made}")
    typer.echo(f"next: spacecoop extract {added.source_id}")


# --- issue 4: export, cite, diff, docs, plot -------------------------------------------------

export_app = typer.Typer(help="Write every table into a SQL database file, with keys and descriptions.\n\n"
                              "Example: spacecoop export sqlite spacecoop.db",
                         rich_markup_mode=None, no_args_is_help=True)
plot_app = typer.Typer(help="Draw the package as pictures (SVG and PNG).\n\nExample: spacecoop plot timeline -o docs/img",
                       rich_markup_mode=None, no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(plot_app, name="plot")


def _export(dialect: str, out: Path, force: bool, package: Optional[Path], metadata: Optional[Path] = None) -> None:
    from .paths import default_package_dir
    from .progress import Progress
    from .sqlexport import ExportError, export

    root = package or default_package_dir()
    progress = Progress(f"exporting to {out}")
    try:
        counts = export(root, out, dialect, force=force, metadata=metadata, progress=progress)
    except ExportError as e:
        progress.done()
        _err(f"spacecoop export {dialect}: {e}")
        raise typer.Exit(2 if e.usage else 1)
    except (OSError, ValueError) as e:  # e.g. OUT under a file, or not writable
        progress.done()
        _err(f"spacecoop export {dialect}: {e}")
        raise typer.Exit(1)
    progress.done()
    typer.echo(f"wrote {out}: {len(counts)} tables, {sum(counts.values())} rows, with primary and foreign keys")
    if dialect == "sqlite":
        meta = metadata or out.parent / "metadata.json"
        typer.echo(f"wrote {meta}: datasette metadata; browse with: datasette {out} -m {meta}")


@export_app.command("sqlite")
def export_sqlite(
    out: Path = typer.Argument(..., help="The SQLite file to write, e.g. spacecoop.db."),
    force: bool = typer.Option(False, "--force", help="Replace OUT (and its metadata.json) if they exist."),
    metadata: Optional[Path] = typer.Option(None, "--metadata", help="Where to write datasette metadata (default: metadata.json beside OUT)."),
    package: Optional[Path] = typer.Option(None, "--package", help="Package directory (default: this package)."),
) -> None:
    """Write every table into a SQLite file, with datasette metadata beside it.

    Tables get their primary and foreign keys, NOT NULL and vocabulary CHECKs; descriptions go into
    the _tables, _columns and _vocabularies tables and into metadata.json.

    Example: spacecoop export sqlite spacecoop.db && datasette spacecoop.db -m metadata.json
    """
    _export("sqlite", out, force, package, metadata)


@export_app.command("duckdb")
def export_duckdb(
    out: Path = typer.Argument(..., help="The DuckDB file to write, e.g. spacecoop.duckdb."),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
    package: Optional[Path] = typer.Option(None, "--package", help="Package directory (default: this package)."),
) -> None:
    """Write every table into a DuckDB file, with keys and COMMENTs from the schemas.

    Needs the [sql] extra: pip install 'spacecoop[sql]'.

    Example: spacecoop export duckdb spacecoop.duckdb
    """
    _export("duckdb", out, force, package)


@app.command()
def cite(
    fmt: str = typer.Option("text", "--format", "-f", help="text, bibtex, cff or csl-json."),
    package: Optional[Path] = typer.Option(None, "--package", help="Package directory (default: this package)."),
    write: bool = typer.Option(False, "--write", help="Regenerate CITATION.cff from datapackage.json."),
    check: bool = typer.Option(False, "--check", help="Exit 1 if CITATION.cff is out of step with datapackage.json."),
) -> None:
    """Print how to cite this exact version of the data package.

    Example: spacecoop cite --format bibtex
    """
    from . import cite as c
    from .paths import default_package_dir

    root = package or default_package_dir()
    if fmt not in c.FORMATS:
        _err(f"spacecoop cite: unknown format {fmt!r}; choose from {', '.join(c.FORMATS)}")
        raise typer.Exit(2)
    try:
        desc = c.read_descriptor(root)
        if check:
            problems = c.check_cff(root)
            for line in problems:
                _err(line)
            if problems:
                raise typer.Exit(1)
            typer.echo(f"CITATION.cff matches datapackage.json (version {desc.get('version')}, released {c.released(desc)})")
            return
        if write:
            from .atomic import write_file

            write_file(root / "CITATION.cff", c.cff(desc).encode("utf-8"))
            typer.echo(f"wrote {root / 'CITATION.cff'} (version {desc.get('version')}, released {c.released(desc)})")
            return
        typer.echo(c.render(desc, fmt))
    except (OSError, ValueError) as e:
        _err(f"spacecoop cite: {e}")
        raise typer.Exit(2)


@app.command()
def diff(
    old: str = typer.Argument(..., help="Old package: a directory, its datapackage.json, or a git ref (v0.1.0, HEAD~1)."),
    new: str = typer.Argument(".", help="New package: same forms (default: the working tree here)."),
    json_out: bool = typer.Option(False, "--json", help="Print the differences as JSON."),
    repo: Optional[Path] = typer.Option(None, "--repo", help="Git repository for refs (default: this clone)."),
    width: int = typer.Option(0, "--width", help="Clip long values to this many columns (default: the terminal's)."),
) -> None:
    """Show what changed between two versions of the package: rows added, removed and changed.

    Rows are matched by primary key; for a changed row, each changed field with old and new value.
    Exit 0 when there is no difference, 1 when there are differences, 2 on a usage error.

    Example: spacecoop diff HEAD~1 HEAD
    """
    import json
    import shutil

    from .datadiff import DiffError, diff_packages, render_text, resolve
    from .paths import repo_root
    from .progress import Progress

    git_repo = repo or repo_root()
    try:
        with resolve(old, git_repo) as (old_dir, old_label), resolve(new, git_repo) as (new_dir, new_label):
            progress = Progress("comparing tables")
            result = diff_packages(old_dir, new_dir, old_label, new_label, progress=progress)
            progress.done()
    except DiffError as e:
        _err(f"spacecoop diff: {e}")
        raise typer.Exit(2)
    if json_out:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_text(result, width or shutil.get_terminal_size((100, 24)).columns))
    raise typer.Exit(0 if result.empty else 1)


@app.command()
def docs(
    check: bool = typer.Option(False, "--check", help="Exit 1 if docs/data-dictionary.md is stale; write nothing."),
    package: Optional[Path] = typer.Option(None, "--package", help="Package directory (default: this package)."),
) -> None:
    """Generate docs/data-dictionary.md from the Table Schemas.

    Example: spacecoop docs --check
    """
    from .dictionary import OUTPUT, render, stale
    from .paths import default_package_dir

    root = package or default_package_dir()
    if not (root / "datapackage.json").is_file():
        _err(f"spacecoop docs: {root}: no datapackage.json here; give a package directory with --package")
        raise typer.Exit(2)
    target = root / OUTPUT
    if check:
        if not target.is_file():
            _err(f"{OUTPUT} does not exist; run `spacecoop docs` to generate it, and commit it")
            raise typer.Exit(1)
        if stale(root, target):
            _err(f"{OUTPUT} is stale: the schemas changed since it was generated; run `spacecoop docs` and commit it")
            raise typer.Exit(1)
        typer.echo(f"{OUTPUT} is up to date")
        return
    from .atomic import write_file

    try:
        write_file(target, render(root).encode("utf-8"))
    except OSError as e:
        _err(f"spacecoop docs: cannot write {target}: {e.strerror or e}")
        raise typer.Exit(1)
    typer.echo(f"wrote {target}")


def _plot(kind: str, out_dir: Path, package: Optional[Path]) -> None:
    from .paths import default_package_dir
    from .progress import Progress

    try:
        from . import plots
    except ImportError as e:
        _err(f"spacecoop plot: {e}; install the [plot] extra: pip install 'spacecoop[plot]'")
        raise typer.Exit(2)
    progress = Progress(f"drawing {kind}")
    try:
        paths = plots.draw(kind, package or default_package_dir(), out_dir, progress=progress)
    except (FileNotFoundError, ValueError) as e:
        progress.done()
        _err(f"spacecoop plot {kind}: {e}")
        raise typer.Exit(1)
    except OSError as e:  # out_dir cannot be made or written
        progress.done()
        _err(f"spacecoop plot {kind}: cannot write into {out_dir}: {e.strerror or e}; give a writable directory with -o")
        raise typer.Exit(1)
    progress.done()
    for p in paths:
        typer.echo(f"wrote {p}")


@plot_app.command("timeline")
def plot_timeline(
    out_dir: Path = typer.Option(Path("docs/img"), "--out-dir", "-o", help="Directory for timeline.svg and timeline.png."),
    package: Optional[Path] = typer.Option(None, "--package", help="Package directory (default: this package)."),
) -> None:
    """Draw agreements, meetings and programs on a time axis (SVG and PNG).

    A month- or year-precision date is drawn as its span from earliest to latest day; a known day
    as a point. Marker and label say the date's precision and basis.

    Example: spacecoop plot timeline -o docs/img
    """
    _plot("timeline", out_dir, package)


@plot_app.command("network")
def plot_network(
    out_dir: Path = typer.Option(Path("docs/img"), "--out-dir", "-o", help="Directory for network.svg and network.png."),
    package: Optional[Path] = typer.Option(None, "--package", help="Package directory (default: this package)."),
) -> None:
    """Draw participants and the agreements, programs and meetings that link them (SVG and PNG).

    Example: spacecoop plot network -o docs/img
    """
    _plot("network", out_dir, package)


_ENTRY_POINT = False  # True when main() runs this process (not a CliRunner in tests)


def main() -> None:
    """Entry point: no traceback reaches the user, whatever happens."""
    global _ENTRY_POINT
    _ENTRY_POINT = True
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except Exception as e:  # last resort: one line, not a traceback
        _err(f"spacecoop: internal error: {type(e).__name__}: {e} (please report this)")
        sys.exit(3)


if __name__ == "__main__":
    main()
