"""Refusals as GraphQL errors: payload error types for mutations (``error_type``,
``attempt``), coded top-level errors for queries and subscriptions (``api_errors``,
``refusal_to_error``), and the request's caller (``require_login``)."""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info
from tortoise.exceptions import ValidationError

from linli.core.context import Context
from linli.core.errors import COMMON_CODES, ApiError, Refused, refusal_from_validation
from linli.core.i18n import plugin_of, translate

log = logging.getLogger("linli.graphql")

T = TypeVar("T")


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
    return error_type_of(sys._getframe(1).f_globals.get("__name__"), name, codes, description)


def error_type_of(
    module: str | None, name: str, codes: Iterable[str] | None = None, description: str = ""
) -> type:
    """``error_type`` for the plugin of ``module`` (the kit's own factories name the module
    of the plugin they build for)."""
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


def context(info: Info) -> Context:
    return info.context


def require_login(info: Info) -> Context:
    """The context of an authenticated request, or an UNAUTHENTICATED error."""
    ctx = info.context
    if not ctx.actor.authenticated:
        raise ApiError("UNAUTHENTICATED", ctx.locale)
    return ctx
