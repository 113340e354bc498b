"""A plugin whose subscriptions share their executions (core/graphql/fanout.py), written to
tempt every mistake a shared execution could make: a global topic that residents of several
communities follow, a staff-only note decided when the subscription starts (its
``visibility`` must keep staff and residents apart), and a field that reads the caller's
person for each event (the watched context must make it personal)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry.types import Info

from linli import hookimpl
from linli.core import events
from linli.core.errors import ApiError
from linli.core.graphql import GlobalID, pk, require_login, roles_in, shared_subscribe
from linli.core.plugins import Manifest

TOPIC = "tally.counted"  # one topic for every community


@strawberry.type
class Tally:
    value: int
    community: int
    staff_note: str | None
    person: strawberry.Private[Any] = None

    @strawberry.field
    def viewer(self, info: Info) -> int | None:
        """The caller's person, read for each event: personal, never shared."""
        return info.context.actor.person_id


@strawberry.type
class TallySubscription:
    @strawberry.subscription
    async def tally(self, info: Info, community_id: GlobalID) -> AsyncGenerator[Tally, None]:
        ctx = require_login(info)
        community = pk(community_id, "Community", field="communityId")
        if not ctx.actor.has_role(community, "resident") and not ctx.actor.has_role(
            community, "staff"
        ):
            raise ApiError("FORBIDDEN", ctx.locale)
        staff = ctx.actor.has_role(community, "staff")  # decided once: visibility covers it
        async with shared_subscribe(info, TOPIC, visibility=roles_in(community)) as feed:
            async for event in feed:
                yield Tally(
                    value=event.payload["n"],
                    community=community,
                    staff_note=f"note for staff of {community}" if staff else None,
                )


async def count(n: int) -> None:
    await events.publish(TOPIC, {"n": n})


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="tally", version="0.1.0", description="shared executions (tests only)")


@hookimpl
def register_subscriptions() -> list[type]:
    return [TallySubscription]
