"""The GraphQL view: strawberry's ASGI app with Linli's auth, rate limit, error format,
response cache and websocket rules. ``core/app.py`` composes it with the routes and the
lifespan."""

from __future__ import annotations

import functools
import inspect
import json
import logging
from typing import Any

import orjson
from cross_web import HTTPException  # what strawberry raises for a malformed request
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type

from linli.core import graphql_request, persisted, response_cache
from linli.core.actor import ANONYMOUS, Actor
from linli.core.context import Context
from linli.core.http import TokenRejected, actor_for, bearer_token, request_locale
from linli.core.i18n import negotiate, translate
from linli.core.identity import socket_sessions, tokens
from linli.core.settings import Settings
from linli.core.websocket import (
    BadToken,
    GraphQLTransportWSHandler,
    LegacyGraphQLWSHandler,
    connection_token,
)

log = logging.getLogger("linli.app")


async def actor_still(request: HTTPConnection, token: str) -> Actor | None:
    """The actor behind ``token`` now, or None when it no longer holds (a websocket's check)."""
    try:
        actor = await actor_for(request, token)
    except TokenRejected:
        return None
    return actor if actor.authenticated else None


# strawberry answers a malformed request with plain text; clients get JSON with a code.
HTTP_ERROR_CODES = {400: "BAD_REQUEST", 405: "METHOD_NOT_ALLOWED", 415: "UNSUPPORTED_MEDIA_TYPE"}
# strawberry says 400 for most faults: these get their own code and the status HTTP has for them.
HTTP_ERROR_REASONS = (
    ("Unsupported content type", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("mutations are not allowed when using GET", 405, "METHOD_NOT_ALLOWED"),
    ("Unknown operation named", 400, "UNKNOWN_OPERATION"),
    ("subscriptions are not allowed", 400, "SUBSCRIPTION_OVER_HTTP"),
)


def http_error(request: Request, exc: HTTPException) -> Response:
    """A malformed request as a GraphQL error response: a code and a localized message."""
    status, code = exc.status_code, HTTP_ERROR_CODES.get(exc.status_code, "BAD_REQUEST")
    for prefix, status_for, code_for in HTTP_ERROR_REASONS:
        if exc.reason.startswith(prefix):
            status, code = status_for, code_for
    params = {
        "METHOD_NOT_ALLOWED": request.method,
        "UNSUPPORTED_MEDIA_TYPE": request.headers.get("content-type", "-"),
        "UNKNOWN_OPERATION": exc.reason.partition('"')[2].rpartition('"')[0],
    }
    locale = negotiate(request.headers.get("accept-language"))
    message = translate(code, locale, detail=params.get(code, exc.reason))
    headers = {"allow": "POST"} if status == 405 else None
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, "detail": exc.reason}}]},
        status_code=status,
        headers=headers,
    )


class RateLimited(Exception):
    """This actor sent more requests this minute than ``limits.requests_per_minute``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def rate_limited(request: Request, seconds: int) -> Response:
    locale = negotiate(request.headers.get("accept-language"))
    message = translate("RATE_LIMITED", locale, seconds=seconds)
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "RATE_LIMITED"}}]},
        status_code=429,
        headers={"retry-after": str(seconds)},
    )


def encode_json(data: object) -> str:
    """A response or websocket message: orjson (several times faster than ``json`` on a
    100-row page); whatever it refuses (an integer over 64 bits, a non-string key) goes
    through ``json``. Text, not bytes: strawberry sends bytes over a websocket as a binary
    frame, which graphql-ws clients do not read."""
    try:
        return orjson.dumps(data).decode()
    except TypeError:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


class LinliGraphQL(GraphQL):
    """strawberry's ASGI view with Linli's context, auth, error format and websocket rules."""

    graphql_ws_handler_class = LegacyGraphQLWSHandler
    graphql_transport_ws_handler_class = GraphQLTransportWSHandler
    persisted: persisted.PersistedQueries

    def encode_json(self, data: object) -> str:
        return encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        """Every websocket frame is read here: by orjson, as HTTP bodies are, so a lone
        surrogate, NaN, a 5,000-digit integer or deep nesting is an invalid message (strawberry
        closes the socket with 4400) rather than an exception inside the connection."""
        try:
            return graphql_request.decode_json(data, "websocket message")
        except HTTPException as exc:
            raise json.JSONDecodeError("not a JSON message", "", 0) from exc

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A persisted query by GET carries no ``query``: it is an operation, not a page.
        return request.query_params.get("extensions") is None and (
            super().should_render_graphql_ide(request)
        )

    async def process_result(self, request: Request, result: Any) -> Any:
        if result.errors:
            request.state.graphql_errors = True  # for cache_control: errors are never public
        data = await super().process_result(request, result)
        return graphql_request.shape_result(request, result, data)  # its media type's shape

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request's operations, decoded and checked in one place (core/graphql_request)."""
        content_type, _ = parse_content_type(request.content_type or "")
        transport = self._get_stream_transport_from_headers(request.headers)
        protocol = transport.protocol if transport else "http"
        if request.method == "GET":
            data = graphql_request.from_query_params(request.query_params)
        elif "application/json" in content_type:
            data = graphql_request.from_body(await request.get_body())
        else:
            raise HTTPException(400, "Unsupported content type")
        items = data if isinstance(data, list) else [data]
        operations = [
            GraphQLRequestData(
                query=item.get("query"),
                variables=item.get("variables"),
                operation_name=item.get("operationName"),
                extensions=item.get("extensions"),
                protocol=protocol,
            )
            for item in items
        ]
        if isinstance(data, list):
            self._validate_batch_request(operations, protocol=protocol)
            return self.persisted.apply(operations)
        # The document of a persisted operation is filled in (or refused) here.
        return self.persisted.apply(operations[0])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        request = Request(scope, receive=receive)
        cache: response_cache.ResponseCache | None = request.app.state.response_cache
        key = None
        try:
            if cache is not None and cache.usable:
                key = await self.cache_key(request)
                entry = cache.get(key) if key is not None else None
                if entry is not None:  # the caller's token checked and counted, as on a miss
                    await send({"type": "http.response.start", "status": entry.status,
                                "headers": entry.headers})  # fmt: skip
                    await send({"type": "http.response.body", "body": entry.body})
                    return
                generation = cache.generation  # before the read: a write since voids it
            response = await self.run(request)
        except RateLimited as exc:
            response, key = rate_limited(request, exc.seconds), None
        except HTTPException as exc:
            response, key = http_error(request, exc), None
        except persisted.PersistedQueryError as exc:
            response = persisted.error_response(request, exc, request.app.state.settings.locale)
            key = None
        response = graphql_request.finish_response(request, response)
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.query_params
            and "cache-control" not in response.headers
        ):
            value = persisted.cache_control(
                "GET",
                "authorization" in request.headers,
                not getattr(request.state, "graphql_errors", False),
                request.app.state.settings.anonymous_get_max_age,
            )
            response.headers["cache-control"] = value
            response.headers["vary"] = "Accept-Language, Authorization"
        if key is not None and self.may_keep(request, response):
            cache.put(key, generation, response.status_code, response.raw_headers, response.body)  # type: ignore[union-attr]
        await response(scope, receive, send)

    async def cache_key(self, request: Request) -> response_cache.Key | None:
        """The response cache's key for this request, after its caller is known and counted;
        None when it cannot be a kept read (a rejected token, a body that is not JSON)."""
        if request.method == "POST":
            content_type, _ = parse_content_type(request.headers.get("content-type", ""))
            if content_type != "application/json":
                return None
            sent = await request.body()
        else:
            sent = request.scope.get("query_string", b"")
        actor, auth_error = await self.caller(request)
        if auth_error is not None:
            return None
        settings: Settings = request.app.state.settings
        return (
            request.method,
            sent,
            graphql_request.preferred_media_type(request.headers.get("accept")),
            request_locale(request.headers.get("accept-language"), settings.locale),
            response_cache.caller_key(actor),
        )

    @staticmethod
    def may_keep(request: Request, response: Response) -> bool:
        context = getattr(request.state, "linli_context", None)
        return (
            response.status_code == 200
            and getattr(context, "cacheable", None) is True
            and not getattr(request.state, "graphql_errors", False)
            and isinstance(getattr(response, "body", None), bytes)
        )

    async def caller(self, request: Request) -> tuple[Actor, str | None]:
        """Who sent the request (and the auth error of a token nobody accepts), checked
        against the per-actor rate limit: once per request, however often it is asked."""
        known = getattr(request.state, "linli_caller", None)
        if known is not None:
            return known
        try:
            actor, auth_error = await actor_for(request, bearer_token(request)), None
        except TokenRejected:
            actor, auth_error = ANONYMOUS, "UNAUTHENTICATED"
        if actor.authenticated:
            key = f"a{actor.account_id}"
        else:
            key = f"ip{request.client.host if request.client else 'unknown'}"
        seconds = await request.app.state.rate_limiter.retry_after(key)
        if seconds is not None:
            raise RateLimited(seconds)
        request.state.linli_caller = (actor, auth_error)
        return actor, auth_error

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        settings: Settings = state.settings
        context = Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            settings=settings,
            plugins=state.plugins,
            clock=state.runtime.clock,
            locale=request_locale(request.headers.get("accept-language"), settings.locale),
        )
        request_id = request.scope.get("state", {}).get("request_id")
        if request_id:
            context.request_id = request_id  # the id core.http_errors gave this request
        if isinstance(request, Request):
            context.actor, context.auth_error = await self.caller(request)
            context.cacheable = None  # set by the response cache's extension
            request.state.linli_context = context
        for _, result in state.plugins.per_plugin("extend_context", context=context):
            if inspect.isawaitable(result):
                await result
        return context

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        try:  # the shapes common clients send (core/websocket.py)
            token = connection_token(context.connection_params)
        except BadToken as exc:
            raise ConnectionRejectionError() from exc
        try:
            context.actor = await actor_for(context.request, token)
        except TokenRejected as exc:
            raise ConnectionRejectionError() from exc
        if context.actor.authenticated and token:
            # The socket follows its session: closed (4403) when it ends or the token expires,
            # roles re-read after a change (core/identity/socket_sessions.py).
            context.socket_session = socket_sessions.SocketSession(
                context,
                functools.partial(actor_still, context.request, token),
                tokens.access_token_expiry(token),
                context.clock,
            )
        return None
