"""Relay nodes backed by model rows: global ids (``pk``, ``global_id``), ``ModelNode`` with
its default ``from_model`` and ``resolve_nodes``, and ``from_row``."""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar, overload

import strawberry
from strawberry import relay
from strawberry.types import Info

from linli.core.errors import ApiError, Refused
from linli.core.ids import parse_pk

T = TypeVar("T")

Node = relay.Node
NodeID = relay.NodeID
GlobalID = relay.GlobalID

Visible = str | Callable[[Any], bool | Awaitable[bool]] | None
VisibleTo = Callable[[Any, Any], bool | Awaitable[bool]] | None


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


# The ModelNode type declared for each model (``class Notice(ModelNode, model=Row)``): the
# type name a foreign key's global id carries.
_node_of_model: dict[type, type] = {}


@strawberry.type
class ModelNode(relay.Node):
    """A Node backed by a database row, its global id served as a plain field.

    strawberry's Node resolves ``id`` for every object through its full resolver path (an
    Info object, argument parsing, the type-name lookup): about a tenth of a 100-row page.
    Here ``from_row`` computes it once, when the row is converted; ``pk`` is the row's key.

    Declared with its model, a subclass needs nothing else to be a node::

        class Notice(g.ModelNode, model=Row, visible="notices.read"):
            community_id: g.GlobalID   # from the row's community foreign key
            title: str

    gives ``resolve_nodes`` (``model_nodes(Row, visible=...)``: node(id:) answers null for
    what the caller may not see) and keeps the default ``from_model``: each field from the
    row's attribute of that name, and a ``<fk>_id: GlobalID`` field as the global id of the
    row's foreign key ``<fk>`` (its type: the ModelNode declared for the related model, else
    the related model's class name, ``Community``). A type that computes fields writes its
    own ``from_model`` (calling ``from_row``).
    """

    pk: relay.NodeID[int]
    id: strawberry.ID = strawberry.field(description="The Globally Unique ID of this object")

    # The model and read permission a subclass declares (class keywords, below); plain
    # attributes, not annotations, so strawberry sees no field.
    node_model = None
    node_visible = None

    def __init_subclass__(
        cls,
        *,
        model: Any = None,
        visible: Visible = None,
        visible_to: VisibleTo = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if model is None:
            return
        cls.node_model, cls.node_visible = model, visible
        cls.resolve_nodes = model_nodes(model, visible=visible, visible_to=visible_to)  # type: ignore[method-assign]
        _node_of_model[model] = cls

    @classmethod
    def from_model(cls, row: Any) -> Any:
        """The node of ``row``: see the class docstring."""
        ids = _ids(cls, type(row))
        return from_row(
            cls, row, **{name: global_id(kind, getattr(row, name)) for name, kind in ids}
        )


@functools.cache
def _ids(cls: type, model: type) -> tuple[tuple[str, str], ...]:
    """(field, type name) of each GlobalID field the default from_model fills
    from a foreign key; a GlobalID field it cannot fill is a TypeError naming it."""
    out = []
    for field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        kind = getattr(field.type, "of_type", field.type)
        if kind is not GlobalID or field.base_resolver is not None:
            continue
        name = field.python_name
        fk = model._meta.fields_map.get(name.removesuffix("_id"))  # type: ignore[attr-defined]
        related = getattr(fk, "related_model", None)
        if not name.endswith("_id") or related is None:
            raise TypeError(
                f"{cls.__name__}.{name}: the default from_model fills a GlobalID field only "
                f"from a foreign key (<fk>_id); write {cls.__name__}.from_model"
            )
        node = _node_of_model.get(related)
        type_name = node.__strawberry_definition__.name if node else related.__name__  # type: ignore[attr-defined]
        out.append((name, type_name))
    return tuple(out)


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
    visible: Visible = None,
    visible_to: VisibleTo = None,
) -> list[Any]:
    """``Node.resolve_nodes`` for a type backed by ``model``: ``cls.from_model(row)`` for each
    id, in order, in one query; None for an id that is malformed, missing or not visible.

    ``visible`` is a permission action the caller needs in the row's ``community_id``
    (``"notices.read"``), or a function of the row (which may be async); ``visible_to`` a
    function of the caller's actor and the row (``may_see(actor, row)``); neither shows all.
    With ``required`` (a non-null node field) a missing id is a NOT_FOUND error instead, so
    what the caller may not see looks like what is not. ``class T(ModelNode, model=Row,
    visible=...)``, or ``resolve_nodes = model_nodes(Row, visible=...)`` in the class body,
    says the same.
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


def model_nodes(model: Any, *, visible: Visible = None, visible_to: VisibleTo = None) -> Any:
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
