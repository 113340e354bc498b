"""The database: one Tortoise app per plugin plus ``core``, each with the migrations shipped in
its own package, on SQLite (embedded default, WAL, foreign keys on) or PostgreSQL (asyncpg).

Correctness under concurrency comes from the database (conditional updates, unique
constraints), never from read-then-write in Python: ``select_for_update`` does nothing on
SQLite.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.transactions import in_transaction

from linli.core import events
from linli.core.plugins import Plugins
from linli.core.settings import Settings, get_settings


async def keep_session(connection: Any) -> None:
    """asyncpg's pool reset, replaced: nothing to undo.

    By default asyncpg sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`` every time a connection goes back to the pool: one more round trip per
    query (Tortoise acquires and releases around each one), a third of a two-query read's.
    Linli keeps no session state on pooled connections: settings are ``SET LOCAL`` inside
    a transaction, locks are transaction-scoped (``FOR UPDATE``, ``pg_advisory_xact_lock``),
    and whoever LISTENs opens its own connection. asyncpg still rolls back a transaction
    left open before this runs. ``LINLI_DATABASE_POOL_RESET=1`` brings the reset back.
    """


def connection_config(url: str, settings: Settings | None = None) -> dict[str, Any]:
    """Tortoise's connection settings for a URL: SQLite gets a busy timeout and its folder;
    PostgreSQL (asyncpg) the pool size and reset of the settings (the URL's own
    ``?maxsize=`` wins)."""
    config = expand_db_url(url)
    credentials = config["credentials"]
    if config["engine"] == "tortoise.backends.sqlite":
        path = credentials["file_path"]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A second process (the CLI beside the server) waits instead of failing at once.
        credentials.setdefault("busy_timeout", 5000)
    elif config["engine"] == "tortoise.backends.asyncpg":
        settings = settings or get_settings()
        credentials.setdefault("maxsize", settings.database_pool_size)
        if not settings.database_pool_reset:
            credentials.setdefault("reset", keep_session)
    return config


def is_sqlite(url: str) -> bool:
    return urlsplit(url).scheme == "sqlite"


def tortoise_config(url: str, plugins: Plugins, settings: Settings | None = None) -> dict[str, Any]:
    """One app per plugin that has models; the app label is the plugin's name."""
    apps: dict[str, Any] = {}
    for name, modules in plugins.per_plugin("register_models"):
        if modules:
            apps[name] = {
                "models": list(modules),
                "migrations": f"{_package_of(plugins.module(name))}.migrations",
            }
    return {
        "connections": {"default": connection_config(url, settings)},
        "apps": apps,
        "use_tz": True,
        "timezone": "UTC",
    }


def _package_of(module: Any) -> str:
    """The package a plugin lives in: its migrations/ folder sits there."""
    return module.__name__ if hasattr(module, "__path__") else module.__name__.rpartition(".")[0]


async def open_database(url: str, plugins: Plugins, settings: Settings | None = None) -> None:
    """Connect Tortoise for this process (every task sees it: the server's requests too)."""
    await Tortoise.init(
        config=tortoise_config(url, plugins, settings), _enable_global_fallback=True
    )


async def close_database() -> None:
    await Tortoise.close_connections()


# Migrations renamed after databases applied them: (app, old name) -> new name. Tortoise
# records an applied migration by (app, module name) only and knows no ``replaces``, so a
# renamed file would run again (and fail: its tables exist). ``migrate`` first renames the
# record of each one a database applied under its old name. core's two 0002s (outbox and
# community settings, written in parallel) became one chain: 0002_outbox, then 0003.
RENAMED_MIGRATIONS: dict[tuple[str, str], str] = {
    ("core", "0002_community_settings"): "0003_community_settings",
}


async def migrate(url: str, plugins: Plugins, progress: Any = None) -> None:
    """Apply every app's migrations together (dependencies between apps are honoured)."""
    from tortoise.migrations.api import migrate as run_migrations

    config = tortoise_config(url, plugins)
    await Tortoise.init(config=config)
    try:
        await rename_applied_migrations(connection())
    finally:
        await Tortoise.close_connections()
    await run_migrations(config=config, progress=progress)
    await Tortoise.close_connections()


async def rename_applied_migrations(conn: BaseDBAsyncClient) -> list[tuple[str, str]]:
    """Rename the records of RENAMED_MIGRATIONS a database applied under their old names
    (nothing on a new database); the (app, old name) keys it renamed."""
    from tortoise.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(conn)
    applied = {(key.app_label, key.name) for key in await recorder.applied_migrations()}
    renamed = []
    for (app, old), new in RENAMED_MIGRATIONS.items():
        if (app, old) in applied and (app, new) not in applied:
            await recorder.record_unapplied(app, old)
            await recorder.record_applied(app, new)
            renamed.append((app, old))
    return renamed


def connection() -> BaseDBAsyncClient:
    return connections.get("default")


@contextlib.asynccontextmanager
async def atomic() -> AsyncIterator[BaseDBAsyncClient]:
    """One transaction; events published inside it are written to the outbox in it, and
    relayed right after it commits (see linli.core.outbox).

    Nested blocks join the outer transaction (as a savepoint) and its outbox.
    """
    from linli.core import outbox as durable

    outer = events._outbox.get()
    pending: list[events.Event] = [] if outer is None else outer
    start = len(pending)
    token = events._outbox.set(pending)
    try:
        async with in_transaction() as conn:
            yield conn
            if outer is None and pending:
                await durable.store(pending, conn)
    except BaseException:
        del pending[start:]  # a rolled-back block (or savepoint) announces nothing
        raise
    finally:
        events._outbox.reset(token)
    if outer is None and pending:
        await durable.relay_committed(pending)


async def make_migrations(
    url: str, plugins: Plugins, labels: list[str] | None, echo: Any = print
) -> None:
    """Write a migration for each app whose models changed since its last migration."""
    import importlib

    from tortoise.context import TortoiseContext
    from tortoise.migrations.autodetector import MigrationAutodetector

    config = tortoise_config(url, plugins)
    apps = {label: app for label, app in config["apps"].items() if not labels or label in labels}
    for app in apps.values():
        package, _, leaf = app["migrations"].rpartition(".")
        folder = Path(importlib.import_module(package).__file__).parent / leaf
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").touch()
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        # Every app's migrations are loaded, so a new one depends on the apps it refers to.
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    writers = [writer for writer in writers if writer.app_label in apps]
    if not writers:
        echo("no changes")
    for writer in writers:
        echo(f"wrote {writer.write()}")
