"""The GraphQL kit plugins build their API with: payload errors, Relay nodes and connections.

Conventions (docs/api.md): every mutation takes one ``input`` and returns a payload with its
result and ``errors``; expected failures are data there, each with a ``code`` from the
module's enum, the ``field`` path it concerns and a localized ``message``.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import NodeType
from strawberry.types import Info

from linli.core.context import Context
from linli.core.errors import COMMON_CODES, ApiError, Refused
from linli.core.i18n import translate

T = TypeVar("T")
M = TypeVar("M")


@strawberry.interface(description="An expected failure of a mutation, reported as data.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path of the input field at fault, when one is."
    )
    message: str = strawberry.field(description="Localized, human-readable explanation.")


def error_type(name: str, codes: Iterable[str] = (), description: str = "") -> type:
    """A payload error type ``name`` implementing UserError, with ``code: <name>Code!``.

    Its enum holds the common codes (INVALID_INPUT, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED,
    RATE_LIMITED, CONFLICT) and ``codes``. ``ErrorType.of(refusal, info)`` builds a list.
    """
    members = dict.fromkeys((*COMMON_CODES, *codes))
    code_enum = strawberry.enum(
        enum.Enum(f"{name}Code", {code: code for code in members}),
        description=f"Codes of {name}.",
    )
    namespace = {"__annotations__": {"code": code_enum}, "__module__": __name__}
    cls = strawberry.type(type(name, (UserError,), namespace), name=name, description=description)

    def of(refusal: Refused, info: Info) -> list[Any]:
        locale = info.context.locale
        message = translate(refusal.code, locale, **refusal.params)
        return [cls(code=code_enum[refusal.code], field=refusal.field, message=message)]

    cls.of = staticmethod(of)
    cls.Code = code_enum
    return cls


def context(info: Info) -> Context:
    return info.context


def require_login(info: Info) -> Context:
    """The context of an authenticated request, or an UNAUTHENTICATED error."""
    ctx = info.context
    if not ctx.actor.authenticated:
        raise ApiError("UNAUTHENTICATED", ctx.locale)
    return ctx


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
    """``strawberry.relay.node``: a field resolving objects by global id."""
    return _apply_once(relay.node(*args, **kwargs))


Node = relay.Node
NodeID = relay.NodeID
GlobalID = relay.GlobalID


@strawberry.type(description="A page of a list, with Relay cursors.")
class Connection(relay.ListConnection[NodeType]):
    """strawberry's ListConnection, but ``first``/``last`` over the page size limit (or below
    zero) are a coded PAGE_TOO_LARGE / INVALID_INPUT error, not an unexpected one."""

    @classmethod
    def resolve_connection(cls, nodes: Any, *, info: Info, **kwargs: Any) -> Any:
        limit = kwargs.get("max_results") or info.schema.config.relay_max_results
        for argument in ("first", "last"):
            value = kwargs.get(argument)
            if isinstance(value, int) and value > limit:
                raise ApiError("PAGE_TOO_LARGE", info.context.locale, max=limit, argument=argument)
            if isinstance(value, int) and value < 0:
                raise ApiError("INVALID_INPUT", info.context.locale, detail=f"{argument} < 0")
        return super().resolve_connection(nodes, info=info, **kwargs)
