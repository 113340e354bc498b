"""A websocket follows its session (issue 8, finding 4), on one instance: logout, a password
change, a refresh token's reuse and the access token's expiry close an open socket with 4403
(no event is sent after); a role taken away is seen by the next event. The two-instance case
(PostgreSQL + Redis, real servers) is tests/e2e/test_ws_session.py."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from linli.testing import (
    DEFAULT_NOW,
    TEST_PASSWORD,
    global_id,
    make_account,
    make_community,
    make_person,
)

MY_FEED = "subscription { myAppointmentUpdates { id status } }"
VERIFIED = "subscription { personVerified { id realName } }"
VERIFY = """mutation($input: VerifyPersonInput!) { verifyPerson(input: $input) {
  person { id } errors { code } } }"""
BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  appointment { id status } errors { code } } }"""
CANCEL = """mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) {
  appointment { id status } errors { code } } }"""
LOGOUT = "mutation { logout { ok errors { code } } }"
SET_ROLE = """mutation($input: SetRoleInput!) { setRole(input: $input) {
  membership { role } errors { code } } }"""


async def closed_with(session) -> int:
    """The close code, after reading whatever (ping, next...) the server sent before."""
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            message = await session.receive(timeout=5)
            assert message["type"] != "next", f"an event after the session ended: {message}"
    return closed.value.code


async def a_slot(community):
    """A slot of a fresh service in ``community``, bookable by its residents (clock: 2 March)."""
    from linli.core import runtime
    from linli.plugins.booking.models import ServiceType, Site, Slot

    now = runtime.current().clock.now()
    site = await Site.create(
        community=community, name="卫生服务站", kind="centre", address="1 号", created_at=now
    )
    service = await ServiceType.create(
        site=site,
        community_id=community.pk,
        name="预防接种",
        category="public_health",
        created_at=now,
    )
    start = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    return await Slot.create(
        service_type_id=service.pk,
        community_id=community.pk,
        local_date=dt.date(2026, 3, 4),
        start=start,
        end=start + dt.timedelta(minutes=30),
        capacity=5,
    )


async def book(gql, token, slot) -> dict:
    payload = await gql.mutate(BOOK, {"slotId": global_id("BookingSlot", slot.pk)}, token=token)
    assert payload["errors"] == [], payload
    return payload["appointment"]


async def subscribed_and_heard(gql, ws, resident, slot) -> str:
    """Subscribe to myAppointmentUpdates and book until the event arrives: the socket works."""
    op = await ws.subscribe(MY_FEED)
    await asyncio.sleep(0.1)  # let the subscription reach the bus
    booked = await book(gql, resident.token, slot)
    message = await ws.next(op)
    assert message["payload"]["data"]["myAppointmentUpdates"]["id"] == booked["id"]
    return booked["id"]


async def test_logout_closes_the_socket_and_no_event_follows(gql):
    community = await make_community()
    resident = await make_account("resident", community)
    slot = await a_slot(community)
    async with gql.websocket(resident.token) as ws:
        appointment = await subscribed_and_heard(gql, ws, resident, slot)
        assert (await gql.mutate(LOGOUT, token=resident.token))["ok"] is True
        # An event about his appointment right after: never sent to the logged-out socket.
        staff = await make_account("staff", community)
        await gql.mutate(CANCEL, {"appointmentId": appointment}, token=staff.token)
        assert await closed_with(ws) == 4403


async def test_password_change_closes_the_other_sessions_sockets(gql):
    community = await make_community()
    resident = await make_account("resident", community)
    slot = await a_slot(community)
    other_session = await gql.mutate(
        "mutation($input: LoginInput!) { login(input: $input) { accessToken errors { code } } }",
        {"phone": resident.phone, "password": TEST_PASSWORD},
    )
    async with gql.websocket(resident.token) as ws:
        await subscribed_and_heard(gql, ws, resident, slot)
        changed = await gql.mutate(
            """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
            ok errors { code } } }""",
            {"currentPassword": TEST_PASSWORD, "newPassword": "another long password"},
            token=other_session["accessToken"],
        )
        assert changed["ok"] is True
        assert await closed_with(ws) == 4403


async def test_refresh_token_reuse_revokes_the_family_and_closes_its_socket(gql):
    community = await make_community()
    resident = await make_account("resident", community)
    slot = await a_slot(community)
    refresh = """mutation($input: RefreshTokenInput!) { refreshToken(input: $input) {
      accessToken errors { code } } }"""
    async with gql.websocket(resident.token) as ws:
        await subscribed_and_heard(gql, ws, resident, slot)
        first = await gql.mutate(refresh, {"refreshToken": resident.refresh_token})
        assert first["errors"] == []
        # Still the same session (rotated): the socket stays open ...
        with pytest.raises(TimeoutError):
            await ws.receive(timeout=0.5)
        # ... until the spent token is presented again (theft): the family is revoked.
        reused = await gql.mutate(refresh, {"refreshToken": resident.refresh_token})
        assert reused["errors"][0]["code"] == "INVALID_TOKEN"
        assert await closed_with(ws) == 4403


async def test_an_expired_token_closes_the_socket(gql, clock):
    community = await make_community()
    resident = await make_account("resident", community)
    slot = await a_slot(community)
    async with gql.websocket(resident.token) as ws:
        await subscribed_and_heard(gql, ws, resident, slot)
        clock.advance(minutes=14)
        with pytest.raises(TimeoutError):  # not yet expired: open
            await ws.receive(timeout=1.5)
        clock.advance(minutes=1, seconds=1)
        assert await closed_with(ws) == 4403


async def test_staff_whose_role_is_removed_stop_receiving_person_verified(gql):
    community = await make_community()
    staff = await make_account("staff", community)
    admin = await make_account(None, admin=True)
    first = await make_person(community, verified=False, real_name="甲")
    second = await make_person(community, verified=False, real_name="乙")
    async with gql.websocket(staff.token) as ws:
        op = await ws.subscribe(VERIFIED)
        await asyncio.sleep(0.1)
        verified = await gql.mutate(
            VERIFY, {"personId": global_id("Person", first.pk)}, token=admin.token
        )
        assert verified["errors"] == []
        message = await ws.next(op)
        assert message["payload"]["data"]["personVerified"]["realName"] == "甲"
        removed = await gql.mutate(
            SET_ROLE,
            {
                "accountId": global_id("Account", staff.id),
                "communityId": global_id("Community", community.pk),
                "role": "STAFF",
                "granted": False,
            },
            token=admin.token,
        )
        assert removed["errors"] == []
        await gql.mutate(VERIFY, {"personId": global_id("Person", second.pk)}, token=admin.token)
        # The next event finds the role gone: the subscription ends with FORBIDDEN, no data.
        message = await ws.next(op)
        assert message["type"] == "next"
        assert message["payload"]["data"] is None
        assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["FORBIDDEN"]
        assert (await ws.next(op))["type"] == "complete"


async def test_legacy_protocol_socket_closes_on_logout(gql, linli_app):
    resident = await make_account("staff")
    transport = ASGIWebSocketTransport(app=linli_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://linli.test") as client:
        async with aconnect_ws("/graphql", client, subprotocols=["graphql-ws"]) as ws:
            await ws.send_json({"type": "connection_init", "payload": {"token": resident.token}})
            assert (await ws.receive_json(timeout=5))["type"] == "connection_ack"
            await ws.send_json({"id": "1", "type": "start", "payload": {"query": VERIFIED}})
            await asyncio.sleep(0.1)
            assert (await gql.mutate(LOGOUT, token=resident.token))["ok"] is True
            with pytest.raises(WebSocketDisconnect) as closed:
                while True:
                    message = await ws.receive_json(timeout=5)
                    assert message["type"] != "data", message
    assert closed.value.code == 4403


async def test_a_bus_reset_rechecks_every_socket(gql):
    """Events may have been missed (Redis dropped out): a session revoked meanwhile, whose
    announcement never arrived, is found by the re-check after the reset."""
    from linli.core import events, runtime
    from linli.core.identity.models import RefreshToken

    resident = await make_account("staff")
    async with gql.websocket(resident.token) as ws:
        await ws.subscribe(VERIFIED)
        await asyncio.sleep(0.1)
        # Revoked behind the bus's back: no event announces it.
        await RefreshToken.filter(account_id=resident.id).update(revoked_at=DEFAULT_NOW)
        with pytest.raises(TimeoutError):
            await ws.receive(timeout=1.5)
        runtime.current().bus.hub.notify(events.Event(topic=events.BUS_RESET, payload={}))
        assert await closed_with(ws) == 4403
