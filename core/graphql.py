"""The GraphQL kit plugins build their API with: payload errors, Relay nodes and connections.

Conventions (docs/api.md): every mutation takes one ``input`` and returns a payload with its
result and ``errors``; expected failures are data there, each with a ``code`` from the
module's enum, the ``field`` path it concerns and a localized ``message``. Queries and
subscriptions have no payload: their refusals are top-level errors with ``extensions.code``.

The helpers (``examples/linli-notices`` uses each), in the order a resolver meets them:

- ``pk(gid, "Community", field="communityId")``: the int primary key in a global id of that
  type, or ``Refused(INVALID_INPUT)`` naming the field; ``global_id(type, pk)`` the reverse;
- ``ErrorType.attempt(info, work)`` (or ``attempt(ErrorType, info, work)``): run a service
  call in a mutation, giving ``(result, [])`` or ``(None, errors)`` for the payload, built
  by ``payload_type(name, ErrorType, result=Type)``;
- ``api_errors(info)`` / ``refusal_to_error(refusal, info)``: the same refusal as an
  ``ApiError`` in a query or subscription; ``allowed_community(info, action, gid)`` decodes
  and checks the community a query or subscription is about;
- ``from_row(cls, row, **values)``: a strawberry type built from a model row's attributes;
- ``resolve_model_nodes`` / ``model_nodes``: ``Node.resolve_nodes`` for a type backed by a
  model, in one query, null for what the caller may not see;
- ``mapped(queryset, convert)`` for ``connection`` fields, sliced in SQL; ``follow(topic,
  Model)`` for subscriptions: the rows the events on a topic name.

``Info``, ``Node``, ``NodeID``, ``GlobalID`` and ``Connection`` are here too, so an api.py
imports one module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import inspect
import json
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import strawberry
from strawberry import relay
from strawberry.relay.types import PREFIX as CURSOR_PREFIX
from strawberry.relay.types import NodeType
from strawberry.types import Info
from tortoise.exceptions import ValidationError

from linli.core import decoding
from linli.core.context import Context
from linli.core.errors import COMMON_CODES, ApiError, Refused, refusal_from_validation
from linli.core.i18n import plugin_of, translate
from linli.core.ids import parse_pk

log = logging.getLogger("linli.graphql")

T = TypeVar("T")
M = TypeVar("M")


@strawberry.interface(description="An expected failure of a mutation, reported as data.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path of the input field at fault, when one is."
    )
    message: str = strawberry.field(description="Localized, human-readable explanation.")


def error_type(name: str, codes: Iterable[str] | None = None, description: str = "") -> type:
    """A payload error type ``name`` implementing UserError, with ``code: <name>Code!``.

    Its enum holds the common codes (INVALID_INPUT, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED,
    RATE_LIMITED, CONFLICT) and ``codes``; without ``codes``, every code of the calling
    plugin's messages.json. ``ErrorType.of(refusal, info)`` builds a list;
    ``await ErrorType.attempt(info, work)`` runs a service call into ``(result, errors)``.
    Its messages are those of the plugin whose module calls ``error_type`` (its
    messages.json, then core's): nothing to pass. A refusal whose code is not in the enum is
    a coded top-level error (that code, its message), never a KeyError.
    """
    module = sys._getframe(1).f_globals.get("__name__")
    if codes is None:
        codes = _codes_beside(module)
    members = dict.fromkeys((*COMMON_CODES, *codes))
    code_enum = strawberry.enum(
        enum.Enum(f"{name}Code", {code: code for code in members}),
        description=f"Codes of {name}.",
    )
    namespace = {"__annotations__": {"code": code_enum}, "__module__": __name__}
    # strawberry writes an empty description as an empty block string ("""""") in the SDL.
    cls = strawberry.type(
        type(name, (UserError,), namespace), name=name, description=description or None
    )

    def of(refusal: Refused, info: Info) -> list[Any]:
        locale, plugin = info.context.locale, plugin_of(module)
        params = refusal.params
        if refusal.field and "detail" not in params:  # INVALID_INPUT says which field
            params = {**params, "detail": ".".join(refusal.field)}
        if refusal.code not in members:
            log.error("%s has no code %s: add it to its codes or messages.json", name, refusal.code)
            raise ApiError(refusal.code, locale, plugin=plugin, **params)
        message = translate(refusal.code, locale, plugin=plugin, **params)
        return [cls(code=code_enum[refusal.code], field=refusal.field, message=message)]

    async def attempt_(info: Info, work: Callable[[], Awaitable[T]]) -> tuple[T | None, list[Any]]:
        return await attempt(cls, info, work)

    cls.of = staticmethod(of)
    cls.attempt = staticmethod(attempt_)
    cls.Code = code_enum
    return cls


def _codes_beside(module: str | None) -> list[str]:
    """The codes of the messages.json nearest above ``module`` in its package."""
    folder = Path(getattr(sys.modules.get(module or ""), "__file__", None) or ".").parent
    while (folder / "__init__.py").exists() or (folder / "messages.json").exists():
        if (folder / "messages.json").exists():
            return list(json.loads((folder / "messages.json").read_text(encoding="utf-8")))
        folder = folder.parent
    return []


async def attempt(
    error: Any, info: Info, work: Callable[[], Awaitable[T]]
) -> tuple[T | None, list[Any]]:
    """Run ``work()`` (a service call) for a mutation: ``(its result, [])``, or, when it is
    refused, ``(None, error.of(refusal, info))`` for the payload's ``errors``.

    ``work`` is a callable, so whatever it decodes first (``pk``) is refused the same way::

        row, errors = await attempt(PostNoticeError, info, lambda: service.post(...))
    """
    try:
        return await work(), []
    except Refused as refusal:
        return None, error.of(refusal, info)
    except ValidationError as invalid:  # a string past its column's max_length, say
        return None, error.of(refusal_from_validation(invalid), info)


def refusal_to_error(refusal: Refused, info: Info) -> ApiError:
    """A refusal as the top-level error of a query or subscription (they have no payload),
    its message the resolver's plugin's (then core's)."""
    field = getattr(info, "_field", None)
    plugin = plugin_of(getattr(field and field.origin, "__module__", None))
    return ApiError(refusal.code, info.context.locale, plugin=plugin, **refusal.params)


@contextlib.contextmanager
def api_errors(info: Info) -> Iterator[None]:
    """``with api_errors(info):`` turns a Refused raised inside into ``refusal_to_error``."""
    try:
        yield
    except Refused as refusal:
        raise refusal_to_error(refusal, info) from refusal


@overload
def pk(gid: GlobalID, type_name: str, *, field: str | Sequence[str]) -> int: ...
@overload
def pk(gid: None, type_name: str, *, field: str | Sequence[str]) -> None: ...
def pk(gid: GlobalID | None, type_name: str, *, field: str | Sequence[str]) -> int | None:
    """The int primary key in a global id of ``type_name`` (None for None).

    Any other type, or a key that is not an integer, is ``Refused("INVALID_INPUT")`` with
    ``field`` (the input path: ``"communityId"`` or ``["dependent", "communityId"]``).
    """
    if gid is None:
        return None
    path = [field] if isinstance(field, str) else list(field)
    if gid.type_name == type_name and (key := parse_pk(gid.node_id)) is not None:
        return key
    raise Refused("INVALID_INPUT", field=path, detail=".".join(path))


def global_id(type_name: str, key: Any) -> GlobalID | None:
    """The global id of ``type_name`` with primary key ``key`` (None for None)."""
    return None if key is None else GlobalID(type_name, str(key))


@strawberry.type
class ModelNode(relay.Node):
    """A Node backed by a database row, its global id served as a plain field.

    strawberry's Node resolves ``id`` for every object through its full resolver path (an
    Info object, argument parsing, the type-name lookup): about a tenth of a 100-row page.
    Here ``from_row`` computes it once, when the row is converted; ``pk`` is the row's key.
    """

    pk: relay.NodeID[int]
    id: strawberry.ID = strawberry.field(description="The Globally Unique ID of this object")


def from_row(cls: type[T], row: Any, **values: Any) -> T:
    """An instance of the strawberry type ``cls``: each of its fields is ``values[name]`` when
    given, else ``row``'s attribute of that name (a field with a default may be missing).
    A ModelNode gets ``pk`` and its encoded global ``id`` from the row's primary key."""
    node_type, names = _row_fields(cls)
    if node_type is not None:
        values.setdefault("pk", row.pk)
        values["id"] = relay.to_base64(node_type, values["pk"])
    for name in names:
        if name not in values and hasattr(row, name):
            values[name] = getattr(row, name)
    return cls(**values)


@functools.cache
def _row_fields(cls: type) -> tuple[str | None, tuple[str, ...]]:
    """A type's GraphQL name when it is a ModelNode, and its init fields (once per type:
    conversion runs for every row of every page)."""
    node_type = cls.__strawberry_definition__.name if issubclass(cls, ModelNode) else None  # type: ignore[attr-defined]
    return node_type, tuple(f.name for f in dataclasses.fields(cls) if f.init)  # type: ignore[arg-type]


async def resolve_model_nodes(
    cls: Any,
    model: Any,
    node_ids: Iterable[str],
    *,
    info: Info,
    required: bool = False,
    visible: str | Callable[[Any], bool | Awaitable[bool]] | None = None,
    visible_to: Callable[[Any, Any], bool | Awaitable[bool]] | None = None,
) -> list[Any]:
    """``Node.resolve_nodes`` for a type backed by ``model``: ``cls.from_model(row)`` for each
    id, in order, in one query; None for an id that is malformed, missing or not visible.

    ``visible`` is a permission action the caller needs in the row's ``community_id``
    (``"notices.read"``), or a function of the row (which may be async); ``visible_to`` a
    function of the caller's actor and the row (``may_see(actor, row)``); neither shows all.
    With ``required`` (a non-null node field) a missing id is a NOT_FOUND error instead, so
    what the caller may not see looks like what is not::

        @classmethod
        async def resolve_nodes(cls, *, info, node_ids, required=False):
            return await resolve_model_nodes(
                cls, Row, node_ids, info=info, required=required, visible=lambda row: ...
            )

    ``resolve_nodes = model_nodes(Row, visible=...)`` in the class body says the same.
    """
    if isinstance(visible, str):
        action = visible

        def visible(row: Any) -> bool:
            from linli.core.identity.access import can

            return can(info.context.actor, action, row.community_id)

    if visible_to is not None:
        actor = info.context.actor

        def visible(row: Any) -> bool | Awaitable[bool]:
            return visible_to(actor, row)

    keys = [parse_pk(raw) for raw in node_ids]
    wanted = {key for key in keys if key is not None}
    rows = {row.pk: row for row in await model.filter(pk__in=wanted)} if wanted else {}
    seen: dict[int, bool] = {}
    for key, row in rows.items():
        allowed = True if visible is None else visible(row)
        seen[key] = await allowed if inspect.isawaitable(allowed) else bool(allowed)
    out = [cls.from_model(rows[key]) if seen.get(key) else None for key in keys]  # type: ignore[index]
    if required and None in out:
        raise ApiError("NOT_FOUND", info.context.locale)
    return out


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


def model_nodes(model: Any, *, visible: Any = None, visible_to: Any = None) -> Any:
    """A ``resolve_nodes`` classmethod for a Node type with ``from_model``:
    ``resolve_nodes = model_nodes(Row, visible="notices.read")``, or
    ``model_nodes(Row, visible_to=may_see)`` (see resolve_model_nodes)."""

    async def resolve_nodes(
        cls: Any, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await resolve_model_nodes(
            cls,
            model,
            node_ids,
            info=info,
            required=required,
            visible=visible,
            visible_to=visible_to,
        )

    return classmethod(resolve_nodes)


def payload_type(name: str, error: Any, description: str = "", **results: Any) -> type:
    """A mutation payload type ``name``: each of ``results`` (field name → type) nullable and
    None by default, and ``errors: [<error>!]!``, empty by default::

        PostNoticePayload = payload_type("PostNoticePayload", PostNoticeError, notice=Notice)
    """
    annotations: dict[str, Any] = {field: result | None for field, result in results.items()}
    annotations["errors"] = list[error]
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": __name__}
    namespace.update(dict.fromkeys(results))
    namespace["errors"] = strawberry.field(default_factory=list)
    return strawberry.type(type(name, (), namespace), name=name, description=description or None)


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


Node = relay.Node
NodeID = relay.NodeID
GlobalID = relay.GlobalID


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
