"""Assembles one GraphQL schema from core and the enabled plugins.

Root types are built here rather than by strawberry's ``merge_types``, which only warns when
two plugins claim one field: here that is a start-up error naming both. An empty root
(no subscriptions, say) is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types.field import StrawberryField
from strawberry.types.graphql import OperationType

from linli.core.plugins import PluginError, Plugins
from linli.core.settings import Settings
from linli.schema.execution import LeafFastPathExecutionContext
from linli.schema.extensions import core_extensions, scrub_errors
from linli.schema.scalars import SCALARS

SDL_PATH = Path(__file__).with_name("schema.graphql")


_holders: dict[int, type] = {}


def _holder(field: StrawberryField) -> type:
    """A plain function decorated with ``@strawberry.field`` (``mutation``, ``subscription``,
    ``g.connection``) as a one-field strawberry type, made once per field: a field joins a
    type only once, however many schemas are built."""
    if id(field) not in _holders:
        name = field.python_name or (field.base_resolver and field.base_resolver.name)
        if not name:
            raise TypeError(f"{field!r} has no name")
        _holders[id(field)] = strawberry.type(type(f"_{name}", (), {name: field}))
    return _holders[id(field)]


def root_type(name: str, contributions: Iterable[tuple[str, list[Any]]]) -> type | None:
    """One root type holding the fields of every contributed type or field; a field claimed
    twice fails. A plugin contributes strawberry types, or plain resolver functions each
    decorated with ``@strawberry.field`` (``mutation``, ``subscription``, ``g.connection``)."""
    owners: dict[str, str] = {}
    classes: list[type] = []
    converter = StrawberryConfig().name_converter
    for plugin, types in contributions:
        for item in types:
            contributed = _holder(item) if isinstance(item, StrawberryField) else item
            definition = getattr(contributed, "__strawberry_definition__", None)
            if definition is None:
                raise PluginError(f"plugin {plugin}: {contributed!r} is not a strawberry type")
            for field in definition.fields:
                graphql_name = converter.get_graphql_name(field)
                if graphql_name in owners:
                    raise PluginError(
                        f"{name}.{graphql_name} is added by both plugin {owners[graphql_name]} "
                        f"and plugin {plugin}"
                    )
                owners[graphql_name] = plugin
            classes.append(contributed)
    if not classes:
        return None
    return strawberry.type(type(name, tuple(classes), {}))


class LinliSchema(strawberry.Schema):
    """strawberry's Schema, scrubbing input values out of error messages before they are
    returned (see ``extensions.scrub_errors``). strawberry would log every error at ERROR
    here, client mistakes included: core's extensions log instead (an unexpected error once,
    at ERROR with its request id; a refused request at INFO with its code)."""

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        scrub_errors(errors)

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        """``execute`` answers one result, which a subscription is not: sent over HTTP it was
        run and failed inside ("Cannot return null"); here it is refused before it runs
        (InvalidOperationTypeError, a coded 400). Websockets subscribe, never execute."""
        allowed = kwargs.get("allowed_operation_types") or DEFAULT_ALLOWED_OPERATION_TYPES
        kwargs["allowed_operation_types"] = set(allowed) - {OperationType.SUBSCRIPTION}
        return await super().execute(*args, **kwargs)


def build_schema(plugins: Plugins, settings: Settings) -> strawberry.Schema:
    query = root_type("Query", plugins.per_plugin("register_queries"))
    if query is None:
        raise PluginError("no plugin adds a query (core always should)")
    extensions: list[Any] = core_extensions(settings)
    for plugin, items in plugins.per_plugin("register_schema_extensions"):
        for item in items:
            if not callable(item) or isinstance(item, strawberry.extensions.SchemaExtension):
                raise PluginError(
                    f"plugin {plugin}: schema extensions must be classes or factories"
                )
            extensions.append(item)
    return LinliSchema(
        query=query,
        mutation=root_type("Mutation", plugins.per_plugin("register_mutations")),
        subscription=root_type("Subscription", plugins.per_plugin("register_subscriptions")),
        types=plugins.gather("register_types"),
        extensions=extensions,
        execution_context_class=LeafFastPathExecutionContext,
        config=StrawberryConfig(
            relay_max_results=settings.limits.max_page_size,
            disable_field_suggestions=settings.production,
            batching_config={"max_operations": settings.limits.max_batch_operations},
            scalar_map=SCALARS,  # dates within the years the API means (schema/scalars.py)
        ),
    )


def export_sdl(schema: strawberry.Schema) -> str:
    return schema.as_str() + "\n"
