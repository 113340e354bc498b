"""Core's own hook implementations: core is registered as the plugin named ``core``."""

from __future__ import annotations

from linli import hookimpl
from linli.core.api import CoreQuery


@hookimpl
def register_models() -> list[str]:
    return ["linli.core.models", "linli.core.identity.models"]


@hookimpl
def register_queries() -> list[type]:
    return [CoreQuery]
