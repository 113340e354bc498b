"""A plugin with the smallest tables that exercise the kit: a counted place, a ticket with a
status machine and its history. Core's kit tests install it by ``linli_extra_plugins``."""

from __future__ import annotations

from linli import hookimpl
from linli.core.plugins import Manifest


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="kitprobe", version="0.1.0")


@hookimpl
def register_models() -> list[str]:
    return ["plugins_for_tests.kitprobe.models"]
