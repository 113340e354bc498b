"""Small plugins, each wrong in one way, for the start-up checks (tests/core/test_plugins.py).

Each is a class: an instance is registered under the name a test chooses.
"""

from __future__ import annotations

import strawberry

from linli import hookimpl
from linli.core.plugins import Manifest


class Good:
    """A plugin with nothing wrong: the baseline the faulty ones differ from."""

    def __init__(self, name: str = "good", **manifest: object) -> None:
        self.manifest = Manifest(name=name, version="1.0", **manifest)

    @hookimpl
    def plugin_manifest(self) -> Manifest:
        return self.manifest


class Misspelt(Good):
    """``register_querys``: no such hook."""

    @hookimpl
    def register_querys(self) -> list[type]:
        return []


class NoManifest:
    @hookimpl
    def register_queries(self) -> list[type]:
        return []


@strawberry.type
class GreetingQueryA:
    @strawberry.field
    def greeting(self) -> str:
        return "from a"


@strawberry.type
class GreetingQueryB:
    @strawberry.field(name="greeting")
    def hello(self) -> str:
        return "from b"


class GreetsA(Good):
    @hookimpl
    def register_queries(self) -> list[type]:
        return [GreetingQueryA]


class GreetsB(Good):
    @hookimpl
    def register_queries(self) -> list[type]:
        return [GreetingQueryB]
