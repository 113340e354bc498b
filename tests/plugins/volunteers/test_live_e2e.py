"""V10 over a real websocket against ``linli serve`` (SQLite, or PostgreSQL and Redis when
LINLI_TEST_DATABASE_URL and LINLI_TEST_REDIS_URL are set)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json

import httpx
import pytest
import websockets
from volunteer_helpers import FILL, MINE, SIGN_UP, WITHDRAW

from linli.core.clock import FrozenClock

# ---------------------------------------------------------------- a real websocket


@pytest.fixture
def clock():  # the server runs on the real clock: tokens and shifts must be valid by it
    return FrozenClock(dt.datetime.now(dt.UTC))


async def _subscribed(url: str, token: str, query: str, variables: dict) -> object:
    socket = await websockets.connect(url, subprotocols=["graphql-transport-ws"])
    await socket.send(json.dumps({"type": "connection_init", "payload": {"token": token}}))
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    await socket.send(
        json.dumps(
            {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
    )
    return socket


async def _next_data(socket) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), 20))
        if message["type"] == "ping":
            await socket.send(json.dumps({"type": "pong"}))
            continue
        assert message["type"] == "next", message
        return message["payload"]["data"]


async def _in_place(socket, nudge) -> None:
    """Nudge (an act whose event this subscription hears) until an event arrives: the
    server gives no signal that a subscription is in place, so this is how a client knows."""
    for _ in range(40):
        await nudge()
        try:
            await asyncio.wait_for(_next_data(socket), 0.5)
            return
        except TimeoutError:
            continue
    raise AssertionError("the subscription never started")


async def test_V10_over_a_real_websocket_fill_and_promotion(world, gql, live_server, clock):
    """Against ``linli serve``: the watcher's fill levels and the waiting volunteer's
    promotion arrive over real sockets, after commit."""
    start = clock.now().replace(microsecond=0) + dt.timedelta(days=2)
    aid = await world.activity(gql)
    sid = await world.shift(gql, aid, start=start, capacity=1)
    probe = await world.shift(gql, aid, start=start + dt.timedelta(hours=5), capacity=100)
    watcher, me = await world.volunteer(gql=gql), await world.volunteer(gql=gql)
    fill = await _subscribed(live_server.ws_url, watcher.token, FILL, {"a": aid})
    mine = await _subscribed(live_server.ws_url, me.token, MINE, {})
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:

        async def send(token: str, query: str, data: dict) -> dict:
            body = {"query": query, "variables": {"input": data}}
            answer = await http.post(
                "/graphql", json=body, headers={"authorization": f"Bearer {token}"}
            )
            (payload,) = answer.json()["data"].values()
            return payload

        probing: list[str] = []

        async def nudge_me() -> None:  # my own sign-up to the probe shift, then withdrawn
            if probing:
                await send(me.token, WITHDRAW, {"signUpId": probing.pop()})
            else:
                probing.append((await send(me.token, SIGN_UP, {"shiftId": probe}))["signUp"]["id"])

        await _in_place(mine, nudge_me)
        await _in_place(fill, nudge_me)
        while probing:  # leave the probe shift
            await nudge_me()
        for socket in (mine, fill):  # what the probes sent, read to the end
            with contextlib.suppress(TimeoutError):
                while True:
                    await asyncio.wait_for(_next_data(socket), 1.0)
        first = await world.volunteer(gql=gql)
        taken = await send(first.token, SIGN_UP, {"shiftId": sid})
        assert taken["signUp"]["status"] == "CONFIRMED"
        got = (await _next_data(fill))["volunteerShiftFill"]
        assert (got["id"], got["confirmed"], got["fillLevel"]) == (sid, 1, 1.0)
        waiting = await send(me.token, SIGN_UP, {"shiftId": sid})
        assert (await _next_data(mine))["myVolunteerUpdates"]["kind"] == "WAITLISTED"
        await send(first.token, WITHDRAW, {"signUpId": taken["signUp"]["id"]})
        promoted = (await _next_data(mine))["myVolunteerUpdates"]
        assert promoted == {
            "kind": "PROMOTED",
            "signUpId": waiting["signUp"]["id"],
            "recordId": None,
        }
    await fill.close()
    await mine.close()
