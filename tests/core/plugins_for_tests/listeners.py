"""Two ``on_event`` listeners: one that always raises, one async one that records."""

from __future__ import annotations

from linli import hookimpl
from linli.core.events import Event
from linli.core.plugins import Manifest


class Raising:
    """Registered as plugin ``raising``: its on_event always fails."""

    calls = 0

    @hookimpl
    def plugin_manifest(self) -> Manifest:
        return Manifest(name="raising", version="0.1")

    @hookimpl
    def on_event(self, event: Event) -> None:
        type(self).calls += 1
        raise RuntimeError(f"raising listener refuses {event.topic}")


class Recording:
    """Registered as plugin ``recording``: an async on_event that records what it got."""

    def __init__(self, name: str = "recording") -> None:
        self.name = name
        self.events: list[Event] = []

    @hookimpl
    def plugin_manifest(self) -> Manifest:
        return Manifest(name=self.name, version="0.1")

    @hookimpl
    async def on_event(self, event: Event) -> None:
        self.events.append(event)
