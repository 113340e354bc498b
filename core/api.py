"""Core's own GraphQL: ``serverInfo`` and the Relay ``node`` field."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

import linli
from linli.core.graphql import node as node_field


@strawberry.type(description="A plugin running on this server.")
class PluginInfo:
    name: str
    version: str


@strawberry.type(description="What this server is and runs.")
class ServerInfo:
    version: str
    plugins: list[PluginInfo]


@strawberry.type
class CoreQuery:
    node: relay.Node | None = node_field(
        description="Any object by its global id; null when it does not exist or is not yours."
    )

    @strawberry.field(description="The server's version and its enabled plugins.")
    def server_info(self, info: Info) -> ServerInfo:
        manifests = info.context.plugins.manifests.values()
        return ServerInfo(
            version=linli.__version__,
            plugins=[
                PluginInfo(name=m.name, version=m.version) for m in manifests if m.name != "core"
            ],
        )
