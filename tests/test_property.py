"""Random text, structures and bytes into the curation loader and the validator: never a
traceback, only CurationError or a Report of Problems. Example counts kept small for CI."""
from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from spacecoop.curation import read_curation
from spacecoop.validate import validate
from spacecoop.yamlfile import CurationError, load_yaml

from conftest import copy_package

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
yamlish = st.text(alphabet=st.sampled_from(list("abc:-{}[]\"'#&*!|>\n\t ,.%@`?0129")), max_size=200)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(text=yamlish)
def test_load_yaml_random_text(tmp_path, text):
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    try:
        load_yaml(p, "x.yaml")
    except CurationError:
        pass


def _package(tmp_path):
    """One copy of the package per test function; hypothesis reuses tmp_path across examples."""
    root = tmp_path / "pkg"
    if not root.exists():
        copy_package(root)
    return root


@SETTINGS
@given(data=json_values)
def test_read_curation_random_structures(tmp_path, data):
    root = _package(tmp_path)
    (root / "build" / "meetings.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    cur = read_curation(root)  # errors are collected, never raised
    assert all(isinstance(e, CurationError) for e in cur.errors)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_validate_random_csv_bytes(tmp_path, data):
    root = _package(tmp_path)
    (root / "data" / "participants.csv").write_bytes(data)
    assert not validate(root).valid


@SETTINGS
@given(data=json_values)
def test_validate_random_descriptor(tmp_path, data):
    root = _package(tmp_path)
    (root / "datapackage.json").write_text(json.dumps(data), encoding="utf-8")
    report = validate(root)
    assert all(p.line() for p in report.problems)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.text(alphabet=st.sampled_from(list("0123456789+-. eE_x\n\t٥１") + ["\u00a0"]), max_size=8), min_size=1, max_size=50))
def test_an_integer_bound_is_only_checked_on_a_lexical_integer(cells):
    """fields._ok reads a bound's integer with polars' cast, and fields.verdicts takes a cell that
    casts as an integer: the cast must take no cell that the lexical form refuses, or a cell that
    is not an integer would get a bound's line, or pass its batch's verdict unchecked."""
    import polars as pl

    from spacecoop.validate.fields import LEXICAL

    s = pl.Series(cells, dtype=pl.String)
    cast = s.cast(pl.Int64, strict=False).is_not_null()
    lexical = s.str.contains(LEXICAL["integer"][0])
    assert not (cast & ~lexical).any(), s.filter(cast & ~lexical).to_list()


_BIG = st.sampled_from([0, 1, 2**53 + 1, 2**63 - 1, 2**63, 2**63 + 1, 10**30])


@settings(max_examples=300, deadline=None)
@given(cell=st.one_of(st.integers(), st.builds(lambda m, s: s * m, _BIG, st.sampled_from([1, -1])),
                      st.builds(lambda m, d: m + d, _BIG, st.integers(-3, 3))),
       bound=st.one_of(st.integers(-2**64, 2**64), _BIG, st.builds(lambda m: -m, _BIG), st.sampled_from([10**40, -(2**127) - 1])),
       plus=st.booleans(), zeros=st.booleans())
def test_an_integer_bound_agrees_with_python_ints(cell, bound, plus, zeros):
    """A bound is checked exactly at any size: within Int64 by polars' cast, past it by sign and
    digits (as floats, 2**63 and 2**63 + 1 are one number), and a bound past Int128 (which polars
    cannot hold) too. The batch verdict never passes a cell the exact check fails."""
    import polars as pl

    from spacecoop.model.schema import Field, Schema
    from spacecoop.validate.fields import _ok, verdicts

    text = ("-" if cell < 0 else "+" if plus else "") + ("00" if zeros else "") + str(abs(cell))
    for kind, want in (("minimum", cell >= bound), ("maximum", cell <= bound)):
        f = Field(name="x", type="integer", description="", required=False, unique=False, pattern=None, enum=None,
                  enum_descriptions={}, minimum=bound if kind == "minimum" else None, maximum=bound if kind == "maximum" else None,
                  format=None, min_length=None, max_length=None)
        check = next(e for name, _, e in _ok(f) if name == kind)
        frame = pl.DataFrame({"x": [text]})
        assert frame.select(check.fill_null(True)).item() == want, (text, kind, bound)
        assert want or not frame.select(verdicts(Schema(table="t", description="", fields=(f,), primary_key=(), foreign_keys=(), raw={})).get("x")).item(), (text, kind, bound)


@settings(max_examples=500, deadline=None)
@given(cells=st.lists(st.text(alphabet=st.sampled_from(list("=+-@,.?>A0-9 x\n\"é€") + ["\x00", "\U0001f600"]), max_size=6), min_size=1, max_size=40))
def test_the_formula_probe_holds_on_every_formula_cell(cells):
    """Formulas.probe compares text to ranges instead of running the START regex: it must hold
    wherever formula_start finds a formula, or batch() would never see the cell."""
    import polars as pl

    from spacecoop.formula import formula_start
    from spacecoop.model.schema import Field, Schema
    from spacecoop.validate.checks.formula import Formulas
    from spacecoop.validate.table import Table

    f = Field(name="x", type="string", description="", required=False, unique=False, pattern=None, enum=None,
              enum_descriptions={}, minimum=None, maximum=None, format=None, min_length=None, max_length=None)
    t = Table("t", "t.csv", None, Schema(table="t", description="", fields=(f,), primary_key=(), foreign_keys=(), raw={}), {})
    held = pl.DataFrame({"x": cells}).select(Formulas().probe(None, t).fill_null(False)).to_series().to_list()
    for cell, h in zip(cells, held):
        assert h or formula_start(cell) is None, cell


_SPAN = st.one_of(st.integers(-3, 12), st.sampled_from([-(2**63), 2**63 - 1, 2**31, -(2**31) - 1]))


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab ,\n\"") + ["é", "€", "\U0001f600", "\u0301"]), max_size=10),
       spans=st.lists(st.tuples(_SPAN, _SPAN, st.booleans(), st.text(alphabet=st.sampled_from(["a", "é", "\U0001f600", "\u0301"]), max_size=2)),
                      min_size=1, max_size=20))
def test_the_quote_check_in_polars_agrees_with_quote_problem(text, spans):
    """Quotes compares each span as UTF-8 bytes in polars and words only what fails with
    quote_problem: both must fail the same rows, whatever the characters and the offsets."""
    import polars as pl

    from spacecoop.validate.checks.evidence import _seed_bytes, _spans_match, quote_problem

    rows = [(s, e, text[max(s, 0):max(e, 0)] if exact else extra) for s, e, exact, extra in spans]
    part = pl.DataFrame(rows, schema={"s": pl.Int64, "e": pl.Int64, "quote": pl.String}, orient="row")
    got = _spans_match(part, len(text), *_seed_bytes(text)).to_list()
    assert got == [quote_problem(text, s, e, q) is None for s, e, q in rows], (text, rows)
