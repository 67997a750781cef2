"""The `spacecoop` command. Imports live inside the commands so that --help answers fast."""
from __future__ import annotations

import functools
import gc
import os
import signal
import sys
from pathlib import Path
from typing import Optional

import typer

# polars' allocator (jemalloc) in one arena, not four per core: the validator's threads hand
# batches to one another, and a 1M-row package took ~2.5 s (6 %) more with the default, most of it
# the kernel's page faults (benchmarks/RESULTS.md). Read when polars loads, so set before any
# command imports it; a value set in the environment is kept.
os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1")

app = typer.Typer(
    name="spacecoop",
    help="Build, validate and cite the China–Russia Space Cooperation data package.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=True,
)


PACKAGE_HELP = "The package: its directory or datapackage.json (default: the repository around the current directory, else the copy shipped with spacecoop)."
REPO_HELP = "The repository to change (default: from the current directory up, the first directory holding datapackage.json and build/)."


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _package_option(help: str = PACKAGE_HELP):
    return typer.Option(None, "--package", "-p", help=help)


def fails_once(name: str):
    """Each command's one way to fail: a SpacecoopError is its lines, then `spacecoop NAME: message`
    on stderr (and with --json, {"error", "exit_code"} on stdout), and its exit code."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            from .errors import SpacecoopError

            try:
                return fn(*args, **kwargs)
            except SpacecoopError as e:
                from .safety import escape  # a message may quote the input

                for line in e.lines:
                    _err(escape(line))
                _err(f"spacecoop {name}: {escape(e)}")
                if kwargs.get("json_out"):
                    import json

                    typer.echo(json.dumps({"error": str(e), "exit_code": e.exit_code}, ensure_ascii=False))
                raise typer.Exit(e.exit_code)
        return run
    return wrap


@app.command()
@fails_once("build")
def build(package: Optional[Path] = _package_option(REPO_HELP)) -> None:
    """Build data/ and datapackage.json from the curation files in build/.

    Example: spacecoop build
    """
    from .build import build as run_build
    from .paths import find_repo

    result = run_build(find_repo(package))
    total = sum(result.counts.values())
    typer.echo(f"built {len(result.counts)} tables, {total} rows; {len(result.changed)} file(s) changed")
    for name in result.changed:
        typer.echo(f"  changed {name}")


@app.command()
@fails_once("validate")
def validate(
    package: Optional[Path] = _package_option(),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON report instead of lines."),
    frictionless: bool = typer.Option(False, "--frictionless", help="Run frictionless-py, the conformance engine, too (cell by cell: ~28k rows/s; CI runs it on the real package)."),
    max_per_check: int = typer.Option(20, "--max-per-check", min=1, help="Rows listed per table, field and check before one line counting the rest."),
) -> None:
    """Validate a data package: pandera (polars) for the fields, the package's own rules, and frictionless-py.

    Prints one line per problem (file, table, row, field, what is wrong), the same at every size.
    Exit 0 valid, 1 invalid, 2 usage error.

    Example: spacecoop validate -p path/to/datapackage.json --json
    """
    import json

    from .errors import SpacecoopError
    from .paths import default_package_dir
    from .validate import validate as run_validate

    target = package or default_package_dir()
    if not target.exists():
        raise SpacecoopError(f"{target}: no such file or directory")
    if target.is_dir() and not (target / "datapackage.json").is_file():
        raise SpacecoopError(f"{target}: no datapackage.json here; give a package directory or its datapackage.json")
    unpacked = None
    if target.is_file() and target.suffix.lower() == ".zip":  # a release archive: read as its folder
        from .archive import unpack

        target, unpacked = unpack(target)
    if not unpacked:
        from .lock import settle

        settle(target if target.is_dir() else target.parent)
    try:
        report = run_validate(target, frictionless=frictionless, max_per_check=max_per_check)
    finally:
        if unpacked:
            import shutil

            shutil.rmtree(unpacked, ignore_errors=True)
    if unpacked:
        report.package = str(package)
    if json_out:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for p in report.problems:
            typer.echo(p.line())
        verdict = "valid" if report.valid else f"invalid: {len(report.problems)} problem(s)"
        how = f"{report.rows} rows checked by {', '.join(report.engines)}" if report.engines else "the descriptor cannot be read; no table was checked"
        typer.echo(f"{report.package}: {verdict} ({how})", err=not report.valid)
    raise typer.Exit(0 if report.valid else 1)


@app.command()
@fails_once("info")
def info(
    package: Optional[Path] = _package_option(),
    markdown: bool = typer.Option(False, "--markdown", help="Print the table list as Markdown rows (for the README)."),
    json_out: bool = typer.Option(False, "--json", help="Print name, version and each table's rows as JSON."),
) -> None:
    """Show the package's name, version, and each table with its row count.

    Example: spacecoop info
    """
    import json

    from .errors import SpacecoopError
    from .info import markdown_table, package_info
    from .paths import default_package_dir

    from .lock import settle

    target = package or default_package_dir()
    if target.exists():
        settle(target if target.is_dir() else target.parent)
    try:
        meta, rows = package_info(target)
    except (OSError, UnicodeDecodeError) as e:
        raise SpacecoopError(f"cannot read the package: {e}") from None
    if json_out:
        typer.echo(json.dumps({"name": meta.get("name"), "title": meta.get("title"), "version": meta.get("version"),
                               "tables": [{"table": t, "rows": n, "description": d} for t, n, d in rows]}, indent=2, ensure_ascii=False))
    elif markdown:
        typer.echo(markdown_table(rows))
    else:
        from .safety import escape

        typer.echo(escape(f"{meta.get('title', meta.get('name'))} — {meta.get('name')} {meta.get('version')}"))
        width = max(len(escape(t)) for t, _, _ in rows)
        typer.echo(f"{'table'.ljust(width)}  {'rows':>6}  description")
        for table, n, desc in rows:
            typer.echo(f"{escape(table).ljust(width)}  {n:>6}  {escape(desc)}")


# --- curation tools (issue #3): coverage, extract, add-seed -------------------------------------


@app.command()
@fails_once("coverage")
def coverage(
    package: Optional[Path] = _package_option(REPO_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON report instead of the table."),
) -> None:
    """Show, for each seed, each sentence and whether evidence cites it or build/exclusions.yaml leaves it out.

    Exit 0 when every sentence is cited or excluded, 1 when one is MISSING or an exclusion is
    wrong, 2 when the curation or the rules do not load.

    Example: spacecoop coverage --json
    """
    import json

    from .coverage import coverage as run_coverage, table_lines
    from .paths import find_repo

    report = run_coverage(find_repo(package))
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
@fails_once("extract")
def extract(
    seed: str = typer.Argument(..., help="The seed: its file (seeds/004_....txt) or its source id (src-004)."),
    package: Optional[Path] = _package_option(REPO_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the draft's path and counts as JSON."),
) -> None:
    """Read one seed and write a draft curation file of candidates (dates, participants, names, cues).

    The draft goes to a new file in build/drafts/ (never over an existing one); each candidate
    has its quote, offsets and an accept: block in the format of build/*.yaml.

    Example: spacecoop extract seeds/003_f6d3eb4ef6c6ac45.txt
    """
    from .extract import run_extract
    from .paths import find_repo

    root = find_repo(package)
    path, d = run_extract(root, seed)
    try:
        shown = path.relative_to(root)
    except ValueError:
        shown = path
    kinds = ("sentences", "dates", "participants", "new_participants", "places", "records", "fields")
    if json_out:
        import json

        typer.echo(json.dumps({"draft": str(shown), **{k: len(d[k]) for k in kinds}}, indent=2))
        return
    counts = ", ".join(f"{len(d[k])} {k.replace('_', ' ')}" for k in kinds)
    typer.echo(f"wrote {shown}: {counts}")
    typer.echo(f"next: spacecoop accept {shown} ID... (candidate ids from the draft; a sentence as s3='reason')", err=True)


@app.command("add-seed")
@fails_once("add-seed")
def add_seed(
    file: Path = typer.Argument(..., help="The article as a UTF-8 text file."),
    outlet: str = typer.Option(..., "--outlet", help="The news outlet that published it."),
    address: str = typer.Option(..., "--address", help="The article's web address (http:// or https://)."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date as the page gives it: YYYY-MM-DD, YYYY-MM or YYYY."),
    language: str = typer.Option("en", "--language", help="ISO 639-1 code of the article's language."),
    reference: Optional[str] = typer.Option(None, "--reference", help="An existing reference in build/references.yaml that gives the metadata (default: record the page as a new one)."),
    package: Optional[Path] = _package_option(REPO_HELP),
) -> None:
    """Copy a new article byte for byte into seeds/ and append its source record to build/sources.yaml.

    The outlet, address and date are metadata from the curator, not the seed's words: they are
    recorded as a reference (the article's page) and given basis 'reference'. Refuses a file that
    is already a seed, empty, binary, not UTF-8 or with a byte-order mark; changes nothing then.

    Example: spacecoop add-seed article.txt --outlet "Example Wire" --address https://example.org/a --published 2024-08-09
    """
    from .addseed import add_seed as run_add_seed
    from .paths import find_repo

    root = find_repo(package)
    added = run_add_seed(root, file, outlet, address, published, language, reference)
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
    from .errors import INVALID, SpacecoopError
    from .paths import default_package_dir
    from .progress import Progress
    from .sqlexport import export

    progress = Progress(f"exporting to {out}")
    try:
        counts = export(package or default_package_dir(), out, dialect, force=force, metadata=metadata, progress=progress)
    except OSError as e:  # e.g. OUT under a file, or not writable
        raise SpacecoopError(str(e), INVALID) from None
    finally:
        progress.done()
    typer.echo(f"wrote {out}: {len(counts)} tables, {sum(counts.values())} rows, with primary and foreign keys")
    if dialect == "sqlite":
        meta = metadata or out.parent / "metadata.json"
        typer.echo(f"wrote {meta}: datasette metadata; browse with: datasette {out} -m {meta}")


@export_app.command("sqlite")
@fails_once("export sqlite")
def export_sqlite(
    out: Path = typer.Argument(..., help="The SQLite file to write, e.g. spacecoop.db."),
    force: bool = typer.Option(False, "--force", help="Replace OUT (and its metadata.json) if they exist."),
    metadata: Optional[Path] = typer.Option(None, "--metadata", help="Where to write datasette metadata (default: metadata.json beside OUT)."),
    package: Optional[Path] = _package_option(),
) -> None:
    """Write every table into a SQLite file, with datasette metadata beside it.

    Tables get their primary and foreign keys, NOT NULL and vocabulary CHECKs; descriptions go into
    the _tables, _columns and _vocabularies tables and into metadata.json.

    Example: spacecoop export sqlite spacecoop.db && datasette spacecoop.db -m metadata.json
    """
    _export("sqlite", out, force, package, metadata)


@export_app.command("duckdb")
@fails_once("export duckdb")
def export_duckdb(
    out: Path = typer.Argument(..., help="The DuckDB file to write, e.g. spacecoop.duckdb."),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
    package: Optional[Path] = _package_option(),
) -> None:
    """Write every table into a DuckDB file, with keys and COMMENTs from the schemas.

    Needs the [sql] extra: pip install 'spacecoop[sql]'.

    Example: spacecoop export duckdb spacecoop.duckdb
    """
    _export("duckdb", out, force, package)


@app.command()
@fails_once("cite")
def cite(
    fmt: str = typer.Option("text", "--format", "-f", help="text, bibtex, cff or csl-json."),
    package: Optional[Path] = _package_option(),
    write: bool = typer.Option(False, "--write", help="Regenerate CITATION.cff from datapackage.json (in the repository around the current directory, or --package)."),
    check: bool = typer.Option(False, "--check", help="Exit 1 if CITATION.cff is out of step with datapackage.json."),
) -> None:
    """Print how to cite this exact version of the data package.

    Example: spacecoop cite --format bibtex
    """
    from . import cite as c
    from .errors import INVALID, SpacecoopError
    from .paths import default_package_dir, find_repo

    if fmt not in c.FORMATS:
        raise SpacecoopError(f"unknown format {fmt!r}; choose from {', '.join(c.FORMATS)}")
    root = find_repo(package) if write else package or default_package_dir()
    desc = c.read_descriptor(root)
    if check:
        problems = c.check_cff(root)
        if problems:
            raise SpacecoopError(f"CITATION.cff is out of step with datapackage.json ({len(problems)} difference(s))", INVALID, problems)
        typer.echo(f"CITATION.cff matches datapackage.json (version {desc.get('version')}, released {c.released(desc)})")
    elif write:
        from .atomic import write_file

        try:
            write_file(root / "CITATION.cff", c.cff(desc).encode("utf-8"))
        except OSError as e:
            raise SpacecoopError(f"cannot write {root / 'CITATION.cff'}: {e.strerror or e}") from None
        typer.echo(f"wrote {root / 'CITATION.cff'} (version {desc.get('version')}, released {c.released(desc)})")
    else:
        typer.echo(c.render(desc, fmt))
        if c.unlocated(desc):
            _err(c.unlocated(desc))


@app.command()
@fails_once("diff")
def diff(
    old: str = typer.Argument(..., help="Old package: a directory, its datapackage.json, a release archive (.zip), a version (0.1.0: found in this clone's history) or a git ref (HEAD~1)."),
    new: str = typer.Argument(".", help="New package: same forms (default: the working tree here)."),
    json_out: bool = typer.Option(False, "--json", help="Print the differences as JSON."),
    package: Optional[Path] = _package_option("The git repository whose refs OLD and NEW may name (default: the repository around the current directory)."),
    width: int = typer.Option(0, "--width", help="Clip long values to this many columns (default: the terminal's)."),
) -> None:
    """Show what changed between two versions of the package: rows added, removed and changed.

    Rows are matched by primary key; for a changed row, each changed field with old and new value.
    Exit 0 when there is no difference, 1 when there are differences, 2 on a usage error.

    Example: spacecoop diff 0.1.0 .
    """
    import json
    import shutil

    from .datadiff import diff_packages, render_text, resolve
    from .paths import default_package_dir
    from .progress import Progress

    git_repo = package or default_package_dir()
    with resolve(old, git_repo) as (old_dir, old_label), resolve(new, git_repo) as (new_dir, new_label):
        progress = Progress("comparing tables")
        try:
            result = diff_packages(old_dir, new_dir, old_label, new_label, progress=progress)
        finally:
            progress.done()
    if json_out:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        from .safety import escape

        text = render_text(result, width or shutil.get_terminal_size((100, 24)).columns)
        typer.echo("\n".join(escape(line) for line in text.split("\n")))
    raise typer.Exit(0 if result.empty else 1)


@app.command()
@fails_once("docs")
def docs(
    check: bool = typer.Option(False, "--check", help="Exit 1 if docs/data-dictionary.md or docs/codebook.md is stale or the codebook incomplete; write nothing."),
    package: Optional[Path] = _package_option(REPO_HELP),
) -> None:
    """Generate docs/data-dictionary.md (from the Table Schemas) and docs/codebook.md (from
    docs/codebook.yaml and the schemas).

    Example: spacecoop docs --check
    """
    from . import codebook, dictionary
    from .errors import INVALID, SpacecoopError
    from .paths import default_package_dir, find_repo

    root = (package or default_package_dir()) if check else find_repo(package)
    if not os.path.lexists(root / "datapackage.json"):  # anything there but a regular file is refused where it is read
        raise SpacecoopError(f"{root}: no datapackage.json here; give a package directory with --package")
    made = [(dictionary, "the schemas changed")]
    if os.path.lexists(root / codebook.SOURCE):  # a copy of the data without the codebook's source gets the dictionary only
        missing = codebook.check(root)
        if missing:
            raise SpacecoopError(f"the codebook is incomplete: {len(missing)} problem(s); fix {codebook.SOURCE}", INVALID, missing)
        made.append((codebook, "docs/codebook.yaml or the schemas changed"))
    for mod, why in made:
        target = root / mod.OUTPUT
        if check:
            if not os.path.lexists(target):
                raise SpacecoopError(f"{mod.OUTPUT} does not exist; run `spacecoop docs` to generate it, and commit it", INVALID)
            if mod.stale(root, target):
                raise SpacecoopError(f"{mod.OUTPUT} is stale: {why} since it was generated; run `spacecoop docs` and commit it", INVALID)
            typer.echo(f"{mod.OUTPUT} is up to date")
            continue
        from .atomic import write_file

        try:
            write_file(target, mod.render(root).encode("utf-8"))
        except OSError as e:
            raise SpacecoopError(f"cannot write {target}: {e.strerror or e}", INVALID) from None
        typer.echo(f"wrote {target}")


@app.command()
@fails_once("accept")
def accept(
    draft: Path = typer.Argument(..., help="The draft written by spacecoop extract (build/drafts/....draft.yaml)."),
    ids: list[str] = typer.Argument(..., help="Candidate ids from the draft (n1 r2 d1 ...); a sentence as s6='reason' to leave it out."),
    package: Optional[Path] = _package_option(REPO_HELP),
) -> None:
    """Write chosen candidates of a draft into build/*.yaml where their into: says, keeping every existing byte.

    Refuses (one line, exit 1, nothing changed) an unknown candidate id or an id that already exists.
    TODOs stay for you to replace before spacecoop build.

    Example: spacecoop accept build/drafts/004_e2c0a646d046a51c.draft.yaml n1 n2 r1 d1 s1='page furniture'
    """
    from .accept import accept as run_accept
    from .paths import find_repo

    root = find_repo(package)
    lines = run_accept(root, draft if draft.is_absolute() or draft.exists() else root / draft, ids)
    for line in lines:
        typer.echo(line)


@app.command()
@fails_once("release")
def release(
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", "-o", help="Where to write (default: dist/ of the clone)."),
    package: Optional[Path] = _package_option(REPO_HELP),
) -> None:
    """Write the release archive (zip + .sha256) and the R source package of this version into dist/.

    Refuses, in one line, a version that is already released or not in the CHANGELOG, a
    CITATION.cff or .zenodo.json out of step, an uncommitted package, or one that does not validate.
    Exit 0 written, 1 refused, 2 usage error. See docs/versioning.md, "Releasing".

    Example: spacecoop release
    """
    from .paths import find_repo
    from .release import release as run_release, summary

    done = run_release(find_repo(package), out_dir)
    for line in summary(done.version, done):
        typer.echo(line)


def _plot(kind: str, out_dir: Path, package: Optional[Path]) -> None:
    from .errors import INVALID, SpacecoopError
    from .paths import default_package_dir
    from .progress import Progress

    try:
        from . import plots
    except ImportError as e:
        raise SpacecoopError(f"{e}; install the [plot] extra: pip install 'spacecoop[plot]'") from None
    progress = Progress(f"drawing {kind}")
    try:
        paths = plots.draw(kind, package or default_package_dir(), out_dir, progress=progress)
    except ValueError as e:
        raise SpacecoopError(str(e), INVALID) from None
    except OSError as e:  # out_dir cannot be made or written
        raise SpacecoopError(f"cannot write into {out_dir}: {e.strerror or e}; give a writable directory with -o", INVALID) from None
    finally:
        progress.done()
    for p in paths:
        typer.echo(f"wrote {p}")


@plot_app.command("timeline")
@fails_once("plot timeline")
def plot_timeline(
    out_dir: Path = typer.Option(Path("docs/img"), "--out-dir", "-o", help="Directory for timeline.svg and timeline.png."),
    package: Optional[Path] = _package_option(),
) -> None:
    """Draw agreements, meetings and programs on a time axis (SVG and PNG).

    A month- or year-precision date is drawn as its span from earliest to latest day; a known day
    as a point. Marker and label say the date's precision and basis.

    Example: spacecoop plot timeline -o docs/img
    """
    _plot("timeline", out_dir, package)


@plot_app.command("network")
@fails_once("plot network")
def plot_network(
    out_dir: Path = typer.Option(Path("docs/img"), "--out-dir", "-o", help="Directory for network.svg and network.png."),
    package: Optional[Path] = _package_option(),
) -> None:
    """Draw participants and the agreements, programs and meetings that link them (SVG and PNG).

    Example: spacecoop plot network -o docs/img
    """
    _plot("network", out_dir, package)


class _Watched:
    """sys.stdout, noting whether anything was written (so that --json always leaves JSON)."""

    def __init__(self, stream):
        self._stream, self.wrote = stream, False

    def write(self, text):
        self.wrote = self.wrote or bool(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _on_interrupt(grace: float = 1.0):
    """A SIGINT handler: the first ^C raises KeyboardInterrupt (main() says "interrupted"). Another
    within `grace` s is the same ^C (forwarded again by a parent such as `timeout`, or a key held):
    ignored, so it cannot cut that line short with a traceback. One later is a user's second ^C at
    a process that has not ended: it quits at once, exit 130 (os._exit: nothing is left to flush)."""
    first: list[float] = []

    def handler(signum, frame) -> None:
        import time

        if not first:
            first.append(time.monotonic())
            raise KeyboardInterrupt
        if time.monotonic() - first[0] > grace:
            os.write(2, b"interrupted\n")
            os._exit(130)
    return handler


def main() -> None:
    """Entry point. Expected failures are SpacecoopErrors, handled by fails_once; anything else
    is a bug: one line, exit 3, no traceback; ^C is "interrupted", exit 130. With --json, stdout is
    JSON at every exit code (a usage error that click reports, ^C, a bug)."""
    import json

    want_json = "--json" in sys.argv[1:]
    out = sys.stdout = _Watched(sys.stdout) if want_json else sys.stdout
    code, error = 0, None
    try:
        signal.signal(signal.SIGINT, _on_interrupt())
    except ValueError:  # main() called from a thread other than the main one: Python's own ^C stays
        pass
    try:
        app(standalone_mode=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        error = "usage error (see stderr)" if code else None
    except KeyboardInterrupt:  # ^C outside a command; typer turns one inside into exit 130
        code = 130
    except Exception as e:
        from .safety import escape

        error = f"internal error: {type(e).__name__}: {escape(e)} (please report this)"
        _err(f"spacecoop: {error}")
        code = 3
    if code == 130:  # ^C, said in one line as every other way to fail (typer says nothing)
        _err("interrupted")
        error = "interrupted"
    if want_json and isinstance(out, _Watched) and not out.wrote:
        out.write(json.dumps({"error": error, "exit_code": code}) + "\n")
    # The process ends here (main() is its entry point): what it holds is the OS's to free. Frozen,
    # the objects are skipped by the collections the interpreter runs as it exits, which walked the
    # ~100k objects of pandera and pandas for 0.25-0.3 s and freed next to nothing (no open file;
    # atexit and the flush of stdout still run).
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
