"""Subscriptions: ``follow`` (the rows the events on a topic name) and ``community_feed``."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.graphql.lists import allowed_community, like
from linli.core.graphql.nodes import GlobalID


def roles_in(community_id: int) -> Callable[[Any], Any]:
    """A subscription's ``visibility`` when what its caller sees of an event depends on its
    roles in one community (and on being an admin), not on who it is."""
    return lambda actor: (community_id, actor.is_admin, actor.roles_in(community_id))


async def follow(
    topic: str,
    model: Any,
    *,
    key: str = "id",
    info: Info | None = None,
    visibility: Callable[[Any], Any] | None = None,
) -> AsyncIterator[Any]:
    """The rows of ``model`` named by ``payload[key]`` of each event on ``topic`` from now on
    (the rows deleted meanwhile skipped): ``async for row in follow(topic, Row): yield ...``.

    With ``info``, the subscribers asking the same thing with the same ``visibility`` of
    their caller share one execution of each event (core/graphql/fanout.py): what is done
    with the row must then depend on nothing else of the caller."""
    from linli.core.events import subscribe
    from linli.core.graphql.fanout import shared_subscribe
    from linli.core.hotread import row_of_event

    if info is None:
        source = subscribe(topic)
    else:
        source = shared_subscribe(info, topic, visibility=visibility)
    async with source as events:
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
            # Shared by the subscribers of one community holding the same roles there.
            topic = event.topic(community_id=community)
            async for row in follow(topic, model, info=info, visibility=roles_in(community)):
                yield fn(row)

        like(resolve, fn, info=Info, community_id=GlobalID, **{"return": AsyncIterator[node]})
        field = strawberry.subscription(resolver=resolve, description=description)
        field.linli_root = "Subscription"
        return field

    return decorate
