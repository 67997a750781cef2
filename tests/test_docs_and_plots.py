"""spacecoop docs (the data dictionary) and spacecoop plot (timeline, network)."""
from __future__ import annotations

import re

import matplotlib
import pytest
from typer.testing import CliRunner

from spacecoop.cli import app
from spacecoop.dictionary import render
from spacecoop.model import open_package

from _pkgcopy import REPO, copy_package

runner = CliRunner()
SCHEMAS = open_package(REPO).schemas()


def test_data_dictionary_is_current():
    res = runner.invoke(app, ["docs", "--check"])
    assert res.exit_code == 0, "docs/data-dictionary.md is stale: run `spacecoop docs` and commit it\n" + res.output


def test_data_dictionary_names_every_field_and_vocabulary_value():
    text = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for t, s in SCHEMAS.items():
        assert f"\n## {t}\n" in text
        for f in s.fields:
            assert f"| `{f.name}` |" in text
            for v, d in f.enum_descriptions.items():
                assert f"| `{v}` | {d.replace('|', chr(92) + '|')} |" in text


def test_docs_check_fails_when_a_schema_changes(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    (pkg / "docs").mkdir()
    (pkg / "docs" / "data-dictionary.md").write_text(render(pkg), encoding="utf-8")
    assert runner.invoke(app, ["docs", "--check", "--package", str(pkg)]).exit_code == 0
    p = pkg / "schemas" / "meetings.schema.json"
    p.write_text(p.read_text(encoding="utf-8").replace("Every gathering", "Each gathering", 1), encoding="utf-8")
    res = runner.invoke(app, ["docs", "--check", "--package", str(pkg)])
    assert res.exit_code == 1 and "is stale" in res.stderr
    assert runner.invoke(app, ["docs", "--package", str(pkg)]).exit_code == 0
    assert "Each gathering" in (pkg / "docs" / "data-dictionary.md").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["timeline", "network"])
def test_plots_are_written_and_deterministic(tmp_path, kind):
    res = runner.invoke(app, ["plot", kind, "-o", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["plot", kind, "-o", str(tmp_path / "b")])
    for ext in ("svg", "png"):
        a, b = (tmp_path / "a" / f"{kind}.{ext}").read_bytes(), (tmp_path / "b" / f"{kind}.{ext}").read_bytes()
        assert a == b, f"{kind}.{ext} differs between two runs"
    svg = (tmp_path / "a" / f"{kind}.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    # The committed pictures must be what the current data draws; bytes are comparable only when
    # they were drawn by the same matplotlib version (recorded in the SVG).
    made_by = f"spacecoop plot, matplotlib {matplotlib.__version__}"
    committed = REPO / "docs" / "img" / f"{kind}.svg"
    if made_by not in committed.read_text(encoding="utf-8"):
        pytest.skip(f"docs/img/{kind}.svg was drawn by another matplotlib version than {matplotlib.__version__}")
    for ext in ("svg", "png"):
        assert (tmp_path / "a" / f"{kind}.{ext}").read_bytes() == (REPO / "docs" / "img" / f"{kind}.{ext}").read_bytes(), \
            f"docs/img/{kind}.{ext} is stale: run `spacecoop plot {kind}` and commit it"


def test_timeline_draws_spans_for_imprecise_dates():
    import spacecoop
    from spacecoop.plots import timeline_rows

    rows, undated = timeline_rows(spacecoop.load())
    by = {r["label"]: r for r in rows}
    march = next(r for r in rows if r["precision"] == "month")
    assert (march["latest"] - march["earliest"]).days == 30  # all of March 2024
    assert any(r["precision"] == "day" and r["earliest"] == r["latest"] for r in rows)
    assert any("agreements concerning space technology intellectual property" in u for u in undated)
    assert len(by) == len(rows)


def test_plot_of_a_missing_package_says_what_to_give(tmp_path):
    res = runner.invoke(app, ["plot", "network", "--package", str(tmp_path), "-o", str(tmp_path / "img")])
    assert res.exit_code == 2
    assert "no datapackage.json here" in res.stderr
    assert not (tmp_path / "img").exists()


def test_timeline_panels_hold_every_dated_item_wherever_it_falls(tmp_path):
    import pandas as pd

    import spacecoop
    from spacecoop.build import build
    from spacecoop.plots import panels, timeline_rows

    pkg = copy_package(tmp_path / "pkg")
    p = pkg / "build" / "programs.yaml"
    # Move one milestone to 2012 and another into the gap between 2021 and 2024 (basis inferred, as
    # no seed states them): both must fall inside a panel of the broken axis.
    text = p.read_text(encoding="utf-8")
    for old, new in (('date: {value: "2014-06-30", precision: day, basis: reference, reference: ref-unspider-satnav, evidence: [{src: src-000, quote: "established through a 2014 MOU"}]}',
                      'date: {value: "2012", precision: year, basis: inferred, evidence: [{src: src-000, quote: "established through a 2014 MOU"}]}'),
                     ('date: {value: "2019", precision: year, basis: stated, evidence: [{src: src-003, quote: "In 2019, Russia and China initiated the creation"}]}',
                      'date: {value: "2023", precision: year, basis: inferred, evidence: [{src: src-003, quote: "In 2019, Russia and China initiated the creation"}]}')):
        assert old in text
        text = text.replace(old, new)
    p.write_text(text, encoding="utf-8")
    build(pkg)
    rows, _ = timeline_rows(spacecoop.load(pkg))
    ranges = panels(rows)
    assert len(ranges) >= 2
    for r in rows:
        holding = [(lo, hi) for lo, hi in ranges if lo <= r["earliest"] and r["latest"] < hi]  # hi: 1 January after
        assert len(holding) == 1, (r["label"], r["earliest"], ranges)
    assert {pd.Timestamp("2012-01-01"), pd.Timestamp("2023-01-01")} <= {r["earliest"] for r in rows}


def test_docs_without_a_package_or_a_dictionary_say_what_to_do(tmp_path):
    res = runner.invoke(app, ["docs", "--package", str(tmp_path)])
    assert res.exit_code == 2
    assert res.stderr == f"spacecoop docs: {tmp_path}: not a spacecoop repository (no datapackage.json and build/ here)\n"
    pkg = copy_package(tmp_path / "pkg")
    res = runner.invoke(app, ["docs", "--check", "--package", str(pkg)])  # the copy has no docs/
    assert res.exit_code == 1
    assert res.stderr == "spacecoop docs: docs/data-dictionary.md does not exist; run `spacecoop docs` to generate it, and commit it\n"


def test_plot_into_an_unwritable_place_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    res = runner.invoke(app, ["plot", "timeline", "-o", str(blocker / "img")])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines()[-1].startswith(f"spacecoop plot timeline: cannot write into {blocker / 'img'}: ")


def test_timeline_has_one_scale_for_time_and_a_year_in_every_panel():
    """Measured on the drawn figure: the pixels a year spans are the same in every panel of the
    broken axis (0.1.0 drew 316, 192 and 925 px per year), and each panel is labelled with its year."""
    import spacecoop
    from spacecoop.plots import timeline_figure

    fig = timeline_figure(spacecoop.load())
    fig.canvas.draw()
    axes = [ax for ax in fig.axes if ax.get_xlim()[1] - ax.get_xlim()[0] > 300]  # the time panels
    assert len(axes) >= 2
    per_year = [ax.get_window_extent().width / ((ax.get_xlim()[1] - ax.get_xlim()[0] + 1) / 365.25) for ax in axes]
    assert max(per_year) / min(per_year) < 1.01, per_year
    for ax in axes:
        years = [t.get_text().strip() for t in ax.xaxis.get_minorticklabels() if t.get_text().strip()]
        assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years
