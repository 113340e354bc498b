"""What a plugin's Starlette route needs from core: the caller, the locale, a coded error.

Plugin routes (``register_routes``: exports, webhooks, calendar files) import this module,
never ``linli.core.app`` (the composition root)::

    from linli.core import http

    async def notices_csv(request):
        actor = await http.request_actor(request)  # ApiError UNAUTHENTICATED on a bad token
        if not actor.authenticated:
            return http.error_response(request, "UNAUTHENTICATED", 401)
        ...

A path naming a row takes ``{id:pk}`` (core/ids.py), not ``{id:int}``: an id no database key
can hold is then the router's 404, never an overflow inside the handler.

``error_response`` answers the body GraphQL clients already read:
``{"errors": [{"message": <localized>, "extensions": {"code": CODE}}]}``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from linli.core import ids  # noqa: F401 - registers the {name:pk} path convertor
from linli.core.actor import ANONYMOUS, Actor
from linli.core.errors import ApiError
from linli.core.i18n import caller_plugin, negotiate, translate


class TokenRejected(Exception):
    """An ``actor_from_request`` answer: the token presented is invalid, expired or revoked."""


def bearer_token(request: HTTPConnection) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def actor_for(request: HTTPConnection, token: str | None) -> Actor:
    """Who holds this token: the first plugin to answer ``actor_from_request`` decides (core's
    identity by default). Raises TokenRejected for a token nobody accepts; no token means
    anonymous."""
    if not token:
        return ANONYMOUS
    answer: Any = request.app.state.plugins.pm.hook.actor_from_request(request=request, token=token)
    if inspect.isawaitable(answer):
        answer = await answer
    if answer is None:
        raise TokenRejected("no plugin accepted the token")
    return answer


async def request_actor(request: HTTPConnection) -> Actor:
    """The actor of a plain HTTP request (anonymous without a token); ``ApiError`` with the
    code UNAUTHENTICATED when the token is bad."""
    try:
        return await actor_for(request, bearer_token(request))
    except TokenRejected as exc:
        raise ApiError("UNAUTHENTICATED", locale(request)) from exc


_negotiate = functools.lru_cache(maxsize=512)(negotiate)


def request_locale(accept_language: str | None, default: str) -> str:
    """``negotiate``, remembered: parsing Accept-Language with babel costs ~0.2 ms, and
    clients send the same few headers again and again."""
    if accept_language and len(accept_language) <= 256:
        return _negotiate(accept_language, default)
    return negotiate(accept_language, default)


def locale(request: HTTPConnection) -> str:
    """The request's locale (zh-CN or en) from its Accept-Language, the deployment's default
    otherwise."""
    settings = getattr(request.app.state, "settings", None)
    default = settings.locale if settings is not None else "zh-CN"
    return request_locale(request.headers.get("accept-language"), default)


def error_response(
    request: HTTPConnection, code: str, status: int, *, plugin: str | None = None, **params: Any
) -> JSONResponse:
    """A coded error with its message in the request's locale, as GraphQL errors look: the
    message of the calling module's plugin (its messages.json), then core's."""
    message = translate(code, locale(request), plugin=plugin or caller_plugin(), **params)
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)
