"""Mutations: inputs (``input_type``), payloads (``payload_type``) and ``mutation``, the
decorator that turns a service call into a payload with ``errors``."""

from __future__ import annotations

import sys
import typing
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.graphql.errors import attempt, error_type_of
from linli.core.graphql.lists import like


def payload_type(name: str, error: Any = None, description: str = "", **results: Any) -> type:
    """A mutation payload type ``name``: each of ``results`` (field name → type) nullable and
    None by default, and ``errors: [<error>!]!``, empty by default::

        PostNoticePayload = payload_type("PostNoticePayload", notice=Notice)

    Without ``error``, the error type is ``<Verb><Noun>Error`` (the name's, ``Payload``
    replaced) with the codes of the calling plugin's messages.json. ``await
    Payload.attempt(info, work)`` runs the service call ``work`` and answers the payload: the
    result in the one result field (converted by its type's ``from_model`` when it is a row;
    several fields: ``work`` answers a dict of them), or the refusal in ``errors``.
    """
    module = sys._getframe(1).f_globals.get("__name__")
    return payload_type_of(module, name, error, description, **results)


def payload_type_of(
    module: str | None, name: str, error: Any = None, description: str = "", **results: Any
) -> type:
    """``payload_type`` for the plugin of ``module``."""
    if error is None:
        error = error_type_of(module, name.removesuffix("Payload") + "Error")
    annotations: dict[str, Any] = {field: result | None for field, result in results.items()}
    annotations["errors"] = list[error]
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": __name__}
    namespace.update(dict.fromkeys(results))
    namespace["errors"] = strawberry.field(default_factory=list)
    cls = strawberry.type(type(name, (), namespace), name=name, description=description or None)

    async def attempt_(info: Info, work: Callable[[], Awaitable[Any]]) -> Any:
        result, errors = await attempt(error, info, work)
        if result is None:
            return cls(errors=errors)
        values = result if len(results) != 1 else {next(iter(results)): result}
        return cls(**{field: _converted(results[field], value) for field, value in values.items()})

    cls.attempt = staticmethod(attempt_)
    cls.Error = error
    return cls


def _converted(kind: Any, value: Any) -> Any:
    """``value`` as a payload field of type ``kind``: a row through ``kind.from_model``, a list
    of rows each, anything else as it is."""
    if value is None:
        return None
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        return [_converted(item, one) for one in value]
    if isinstance(kind, type) and not isinstance(value, kind) and hasattr(kind, "from_model"):
        return kind.from_model(value)
    return value


def input_type(name: str, description: str = "", **fields: Any) -> type:
    """A mutation's input type ``name`` with ``fields`` (name → type; a ``T | None`` field
    defaults to None)::

        PostNoticeInput = g.input_type("PostNoticeInput", community_id=g.GlobalID, title=str)
    """
    optional = {field for field, kind in fields.items() if type(None) in typing.get_args(kind)}
    namespace: dict[str, Any] = {"__annotations__": dict(fields), "__module__": __name__}
    namespace.update(dict.fromkeys(optional))
    return strawberry.input(type(name, (), namespace), name=name, description=description or None)


def mutation(*, description: str, error: Any = None, **results: Any) -> Any:
    """A mutation over a service call: the decorated ``async def verb_noun(info, input)``
    returns its result (a row), refuses by raising ``Refused``; the field answers
    ``<VerbNoun>Payload { <result>, errors }``::

        @g.mutation(notice=Notice, description="Post a notice to a community (its staff only).")
        async def post_notice(info: g.Info, input: PostNoticeInput) -> Row:
            community = g.pk(input.community_id, "Community", field="communityId")
            return await service.post(info.context.actor, community, input.title, input.body)

    A refusal anywhere inside (a bad id decoded by ``pk`` too) is the payload's ``errors``
    (``<VerbNoun>Error``, the plugin's messages.json codes, unless ``error`` is given); the
    result goes through the result type's ``from_model``. It joins Mutation without
    ``register_mutations`` (see docs/plugins.md).
    """

    def decorate(fn: Callable[[Info, Any], Awaitable[Any]]) -> Any:
        title = "".join(part.capitalize() for part in fn.__name__.split("_"))
        payload = payload_type_of(fn.__module__, f"{title}Payload", error, **results)
        input_annotation = typing.get_type_hints(fn)["input"]

        async def resolve(info: Info, input: Any) -> Any:
            return await payload.attempt(info, lambda: fn(info, input))

        like(resolve, fn, info=Info, input=input_annotation, **{"return": payload})
        field = strawberry.mutation(resolver=resolve, description=description)
        field.linli_root = "Mutation"
        return field

    return decorate
