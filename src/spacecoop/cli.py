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
        typer.echo(f"{report.package}: {verdict} ({report.rows} rows checked by {', '.join(report.engines)})", err=not report.valid)
    raise typer.Exit(0 if report.valid else 1)


@app.command()
def info(
    path: Optional[Path] = typer.Argument(None, help="Package directory (default: this package)."),
) -> None:
    """Show the package's name, version, and each table with its row count.

    Example: spacecoop info
    """
    from .info import package_info
    from .paths import default_package_dir

    try:
        meta, rows = package_info(path or default_package_dir())
    except (OSError, ValueError) as e:
        _err(f"spacecoop info: {e}")
        raise typer.Exit(2)
    typer.echo(f"{meta.get('title', meta.get('name'))} — {meta.get('name')} {meta.get('version')}")
    width = max(len(t) for t, _, _ in rows)
    typer.echo(f"{'table'.ljust(width)}  {'rows':>6}  description")
    for table, n, desc in rows:
        typer.echo(f"{table.ljust(width)}  {n:>6}  {desc}")


def main() -> None:
    """Entry point: no traceback reaches the user, whatever happens."""
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
