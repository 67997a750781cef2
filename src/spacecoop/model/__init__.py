"""The package model: a descriptor, its typed Table Schemas, foreign keys and the order of tables."""
from .package import Package, PackageError, is_csv, open_package, schemas_package
from .schema import DATE_SUFFIXES, Field, ForeignKey, Schema, id_prefixes, parse_schema

__all__ = ["Package", "PackageError", "is_csv", "open_package", "schemas_package", "Field", "ForeignKey", "Schema", "id_prefixes",
           "parse_schema", "DATE_SUFFIXES"]
