"""Websocket auth: the token goes in connection_init; a bad one closes with 4403. A
subscription is checked at subscribe, and events about other communities are not delivered."""

from __future__ import annotations

import asyncio

import pytest
from httpx_ws import WebSocketDisconnect

from linli.testing import global_id, make_account, make_community, make_person

VERIFIED = "subscription { personVerified { id realName verified } }"
VERIFY = """mutation($input: VerifyPersonInput!) { verifyPerson(input: $input) {
  person { id } errors { code } } }"""


def error_codes(message) -> list[str]:
    """Codes of a refused subscription (an ``error`` message, or a ``next`` with errors)."""
    payload = message["payload"]
    errors = payload if message["type"] == "error" else payload.get("errors") or []
    return [e["extensions"]["code"] for e in errors]


async def closed_with(session) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        await session.receive(timeout=5)
    return closed.value.code


@pytest.mark.parametrize("token", ["not-a-jwt", "eyJhbGciOiJIUzI1NiJ9.e30.forged"])
async def test_bad_token_in_connection_init_closes_4403(gql, token):
    async with gql.websocket(init=False) as session:
        await session.send({"type": "connection_init", "payload": {"token": token}})
        assert await closed_with(session) == 4403


async def test_expired_and_logged_out_tokens_close_4403(gql, clock):
    user = await make_account()
    async with gql.websocket(user.token) as session:  # valid now: acknowledged
        assert session is not None
    clock.advance(minutes=16)
    async with gql.websocket(init=False) as session:
        await session.send({"type": "connection_init", "payload": {"token": user.token}})
        assert await closed_with(session) == 4403
    other = await make_account()
    await gql.mutate("mutation { logout { ok errors { code } } }", token=other.token)
    async with gql.websocket(init=False) as session:
        await session.send(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {other.token}"}}
        )
        assert await closed_with(session) == 4403


async def test_subscription_is_checked_at_subscribe(gql):
    resident = await make_account("resident")
    async with gql.websocket(resident.token) as session:
        op = await session.subscribe(VERIFIED)
        assert error_codes(await session.next(op)) == ["FORBIDDEN"]
    async with gql.websocket() as session:  # anonymous
        op = await session.subscribe(VERIFIED)
        assert error_codes(await session.next(op)) == ["UNAUTHENTICATED"]


async def test_event_for_another_community_is_not_delivered(gql):
    a, b = await make_community(), await make_community()
    staff_a = await make_account("staff", a)
    admin = await make_account(None, admin=True)
    in_a = await make_person(a, verified=False, real_name="甲")
    in_b = await make_person(b, verified=False, real_name="乙")
    async with gql.websocket(staff_a.token) as session:
        op = await session.subscribe(VERIFIED)
        await asyncio.sleep(0.2)  # let the subscription reach the bus
        for person in (in_b, in_a):
            payload = await gql.mutate(
                VERIFY, {"personId": global_id("Person", person.pk)}, token=admin.token
            )
            assert payload["errors"] == []
        message = await session.next(op)
        assert message["type"] == "next"
        # The first event (community B) was filtered out: the first delivered is A's.
        assert message["payload"]["data"]["personVerified"]["realName"] == "甲"
        await session.complete(op)
