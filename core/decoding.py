"""Global ids and cursors as clients send them, decoded before any resolver sees them.

strawberry decodes both with ``int()`` and ``str.split`` in the middle of a resolver, so a
malformed one was an unexpected error (``node(id:)`` with ``Nope:1``, the abstract ``Node``,
``BookingSlot:²``, a key past 64 bits; ``after: "!!!!"``, an offset past what SQL takes),
and its message quoted the value back. Here each is refused with INVALID_INPUT naming the
argument, never the value:

- ``node_field()``: the Relay ``node(id:)`` field, resolving only concrete Node types of the
  schema, with a key ``parse_pk`` accepts for the ModelNode types (keys are ints);
- ``cursor_offset()``: the offset in a connection's ``before``/``after`` cursor;
- ``RefuseNulText``: no string with a NUL character, which PostgreSQL cannot store.
"""

from __future__ import annotations

import base64
import binascii
import inspect
from typing import Annotated, Any

import strawberry
from graphql import ExecutionResult
from strawberry import relay
from strawberry.extensions import SchemaExtension
from strawberry.relay.fields import NodeExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import cast as strawberry_cast

from linli.core.errors import ApiError
from linli.core.ids import parse_pk

# Offsets into a list a client pages through: far beyond any page a client reaches, and
# within what every database's OFFSET takes.
MAX_CURSOR_OFFSET = 2**31 - 1


def split_base64(value: Any) -> tuple[str, str] | None:
    """``"Type:rest"`` from strict base64 (what ``relay.to_base64`` writes), or None."""
    if not isinstance(value, str) or not value.isascii() or len(value) > 1024:
        return None
    try:
        text = base64.b64decode(value.encode(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    name, sep, rest = text.partition(":")
    return (name, rest) if sep and name else None


def cursor_offset(cursor: Any, prefix: str) -> int | None:
    """The offset a connection cursor names, or None for anything Linli did not write."""
    parts = split_base64(cursor)
    if parts is None or parts[0] != prefix:
        return None
    raw = parts[1]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    offset = int(raw)
    return offset if offset <= MAX_CURSOR_OFFSET else None


def node_type(info: Info, type_name: str) -> type[relay.Node] | None:
    """The concrete Node type the schema calls ``type_name`` (not an interface), or None."""
    definition = info.schema.get_type_by_name(type_name)
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_interface:
        return None
    origin = definition.origin
    return origin if isinstance(origin, type) and issubclass(origin, relay.Node) else None


def decode_node_id(info: Info, gid: Any, argument: str = "id") -> tuple[type[relay.Node], str]:
    """The Node type and node id in a global id, or INVALID_INPUT naming ``argument``."""
    from linli.core.graphql import ModelNode

    parts = split_base64(gid)
    found = node_type(info, parts[0]) if parts else None
    if parts is None or found is None:
        raise ApiError("INVALID_INPUT", info.context.locale, detail=argument)
    if issubclass(found, ModelNode) and parse_pk(parts[1]) is None:
        raise ApiError("INVALID_INPUT", info.context.locale, detail=argument)
    return found, parts[1]


class SafeNodeExtension(NodeExtension):
    """strawberry's ``node(id:)`` resolver, with the id decoded by ``decode_node_id``."""

    def get_node_resolver(self, field: Any) -> Any:
        required = not isinstance(field.type, strawberry.types.base.StrawberryOptional)

        async def resolver(
            info: Info,
            id: Annotated[strawberry.ID, strawberry.argument(description="The ID of the object.")],
        ) -> Any:
            found, node_id = decode_node_id(info, id)
            resolved = found.resolve_node(node_id, info=info, required=required)
            if inspect.isawaitable(resolved):
                resolved = await resolved
            return strawberry_cast(found, resolved)

        return resolver


def node_field(*args: Any, **kwargs: Any) -> Any:
    """``strawberry.relay.node`` (a single node by global id), decoding the id safely."""
    field = relay.node(*args, **kwargs)
    field.extensions = [
        SafeNodeExtension() if type(extension) is NodeExtension else extension
        for extension in field.extensions
    ]
    return field


# ---------------------------------------------------------------- text


def has_nul(value: Any, depth: int = 0) -> bool:
    """Whether a decoded variable value holds a NUL character anywhere (JSON nests a few
    levels: the request decoder already bounds its depth)."""
    if isinstance(value, str):
        return "\x00" in value
    if depth > 64:
        return True
    if isinstance(value, dict):
        return any(has_nul(k, depth + 1) or has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v, depth + 1) for v in value)
    return False


def _literal_nul(document: Any) -> bool:
    from graphql.language import StringValueNode, Visitor, visit

    found = False

    class Find(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
            nonlocal found
            if "\x00" in node.value:
                found = True
                return Visitor.BREAK
            return None

    visit(document, Find())
    return found


def _may_hold_nul(source: str | None) -> bool:
    """Whether the document's text can spell a NUL at all: written raw, or as a unicode escape
    (``\\u0000``, ``\\u{0}``); block strings take no escapes. Walking every document's tree
    for one cost 0.8 ms a request on a 16-row read, for what a substring test rules out."""
    return source is None or "\x00" in source or "\\u" in source


class RefuseNulText(SchemaExtension):
    """No string with a NUL character (U+0000) reaches a resolver, in a variable or written in
    the document: PostgreSQL's text cannot hold one (a write, or even a filter, failed
    INTERNAL there, while SQLite stored it), and no text this API takes has one. Refused as
    INVALID_INPUT before execution, never quoting the value; every plugin inherits it."""

    def on_execute(self) -> Any:
        context = self.execution_context
        if has_nul(context.variables or {}) or (
            context.graphql_document is not None
            and _may_hold_nul(context.query)
            and _literal_nul(context.graphql_document)
        ):
            locale = getattr(context.context, "locale", None) or "zh-CN"
            error = ApiError("INVALID_INPUT", locale, detail="NUL")
            context.result = ExecutionResult(data=None, errors=[error])
        yield
