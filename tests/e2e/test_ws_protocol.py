"""The websocket side of the protocols clients speak (issue 14): the token in
``connection_init`` in the shapes Apollo Client, urql and Hasura-style clients send it; a
subscription refused as it starts is a graphql-transport-ws ``error`` message with the coded
error (not ``next`` + ``complete``); an access token expiring on an open socket closes it with
4403 (docs/api.md, Subscriptions). Over a live ``linli serve`` where a real socket matters."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws

from linli.core.websocket import BadToken, connection_token
from linli.testing import TEST_PASSWORD, make_account, make_community, start_server, stop_server


@pytest.fixture
def live_server(linli_settings: Any, tmp_path: Path) -> Iterator[Any]:
    """linli.testing's live server, given 180 s to be ready: two cores shared by seven
    engineers' suites made 30 s time out (a bound, not a time assertion)."""
    server = start_server(linli_settings.database_url, tmp_path / "server.log", timeout=180)
    yield server
    stop_server(server)


ME = "subscription { myAppointmentUpdates { id status } }"
SLOTS = (
    "subscription($st: ID!, $d: Date!) { slotAvailability(serviceTypeId: $st, date: $d) { id } }"
)


@pytest.mark.parametrize(
    "payload",
    [
        {"token": "T"},
        {"Authorization": "Bearer T"},
        {"authorization": "bearer T"},
        {"AUTHORIZATION": "T"},
        {"authToken": "T"},
        {"headers": {"Authorization": "Bearer T"}},
        {"headers": {"authorization": "T"}},
        {"Headers": {"AuthToken": " T "}},
    ],
)
def test_connection_token_reads_the_shapes_clients_send(payload):
    assert connection_token(payload) == "T"


@pytest.mark.parametrize("payload", [None, {}, {"token": ""}, {"headers": "x"}, {"other": "T"}, []])
def test_connection_token_anonymous_shapes(payload):
    assert connection_token(payload) is None


@pytest.mark.parametrize(
    "payload", [{"token": 5}, {"Authorization": ["Bearer T"]}, {"headers": {"authorization": {}}}]
)
def test_connection_token_that_is_not_a_string_is_refused(payload):
    with pytest.raises(BadToken):
        connection_token(payload)


def login(url: str, phone: str) -> str:
    response = httpx.post(
        f"{url}/graphql",
        json={
            "query": "mutation($i: LoginInput!) {"
            " login(input: $i) { accessToken errors { code } } }",
            "variables": {"i": {"phone": phone, "password": TEST_PASSWORD}},
        },
    )
    payload = response.json()["data"]["login"]
    assert payload["errors"] == [], payload
    return payload["accessToken"]


async def acked(url: str, init: dict, query: str = ME, variables: dict | None = None) -> list[dict]:
    """Open a graphql-transport-ws socket, init with ``init``, subscribe, and return the
    messages of the operation until it ends or goes quiet for a second."""
    async with httpx.AsyncClient(base_url=url) as client:
        async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send_json({"type": "connection_init", "payload": init})
            assert json.loads(await ws.receive_text())["type"] == "connection_ack"
            await ws.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables or {}},
                }
            )
            messages: list[dict] = []
            while True:
                try:
                    message = json.loads(await asyncio.wait_for(ws.receive_text(), 1.0))
                except TimeoutError:
                    return messages
                messages.append(message)
                if message["type"] in ("error", "complete"):
                    # Anything else for this id would follow at once: look a moment longer.
                    try:
                        messages.append(json.loads(await asyncio.wait_for(ws.receive_text(), 0.5)))
                    except TimeoutError:
                        pass
                    return messages


@pytest.fixture
async def resident(linli_app):
    community = await make_community()
    return await make_account("resident", community)


async def test_a_live_socket_speaks_what_clients_expect(resident, live_server):
    """One live server (starting one is the slow part): each init shape authenticates; an
    anonymous subscribe needing login, and a bad argument, are ``error`` messages with their
    code and nothing after; a token that is not a string refuses the connection (4403)."""
    base = live_server.ws_url.removesuffix("/graphql")
    token = login(live_server.url, resident.phone)
    shapes = [
        {"token": token},
        {"Authorization": f"Bearer {token}"},  # Apollo Client's and urql's documented shape
        {"authorization": token},
        {"authToken": token},  # graphql-ws's examples
        {"headers": {"Authorization": f"Bearer {token}"}},  # Hasura-style
    ]
    for init in shapes:
        messages = await acked(base, init)
        # Logged in: the feed is open and quiet (no refusal, no completion).
        assert messages == [], (list(init), messages)

    messages = await acked(base, {})
    assert [m["type"] for m in messages] == ["error"], messages  # no next, no complete after
    (error,) = messages[0]["payload"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"]  # localized (zh-CN by default)

    not_a_service = base64.b64encode(b"Community:1").decode()
    messages = await acked(base, {"token": token}, SLOTS, {"st": not_a_service, "d": "2026-03-04"})
    assert [m["type"] for m in messages] == ["error"], messages
    assert messages[0]["payload"][0]["extensions"]["code"] == "INVALID_INPUT"

    async with httpx.AsyncClient(base_url=base) as client:
        async with aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send_json({"type": "connection_init", "payload": {"Authorization": 42}})
            with pytest.raises(WebSocketDisconnect) as closed:
                await asyncio.wait_for(ws.receive_text(), 5)
            assert closed.value.code == 4403


async def test_an_expiring_token_closes_the_open_socket_with_4403(gql, clock):
    """What docs/api.md says: up to its expiry the socket stays open; past it, nothing more is
    sent and it closes with 4403, reason ``Access token expired``; a new socket with a
    refreshed token works at once."""
    community = await make_community()
    resident = await make_account("resident", community)
    async with gql.websocket(payload={"Authorization": f"Bearer {resident.token}"}) as ws:
        op = await ws.subscribe(ME)
        clock.advance(minutes=14)
        with pytest.raises(TimeoutError):
            await ws.next(op, timeout=1.5)
        clock.advance(minutes=1, seconds=1)
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                message = await ws.receive(timeout=5)
                assert message["type"] in ("ping", "pong"), message
        assert closed.value.code == 4403
        assert closed.value.reason == "Access token expired"
