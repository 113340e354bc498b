"""A plugin whose messages.json gives one of core's codes another message: a start-up error."""

from linli import Manifest, hookimpl


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="squats_core", version="1.0")
