"""spacecoop: the China–Russia Space Cooperation data package."""
from __future__ import annotations

try:
    from importlib.metadata import version as _version

    __version__ = _version("spacecoop")
except Exception:  # running from a source tree that is not installed
    __version__ = "0+unknown"

# Loaders: pandas is imported inside them, so `import spacecoop` stays light.
from .load import load, load_table, table_names  # noqa: E402

__all__ = ["load", "load_table", "table_names", "__version__"]
