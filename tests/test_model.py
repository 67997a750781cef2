"""The package model: tables in dependency order, foreign keys, evidenced tables, from the package in hand."""
from __future__ import annotations

import json

import pytest

from spacecoop.model import ForeignKey, PackageError, open_package, schemas_package
from spacecoop.model.package import dependency_order

from _pkgcopy import REPO


def test_table_order_satisfies_every_foreign_key():
    pkg = open_package(REPO)
    order = pkg.table_names()
    assert sorted(order) == sorted(r["name"] for r in pkg.descriptor["resources"] if r["format"] == "csv")
    for t, s in pkg.schemas().items():
        for fk in s.foreign_keys:
            assert isinstance(fk, ForeignKey)
            assert fk.table == t or order.index(fk.table) < order.index(t), (t, fk)


def test_build_order_comes_from_the_schema_files_alone():
    assert list(schemas_package(REPO).schemas()) == open_package(REPO).table_names()


def test_order_keeps_ties_in_preferred_order_and_survives_a_cycle():
    assert dependency_order({"b": {"a"}, "a": set(), "c": set()}, ["c", "b", "a"]) == ["c", "a", "b"]
    assert dependency_order({"a": {"b"}, "b": {"a"}}, ["b", "a"]) == ["b", "a"]
    assert dependency_order({"a": {"a", "elsewhere"}}, ["a"]) == ["a"]


def test_evidenced_tables_come_from_the_package_in_hand(pkg):
    schema = pkg / "schemas" / "evidence.schema.json"
    d = json.loads(schema.read_text(encoding="utf-8"))
    field = next(f for f in d["fields"] if f["name"] == "table")
    field["constraints"]["enum"] = ["sources", "meetings"]
    schema.write_text(json.dumps(d), encoding="utf-8")
    assert open_package(pkg).evidenced == ("meetings",)
    assert "agreements" in open_package(REPO).evidenced


def test_a_new_table_is_ordered_by_its_keys(pkg):
    """Tables the code has never heard of: ordered by their foreign keys, nothing hard-coded."""
    (pkg / "schemas" / "outcomes.schema.json").write_text(json.dumps({
        "fields": [{"name": "outcome_id", "type": "string"}, {"name": "agreement_id", "type": "string"}],
        "primaryKey": ["outcome_id"],
        "foreignKeys": [{"fields": ["agreement_id"], "reference": {"resource": "agreements", "fields": ["agreement_id"]}}],
    }), encoding="utf-8")
    order = list(schemas_package(pkg).schemas())
    assert "outcomes" in order and order.index("agreements") < order.index("outcomes")


def test_paths_that_leave_the_package_are_refused():
    pkg = open_package(REPO)
    for rel in ("../x.csv", "/etc/passwd", "https://example.org/x.csv", ""):
        with pytest.raises(PackageError):
            pkg.path(rel, "test")


def test_slug_and_its_polars_expression_agree():
    import polars as pl

    from spacecoop.model.ids import slug, slug_expr

    values = ["agr-x", "Par X", "a--b", "-a-", "", "ä ö", "ILRS (2021)", "a_b", "x"]
    got = pl.DataFrame({"v": values}).select(slug_expr(pl.col("v"))).to_series().to_list()
    assert got == [slug(v) for v in values]
