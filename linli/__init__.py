"""Linli (邻里): a plugin-based GraphQL backend for urban communities.

Plugin authors import the marker, and what their hooks return, from here::

    from linli import EventType, Manifest, Permission, hookimpl
"""

from typing import Any

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("linli")
hookspec = pluggy.HookspecMarker("linli")

# Imported on first use: linli.core imports this module for the markers above.
_LAZY = {
    "EventType": "linli.core.topics",
    "Manifest": "linli.core.plugins",
    "Permission": "linli.core.identity.access",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'linli' has no attribute {name!r}")


__all__ = ["EventType", "Manifest", "Permission", "__version__", "hookimpl", "hookspec"]
