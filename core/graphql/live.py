"""Subscriptions: ``follow`` (the rows the events on a topic name) and ``community_feed``."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.graphql.lists import allowed_community, like
from linli.core.graphql.nodes import GlobalID


async def follow(topic: str, model: Any, *, key: str = "id") -> AsyncIterator[Any]:
    """The rows of ``model`` named by ``payload[key]`` of each event on ``topic`` from now on
    (the rows deleted meanwhile skipped): ``async for row in follow(topic, Row): yield ...``."""
    from linli.core.events import subscribe
    from linli.core.hotread import row_of_event

    async with subscribe(topic) as events:
        async for event in events:
            # Read once per event for every subscriber of this instance (shared, read-only).
            row = await row_of_event(event, model, event.payload.get(key))
            if row is not None:
                yield row


def community_feed(event: Any, *, description: str, visible: str | None = None) -> Any:
    """A subscription to ``event`` (a declared EventType keyed by ``community_id``, its
    payload's ``id`` the row's) in one community, for callers who may ``visible`` there (by
    default the node's declared ``visible``); the decorated function makes each row's node::

        @g.community_feed(service.POSTED, description="Each notice posted from now on.")
        def notice_posted(row: Row) -> Notice:
            return Notice.from_model(row)

    gives ``noticePosted(communityId: ID!): Notice!``, the caller checked when it subscribes
    (``allowed_community``). It joins Subscription without ``register_subscriptions``.
    """
    if tuple(event.keys) != ("community_id",):
        raise TypeError(f"community_feed({event.name}): the event must be keyed by community_id")

    def decorate(fn: Callable[[Any], Any]) -> Any:
        hints = typing.get_type_hints(fn)
        node = hints["return"]
        model = node.node_model
        action = visible or node.node_visible
        if model is None or not isinstance(action, str):
            raise TypeError(f"{fn.__name__}: {node.__name__} needs model= and visible='…'")

        async def resolve(info: Info, community_id: GlobalID) -> AsyncIterator[Any]:
            community = allowed_community(info, action, community_id)  # at subscribe
            async for row in follow(event.topic(community_id=community), model):
                yield fn(row)

        like(resolve, fn, info=Info, community_id=GlobalID, **{"return": AsyncIterator[node]})
        field = strawberry.subscription(resolver=resolve, description=description)
        field.linli_root = "Subscription"
        return field

    return decorate
