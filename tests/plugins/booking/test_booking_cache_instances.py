"""The response cache across instances: a booking on one instance empties the other's cache
through the bus (Redis), so a read there is stale for no longer than the bus took; and what
one instance keeps for a resident it never gives a resident of another community, nor
anonymous. Runs in
the PostgreSQL + Redis suite: the in-process app is instance A, a live server instance B."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from booking_helpers import BOOK, gid

from linli.core.clock import FrozenClock
from linli.plugins.booking.rules import local_date, local_instant
from linli.testing import make_account, make_community, redis_url
from linli.testing.server import start_server, stop_server

SLOTS = """query S($st: ID!, $date: Date!) {
  slots(serviceTypeId: $st, date: $date) { id booked remaining } }"""

pytestmark = pytest.mark.skipif(not redis_url(), reason="two instances share events through Redis")


@pytest.fixture
def clock():
    # Instance B runs on the real clock: the tokens made here must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


async def test_a_booking_on_one_instance_empties_the_other_ones_cache(
    gql, world, linli_settings, clock, tmp_path
):
    """B's TTL is an hour: only the event can make its kept answer fresh."""
    day = local_date(clock.now(), "Asia/Shanghai") + dt.timedelta(days=2)
    slot = await world.slot(local_instant(day, dt.time(10), "Asia/Shanghai"), capacity=3)
    alice, bob = await world.resident(), await world.resident()
    elsewhere = await make_account("resident", await make_community("法华镇路社区"))
    other = start_server(
        linli_settings.database_url,
        tmp_path / "b.log",
        env={"LINLI_RESPONSE_CACHE_SECONDS": "3600"},
    )
    body = {
        "query": SLOTS,
        "variables": {"st": gid("BookingServiceType", world.service.pk), "date": day.isoformat()},
    }
    headers = {"authorization": f"Bearer {alice.token}"}
    try:
        async with httpx.AsyncClient(base_url=other.url, timeout=30) as client:

            async def booked_on_b() -> int:
                response = await client.post("/graphql", json=body, headers=headers)
                assert response.status_code == 200, response.text
                return response.json()["data"]["slots"][0]["booked"]

            assert [await booked_on_b(), await booked_on_b()] == [0, 0]
            booking = await gql.mutate(
                BOOK, {"slotId": gid("BookingSlot", slot.pk)}, token=bob.token
            )
            assert booking["errors"] == []
            seen = [await booked_on_b()]
            for _ in range(500):  # a bound for a loaded machine, not a time assertion
                if seen[-1] == 1:
                    break
                await asyncio.sleep(0.02)
                seen.append(await booked_on_b())
            assert seen[-1] == 1, other.log()[-2000:]
            assert await booked_on_b() == 1

            # B keeps alice's answer; the same bytes from anyone else are theirs to answer.
            async def codes_for(token: str | None) -> list[str]:
                sent = {"authorization": f"Bearer {token}"} if token else {}
                answer = (await client.post("/graphql", json=body, headers=sent)).json()
                return [e["extensions"]["code"] for e in answer.get("errors") or []]

            assert await codes_for(elsewhere.token) == ["NOT_FOUND"]
            assert await codes_for(None) == ["UNAUTHENTICATED"]
    finally:
        stop_server(other)


async def test_a_settings_change_on_one_instance_reaches_the_other(
    gql, world, linli_settings, tmp_path
):
    """B keeps the community's settings; staff change them on A; SETTINGS_CHANGED through
    Redis makes B read them again."""
    read = {
        "query": "query R($c: ID!) { bookingSettings(communityId: $c) { minDaysAhead } }",
        "variables": {"c": gid("Community", world.community.pk)},
    }
    update = """mutation U($input: UpdateBookingSettingsInput!) {
      updateBookingSettings(input: $input) { errors { code } } }"""
    other = start_server(linli_settings.database_url, tmp_path / "b.log")
    headers = {"authorization": f"Bearer {world.staff.token}"}
    try:
        async with httpx.AsyncClient(base_url=other.url, timeout=30) as client:

            async def nearest_on_b() -> int:
                response = await client.post("/graphql", json=read, headers=headers)
                assert response.status_code == 200, response.text
                return response.json()["data"]["bookingSettings"]["minDaysAhead"]

            assert [await nearest_on_b(), await nearest_on_b()] == [1, 1]
            changed = await gql.mutate(
                update,
                {"communityId": gid("Community", world.community.pk), "minDaysAhead": 5},
                token=world.staff.token,
            )
            assert changed["errors"] == []
            seen = [await nearest_on_b()]
            for _ in range(500):  # a bound for a loaded machine, not a time assertion
                if seen[-1] == 5:
                    break
                await asyncio.sleep(0.02)
                seen.append(await nearest_on_b())
            assert seen[-1] == 5, other.log()[-2000:]
    finally:
        stop_server(other)
