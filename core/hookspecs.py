"""Every hook a Linli plugin may implement. Each has a one-line docstring and a section in
docs/plugins.md (a test fails when one is missing).

Vocabulary: ``register_*`` returns a list (pluggy gathers one list per plugin), ``*_from_*``
answers a question (first non-None answer wins), ``on_*`` reacts. Hooks are synchronous; one
that needs I/O returns an awaitable and core awaits it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linli import hookspec

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

    from linli.core.events import Event
    from linli.core.plugins import Manifest
    from linli.core.topics import EventType


@hookspec
def plugin_manifest() -> Manifest:
    """Name, version, supported core versions, required plugins and settings model of the plugin."""


@hookspec
def register_models() -> list[str]:
    """Dotted module paths of this plugin's Tortoise models (its app label is the plugin name)."""


@hookspec
def register_queries() -> list[type]:
    """Strawberry types whose fields join the root Query."""


@hookspec
def register_mutations() -> list[type]:
    """Strawberry types whose fields join the root Mutation."""


@hookspec
def register_subscriptions() -> list[type]:
    """Strawberry types whose fields join the root Subscription."""


@hookspec
def register_types() -> list[type]:
    """Extra strawberry types the schema must know (interface implementations such as Nodes)."""


@hookspec
def register_permissions() -> list[Any]:
    """Actions this plugin checks, each with the roles that hold it by default."""


@hookspec
def register_schema_extensions() -> list[Any]:
    """Strawberry extension classes or factories (never instances) added to the schema."""


@hookspec
def register_routes() -> list[Any]:
    """Extra Starlette routes (exports, webhooks) mounted beside /graphql."""


@hookspec
def register_commands() -> list[Any]:
    """Typer apps or commands added to the ``linli`` command line."""


@hookspec
def register_events() -> list[EventType]:
    """The event types this plugin publishes (``linli.core.topics.EventType``), each once."""


@hookspec
def register_periodic_tasks() -> list[Any]:
    """Periodic tasks (name, interval, coroutine function) run inside the server."""


@hookspec
def register_demo_data() -> list[Any]:
    """Coroutine functions that add this plugin's demo data; ``linli seed-demo`` runs them."""


@hookspec(firstresult=True)
def actor_from_request(request: HTTPConnection, token: str | None) -> Any:
    """Who is calling: an Actor for this request's token, or None to let the next plugin answer."""


@hookspec
def extend_context(context: Any) -> None:
    """Per-request additions to the GraphQL context (dataloaders, caches)."""


@hookspec
def on_event(event: Event) -> Any:
    """React to a committed event of any plugin; raising is logged and isolated."""


@hookspec
def startup(app: Any) -> Any:
    """Run once when the server starts, after the database is ready."""


@hookspec
def shutdown(app: Any) -> Any:
    """Run once when the server stops, before database connections close."""
