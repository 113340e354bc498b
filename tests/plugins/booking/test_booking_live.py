"""Live updates (B11), the iCalendar download (B12), demo data and the booking CLI."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

import icalendar
from booking_helpers import CANCEL, book, gid, make_proxy, sh

SLOT_FEED = """subscription($st: ID!, $date: Date!) {
  slotAvailability(serviceTypeId: $st, date: $date) { id booked remaining } }"""
MY_FEED = """subscription { myAppointmentUpdates { id status personId } }"""


async def test_B11_slot_availability_after_commit(gql, world):
    resident, watcher = await world.resident(), await world.resident()
    slot = await world.slot(sh(2026, 3, 4, 10), capacity=2)
    async with gql.websocket(watcher.token) as ws:
        op = await ws.subscribe(
            SLOT_FEED, {"st": gid("BookingServiceType", world.service.pk), "date": "2026-03-04"}
        )
        await asyncio.sleep(0.05)
        await book(gql, resident.token, slot)
        message = await ws.next(op)
        assert message["type"] == "next", message
        assert message["payload"]["data"]["slotAvailability"] == {
            "id": gid("BookingSlot", slot.pk),
            "booked": 1,
            "remaining": 1,
        }


async def test_B11_slot_availability_one_execution_per_visibility(gql, world):
    """Residents and staff watching one day: every socket gets the same slot, computed once
    for the residents and once for the staff (core/graphql/fanout.py), not once per socket."""
    from linli.core.graphql import fanout

    watchers = [await world.resident() for _ in range(3)] + [world.staff]
    slot = await world.slot(sh(2026, 3, 4, 10), capacity=2)
    variables = {"st": gid("BookingServiceType", world.service.pk), "date": "2026-03-04"}
    before = dict(fanout.stats)
    async with contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(gql.websocket(w.token)) for w in watchers]
        ops = [await ws.subscribe(SLOT_FEED, variables) for ws in sockets]
        await book(gql, (await world.resident()).token, slot)
        answers = [(await ws.next(op))["payload"] for ws, op in zip(sockets, ops, strict=True)]
    slot_now = {"id": gid("BookingSlot", slot.pk), "booked": 1, "remaining": 1}
    assert answers == [{"data": {"slotAvailability": slot_now}}] * 4
    assert fanout.stats["executions"] - before["executions"] == 2  # residents, staff
    assert fanout.stats["frames"] - before["frames"] == 4


async def test_B11_subscription_refused_outside_the_community(gql, world):
    from linli.testing import make_account

    outsider = await make_account("resident")  # another community
    async with gql.websocket(outsider.token) as ws:
        op = await ws.subscribe(
            SLOT_FEED, {"st": gid("BookingServiceType", world.service.pk), "date": "2026-03-04"}
        )
        message = await ws.next(op)
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "NOT_FOUND"
        assert not (message["payload"].get("data") if message["type"] == "next" else None)


async def test_B11_my_appointment_updates_reach_me_and_my_proxies_only(gql, world):
    from linli.testing import make_person

    child, other = await world.resident(), await world.resident()
    mother = await make_person(world.community, birth_date=dt.date(1950, 1, 1))
    await make_proxy(child, mother)
    slot = await world.slot(sh(2026, 3, 4, 10), capacity=3)
    async with gql.websocket(child.token) as ws:
        op = await ws.subscribe(MY_FEED)
        await asyncio.sleep(0.05)
        await book(gql, other.token, slot)  # not mine: never arrives
        booked = (await book(gql, child.token, slot, mother))["appointment"]
        message = await ws.next(op)
        assert message["payload"]["data"]["myAppointmentUpdates"]["id"] == booked["id"]
        await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=child.token)
        message = await ws.next(op)
        assert message["payload"]["data"]["myAppointmentUpdates"]["status"] == "CANCELLED"


async def test_B12_ical_download_for_the_person_proxies_and_staff_only(gql, world):
    from linli.testing import make_account, make_person

    child = await world.resident()
    mother = await make_person(world.community, birth_date=dt.date(1950, 1, 1))
    await make_proxy(child, mother)
    slot = await world.slot(sh(2026, 3, 4, 10))
    booked = (await book(gql, child.token, slot, mother))["appointment"]
    url = (
        await gql.query(
            "query($id: ID!) { appointment(id: $id) { icsUrl } }",
            {"id": booked["id"]},
            token=child.token,
        )
    )["appointment"]["icsUrl"]
    response = await gql.get(url, headers={"authorization": f"Bearer {child.token}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == sh(2026, 3, 4, 10)
    assert str(event["status"]) == "CONFIRMED" and str(event["summary"]) == "预防接种"
    assert mother.real_name not in response.text
    staff = await gql.get(url, headers={"authorization": f"Bearer {world.staff.token}"})
    assert staff.status_code == 200
    stranger = await make_account("resident", world.community)
    forbidden = await gql.get(url, headers={"authorization": f"Bearer {stranger.token}"})
    assert forbidden.status_code == 404
    assert (await gql.get(url)).status_code == 401
    assert (await gql.get(url, headers={"authorization": "Bearer nonsense"})).status_code == 401


async def test_seed_demo_is_idempotent(linli_app):
    from io import StringIO

    from rich.console import Console

    from linli.core.identity.demo import seed_identity
    from linli.plugins.booking.demo import seed_booking
    from linli.plugins.booking.models import Appointment, ServiceType, Site, Slot

    console = Console(file=StringIO())
    await seed_identity(console)
    await seed_booking(console)
    counts = [
        await Site.all().count(),
        await ServiceType.all().count(),
        await Slot.all().count(),
        await Appointment.all().count(),
    ]
    assert counts[0] == 3 and counts[1] == 6 and counts[2] > 50 and counts[3] >= 3
    categories = set(await ServiceType.all().values_list("category", flat=True))
    assert categories >= {
        "public_health",
        "medical",
        "rehabilitation",
        "health_education",
        "home_visit",
    }
    await seed_identity(console)
    await seed_booking(console)
    assert [
        await Site.all().count(),
        await ServiceType.all().count(),
        await Slot.all().count(),
        await Appointment.all().count(),
    ] == counts
