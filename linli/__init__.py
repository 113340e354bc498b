"""Linli (邻里): a plugin-based GraphQL backend for urban communities.

Plugin authors import the marker from here::

    from linli import hookimpl
"""

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("linli")
hookspec = pluggy.HookspecMarker("linli")

__all__ = ["__version__", "hookimpl", "hookspec"]
