"""Bad input: each is refused with a clear error (a code and a localized message), and the
server keeps serving afterwards (every test ends with a good query)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator

import pytest
import strawberry
from httpx_ws import WebSocketDisconnect

from linli import hookimpl
from linli.core import graphql as g
from linli.core.plugins import Manifest

GOOD = "{ serverInfo { version } }"


@strawberry.type
class Chain:
    """A recursive type, so that a query can nest as deep as it likes."""

    @strawberry.field
    def next(self) -> Chain:
        return Chain()

    @strawberry.field
    def n(self) -> int:
        return 1


@strawberry.type
class Item(g.Node):
    id: g.NodeID[int]


@strawberry.type
class BadInputQuery:
    @strawberry.field
    def chain(self) -> Chain:
        return Chain()

    @g.connection(g.Connection[Item])
    def items(self) -> list[Item]:
        return [Item(id=n) for n in range(500)]


@strawberry.type
class BadInputSubscription:
    @strawberry.subscription
    async def forever(self) -> AsyncGenerator[int, None]:
        await asyncio.Event().wait()
        yield 0


class BadInputPlugin:
    @hookimpl
    def plugin_manifest(self) -> Manifest:
        return Manifest(name="bad_input", version="0.1")

    @hookimpl
    def register_queries(self) -> list[type]:
        return [BadInputQuery]

    @hookimpl
    def register_subscriptions(self) -> list[type]:
        return [BadInputSubscription]


@pytest.fixture
def linli_extra_plugins():
    return {"bad_input": BadInputPlugin()}


@pytest.fixture
def linli_settings_overrides():
    from linli.core.settings import Limits

    limits = Limits(connection_init_timeout_seconds=0.5, max_subscriptions_per_connection=3)
    return {"limits": limits}


async def still_serving(gql) -> None:
    data = await gql.query(GOOD)
    assert data["serverInfo"]["version"]


def only_error(body: dict) -> dict:
    assert body.get("data") is None, body
    (error,) = body["errors"]
    return error


@pytest.mark.parametrize(("locale", "prefix"), [("en", "Bad request"), ("zh-CN", "请求格式错误")])
async def test_malformed_json(gql, locale, prefix):
    response = await gql.post_raw('{"query": "{ serverInfo', headers={"accept-language": locale})
    assert response.status_code == 400
    error = only_error(response.json())
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"].startswith(prefix)
    await still_serving(gql)


async def test_wrong_content_type(gql):
    response = await gql.post_raw(
        GOOD, content_type="text/plain", headers={"accept-language": "en"}
    )
    assert response.status_code == 415
    error = only_error(response.json())
    assert error["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert error["message"].startswith("Unsupported content type")
    await still_serving(gql)


async def test_unknown_operation_name(gql):
    body = json.dumps({"query": "query A { serverInfo { version } }", "operationName": "B"})
    response = await gql.post_raw(body, headers={"accept-language": "en"})
    assert response.status_code == 400
    error = only_error(response.json())
    assert error["extensions"]["code"] == "UNKNOWN_OPERATION"
    assert "B" in error["message"]
    await still_serving(gql)


async def test_mutation_over_get(gql):
    response = await gql.get(
        "/graphql", params={"query": "mutation { __typename }"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 405
    error = only_error(response.json())
    assert error["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert error["message"].startswith("Method not allowed")
    await still_serving(gql)


@pytest.mark.parametrize("depth", [20, 2000])  # over the limit; past the parser's own cap
async def test_depth_bomb(gql, depth):
    query = "{ chain { " + "next { " * depth + "n" + " }" * depth + " } }"
    result = await gql.execute(query, locale="en")
    assert result.data is None
    assert result.codes == ["QUERY_TOO_DEEP"]
    assert result.errors[0]["message"] == "The query is nested too deeply (at most 12 levels)."
    await still_serving(gql)


async def test_alias_bomb(gql):
    query = "{ " + " ".join(f"a{i}: serverInfo {{ version }}" for i in range(200)) + " }"
    result = await gql.execute(query, locale="zh-CN")
    assert result.data is None
    assert result.codes == ["TOO_MANY_ALIASES"]
    assert result.errors[0]["message"].startswith("查询中的别名过多")
    await still_serving(gql)


async def test_token_bomb(gql):
    query = "{ " + " ".join("__typename" for _ in range(3000)) + " }"
    result = await gql.execute(query, locale="en")
    assert result.data is None
    assert result.codes == ["QUERY_TOO_LARGE"]
    await still_serving(gql)


async def test_page_size_over_the_limit(gql):
    result = await gql.execute("{ items(first: 100000) { edges { node { id } } } }", locale="en")
    assert result.codes == ["PAGE_TOO_LARGE"]
    assert result.errors[0]["message"] == "At most 100 items per page; first is over the limit."
    page = await gql.query("{ items(first: 100) { edges { node { id } } } }")
    assert len(page["items"]["edges"]) == 100
    await still_serving(gql)


async def test_websocket_without_connection_init_is_closed_4408(gql):
    started = asyncio.get_running_loop().time()
    async with gql.websocket(init=False) as session:
        with pytest.raises(WebSocketDisconnect) as closed:
            await session.receive(timeout=5)
    assert closed.value.code == 4408
    assert asyncio.get_running_loop().time() - started < 3
    await still_serving(gql)


async def test_too_many_subscriptions_on_one_connection(gql):
    async with gql.websocket() as session:
        ids = [await session.subscribe("subscription { forever }") for _ in range(3)]
        extra = await session.subscribe("subscription { forever }")
        message = await session.next(extra)
        assert message["type"] == "error"
        (error,) = message["payload"]
        assert error["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        # The connection and its other subscriptions stay up: one completes cleanly.
        await session.complete(ids[0])
        again = await session.subscribe("subscription { forever }")
        with pytest.raises(TimeoutError):
            await session.next(again, timeout=0.3)
    await still_serving(gql)
