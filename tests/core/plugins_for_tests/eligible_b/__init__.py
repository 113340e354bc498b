"""A plugin with its own NOT_ELIGIBLE message (messages.json beside this file): two such
plugins load side by side, each error keeping its own plugin's message."""

import strawberry

from linli import Manifest, hookimpl
from linli.core import graphql as g
from linli.core.errors import Refused

JoinError = g.error_type("JoinBError")  # its codes: messages.json's
JoinPayload = g.payload_type("JoinBPayload", JoinError, ok=bool)


@strawberry.input
class JoinBInput:
    code: str


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def join_b(self, info: g.Info, input: JoinBInput) -> JoinPayload:
        async def refuse() -> bool:
            raise Refused(input.code)

        ok, errors = await JoinError.attempt(info, refuse)
        return JoinPayload(ok=ok, errors=errors)


@strawberry.type
class Query:
    @strawberry.field
    def eligible_b(self, info: g.Info) -> bool:
        with g.api_errors(info):
            raise Refused("NOT_ELIGIBLE")


@hookimpl
def plugin_manifest() -> Manifest:
    return Manifest(name="eligible_b", version="1.0")


@hookimpl
def register_queries() -> list[type]:
    return [Query]


@hookimpl
def register_mutations() -> list[type]:
    return [Mutation]
