"""Every hook a Linli plugin may implement. Each has a one-line docstring and a section in
docs/plugins.md (a test fails when one is missing).

Vocabulary: ``register_*`` returns a list (core gathers one list per plugin), ``*_from_*``
answers a question (first non-None answer wins), ``on_*`` reacts. Hooks are synchronous
pluggy calls; the docstring of each says whether its answer may be an awaitable, which core
then awaits (write the hookimpl as ``async def``).

Call order, the same for every hook: core first, then the plugins in the order they load
(entry points sorted by name, then the ones a test adds), each moved by its ``tryfirst`` /
``trylast`` as pluggy documents. ``wrapper=True`` and ``hookwrapper=True`` hookimpls are
refused at load: core collects each plugin's answer by name. ``on_event`` is called once per
plugin (``Plugins.each_plugin``: pluggy's ``subset_hook_caller``), in the same order, so each
plugin's call has its own transaction and processed-event record.

A plugin package may leave out ``register_models``, ``register_queries``,
``register_mutations``, ``register_subscriptions`` and ``register_events``: core then takes
what its rooms say (linli/core/rooms.py, docs/plugins.md "Implied hooks").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from linli import hookspec

if TYPE_CHECKING:
    import typer
    from rich.console import Console
    from starlette.applications import Starlette
    from starlette.requests import HTTPConnection
    from starlette.routing import BaseRoute
    from strawberry.extensions import SchemaExtension
    from strawberry.types.field import StrawberryField

    from linli.core.actor import Actor
    from linli.core.context import Context
    from linli.core.events import Event
    from linli.core.identity.access import Permission
    from linli.core.plugins import Manifest
    from linli.core.tasks import PeriodicTask
    from linli.core.topics import EventType


@hookspec
def plugin_manifest() -> Manifest:
    """Name, version, supported core versions, required plugins and settings model (sync)."""


@hookspec
def register_models() -> list[str]:
    """Dotted module paths of this plugin's Tortoise models, app label = plugin name (sync)."""


@hookspec
def register_queries() -> list[type | StrawberryField]:
    """Strawberry types, or resolver functions with one decorator, joining Query (sync)."""


@hookspec
def register_mutations() -> list[type | StrawberryField]:
    """Strawberry types, or resolver functions with one decorator, joining Mutation (sync)."""


@hookspec
def register_subscriptions() -> list[type | StrawberryField]:
    """Strawberry types, or resolver functions with one decorator, joining Subscription (sync)."""


@hookspec
def register_types() -> list[type]:
    """Extra strawberry types the schema must know, such as Node implementations (sync)."""


@hookspec
def register_permissions() -> list[Permission]:
    """Actions this plugin checks, each with the roles that hold it by default (sync)."""


@hookspec
def register_schema_extensions() -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    """Strawberry extension classes or factories, never instances (sync)."""


@hookspec
def register_routes() -> list[BaseRoute]:
    """Extra Starlette routes (exports, webhooks) mounted beside /graphql (sync)."""


@hookspec
def register_commands() -> list[typer.Typer | Callable[..., Any]]:
    """Typer apps or plain functions added to the ``linli`` command line (sync)."""


@hookspec
def register_events() -> list[EventType]:
    """The event types this plugin publishes (``linli.EventType``), each once (sync)."""


@hookspec
def register_periodic_tasks() -> list[PeriodicTask]:
    """Periodic tasks (name, interval, coroutine function) run inside the server (sync)."""


@hookspec
def register_demo_data() -> list[Callable[[Console], Awaitable[None] | None]]:
    """Functions adding demo data, each may return an awaitable; ``linli seed-demo`` (sync)."""


@hookspec(firstresult=True)
def actor_from_request(
    request: HTTPConnection, token: str
) -> Actor | Awaitable[Actor | None] | None:
    """Who holds this token: an Actor or an awaitable of one; None (sync) lets the next answer."""


@hookspec(firstresult=True)
def may_organise_from_group(
    group_id: int, community_id: int, day: date | None, person_id: int | None
) -> Awaitable[bool] | None:
    """May the group organise there that day (person_id: led by them)? awaitable bool; None: no."""


@hookspec(firstresult=True)
def group_named(community_id: int, name: str) -> Awaitable[int | None] | None:
    """The id of the community's live group of that name: awaitable int or None; None: none."""


@hookspec
def extend_context(context: Context) -> Awaitable[None] | None:
    """Per-request additions to the GraphQL context (dataloaders); may return an awaitable."""


@hookspec
def on_event(event: Event) -> Awaitable[None] | None:
    """React to a committed event; may return an awaitable; raising is logged and isolated."""


@hookspec
def startup(app: Starlette) -> Awaitable[None] | None:
    """Run once when the server starts, after the database is ready; may return an awaitable."""


@hookspec
def shutdown(app: Starlette) -> Awaitable[None] | None:
    """Run once when the server stops, before the database closes; may return an awaitable."""
