"""The ``linli`` command line."""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from linli.core import clock
from linli.core.plugins import PluginError, Plugins, load_plugins
from linli.core.settings import get_settings

app = typer.Typer(help="Linli (邻里): the community backend.", no_args_is_help=True)
console = Console()


def _plugins() -> Plugins:
    try:
        return load_plugins(get_settings())
    except PluginError as exc:
        console.print(f"[red]plugin error:[/red] {exc}")
        raise typer.Exit(2) from exc


def run_with_database(work: Callable[[], Awaitable[Any]]) -> Any:
    """Run ``work`` with the database, bus and runtime up, as the server has them."""
    from linli.core.app import start, stop

    async def main() -> Any:
        from linli.core.identity import access

        plugins = _plugins()
        # Services check permissions (demo data is made through them), as in create_app.
        access.install(plugins.per_plugin("register_permissions"))
        rt = await start(get_settings(), plugins)
        try:
            return await work()
        finally:
            await stop(rt)

    return asyncio.run(main())


@app.command()
def migrate() -> None:
    """Apply the migrations of core and every enabled plugin."""
    from linli.core import db

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            console.print(f"  applied {app_label}.{name}")

    asyncio.run(db.migrate(get_settings().database_url, _plugins(), progress=progress))
    console.print("[green]database is up to date[/green]")


@app.command()
def makemigrations(
    apps: list[str] = typer.Argument(None, help="app labels (plugin names)"),
) -> None:
    """Write new migrations for model changes (developers of core and plugins)."""
    from linli.core import db

    asyncio.run(
        db.make_migrations(get_settings().database_url, _plugins(), apps or None, console.print)
    )


# What each process keeps for itself, and so what N processes need Redis for.
SHARED_THROUGH_REDIS = (
    "events (subscriptions hear only their own process's writes)",
    "actor-cache eviction (a logout or role change would linger in the other processes)",
    "the per-actor request rate limit (each process would count alone: N times the limit)",
)


def check_workers(workers: int, settings: Any) -> list[str]:
    """Why ``workers`` processes cannot run with these settings (empty when they can), and
    the warnings to print; raises typer.Exit for a refusal."""
    if workers < 1:
        console.print("[red]--workers must be at least 1[/red]")
        raise typer.Exit(2)
    if workers == 1:
        return []
    if not settings.redis_url:
        console.print(
            f"[red]--workers {workers} needs LINLI_REDIS_URL[/red]: each process would keep "
            "these to itself:\n  - " + "\n  - ".join(SHARED_THROUGH_REDIS)
        )
        raise typer.Exit(2)
    warnings = []
    if settings.database_url.startswith("sqlite"):
        warnings.append(
            "SQLite with several processes: writes queue on one file lock; use PostgreSQL"
        )
    return warnings


@app.command()
def serve(
    host: str = typer.Option(None, help="default: LINLI_HOST or 127.0.0.1"),
    port: int = typer.Option(None, help="default: LINLI_PORT or 8000"),
    migrate_first: bool = typer.Option(True, "--migrate/--no-migrate"),
    workers: int = typer.Option(
        1,
        envvar="LINLI_WORKERS",
        help="processes sharing the port (more than 1 needs LINLI_REDIS_URL)",
    ),
    loop: str = typer.Option("auto", envvar="LINLI_LOOP", help="auto (uvloop if installed)"),
    http: str = typer.Option("auto", envvar="LINLI_HTTP", help="auto (httptools if installed)"),
    access_log: bool = typer.Option(
        True, "--access-log/--no-access-log", envvar="LINLI_ACCESS_LOG"
    ),
) -> None:
    """Serve the API (GraphiQL at /graphql outside production)."""
    import uvicorn

    settings = get_settings()
    for warning in check_workers(workers, settings):
        console.print(f"[yellow]warning:[/yellow] {warning}")
    if migrate_first:
        migrate()  # once, before any worker starts
    uvicorn.run(
        "linli.core.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        loop=loop,
        http=http,
        access_log=access_log,
        ws_max_size=settings.limits.websocket_max_message_bytes,
        ws_ping_interval=20,
        # Off by default: ~49 KiB of zlib state per idle socket, and CPU per message.
        ws_per_message_deflate=settings.websocket_compression,
        proxy_headers=True,
        log_level="info",
        lifespan="on",
    )


@app.command("export-schema")
def export_schema(
    check: bool = typer.Option(False, help="exit 1 when the checked-in SDL is stale"),
    path: Path = typer.Option(None, help="default: the schema.graphql beside linli.schema"),
    with_plugins: list[str] = typer.Option(
        None, "--with", help="also this installed plugin (a plugin's own SDL file); repeatable"
    ),
) -> None:
    """Write schema/schema.graphql (core and the built-in plugins), or check that it is current."""
    sdl = product_sdl(with_plugins or [])
    target = path or _sdl_path()
    if check:
        if not target.exists() or target.read_text(encoding="utf-8") != sdl:
            console.print(f"[red]{target} is stale:[/red] run `linli export-schema`")
            raise typer.Exit(1)
        console.print(f"{target} is current")
        return
    target.write_text(sdl, encoding="utf-8")
    console.print(f"wrote {target}")


def product_sdl(also: list[str]) -> str:
    """The SDL of core and the built-in plugins (and ``also``), whatever else is installed or
    disabled here: the checked-in schema is the product's, not this machine's."""
    from linli.core.plugins import builtin_plugin_names
    from linli.core.settings import Settings
    from linli.schema import build_schema, export_sdl

    names = [*builtin_plugin_names(), *also] or ["core"]  # an empty list would enable all
    chosen = Settings(enabled_plugins=names, disabled_plugins=[])
    return export_sdl(build_schema(load_plugins(chosen), get_settings()))


def _sdl_path() -> Path:
    from linli.schema import SDL_PATH

    return SDL_PATH


@app.command("new-plugin")
def new_plugin(
    name: str = typer.Argument(..., help="the plugin's name: lowercase, e.g. lost_found"),
    directory: Path = typer.Option(Path("."), "--dir", help="where to write linli-<name>/"),
) -> None:
    """Write a new plugin package from the template: its rooms, a first migration, tests."""
    from linli.core.scaffold import write_plugin

    try:
        root = write_plugin(name, directory)
    except (ValueError, FileExistsError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"wrote {root}: pip install -e '{root}[test]', then pytest in it")


@app.command("plugins")
def list_plugins() -> None:
    """The enabled plugins: name, version and the hooks each implements."""
    plugins = _plugins()
    table = Table("name", "version", "hooks")
    for name, manifest in plugins.manifests.items():
        table.add_row(name, manifest.version, ", ".join(plugins.hooks_of(name)))
    console.print(table)


@app.command("create-admin")
def create_admin(
    phone: str = typer.Option(..., help="the admin's phone number (+86 by default)"),
) -> None:
    """Create a global admin account, or make an existing account admin.

    The password is read from LINLI_ADMIN_PASSWORD, or asked for (never echoed)."""
    import os

    from linli.core.errors import Refused
    from linli.core.identity import rules

    try:
        normalized = rules.normalize_phone(phone)
    except Refused as exc:
        console.print("[red]invalid phone number[/red]")
        raise typer.Exit(2) from exc
    password = os.environ.get("LINLI_ADMIN_PASSWORD") or typer.prompt(
        "password", hide_input=True, confirmation_prompt=True
    )
    try:
        rules.check_password_policy(password)
    except Refused as exc:
        console.print(
            f"[red]the password needs at least {rules.PASSWORD_MIN_LENGTH} characters[/red]"
        )
        raise typer.Exit(2) from exc
    migrate()

    async def work() -> bool:
        from linli.core.identity import actor_cache, tokens
        from linli.core.identity.models import Account

        password_hash = await tokens.hash_password(password)
        _, created = await Account.get_or_create(
            phone=normalized,
            defaults={
                "password_hash": password_hash,
                "is_admin": True,
                "created_at": clock.now(),
            },
        )
        if not created:
            await Account.filter(phone=normalized).update(
                is_admin=True, password_hash=password_hash
            )
            # Servers sharing this deployment's bus (Redis) forget the account's old rights.
            account = await Account.get(phone=normalized)
            await actor_cache.account_changed(account.pk)
        return created

    created = run_with_database(work)
    console.print(f"admin {rules.mask_phone(normalized)} {'created' if created else 'updated'}")


@app.command("seed-demo")
def seed_demo() -> None:
    """Add demo data (safe to run again: it adds only what is missing)."""
    migrate()

    async def work() -> None:
        from linli.core import runtime

        for plugin, steps in runtime.current().plugins.per_plugin("register_demo_data"):
            for step in steps:
                with console.status(f"{plugin}: {step.__doc__ or step.__name__}"):
                    result = step(console)
                    if inspect.isawaitable(result):
                        await result
                console.print(
                    f"  [green]✓[/green] {plugin}: {(step.__doc__ or step.__name__).strip()}"
                )

    run_with_database(work)


def _add_plugin_commands() -> None:
    try:
        plugins = load_plugins(get_settings())
    except PluginError:
        return  # the built-in commands still work and report the error themselves
    for plugin, commands in plugins.per_plugin("register_commands"):
        for command in commands:
            if isinstance(command, typer.Typer):
                app.add_typer(command, name=command.info.name or plugin)
            else:
                app.command()(command)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    _add_plugin_commands()
    app(prog_name="linli")


if __name__ == "__main__":
    sys.exit(main())
