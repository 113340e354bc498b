"""One kit-made mutation (implied register_mutations); the plain strawberry field is not
implied (it would be returned by a hook)."""

import strawberry

from linli.core import graphql as g
from linli.core.errors import Refused

SayInput = g.input_type("SayInput", text=str, loud=bool | None)


@g.mutation(said=str, description="Say it back.")
async def say(info: g.Info, input: SayInput) -> str:
    if not input.text:
        raise Refused("INVALID_INPUT", field="text")
    return input.text.upper() if input.loud else input.text


@strawberry.field
def not_implied() -> str:
    return "no"
