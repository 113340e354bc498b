"""End-to-end tests of linli-client (clients/python/) against a real, tiny GraphQL server.

The server below is a strawberry + Starlette app served by uvicorn on a free loopback port in
a background thread. It mimics the parts of the Linli contract the client relies on: Bearer
tokens, `Accept-Language`, `login` / `refreshToken`, mutation payloads with `errors`, the
UNAUTHENTICATED error code and graphql-transport-ws subscriptions with the token in the
`connection_init` payload. Nothing in the transport is mocked.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import socket
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import strawberry
import uvicorn
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UnsetType

from linli_client import (
    ConnectionClosed,
    GraphQLErrors,
    LinliClient,
    TransportError,
    UserError,
    UserErrors,
    user_errors,
)

PHONE, PASSWORD = "+8613800000000", "secret"
MAX_SUBSCRIPTIONS = 3

# The test server


class AuthStore:
    """The server's users and tokens, in memory; tests reach into it to expire tokens."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.access: dict[str, str] = {}  # access token -> phone
        self.refresh: dict[str, str] = {}  # refresh token -> phone
        self.refresh_calls = 0
        self.http_peers: set[tuple[str, int]] = set()
        self._serial = itertools.count(1)

    def issue(self, phone: str) -> tuple[str, str]:
        n = next(self._serial)
        access, refresh = f"access-{n}", f"refresh-{n}"
        self.access[access], self.refresh[refresh] = phone, phone
        return access, refresh


STORE = AuthStore()


def unauthenticated() -> GraphQLError:
    return GraphQLError("Not authenticated", extensions={"code": "UNAUTHENTICATED"})


def current_phone(info: strawberry.Info) -> str:
    phone = info.context["phone"]
    if phone is None:
        raise unauthenticated()
    return phone


def localized(info: strawberry.Info, en: str, zh: str) -> str:
    return en if info.context["locale"].startswith("en") else zh


@strawberry.enum
class ErrorCode(enum.Enum):
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_REFRESH_TOKEN = "INVALID_REFRESH_TOKEN"
    REQUIRED = "REQUIRED"
    NAME_TAKEN = "NAME_TAKEN"


@strawberry.type
class UserErrorType:
    code: ErrorCode
    field: list[str] | None
    message: str


@strawberry.type
class AuthPayload:
    errors: list[UserErrorType]
    access_token: str | None = None
    refresh_token: str | None = None


@strawberry.type
class Group:
    name: str


@strawberry.type
class CreateGroupPayload:
    errors: list[UserErrorType]
    group: Group | None = None


@strawberry.input
class LoginInput:
    phone: str
    password: str


@strawberry.input
class RefreshTokenInput:
    refresh_token: str


@strawberry.input
class CreateGroupInput:
    name: str


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, info: strawberry.Info, name: str = "Linli") -> str:
        return localized(info, f"Hello, {name}", f"你好，{name}")

    @strawberry.field
    def me(self, info: strawberry.Info) -> str:
        return current_phone(info)

    @strawberry.field
    def fail(self) -> str | None:
        raise GraphQLError("It failed", extensions={"code": "BAD_REQUEST"})


@strawberry.type
class Mutation:
    @strawberry.mutation
    def login(self, input: LoginInput) -> AuthPayload:
        if (input.phone, input.password) != (PHONE, PASSWORD):
            error = UserErrorType(
                code=ErrorCode.INVALID_CREDENTIALS, field=None, message="Wrong phone or password"
            )
            return AuthPayload(errors=[error])
        access, refresh = STORE.issue(input.phone)
        return AuthPayload(errors=[], access_token=access, refresh_token=refresh)

    @strawberry.mutation
    def refresh_token(self, input: RefreshTokenInput) -> AuthPayload:
        STORE.refresh_calls += 1
        phone = STORE.refresh.pop(input.refresh_token, None)  # rotated: single use
        if phone is None:
            error = UserErrorType(
                code=ErrorCode.INVALID_REFRESH_TOKEN,
                field=["input", "refreshToken"],
                message="Invalid refresh token",
            )
            return AuthPayload(errors=[error])
        access, refresh = STORE.issue(phone)
        return AuthPayload(errors=[], access_token=access, refresh_token=refresh)

    @strawberry.mutation
    def create_group(self, info: strawberry.Info, input: CreateGroupInput) -> CreateGroupPayload:
        current_phone(info)
        if not input.name:
            message = localized(info, "Name is required", "名称不能为空")
            code = ErrorCode.REQUIRED
        elif input.name == "taken":
            message = localized(info, "Name is taken", "名称已被占用")
            code = ErrorCode.NAME_TAKEN
        else:
            return CreateGroupPayload(errors=[], group=Group(name=input.name))
        error = UserErrorType(code=code, field=["input", "name"], message=message)
        return CreateGroupPayload(errors=[error])


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def countdown(self, start: int = 3) -> AsyncGenerator[int, None]:
        for n in range(start, -1, -1):
            yield n

    @strawberry.subscription
    async def me(self, info: strawberry.Info) -> AsyncGenerator[str, None]:
        yield current_phone(info)

    @strawberry.subscription
    async def ticks(self) -> AsyncGenerator[int, None]:
        for n in itertools.count():
            yield n
            await asyncio.sleep(0.05)


class GraphQLApp(GraphQL[dict[str, Any], None]):
    """Reads the Bearer token and locale over HTTP, and the token from connection_init."""

    async def get_context(self, request: Request | WebSocket, response: Any) -> dict[str, Any]:
        if isinstance(request, Request) and request.client:
            STORE.http_peers.add((request.client.host, request.client.port))
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        return {
            "request": request,
            "response": response,
            "phone": STORE.access.get(token) if token else None,
            "locale": request.headers.get("accept-language") or "zh-CN",
        }

    async def on_ws_connect(self, context: dict[str, Any]) -> UnsetType | dict[str, object] | None:
        token = context["connection_params"].get("token")
        if token is None:
            return {"anonymous": True}
        context["phone"] = STORE.access.get(token)
        if context["phone"] is None:
            raise ConnectionRejectionError()
        return {"anonymous": False}


async def raw_ping_endpoint(websocket: WebSocket) -> None:
    """A hand-written graphql-transport-ws server that pings and answers only after a pong."""
    await websocket.accept(subprotocol="graphql-transport-ws")
    assert (await websocket.receive_json())["type"] == "connection_init"
    await websocket.send_json({"type": "connection_ack"})
    await websocket.send_json({"type": "ping"})
    pong, subscribe = False, None
    while not (pong and subscribe):
        message = await websocket.receive_json()
        pong = pong or message["type"] == "pong"
        subscribe = subscribe or (message if message["type"] == "subscribe" else None)
    await websocket.send_json(
        {"id": subscribe["id"], "type": "next", "payload": {"data": {"pong": True}}}
    )
    await websocket.send_json({"id": subscribe["id"], "type": "complete"})
    await websocket.receive()  # the client's close


async def bad_gateway(request: Request) -> Response:
    return PlainTextResponse("upstream down", status_code=502)


async def html_page(request: Request) -> Response:
    return HTMLResponse("<html>not graphql</html>")


def build_app() -> Starlette:
    schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)
    graphql = GraphQLApp(
        schema,
        connection_init_wait_timeout=timedelta(seconds=0.5),
        max_subscriptions_per_connection=MAX_SUBSCRIPTIONS,
    )
    methods = ["GET", "POST"]
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=methods),
            WebSocketRoute("/graphql", graphql),
            Mount("/raw", routes=[WebSocketRoute("/graphql", raw_ping_endpoint)]),
            Mount("/broken", routes=[Route("/graphql", bad_gateway, methods=methods)]),
            Mount("/html", routes=[Route("/graphql", html_page, methods=methods)]),
        ]
    )


@dataclass
class Server:
    url: str
    store: AuthStore


@pytest.fixture(scope="session")
def live_server() -> Iterator[Server]:
    """Serve `build_app()` with uvicorn on a free loopback port, in a background thread."""
    # IPPROTO_TCP explicitly: with proto 0, asyncio does not set TCP_NODELAY on accepted
    # connections, and Nagle + delayed ACKs then add ~40 ms to every request.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        build_app(), log_level="warning", lifespan="off", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.01)
    yield Server(f"http://127.0.0.1:{port}", STORE)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def server(live_server: Server) -> Server:
    live_server.store.reset()
    return live_server


@pytest.fixture
async def client(server: Server) -> AsyncIterator[LinliClient]:
    async with LinliClient(server.url, timeout=5) as client:
        yield client


async def logged_in(client: LinliClient) -> LinliClient:
    await client.login(PHONE, PASSWORD)
    return client


# Queries


async def test_execute_returns_data_over_post_and_get(client: LinliClient) -> None:
    query = "query Hello($name: String!) { hello(name: $name) }"
    assert await client.execute(query, {"name": "Ada"}) == {"hello": "你好，Ada"}
    assert await client.execute(query, {"name": "Ada"}, "Hello", method="GET") == {
        "hello": "你好，Ada"
    }


async def test_locale_is_sent_as_accept_language(server: Server) -> None:
    async with LinliClient(server.url, locale="en") as client:
        assert await client.execute("{ hello }") == {"hello": "Hello, Linli"}
        client.locale = "zh-CN"
        assert await client.execute("{ hello }") == {"hello": "你好，Linli"}


async def test_requests_reuse_one_connection(client: LinliClient, server: Server) -> None:
    for _ in range(5):
        await client.execute("{ hello }")
    assert len(server.store.http_peers) == 1


async def test_graphql_errors_are_typed(client: LinliClient) -> None:
    with pytest.raises(GraphQLErrors) as caught:
        await client.execute("{ hello fail }")
    assert caught.value.codes == ["BAD_REQUEST"]
    assert caught.value.messages == ["It failed"]
    assert caught.value.data == {"hello": "你好，Linli", "fail": None}
    assert caught.value.errors[0]["path"] == ["fail"]

    with pytest.raises(GraphQLErrors, match="Cannot query field"):
        await client.execute("{ nope }")

    response = await client.execute_raw("{ fail }")
    assert response["data"] == {"fail": None}
    assert response["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}


async def test_transport_errors_keep_status_and_body(server: Server) -> None:
    async with LinliClient(f"{server.url}/broken") as client:
        with pytest.raises(TransportError) as caught:
            await client.execute("{ hello }")
    assert caught.value.status_code == 502
    assert caught.value.body == "upstream down"

    async with LinliClient(f"{server.url}/html") as client:
        with pytest.raises(TransportError, match="non-JSON") as caught:
            await client.execute("{ hello }")
    assert caught.value.status_code == 200
    assert caught.value.body.startswith("<html>")

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with LinliClient(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(TransportError) as caught:
            await client.execute("{ hello }")
    assert caught.value.status_code is None


# Mutations and tokens

CREATE_GROUP = """
mutation CreateGroup($name: String!) {
  createGroup(input: {name: $name}) { group { name } errors { code field message } }
}"""


async def test_mutate_returns_the_payload(client: LinliClient) -> None:
    await logged_in(client)
    payload = await client.mutate(CREATE_GROUP, {"name": "Gardeners"})
    assert payload == {"group": {"name": "Gardeners"}, "errors": []}
    payload = await client.mutate(CREATE_GROUP, {"name": "Cyclists"}, payload_field="createGroup")
    assert payload["group"] == {"name": "Cyclists"}


async def test_mutate_raises_user_errors(client: LinliClient) -> None:
    await logged_in(client)
    client.locale = "en"
    with pytest.raises(UserErrors) as caught:
        await client.mutate(CREATE_GROUP, {"name": ""})
    assert caught.value.codes == ["REQUIRED"]
    assert caught.value.errors == [UserError("REQUIRED", ("input", "name"), "Name is required")]
    assert caught.value.payload["group"] is None


async def test_mutate_can_return_user_errors_without_raising(client: LinliClient) -> None:
    await logged_in(client)
    payload = await client.mutate(CREATE_GROUP, {"name": "taken"}, raise_user_errors=False)
    assert payload["group"] is None
    assert [error.code for error in user_errors(payload)] == ["NAME_TAKEN"]
    assert user_errors(payload)[0].message == "名称已被占用"


async def test_login_stores_tokens_and_refused_login_raises(client: LinliClient) -> None:
    with pytest.raises(UserErrors) as caught:
        await client.login(PHONE, "wrong")
    assert caught.value.codes == ["INVALID_CREDENTIALS"]
    assert client.token is None

    payload = await client.login(PHONE, PASSWORD)
    assert (client.token, client.refresh_token) == (payload["accessToken"], payload["refreshToken"])
    assert await client.execute("{ me }") == {"me": PHONE}
    assert client.token is not None and client.token not in repr(client)


async def test_unauthenticated_without_refresh_token_raises(client: LinliClient) -> None:
    with pytest.raises(GraphQLErrors) as caught:
        await client.execute("{ me }")
    assert caught.value.codes == ["UNAUTHENTICATED"]


async def test_expired_token_is_refreshed_once_and_request_retried(
    client: LinliClient, server: Server
) -> None:
    await logged_in(client)
    old_token = client.token
    server.store.access.clear()  # every access token expires

    assert await client.execute("{ me }") == {"me": PHONE}
    assert client.token != old_token
    assert server.store.refresh_calls == 1
    # Mutations go through the same path.
    server.store.access.clear()
    assert (await client.mutate(CREATE_GROUP, {"name": "Chess"}))["group"] == {"name": "Chess"}
    assert server.store.refresh_calls == 2


async def test_concurrent_requests_share_one_refresh(client: LinliClient, server: Server) -> None:
    await logged_in(client)
    server.store.access.clear()
    results = await asyncio.gather(*(client.execute("{ me }") for _ in range(5)))
    assert results == [{"me": PHONE}] * 5
    assert server.store.refresh_calls == 1


async def test_a_refresh_token_alone_is_enough(server: Server) -> None:
    _, refresh = server.store.issue(PHONE)
    async with LinliClient(server.url, refresh_token=refresh) as client:
        assert await client.execute("{ me }") == {"me": PHONE}
        assert client.token is not None
    assert server.store.refresh_calls == 1


async def test_refused_refresh_logs_out_and_raises(client: LinliClient, server: Server) -> None:
    await logged_in(client)
    server.store.access.clear()
    server.store.refresh.clear()
    with pytest.raises(GraphQLErrors) as caught:
        await client.execute("{ me }")
    assert caught.value.codes == ["UNAUTHENTICATED"]
    assert (client.token, client.refresh_token) == (None, None)
    assert server.store.refresh_calls == 1


async def test_logout_forgets_tokens(client: LinliClient, server: Server) -> None:
    await logged_in(client)
    client.logout()
    assert (client.token, client.refresh_token) == (None, None)
    with pytest.raises(GraphQLErrors):
        await client.execute("{ me }")
    assert server.store.refresh_calls == 0


# Subscriptions


async def test_subscribe_yields_each_event_then_ends(client: LinliClient) -> None:
    async with client.subscribe(
        "subscription ($n: Int!) { countdown(start: $n) }", {"n": 3}
    ) as sub:
        events = [data["countdown"] async for data in sub]
    assert events == [3, 2, 1, 0]
    assert not sub.socket.is_open


async def test_subscribe_sends_token_in_connection_init(client: LinliClient) -> None:
    async with client.subscribe("subscription { me }") as sub:
        with pytest.raises(GraphQLErrors) as caught:
            await anext(sub)
    assert caught.value.codes == ["UNAUTHENTICATED"]

    await logged_in(client)
    async with client.subscribe("subscription { me }") as sub:
        assert [data async for data in sub] == [{"me": PHONE}]


async def test_subscribe_without_context_manager(client: LinliClient) -> None:
    assert [data["countdown"] async for data in client.subscribe("subscription { countdown }")] == [
        3,
        2,
        1,
        0,
    ]


async def test_error_message_raises_graphql_errors(client: LinliClient) -> None:
    async with client.subscribe("subscription { nope }") as sub:
        with pytest.raises(GraphQLErrors, match="Cannot query field"):
            await anext(sub)
        with pytest.raises(StopAsyncIteration):
            await anext(sub)


async def test_invalid_token_is_closed_with_4403(client: LinliClient) -> None:
    client.set_tokens("not-a-token")
    with pytest.raises(ConnectionClosed) as caught:
        async with client.subscribe("subscription { me }"):
            pass
    assert (caught.value.code, caught.value.reason) == (4403, "Forbidden")


async def test_server_close_ends_running_subscriptions(client: LinliClient) -> None:
    async with client.websocket() as ws:
        async with ws.subscribe("subscription { ticks }") as sub:
            assert await anext(sub) == {"ticks": 0}
            await ws.send_json({"type": "bogus"})
            with pytest.raises(ConnectionClosed) as caught:
                while True:
                    await anext(sub)
    assert caught.value.code == 4400


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"type": "connection_init"}], 4429),
        (
            [{"type": "subscribe", "id": "1", "payload": {"query": "subscription { ticks }"}}] * 2,
            4409,
        ),
        ([{"type": "bogus"}], 4400),
    ],
)
async def test_protocol_violations_surface_close_codes(
    client: LinliClient, messages: list[dict[str, Any]], code: int
) -> None:
    async with client.websocket() as ws:
        for message in messages:
            await ws.send_json(message)
        closed = await asyncio.wait_for(ws.wait_closed(), 5)
    assert closed.code == code
    assert ws.close_error == closed


async def test_subscribe_before_ack_is_closed_with_4401(client: LinliClient) -> None:
    async with client.websocket(init=False) as ws:
        with pytest.raises(ConnectionClosed) as caught:
            async with ws.subscribe("subscription { countdown }") as sub:
                await anext(sub)
    assert caught.value.code == 4401


async def test_missing_connection_init_is_closed_with_4408(client: LinliClient) -> None:
    async with client.websocket(init=False) as ws:
        closed = await asyncio.wait_for(ws.wait_closed(), 5)
    assert (closed.code, closed.reason) == (4408, "Connection initialisation timeout")


async def test_subscriptions_share_a_connection_up_to_the_cap(client: LinliClient) -> None:
    async with client.websocket() as ws:
        subs = [
            await ws.subscribe("subscription { ticks }").start() for _ in range(MAX_SUBSCRIPTIONS)
        ]
        assert len({sub.id for sub in subs}) == MAX_SUBSCRIPTIONS
        for sub in subs:
            assert await anext(sub) == {"ticks": 0}

        async with ws.subscribe("subscription { ticks }") as extra:
            with pytest.raises(GraphQLErrors, match="Subscription limit reached"):
                await anext(extra)

        await subs[0].aclose()  # sends complete: frees a slot
        await asyncio.sleep(0.1)
        async with ws.subscribe("subscription { countdown(start: 1) }") as sub:
            assert [data async for data in sub] == [{"countdown": 1}, {"countdown": 0}]
        assert ws.is_open


async def test_client_answers_server_pings(server: Server) -> None:
    async with LinliClient(f"{server.url}/raw") as client:
        async with client.subscribe("subscription { pong }") as sub:
            assert [data async for data in with_timeout(sub)] == [{"pong": True}]


async def with_timeout(sub: AsyncIterator[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    """Iterate `sub`, failing instead of hanging when an event takes more than 5 s."""
    while True:
        try:
            yield await asyncio.wait_for(anext(sub), 5)
        except StopAsyncIteration:
            return
