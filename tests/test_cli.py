"""Every command of the real installed `spacecoop`, run as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pathlib import Path

from conftest import REPO, edit_csv

EXE = str(Path(sys.executable).parent / "spacecoop")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "COLUMNS": "100"})


class _InProcess:
    def __init__(self, result):
        self.returncode, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr


def cli(*args: str) -> _InProcess:
    """The same command in process (typer's runner): for tests of a command's lines and exit codes,
    where a subprocess would add only start-up. Each command keeps one subprocess test (below)."""
    from typer.testing import CliRunner

    from spacecoop.cli import app

    return _InProcess(CliRunner().invoke(app, list(args), env={"COLUMNS": "100"}, prog_name="spacecoop"))


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    for cmd in ("build", "validate", "info"):
        assert cmd in r.stdout


def _help(*path: str):
    # In process: a subprocess per --help adds nothing but start-up (test_help_lists_commands runs one).
    from typer.testing import CliRunner

    from spacecoop.cli import app

    return CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"}, prog_name="spacecoop")


def _commands(*path: str) -> list[str]:
    out = _help(*path).stdout
    if "Commands:" not in out:
        return []
    return [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.startswith("  ") and line.split()]


def test_every_command_help_has_an_example():
    todo = [(c,) for c in _commands()]
    assert todo
    seen = 0
    while todo:
        path = todo.pop()
        sub = _help(*path)
        assert sub.exit_code == 0, path
        assert "Example:" in sub.stdout, f"spacecoop {' '.join(path)} --help shows no example"
        todo += [path + (c,) for c in _commands(*path)]
        seen += 1
    assert seen > len(_commands())  # sub-commands (export sqlite, plot timeline, ...) were visited too


def test_validate_valid_package_exits_0(pkg):
    r = run("validate", "-p", str(pkg))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().endswith("rows checked by pandera, rules)")
    assert ": valid (" in r.stdout


def test_validate_invalid_exits_1_with_one_line_per_problem(pkg):
    edit_csv(pkg, "agreements", lambda rows: rows[3].__setitem__(rows[0].index("status"), "maybe"))
    r = cli("validate", "-p", str(pkg))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert ("data/agreements.csv: table agreements, row 4, field status: 'maybe' is not one of reported, "
            "adopted, signed, ratified") in r.stdout.splitlines()


def test_validate_json(pkg):
    edit_csv(pkg, "agreements", lambda rows: rows[3].__setitem__(rows[0].index("status"), "maybe"))
    r = cli("validate", "-p", str(pkg / "datapackage.json"), "--json")
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["valid"] is False
    hit = [p for p in report["problems"] if p["field"] == "status" and p["file"].endswith(".csv")]
    assert hit == [{"file": "data/agreements.csv", "table": "agreements", "row": 4, "field": "status", "check": "enum",
                    "message": "'maybe' is not one of reported, adopted, signed, ratified",
                    "engines": ["pandera"]}]


def test_validate_usage_error_exits_2(tmp_path):
    r = cli("validate", "-p", str(tmp_path / "nope"))
    assert r.returncode == 2
    assert "no such file or directory" in r.stderr
    r = cli("validate", "-p", str(tmp_path))
    assert r.returncode == 2
    assert r.stderr == f"spacecoop validate: {tmp_path}: no datapackage.json here; give a package directory or its datapackage.json\n"
    r = cli("validate", "--max-per-check", "0")
    assert r.returncode == 2


def test_build_failure_is_one_line_per_error_and_changes_nothing(pkg):
    p = pkg / "build" / "programs.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("  domain: lunar_exploration\n", "  domain: moon\n", 1), encoding="utf-8")
    before = (pkg / "datapackage.json").read_bytes()
    r = cli("build", "-p", str(pkg))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    err = r.stderr.splitlines()
    assert err[0].startswith("build/programs.yaml:") and "programs.domain: 'moon' is not in the vocabulary" in err[0]
    assert err[-1] == "spacecoop build: 1 error(s); data/ and datapackage.json are unchanged"
    assert (pkg / "datapackage.json").read_bytes() == before


def test_build_ok(pkg):
    r = run("build", "-p", str(pkg))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("built 21 tables,") and "0 file(s) changed" in r.stdout


def test_info_counts_rows(pkg):
    r = run("info", "-p", str(pkg))
    assert r.returncode == 0
    line = next(x for x in r.stdout.splitlines() if x.startswith("evidence "))
    n = sum(1 for _ in (pkg / "data" / "evidence.csv").open(encoding="utf-8")) - 1
    assert int(line.split()[1]) == n


def test_readme_table_list_is_current():
    r = cli("info", "--markdown", "-p", str(REPO))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n", readme.index("<!-- tables:start")) + 1
    end = readme.index("<!-- tables:end -->")
    assert readme[start:end].strip() == r.stdout.strip(), "README table list is stale: run `spacecoop info --markdown`"


def test_cli_start_up_imports_no_heavy_library():
    # --help must stay fast: the data libraries are imported inside the commands that need them.
    code = ("import sys, spacecoop.cli; heavy = ('pandas', 'pyarrow', 'frictionless', 'pandera', 'polars', "
            "'duckdb', 'matplotlib', 'numpy'); print(','.join(m for m in heavy if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_version_is_the_installed_distribution():
    import spacecoop
    from importlib.metadata import version

    assert spacecoop.__version__ == version("spacecoop")


def test_validate_unreadable_descriptor_says_no_table_was_checked(tmp_path):
    (tmp_path / "datapackage.json").write_text("[1]", encoding="utf-8")
    r = cli("validate", "-p", str(tmp_path))
    assert r.returncode == 1
    assert r.stdout == "datapackage.json: descriptor must be a JSON object, not list\n"
    assert r.stderr == f"{tmp_path}: invalid: 1 problem(s) (the descriptor cannot be read; no table was checked)\n"


@pytest.mark.parametrize("args, code, says", [
    (["coverage"], 0, "coverage: "),
    (["extract", "src-000"], 0, "wrote build/drafts/"),
    (["add-seed", "no-such-article.txt", "--outlet", "X", "--address", "https://example.org/a"], 1, "spacecoop add-seed: "),
    (["docs"], 0, "wrote "),
    (["cite", "--write"], 0, "wrote "),
    (["cite", "--format", "bibtex"], 0, "@misc{"),
    (["diff", ".", "."], 0, ""),
    (["export", "sqlite", "out/x.db"], 0, "wrote out/x.db"),
    (["plot", "network", "-o", "img"], 0, "wrote img/network.svg"),
])
def test_each_command_end_to_end(pkg, args, code, says):
    """Each command once as the installed program, run inside a copy of the repository."""
    r = run(*args, cwd=pkg)
    assert r.returncode == code, r.stdout + r.stderr
    assert says in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("given, seen", [(None, "narenas:1"), ("dirty_decay_ms:0", "dirty_decay_ms:0")])
def test_the_command_gives_polars_allocator_one_arena_unless_told_otherwise(given, seen):
    """cli.py sets jemalloc's configuration before any command imports polars (RESULTS.md: 6 %
    faster at 1M rows); a value in the environment is kept."""
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    if given is not None:
        env["_RJEM_MALLOC_CONF"] = given
    code = "import os, sys, spacecoop.cli; print('polars' in sys.modules, os.environ['_RJEM_MALLOC_CONF'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == ["False", seen]


@pytest.mark.parametrize("json_out", [False, True], ids=["lines", "json"])
def test_ctrl_c_is_one_line_and_exit_130(pkg, json_out):
    """^C while a command waits (validate settling a half-swapped package while another process
    holds the lock): exit 130 and one line, "interrupted" (typer itself says nothing), and with
    --json the JSON on stdout says so."""
    import fcntl
    import signal
    import time

    (pkg / ".staging-x").mkdir()  # a build's swap left half done: validate settles it under the lock
    fd = os.open(pkg / ".spacecoop.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        code = "import sys; from spacecoop.cli import main; print('ready', file=sys.stderr, flush=True); main()"
        p = subprocess.Popen([sys.executable, "-c", code, "validate", "-p", str(pkg), *(["--json"] if json_out else [])],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert p.stderr.readline() == "ready\n"
        time.sleep(0.5)  # into main(), which waits up to 10 s for the lock
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
    finally:
        os.close(fd)
    assert p.returncode == 130, (out, err)
    assert err.splitlines() == ["interrupted"], err
    if json_out:
        assert json.loads(out) == {"error": "interrupted", "exit_code": 130}
    else:
        assert out == ""


def test_a_second_ctrl_c_within_a_second_is_the_same_one_and_a_later_one_quits():
    """main()'s SIGINT handler: the first raises KeyboardInterrupt; one within a second (the same
    ^C forwarded by a parent such as `timeout`) is ignored, so it cannot turn the "interrupted" line
    into a traceback; one after that quits at once, with one line and exit 130."""
    code = ("import os, signal, time\n"
            "from spacecoop.cli import _on_interrupt\n"
            "signal.signal(signal.SIGINT, _on_interrupt())\n"
            "try:\n"
            "    os.kill(os.getpid(), signal.SIGINT)\n"
            "    time.sleep(5)\n"
            "except KeyboardInterrupt:\n"
            "    print('raised', flush=True)\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "time.sleep(0.1)\n"
            "print('still here', flush=True)\n"
            "time.sleep(1.2)\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "time.sleep(5)\n"
            "print('not reached')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert (p.returncode, p.stdout, p.stderr) == (130, "raised\nstill here\n", "interrupted\n"), p.stderr[-500:]


def test_main_from_a_thread_runs_the_command(pkg):
    """main() sets its ^C handler only where Python allows one (the main thread): called from
    another thread, the command still runs, with no traceback."""
    code = ("import sys, threading\n"
            "from spacecoop.cli import main\n"
            f"sys.argv = ['spacecoop', 'info', '-p', {str(pkg)!r}]\n"
            "def run():\n"
            "    try:\n"
            "        main()\n"
            "    except SystemExit as e:\n"
            "        print('exit', e.code)\n"
            "t = threading.Thread(target=run)\n"
            "t.start()\n"
            "t.join()\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.splitlines()[-1] == "exit 0" and "Traceback" not in p.stderr, p.stderr[-500:]
