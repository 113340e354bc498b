"""A plugin that probes the kernel: it publishes events inside a transaction, subscribes over
GraphQL (with a gate that makes a subscriber slow on demand), records every ``on_event`` it
gets, reads the context's clock, and raises an unexpected error on request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from linli import hookimpl
from linli.core import audit, db, events
from linli.core.plugins import Manifest

TOPIC = "probe.said"

# What this plugin saw; reset() between tests (an asyncio.Event belongs to one loop).
received: list[events.Event] = []
subscriptions: list[events.Subscription] = []
gate = asyncio.Event()


def reset() -> None:
    global gate
    received.clear()
    subscriptions.clear()
    gate = asyncio.Event()


async def say(text: str, *, topic: str = TOPIC, fail: bool = False) -> None:
    """The service: one transaction that audits and publishes; ``fail`` rolls it back."""
    async with db.atomic():
        await audit.record(None, "probe.say", object_type="Probe", object_id=text, text=text)
        await events.publish(topic, {"text": text})
        if fail:
            raise RuntimeError("rolled back on purpose")


@strawberry.type
class ProbeEvent:
    topic: str
    text: str


@strawberry.input
class ProbeSayInput:
    text: str
    topic: str = TOPIC


@strawberry.type
class ProbeSayPayload:
    ok: bool


@strawberry.type
class ProbeQuery:
    @strawberry.field
    def probe_now(self, info: Info) -> datetime:
        return info.context.now()

    @strawberry.field
    def probe_loader(self, info: Info) -> str:
        return info.context.loaders.get("probe", "missing")

    @strawberry.field
    def probe_boom(self) -> str:
        raise RuntimeError("internal detail that must not leak")


@strawberry.type
class ProbeMutation:
    @strawberry.mutation
    async def probe_say(self, input: ProbeSayInput) -> ProbeSayPayload:
        await say(input.text, topic=input.topic)
        return ProbeSayPayload(ok=True)


@strawberry.type
class ProbeSubscription:
    @strawberry.subscription
    async def probe_events(
        self, topic: str = TOPIC, slow: bool = False
    ) -> AsyncGenerator[ProbeEvent, None]:
        async with events.subscribe(topic) as sub:
            subscriptions.append(sub)
            async for event in sub:
                if slow:
                    await gate.wait()
                yield ProbeEvent(topic=event.topic, text=event.payload["text"])


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="probe", version="1.2.3", description="kernel probe (tests only)")


@hookimpl
def register_queries() -> list[type]:
    return [ProbeQuery]


@hookimpl
def register_mutations() -> list[type]:
    return [ProbeMutation]


@hookimpl
def register_subscriptions() -> list[type]:
    return [ProbeSubscription]


@hookimpl
def on_event(event: events.Event) -> Any:
    received.append(event)


@hookimpl
async def extend_context(context: Any) -> None:
    await asyncio.sleep(0)  # an extension that needs I/O returns an awaitable; core awaits it
    context.loaders["probe"] = "loaded"
