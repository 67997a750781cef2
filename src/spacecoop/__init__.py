"""spacecoop: the China–Russia Space Cooperation data package."""
from __future__ import annotations

try:
    from importlib.metadata import version as _version

    __version__ = _version("spacecoop")
except Exception:  # running from a source tree that is not installed
    __version__ = "0+unknown"
