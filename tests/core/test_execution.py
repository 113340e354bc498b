"""The leaf fast path answers exactly as graphql-core's full path does."""

import enum
from datetime import UTC, datetime

import pytest
import strawberry

from linli.schema.execution import LeafFastPathExecutionContext


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"


@strawberry.type
class Item:
    name: str
    count: int
    maybe: str | None
    colour: Colour
    at: datetime
    broken: str  # given None below: a non-null field without a value

    @strawberry.field
    def shout(self, suffix: str = "!") -> str:
        return self.name.upper() + suffix


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
        return [
            Item(name=f"n{i}", count=i, maybe=None, colour=Colour.RED, at=at, broken="ok")
            for i in range(3)
        ]

    @strawberry.field
    def bad(self) -> Item:
        at = datetime(2026, 3, 2, tzinfo=UTC)
        return Item(
            name="x", count="not a number", maybe="m", colour=Colour.RED, at=at, broken=None
        )


QUERIES = [
    '{ items { name count maybe colour at shout alias: name other: shout(suffix: "?") } }',
    "{ bad { name count } }",
    "{ bad { broken } }",
    "{ bad { maybe colour } }",
]


@pytest.mark.parametrize("query", QUERIES)
async def test_fast_path_matches_the_full_path(query):
    plain = strawberry.Schema(query=Query)
    fast = strawberry.Schema(query=Query, execution_context_class=LeafFastPathExecutionContext)
    expected, got = await plain.execute(query), await fast.execute(query)
    assert got.data == expected.data
    assert [e.formatted for e in got.errors or []] == [e.formatted for e in expected.errors or []]
    if "bad" in query and ("count" in query or "broken" in query):
        assert got.errors  # the refusals are real errors, reported by the full path
