"""Waitlist (B8), no-shows (B9) and the tick that runs the timed work, over the API.

Clock: Monday 2 March 2026, 09:00 Shanghai unless moved; tokens are renewed after moves.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from booking_helpers import (
    APPOINTMENT,
    CANCEL,
    book,
    codes,
    gid,
    sh,
    staff_mutation,
    token_now,
)

JOIN = """
mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
  appointment { id status offerExpiresAt } errors { code } } }"""
ACCEPT = """
mutation($input: BookingAppointmentInput!) { acceptWaitlistOffer(input: $input) {
  appointment { id status } errors { code } } }"""
DECLINE = """
mutation($input: BookingAppointmentInput!) { declineWaitlistOffer(input: $input) {
  appointment { id status } errors { code } } }"""
WAITLIST = """query($s: ID!) { waitlist(slotId: $s) { id status offerExpiresAt } }"""


async def _offer_of(gql, token, appointment_id):
    data = await gql.query(APPOINTMENT, {"id": appointment_id}, token=token)
    return data["appointment"]


async def test_B8_offer_held_against_direct_booking_and_passed_on_expiry_skipping_banned(
    gql, world, clock
):
    from linli.plugins.booking.models import PersonStanding, Slot
    from linli.plugins.booking.service import tick

    slot = await world.slot(sh(2026, 3, 4, 10), capacity=1)
    holder, banned, waiting, late, walk_in = [await world.resident() for _ in range(5)]
    booked = (await book(gql, holder.token, slot))["appointment"]
    entries = {}
    for who in (banned, waiting, late):
        joined = await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=who.token)
        assert joined["errors"] == [] and joined["appointment"]["status"] == "WAITLIST"
        entries[who.id] = joined["appointment"]["id"]
        clock.advance(seconds=1)
    # banned after joining: B8 skips them when the seat frees
    await PersonStanding.create(person_id=banned.person.pk, banned_until=dt.date(2026, 4, 1))
    token = await token_now(holder)
    await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=token)
    t_waiting = await token_now(waiting)
    offered = await _offer_of(gql, t_waiting, entries[waiting.id])
    assert offered["status"] == "WAITLIST" and offered["offerExpiresAt"] is not None
    assert (await _offer_of(gql, await token_now(banned), entries[banned.id]))[
        "offerExpiresAt"
    ] is None
    # the held seat is not for direct booking
    assert codes(await book(gql, await token_now(walk_in), slot)) == ["SLOT_FULL"]
    assert (await Slot.get(id=slot.pk)).held == 1
    # 30 minutes later the offer lapses and passes to the next eligible person
    clock.advance(minutes=30)
    result = await tick()
    assert result.offers_expired == 1
    expired = await gql.mutate(
        ACCEPT, {"appointmentId": entries[waiting.id]}, token=await token_now(waiting)
    )
    assert codes(expired) == ["OFFER_EXPIRED"]
    t_late = await token_now(late)
    assert (await _offer_of(gql, t_late, entries[late.id]))["offerExpiresAt"] is not None
    accepted = await gql.mutate(ACCEPT, {"appointmentId": entries[late.id]}, token=t_late)
    assert accepted["errors"] == [] and accepted["appointment"]["status"] == "BOOKED"
    slot_row = await Slot.get(id=slot.pk)
    assert (slot_row.booked, slot_row.held) == (1, 0)
    assert (await tick()).offers_expired == 0  # idempotent


async def test_B8_decline_passes_the_seat_and_no_one_left_returns_it(gql, world):
    from linli.plugins.booking.models import Slot

    slot = await world.slot(sh(2026, 3, 4, 10), capacity=1)
    holder, waiting = await world.resident(), await world.resident()
    booked = (await book(gql, holder.token, slot))["appointment"]
    assert codes(
        await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=holder.token)
    ) == ["ALREADY_BOOKED_TODAY"]
    entry = (await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=waiting.token))[
        "appointment"
    ]
    early = await gql.mutate(ACCEPT, {"appointmentId": entry["id"]}, token=waiting.token)
    assert codes(early) == ["INVALID_TRANSITION"]  # nothing offered yet
    await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=holder.token)
    queue = await gql.query(WAITLIST, {"s": gid("BookingSlot", slot.pk)}, token=world.staff.token)
    assert queue["waitlist"][0]["offerExpiresAt"] is not None
    declined = await gql.mutate(DECLINE, {"appointmentId": entry["id"]}, token=waiting.token)
    assert declined["appointment"]["status"] == "CANCELLED"
    slot_row = await Slot.get(id=slot.pk)
    assert (slot_row.booked, slot_row.held) == (0, 0)
    assert (await book(gql, holder.token, slot))["errors"] == []


async def test_B9_noshow_ladder_across_a_year_boundary_recomputed_when_voided(gql, world, clock):
    from linli.plugins.booking.models import BookingSettings, PersonStanding

    await BookingSettings.create(
        community=world.community, max_days_ahead=60, updated_at=clock.now()
    )
    resident = await world.resident()
    dates = [(2026, 12, 1), (2026, 12, 20), (2027, 1, 10)]
    clock.set(sh(2026, 11, 20, 9))
    appointments = []
    for y, m, d in dates:
        done = await book(gql, await token_now(resident), await world.slot(sh(y, m, d, 9)))
        assert done["errors"] == [], done
        appointments.append(done["appointment"]["id"])
    for (y, m, d), appointment in zip(dates, appointments, strict=True):
        clock.set(sh(y, m, d, 9, 45))
        marked = await gql.mutate(
            staff_mutation("markNoShow"),
            {"appointmentId": appointment},
            token=await token_now(world.staff),
        )
        assert marked["appointment"]["status"] == "NOSHOW", marked
    standing = await PersonStanding.get(person_id=resident.person.pk)
    # 2026: 1st → 30 days, 2nd → 60 days (20 Dec + 60 = 18 Feb 2027); 2027: 1st again → 30
    assert standing.banned_until == dt.date(2027, 2, 18)
    clock.set(sh(2027, 1, 11, 9))
    slot = await world.slot(sh(2027, 1, 13, 9))
    refused = await book(gql, await token_now(resident), slot, locale="en")
    assert codes(refused) == ["BANNED_UNTIL"] and "2027-02-18" in refused["errors"][0]["message"]
    # voiding the December 20th no-show (entered in error): the ban is recomputed
    staff = await token_now(world.staff)
    voided = await gql.mutate(
        staff_mutation("voidNoShow"),
        {"appointmentId": appointments[1], "arrived": False},
        token=staff,
    )
    assert voided["appointment"]["status"] == "ENTERED_IN_ERROR"
    await standing.refresh_from_db()
    assert standing.banned_until == dt.date(2027, 2, 9)  # 10 Jan + 30: first of 2027
    # the January no-show, voided as arrived within the grace window (24 h): no ban left
    voided = await gql.mutate(
        staff_mutation("voidNoShow"), {"appointmentId": appointments[2]}, token=staff
    )
    assert voided["errors"] == [] and voided["appointment"]["status"] == "ARRIVED"
    await standing.refresh_from_db()
    assert standing.banned_until == dt.date(2026, 12, 31)  # only 1 Dec + 30 is left
    assert (await book(gql, await token_now(resident), slot))["errors"] == []


async def test_B9_noshow_void_as_arrived_only_within_grace(gql, world, clock):
    resident = await world.resident()
    slot = await world.slot(sh(2026, 3, 3, 9))
    done = (await book(gql, resident.token, slot))["appointment"]
    clock.set(sh(2026, 3, 3, 10))
    staff = await token_now(world.staff)
    await gql.mutate(staff_mutation("markNoShow"), {"appointmentId": done["id"]}, token=staff)
    clock.advance(hours=25)
    staff = await token_now(world.staff)
    late = await gql.mutate(
        staff_mutation("voidNoShow"), {"appointmentId": done["id"]}, token=staff
    )
    assert codes(late) == ["INVALID_TRANSITION"]


async def test_B9_tick_marks_noshows_once_even_with_two_runners(gql, world, clock):
    from linli.plugins.booking.models import Appointment, PersonStanding, Slot
    from linli.plugins.booking.service import tick

    people = [await world.resident() for _ in range(3)]
    slot = await world.slot(sh(2026, 3, 3, 9), capacity=3)
    ids = [(await book(gql, p.token, slot))["appointment"]["id"] for p in people]
    arrived = await gql.mutate(
        staff_mutation("markArrived"), {"appointmentId": ids[0]}, token=world.staff.token
    )
    assert arrived["errors"] == []
    clock.set(sh(2026, 3, 3, 9, 29))
    assert (await tick()).noshows_marked == 0  # the slot has not ended
    clock.set(sh(2026, 3, 3, 9, 31))
    first, second = await asyncio.gather(tick(), tick())
    assert first.noshows_marked + second.noshows_marked == 2
    assert (await tick()).noshows_marked == 0
    assert await Appointment.filter(slot_id=slot.pk, status="noshow").count() == 2
    assert (await Slot.get(id=slot.pk)).booked == 1  # the arrived one is still active
    assert await PersonStanding.filter(banned_until=dt.date(2026, 4, 2)).count() == 2


async def test_B9_tick_command_runs(world, tmp_path, linli_settings):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "LINLI_DATABASE_URL": linli_settings.database_url,
        "LINLI_SECRET_KEY": "x" * 40,
    }
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "linli.core.cli", "booking", "tick"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "no-shows marked: 0" in out.stdout
