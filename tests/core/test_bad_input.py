"""Bad input: each is refused with a clear error (a code and a localized message), and the
server keeps serving afterwards (every test ends with a good query)."""

from __future__ import annotations

import asyncio
import base64
import datetime
import json
import logging
from collections.abc import AsyncGenerator

import pytest
import strawberry
from httpx_ws import WebSocketDisconnect
from starlette.routing import Route

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

    @strawberry.field
    def community_pk(self, info: g.Info, id: g.GlobalID) -> int:
        with g.api_errors(info):
            return g.pk(id, "Community", field="id")

    @strawberry.field
    def weekday(self, day: datetime.date) -> int:
        return day.weekday()

    @strawberry.field
    def boom(self) -> int:
        raise RuntimeError("a bug")

    @g.connection(g.Connection[Item])
    def items(self) -> list[Item]:
        return [Item(id=n) for n in range(500)]


@strawberry.type
class BadInputSubscription:
    @strawberry.subscription
    async def forever(self) -> AsyncGenerator[int, None]:
        await asyncio.Event().wait()
        yield 0

    @strawberry.subscription
    async def community_ticks(self, info: g.Info, id: g.GlobalID) -> AsyncGenerator[int, None]:
        with g.api_errors(info):
            yield g.pk(id, "Community", field="id")


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

    @hookimpl
    def register_routes(self) -> list[Route]:
        return [Route("/bad-input/boom/{id:pk}", route_boom)]


async def route_boom(request) -> None:
    raise RuntimeError(f"a bug at {request.path_params['id']}")


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
        ids = [await session.subscribe("subscription { forever }", wait=False) for _ in range(3)]
        extra = await session.subscribe("subscription { forever }", wait=False)
        message = await session.next(extra)
        assert message["type"] == "error"
        (error,) = message["payload"]
        assert error["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        # The connection and its other subscriptions stay up: one completes cleanly.
        await session.complete(ids[0])
        again = await session.subscribe("subscription { forever }", wait=False)
        with pytest.raises(TimeoutError):
            await session.next(again, timeout=0.3)
    await still_serving(gql)


def doubling_fragments(count: int, on: str = "ServerInfo", leaf: str = "version") -> str:
    """Fragments F0..F<count-1>, each spreading the one before twice: 2^(count-1) fields once
    expanded, ~10 tokens a fragment (the document of finding 8.1 when on ServerInfo)."""
    fragments = [f"fragment F0 on {on} {{ {leaf} }}"]
    fragments += [f"fragment F{i} on {on} {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, count)]
    return " ".join(fragments)


@pytest.mark.parametrize("count", [25, 40])
async def test_fragment_doubling_is_refused_as_too_complex(gql, count):
    query = f"query {{ serverInfo {{ ...F{count - 1} }} }} " + doubling_fragments(count)
    result = await gql.execute(query, locale="en")
    assert result.data is None
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert result.errors[0]["message"].startswith("The query is too complex")
    await still_serving(gql)


async def test_fragment_cost_counts_each_use_and_page(gql):
    # F7 is 128 ids: under a page of 100 items that is 13,000 fields, over the 10,000 limit;
    # under first: 3 it is 390, served.
    fragments = doubling_fragments(8, on="Item", leaf="id")
    page = "{{ items{} {{ edges {{ node {{ ...F7 }} }} }} }} "
    assert (await gql.execute(page.format("") + fragments)).codes == ["QUERY_TOO_COMPLEX"]
    data = await gql.query(page.format("(first: 3)") + fragments)
    assert len(data["items"]["edges"]) == 3
    # Depth through fragments counts too: a chain of 13 fragments each one level deeper.
    deep = (
        "{ chain { ...C0 } } "
        + " ".join(f"fragment C{i} on Chain {{ n next {{ ...C{i + 1} }} }}" for i in range(12))
        + " fragment C12 on Chain { n }"
    )
    assert (await gql.execute(deep)).codes == ["QUERY_TOO_DEEP"]
    await still_serving(gql)


async def test_page_weight_makes_nested_pages_too_complex(gql):
    query = "{ items(first: 100) { edges { node { id } } } }"
    assert (await gql.execute(query)).errors is None
    # 30 pages of up to 100 items, 4 fields each: 12,030 > 10,000.
    page = "items { edges { cursor node { id } } }"
    many = "{ " + " ".join(f"a{i}: " + page for i in range(30)) + " }"
    result = await gql.execute(many, locale="zh-CN")
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert result.errors[0]["message"].startswith("查询过于复杂")
    await still_serving(gql)


@pytest.mark.parametrize(
    "query",
    [
        "query { ...Nope }",
        "query { serverInfo { ...Nope } }",
        "query { serverInfo { ...A } } fragment A on ServerInfo { ...B } "
        "fragment B on ServerInfo { ...A version }",
        "query { serverInfo { ...A } } fragment A on ServerInfo { ...A }",
        "query { serverInfo { ...A } } fragment A on Nope { x }",
    ],
)
async def test_unknown_and_cyclic_fragments_are_validation_errors(gql, query):
    result = await gql.execute(query, locale="en")
    assert result.data is None
    assert set(result.codes) == {"GRAPHQL_VALIDATION_FAILED"}
    assert all("Nope" in e["message"] or "ragment" in e["message"] for e in result.errors)
    await still_serving(gql)


async def test_client_mistakes_log_at_info_with_their_code(gql, caplog):
    caplog.set_level(logging.DEBUG)
    mistakes = {
        "{ serverInfo { version }": "GRAPHQL_PARSE_FAILED",
        "{ nope }": "GRAPHQL_VALIDATION_FAILED",
        "query ($n: Int!) { items(first: $n) { edges { cursor } } }": "INVALID_INPUT",
        "{ items(first: 1000) { edges { cursor } } }": "PAGE_TOO_LARGE",
        "query { serverInfo { ...F24 } } " + doubling_fragments(25): "QUERY_TOO_COMPLEX",
    }
    for query, code in mistakes.items():
        assert (await gql.execute(query, {"n": "x"} if "$n" in query else None)).codes == [code]
        (record,) = [r for r in caplog.records if r.name.startswith("linli")]
        assert record.levelno == logging.INFO and code in record.getMessage()
        assert record.exc_info is None
        caplog.clear()
    await still_serving(gql)


async def test_unexpected_error_is_logged_once_with_the_request_id_it_answers(gql, caplog):
    result = await gql.execute("{ boom }")
    (error,) = result.errors
    assert error["extensions"]["code"] == "INTERNAL"
    request_id = error["extensions"]["requestId"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert request_id in errors[0].getMessage() and errors[0].exc_info
    await still_serving(gql)


# ---------------------------------------------------------------- bodies that are not GraphQL

NOT_GRAPHQL = {
    "null": b"null",
    "number": b"1",
    "string": b'"x"',
    "NaN": b"NaN",
    "infinity": b'{"query": "{ __typename }", "variables": {"a": 1e400}}',
    "list of lists": b"[[]]",
    "empty batch": b"[]",
    "batch with a string": b'[{"query": "{ __typename }"}, "x"]',
    "deep arrays": b"[" * 50_000 + b"]" * 50_000,
    "5000-digit integer": b'{"query": "query ($a: Int) { __typename }", "variables": {"a": '
    + b"9" * 5000
    + b"}}",
    "invalid UTF-8": b'{"query": "{ __typename \xff\xfe }"}',
    "lone surrogate in operationName": b'{"query": "{ __typename }", "operationName": "\\ud800"}',
    "lone surrogate in a variable": b'{"query": "query ($a: String) { __typename }", '
    b'"variables": {"a": "\\ud800"}}',
    "operationName not a string": b'{"query": "{ __typename }", "operationName": 1}',
    "variables not an object": b'{"query": "{ __typename }", "variables": [1]}',
}


@pytest.mark.parametrize("body", NOT_GRAPHQL.values(), ids=NOT_GRAPHQL.keys())
async def test_a_body_that_is_not_a_graphql_request_is_a_coded_400(gql, body, caplog):
    response = await gql.post_raw(body, headers={"accept-language": "en"})
    assert response.status_code == 400
    error = only_error(response.json())
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"].startswith("Bad request")
    assert "9999" not in response.text and "ud800" not in response.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    await still_serving(gql)


@pytest.mark.parametrize(
    "variables", ['{"a": "\\ud800"}', "[1]", "1" * 5000, "NaN", "[" * 5000], ids=repr
)
async def test_get_parameters_that_are_not_graphql_are_a_coded_400(gql, variables):
    params = {"query": "query ($a: String) { __typename }", "variables": variables}
    response = await gql.get("/graphql", params=params)
    assert response.status_code == 400
    assert only_error(response.json())["extensions"]["code"] == "BAD_REQUEST"
    await still_serving(gql)


async def test_a_route_id_past_64_bits_is_a_coded_404(gql):
    for path in ("/booking/appointments/99999999999999999999999.ics", "/bad-input/boom/1²"):
        response = await gql.get(path, headers={"accept-language": "en"})
        assert response.status_code == 404
        assert only_error(response.json()) == {
            "message": "Not found.",
            "extensions": {"code": "NOT_FOUND"},
        }
    assert (await gql.post_raw(b"", headers={"x": "y"})).status_code == 400
    await still_serving(gql)


async def test_an_unexpected_error_in_a_route_is_a_coded_500_logged_once(gql, caplog):
    response = await gql.get("/bad-input/boom/7")
    assert response.status_code == 500
    error = only_error(response.json())
    assert error["extensions"]["code"] == "INTERNAL"
    assert "a bug" not in response.text
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error["extensions"]["requestId"] in record.getMessage() and record.exc_info
    await still_serving(gql)


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_a_subscription_over_http_is_refused_before_it_runs(gql, method):
    query, headers = "subscription { forever }", {"accept-language": "en"}
    if method == "GET":
        response = await gql.get("/graphql", params={"query": query}, headers=headers)
    else:
        response = await gql.post_raw(json.dumps({"query": query}), headers=headers)
    assert response.status_code == 400
    error = only_error(response.json())
    assert error["extensions"]["code"] == "SUBSCRIPTION_OVER_HTTP"
    assert error["message"].startswith("Subscriptions are served over websockets")
    await still_serving(gql)


# ---------------------------------------------------------------- ids and cursors


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


BAD_GLOBAL_IDS = {
    "not base64": "!!!!",
    "unknown type": b64("Nope:1"),
    "abstract type": b64("Node:1"),
    "not a Node type": b64("ServerInfo:1"),
    "past 64 bits": b64("Community:" + "9" * 23),
    "2^63": b64(f"Community:{2**63}"),
    "superscript digit": b64("Community:²"),
    "Arabic-Indic digits": b64("Community:١٢"),
    "signed": b64("Community:-1"),
    "spaced": b64("Community: 1"),
    "empty key": b64("Community:"),
}


@pytest.mark.parametrize("gid", BAD_GLOBAL_IDS.values(), ids=BAD_GLOBAL_IDS.keys())
async def test_a_malformed_global_id_is_invalid_input_without_its_value(gid, gql, caplog):
    node = await gql.execute("query ($id: ID!) { node(id: $id) { id } }", {"id": gid})
    assert node.codes == ["INVALID_INPUT"], node.errors
    by_pk = await gql.execute("query ($id: ID!) { communityPk(id: $id) }", {"id": gid})
    assert by_pk.codes == ["INVALID_INPUT"], by_pk.errors
    for result in (node, by_pk):
        assert gid not in json.dumps(result.body)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    await still_serving(gql)


@pytest.mark.parametrize("gid", BAD_GLOBAL_IDS.values(), ids=BAD_GLOBAL_IDS.keys())
async def test_a_malformed_global_id_in_a_subscription_is_a_coded_error_message(gid, gql):
    """Over the websocket as over HTTP: the subscribe gets one graphql-transport-ws ``error``
    with INVALID_INPUT (what client libraries report as an error), never the value."""
    query = "subscription ($id: ID!) { communityTicks(id: $id) }"
    async with gql.websocket() as session:
        sid = await session.subscribe(query, {"id": gid}, wait=False)
        message = await session.next(sid)
    assert message["type"] == "error", message
    assert [e["extensions"]["code"] for e in message["payload"]] == ["INVALID_INPUT"]
    assert gid not in json.dumps(message)
    await still_serving(gql)


async def test_a_well_formed_global_id_still_resolves(gql):
    by_pk = await gql.query("query ($i: ID!) { communityPk(id: $i) }", {"i": b64("Community:42")})
    assert by_pk["communityPk"] == 42
    largest = b64(f"Community:{2**63 - 1}")
    data = await gql.query("query ($id: ID!) { node(id: $id) { id } }", {"id": largest})
    assert data["node"] is None  # no such row: null, as for any id the caller cannot see


BAD_CURSORS = {
    "not base64": "!!!!",
    "no prefix": b64("12"),
    "other prefix": b64("Community:1"),
    "huge offset": b64("arrayconnection:" + "9" * 40),
    "negative offset": b64("arrayconnection:-5"),
    "superscript offset": b64("arrayconnection:²"),
}


@pytest.mark.parametrize("argument", ["after", "before"])
@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
async def test_a_malformed_cursor_is_invalid_input(gql, cursor, argument, caplog):
    query = f"query ($c: String) {{ items(first: 2, {argument}: $c) {{ edges {{ cursor }} }} }}"
    result = await gql.execute(query, {"c": cursor}, locale="en")
    assert result.codes == ["INVALID_INPUT"], result.errors
    assert result.errors[0]["message"] == f"Invalid input: {argument}"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    page = await gql.query("{ items(first: 2) { edges { cursor } } }")
    after = page["items"]["edges"][-1]["cursor"]
    again = await gql.query(f'{{ items(first: 2, after: "{after}") {{ edges {{ cursor }} }} }}')
    assert len(again["items"]["edges"]) == 2


# ---------------------------------------------------------------- dates and messages


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2024-02-30", "x" * 80])
async def test_a_date_out_of_range_is_refused_where_it_is_decoded(gql, day, caplog):
    by_variable = await gql.execute("query ($d: Date!) { weekday(day: $d) }", {"d": day})
    assert by_variable.codes == ["INVALID_INPUT"], by_variable.errors
    by_literal = await gql.execute(f'{{ weekday(day: "{day}") }}')
    assert by_literal.codes == ["GRAPHQL_VALIDATION_FAILED"], by_literal.errors
    for result in (by_variable, by_literal):
        assert day not in json.dumps(result.body)
        assert "1900-2199" in result.errors[0]["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (await gql.query('{ weekday(day: "2026-12-01") }'))["weekday"] == 1


def test_translate_never_leaves_a_placeholder():
    from linli.core import i18n

    assert i18n.translate("INVALID_INPUT", "en") == "Invalid input"
    assert i18n.translate("INVALID_INPUT", "en", detail="kind") == "Invalid input: kind"
    for plugin, catalogue in i18n._catalogues.items():
        for code in catalogue:
            for locale in i18n.SUPPORTED:
                message = i18n.translate(code, locale, plugin=plugin)
                assert "{" not in message and "}" not in message, (plugin, code, message)
