"""Lists and Relay fields: ``Connection`` (coded errors for bad page arguments),
``connection`` / ``node`` applied once per field, ``mapped`` querysets sliced in SQL, the
community a query is about (``allowed_community``) and ``community_list``."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import PREFIX as CURSOR_PREFIX
from strawberry.relay.types import NodeType
from strawberry.types import Info

from linli.core import decoding
from linli.core.errors import ApiError
from linli.core.graphql.errors import api_errors, require_login
from linli.core.graphql.nodes import GlobalID, pk
from linli.core.response_cache import cached

T = TypeVar("T")
M = TypeVar("M")


class Mapped(Generic[M, T]):
    """A Tortoise queryset seen through a converter, sliced in SQL by Relay pagination."""

    def __init__(self, queryset: Any, convert: Callable[[M], T]) -> None:
        self.queryset = queryset
        self.convert = convert

    def __getitem__(self, window: slice) -> Mapped[M, T]:
        start = window.start or 0
        query = self.queryset.offset(start)
        if window.stop is not None:
            query = query.limit(max(window.stop - start, 0))
        return Mapped(query, self.convert)

    async def __aiter__(self) -> AsyncIterator[T]:
        for row in await self.queryset:
            yield self.convert(row)


def mapped(queryset: Any, convert: Callable[[M], T]) -> Mapped[M, T]:
    return Mapped(queryset, convert)


def allowed_community(
    info: Info, action: str, community_id: GlobalID, *, field: str = "communityId"
) -> int:
    """For a query or subscription: the pk of the Community ``community_id`` if the caller may
    do ``action`` there; else an UNAUTHENTICATED, INVALID_INPUT or FORBIDDEN ``ApiError``."""
    from linli.core.identity.access import can

    ctx = require_login(info)
    with api_errors(info):
        community = pk(community_id, "Community", field=field)
    if not can(ctx.actor, action, community):
        raise ApiError("FORBIDDEN", ctx.locale)
    return community


def _apply_once(field: Any) -> Any:
    """Make a field's extensions apply once, however many schemas the field joins.

    strawberry's relay extensions rewrite their field each time a schema is built (adding
    arguments, setting the resolver), so a second build (the next test, another plugin set)
    breaks. Linli builds a schema per app, so its relay fields come through here.
    """
    for extension in field.extensions:
        original = extension.apply
        done: list[bool] = []

        def apply(target: Any, original: Any = original, done: list[bool] = done) -> None:
            if not done:
                original(target)
                done.append(True)

        extension.apply = apply
    return field


def connection(*args: Any, **kwargs: Any) -> Any:
    """``strawberry.relay.connection`` for Linli types: offset cursors, a capped ``first``."""
    return _apply_once(relay.connection(*args, **kwargs))


def node(*args: Any, **kwargs: Any) -> Any:
    """``strawberry.relay.node``: a field resolving an object by global id (decoded by
    ``linli.core.decoding``: a malformed id is INVALID_INPUT, never an unexpected error)."""
    return _apply_once(decoding.node_field(*args, **kwargs))


@strawberry.type(description="A page of a list, with Relay cursors.")
class Connection(relay.ListConnection[NodeType]):
    """strawberry's ListConnection, but ``first``/``last`` over the page size limit (or below
    zero) are a coded PAGE_TOO_LARGE / INVALID_INPUT error, not an unexpected one, and so is
    a ``before``/``after`` cursor Linli did not write (``linli.core.decoding``)."""

    @classmethod
    def resolve_connection(cls, nodes: Any, *, info: Info, **kwargs: Any) -> Any:
        limit = kwargs.get("max_results") or info.schema.config.relay_max_results
        for argument in ("first", "last"):
            value = kwargs.get(argument)
            if isinstance(value, int) and value > limit:
                raise ApiError("PAGE_TOO_LARGE", info.context.locale, max=limit, argument=argument)
            if isinstance(value, int) and value < 0:
                raise ApiError("INVALID_INPUT", info.context.locale, detail=f"{argument} < 0")
        for argument in ("before", "after"):
            cursor = kwargs.get(argument)
            if cursor is not None and decoding.cursor_offset(cursor, CURSOR_PREFIX) is None:
                raise ApiError("INVALID_INPUT", info.context.locale, detail=argument)
        return super().resolve_connection(nodes, info=info, **kwargs)


def like(resolve: Callable[..., Any], fn: Callable[..., Any], **annotations: Any) -> Any:
    """``resolve`` named and placed as ``fn`` (the field's name, the plugin whose messages it
    uses), with ``annotations`` as the objects strawberry reads."""
    resolve.__name__, resolve.__qualname__ = fn.__name__, fn.__qualname__
    resolve.__module__, resolve.__doc__ = fn.__module__, fn.__doc__
    resolve.__annotations__ = annotations
    return resolve


def community_list(node: type, *, description: str, visible: str | None = None) -> Any:
    """A Relay list of ``node`` in one community, for callers who may ``visible`` there (by
    default the node's declared ``visible`` action), over the decorated function's queryset::

        @g.community_list(Notice, description="A community's notices, newest first.")
        def notices(community_id: int):
            return Row.filter(community_id=community_id).order_by("-id")

    gives ``notices(communityId: ID!, first, after, …): NoticeConnection!``: the caller
    checked (``allowed_community``), the rows sliced in SQL and converted by
    ``node.from_model``. It joins Query without ``register_queries`` (see docs/plugins.md),
    as a pure read the response cache may replay to the same caller (core/response_cache.py).
    """
    action = visible or node.node_visible  # type: ignore[attr-defined]
    if not isinstance(action, str):
        raise TypeError(f"community_list({node.__name__}): give visible='<plugin>.<action>'")

    def decorate(fn: Callable[[int], Any]) -> Any:
        def resolve(info: Info, community_id: GlobalID) -> AsyncIterable[Any]:
            community = allowed_community(info, action, community_id)
            return mapped(fn(community), node.from_model)  # type: ignore[attr-defined]

        like(resolve, fn, info=Info, community_id=GlobalID, **{"return": AsyncIterable[node]})
        field = connection(Connection[node], description=description)(resolve)  # type: ignore[valid-type]
        field.linli_root = "Query"
        return cached(field)  # a pure read: the caller checked, rows selected, nothing written

    return decorate
