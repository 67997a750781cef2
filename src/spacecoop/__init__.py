"""spacecoop: the China–Russia Space Cooperation data package."""
from __future__ import annotations

# Loaders: pandas is imported inside them, so `import spacecoop` stays light.
from .load import load, load_table, table_names

__all__ = ["load", "load_table", "table_names", "schema", "__version__"]


def schema(table: str, package=None):
    """The pandera (polars) schema the validator runs on `table` of the package (default: this one),
    to check a frame of your own read as text: spacecoop.schema("agreements").validate(frame)."""
    from .validate.fields import schema as derived

    return derived(table, package)


def __getattr__(name: str):
    # __version__ on first use: importlib.metadata costs ~30 ms, too much for `spacecoop --help`.
    if name == "__version__":
        try:
            from importlib.metadata import version

            return version("spacecoop")
        except Exception:  # a source tree that is not installed
            return "0+unknown"
    raise AttributeError(f"module 'spacecoop' has no attribute {name!r}")
