"""B3 under real concurrency: a real ``linli serve`` subprocess, parallel HTTP requests.

Runs on SQLite by default and on PostgreSQL (+ Redis) when LINLI_TEST_DATABASE_URL is set.
The in-process app (fixture ``world``) shares the server's database to set up and to count.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from booking_helpers import BOOK, gid

from linli.core.clock import FrozenClock
from linli.plugins.booking.rules import local_instant


@pytest.fixture
def clock():
    # The server runs on the real clock: tokens and slots must be valid by it.
    return FrozenClock(dt.datetime.now(dt.UTC))


async def _race(server_url: str, slot_pk: int, tokens: list[str]) -> list[dict]:
    body = {"query": BOOK, "variables": {"input": {"slotId": gid("BookingSlot", slot_pk)}}}
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(base_url=server_url, timeout=60, limits=limits) as client:
        start = asyncio.Event()

        async def one(token: str) -> dict:
            await start.wait()
            response = await client.post(
                "/graphql", json=body, headers={"authorization": f"Bearer {token}"}
            )
            assert response.status_code == 200, response.text
            return response.json()["data"]["bookAppointment"]

        tasks = [asyncio.create_task(one(t)) for t in tokens]
        start.set()
        return await asyncio.gather(*tasks)


@pytest.mark.parametrize(("capacity", "attempts"), [(1, 50), (5, 20)])
async def test_B3_parallel_bookings_over_http(world, live_server, clock, capacity, attempts):
    from linli.plugins.booking.models import Appointment
    from linli.plugins.booking.rules import ACTIVE_STATUSES, local_date

    day = local_date(clock.now(), "Asia/Shanghai") + dt.timedelta(days=2)
    slot = await world.slot(local_instant(day, dt.time(10), "Asia/Shanghai"), capacity=capacity)
    people = [await world.resident() for _ in range(attempts)]
    results = await _race(live_server.url, slot.pk, [p.token for p in people])
    booked = [r for r in results if not r["errors"]]
    refused = [e["code"] for r in results for e in r["errors"]]
    assert len(booked) == capacity, live_server.log()[-3000:]
    assert refused == ["SLOT_FULL"] * (attempts - capacity)
    await slot.refresh_from_db()
    active = await Appointment.filter(
        slot_id=slot.pk, status__in=[str(s) for s in ACTIVE_STATUSES]
    ).count()
    assert slot.booked == active == capacity
