"""The Starlette application: /graphql over HTTP and websockets, health checks, plugin routes.

``create_app()`` loads and checks the plugins and builds the schema at once, so a broken
plugin fails at start-up with its name; the lifespan opens the database and the bus.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException  # what strawberry raises for a malformed request
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type

from linli.core import db, graphql_request, http_errors, persisted, runtime, webapp
from linli.core.actor import Actor
from linli.core.clock import Clock
from linli.core.context import Context
from linli.core.events import make_bus
from linli.core.http import TokenRejected, actor_for, bearer_token, request_locale
from linli.core.i18n import negotiate, translate
from linli.core.identity import access, actor_cache, socket_sessions, tokens
from linli.core.outbox import Relay
from linli.core.plugins import Plugins, load_plugins
from linli.core.ratelimit import RequestRateLimiter
from linli.core.settings import Settings, get_settings
from linli.core.tasks import TaskRunner
from linli.core.websocket import (
    BadToken,
    GraphQLTransportWSHandler,
    LegacyGraphQLWSHandler,
    connection_token,
)
from linli.schema import build_schema

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


class HideQueryStrings(logging.Filter):
    """uvicorn's access log writes the whole request line, and a GET /graphql?query=... carries
    whatever the client put there (a password, if a login was sent by GET by mistake). The
    log keeps the path and drops the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, sep, _ = args[2].partition("?")
            if sep:
                record.args = (*args[:2], f"{path}?…", *args[3:])
        return True


def hide_query_strings_in_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, HideQueryStrings) for f in access.filters):
        access.addFilter(HideQueryStrings())


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
        try:
            response = await self.run(request)
        except RateLimited as exc:
            response = rate_limited(request, exc.seconds)
        except HTTPException as exc:
            response = http_error(request, exc)
        except persisted.PersistedQueryError as exc:
            response = persisted.error_response(request, exc, request.app.state.settings.locale)
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
        await response(scope, receive, send)

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
            try:
                context.actor = await actor_for(request, bearer_token(request))
            except TokenRejected:
                context.auth_error = "UNAUTHENTICATED"
            actor = context.actor
            key = f"a{actor.account_id}" if actor.authenticated else f"ip{context.client_ip}"
            seconds = await state.rate_limiter.retry_after(key)
            if seconds is not None:
                raise RateLimited(seconds)
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


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    try:
        await db.connection().execute_query("SELECT 1")
    except Exception as exc:
        log.warning("readiness check failed: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_app(
    settings: Settings | None = None,
    *,
    extra_plugins: dict[str, object] | None = None,
    clock: Clock | None = None,
) -> Starlette:
    settings = settings or get_settings()
    hide_query_strings_in_access_log()
    plugins = load_plugins(settings, extra_plugins)
    access.install(plugins.per_plugin("register_permissions"))
    schema = build_schema(plugins, settings)
    limits = settings.limits
    graphql = LinliGraphQL(
        schema,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
        connection_init_wait_timeout=timedelta(seconds=limits.connection_init_timeout_seconds),
        max_subscriptions_per_connection=limits.max_subscriptions_per_connection,
    )
    graphql.persisted = persisted.PersistedQueries.from_settings(settings)
    routes: list[Any] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *plugins.gather("register_routes"),
        *webapp.routes(),  # clients/web at /app/ when it has been built
    ]
    middleware = [Middleware(http_errors.UnexpectedErrors)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "accept-language"],
            )
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        rt = await start(settings, plugins, clock)
        app.state.runtime = rt
        # Every instance relays what a crashed instance or an outage left in the outbox.
        relay = app.state.relay = Relay(rt.bus, settings.events)
        rt.bus.on_reconnect = relay.catch_up
        relay.start()
        app.state.rate_limiter = RequestRateLimiter(
            settings.limits.requests_per_minute,
            settings.redis_url,
            settings.database_url,
            prefix=settings.redis_prefix,
        )
        tasks = TaskRunner(
            plugins.gather("register_periodic_tasks") if settings.periodic_tasks else []
        )
        tasks.start()
        await plugins.call_async("startup", app=app)
        if settings.freeze_startup_objects:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            await tasks.stop()
            await plugins.call_async("shutdown", app=app)
            await app.state.rate_limiter.close()
            await relay.stop()
            await stop(rt)

    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={StarletteHTTPException: http_errors.http_exception},
    )
    app.state.settings = settings
    app.state.plugins = plugins
    app.state.schema = schema
    return app


async def start(
    settings: Settings, plugins: Plugins, clock: Clock | None = None
) -> runtime.Runtime:
    """Open the database and the bus and install the runtime (the server and the CLI both)."""
    await db.open_database(settings.database_url, plugins, settings)
    bus = make_bus(settings.redis_url, settings.limits.subscriber_queue_size, settings.redis_prefix)
    await bus.start()
    rt = runtime.Runtime(settings=settings, plugins=plugins, bus=bus, clock=clock or Clock())
    runtime.install(rt)
    actor_cache.install(settings.actor_cache_seconds, bus)
    return rt


async def stop(rt: runtime.Runtime) -> None:
    # Subscriptions end (and tell their clients) before the database goes away.
    await rt.bus.stop()
    actor_cache.uninstall()
    await db.close_database()
    runtime.install(None)
