"""The Starlette application: /graphql over HTTP and websockets, health checks, plugin routes.

``create_app()`` loads and checks the plugins and builds the schema at once, so a broken
plugin fails at start-up with its name; the lifespan opens the database and the bus.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from tortoise import Tortoise

from linli.core import db, http_errors, persisted, response_cache, runtime, webapp
from linli.core.clock import Clock
from linli.core.events import make_bus
from linli.core.graphql_view import LinliGraphQL
from linli.core.identity import access, actor_cache
from linli.core.kit import settings as community_settings
from linli.core.outbox import Relay
from linli.core.plugins import Plugins, load_plugins
from linli.core.ratelimit import RequestRateLimiter
from linli.core.settings import Settings, get_settings
from linli.core.tasks import TaskRunner
from linli.schema import build_schema

log = logging.getLogger("linli.app")


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
        if settings.response_cache_seconds > 0:
            app.state.response_cache = response_cache.ResponseCache(
                settings.response_cache_seconds, bus=rt.bus
            )
            response_cache.watch_models(Tortoise.apps.get_models_iterable())
        tasks.start()
        await plugins.call_async("startup", app=app)
        if settings.freeze_startup_objects:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            if app.state.response_cache is not None:
                app.state.response_cache.close()
                app.state.response_cache = None
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
    app.state.response_cache = None  # the lifespan's, once the bus is up
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
    community_settings.install(bus)
    return rt


async def stop(rt: runtime.Runtime) -> None:
    # Subscriptions end (and tell their clients) before the database goes away.
    await rt.bus.stop()
    actor_cache.uninstall()
    community_settings.uninstall()
    await db.close_database()
    runtime.install(None)
