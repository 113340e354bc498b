"""A plugin whose ``on_event`` writes each notice event it hears to the audit log, inside the
transaction core runs it in: a test in another process counts how often it acted on an event."""

from __future__ import annotations

from linli import hookimpl
from linli.core import audit
from linli.core.events import Event
from linli.core.plugins import Manifest

ACTION = "heard"


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="heard", version="0.1", description="counts on_event (tests only)")


@hookimpl
async def on_event(event: Event) -> None:
    if event.topic.startswith("notices.posted"):
        await audit.record(None, ACTION, object_type="Event", object_id=event.id)
