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
    pk_of,
    sh,
    staff_mutation,
    token_now,
)

JOIN = """
mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
  appointment { id status offerExpiresAt } errors { code } } }"""
ACCEPT = """
mutation($input: AcceptWaitlistOfferInput!) { acceptWaitlistOffer(input: $input) {
  appointment { id status } errors { code } } }"""
DECLINE = """
mutation($input: DeclineWaitlistOfferInput!) { declineWaitlistOffer(input: $input) {
  appointment { id status } errors { code } } }"""
WAITLIST = """query($s: ID!) { waitlist(slotId: $s) { id status offerExpiresAt } }"""
SLOT = """query($id: ID!) { node(id: $id) { ... on BookingSlot { booked held remaining } } }"""


async def _offer_of(gql, token, appointment_id):
    data = await gql.query(APPOINTMENT, {"id": appointment_id}, token=token)
    return data["appointment"]


async def _seats_match_active(slot):
    """B3: the stored count always equals the active appointments, pending holds included."""
    from linli.plugins.booking.models import Appointment, Slot
    from linli.plugins.booking.rules import ACTIVE_STATUSES

    row = await Slot.get(id=slot.pk)
    active = await Appointment.filter(
        slot_id=slot.pk, status__in=[str(s) for s in ACTIVE_STATUSES]
    ).count()
    assert row.booked == active
    return row.booked


async def test_B8_offer_held_against_direct_booking_and_passed_on_expiry_skipping_banned(
    gql, world, clock
):
    from linli.plugins.booking.models import PersonStanding
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
    assert offered["status"] == "PENDING" and offered["offerExpiresAt"] is not None  # a hold
    skipped = await _offer_of(gql, await token_now(banned), entries[banned.id])
    assert (skipped["status"], skipped["offerExpiresAt"]) == ("WAITLIST", None)
    # the held seat is taken: not for direct booking
    assert codes(await book(gql, await token_now(walk_in), slot)) == ["SLOT_FULL"]
    assert await _seats_match_active(slot) == 1
    # 30 minutes later the hold lapses (pending → cancelled) and passes to the next person
    clock.advance(minutes=30)
    result = await tick()
    assert result.offers_expired == 1
    expired = await gql.mutate(
        ACCEPT, {"appointmentId": entries[waiting.id]}, token=await token_now(waiting)
    )
    assert codes(expired) == ["OFFER_EXPIRED"]
    lapsed = await _offer_of(gql, await token_now(waiting), entries[waiting.id])
    assert lapsed["status"] == "CANCELLED"
    t_late = await token_now(late)
    assert (await _offer_of(gql, t_late, entries[late.id]))["status"] == "PENDING"
    assert await _seats_match_active(slot) == 1
    accepted = await gql.mutate(ACCEPT, {"appointmentId": entries[late.id]}, token=t_late)
    assert accepted["errors"] == [] and accepted["appointment"]["status"] == "BOOKED"
    assert await _seats_match_active(slot) == 1
    assert (await tick()).offers_expired == 0  # idempotent


async def test_B4_hold_history_records_who_and_when(gql, world, clock):
    """waitlist → pending (the system's offer) → cancelled (lapsed, by the system), and the
    next hold → booked by the person: each change with who and when."""
    from linli.plugins.booking.models import StatusChange
    from linli.plugins.booking.service import tick

    slot = await world.slot(sh(2026, 3, 4, 10), capacity=1)
    holder, first, second = [await world.resident() for _ in range(3)]
    booked = (await book(gql, holder.token, slot))["appointment"]
    ids = []
    for who in (first, second):
        joined = await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=who.token)
        ids.append(joined["appointment"]["id"])
        clock.advance(seconds=1)
    offered_at = clock.now()
    await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=holder.token)
    clock.advance(minutes=31)
    await tick()
    accepted = await gql.mutate(ACCEPT, {"appointmentId": ids[1]}, token=await token_now(second))
    assert accepted["appointment"]["status"] == "BOOKED"
    history = """query($id: ID!) { appointment(id: $id) {
      history { fromStatus toStatus by at note } } }"""
    lapsed = await gql.query(history, {"id": ids[0]}, token=await token_now(first))
    assert [
        (h["fromStatus"], h["toStatus"], h["by"], h["note"])
        for h in lapsed["appointment"]["history"]
    ] == [
        (None, "WAITLIST", "SELF", ""),
        ("WAITLIST", "PENDING", "SYSTEM", "offer"),
        ("PENDING", "CANCELLED", "SYSTEM", "offer expired"),
    ]
    steps = lapsed["appointment"]["history"]
    assert dt.datetime.fromisoformat(steps[1]["at"]) == offered_at
    assert dt.datetime.fromisoformat(steps[2]["at"]) == offered_at + dt.timedelta(minutes=31)
    took = await gql.query(history, {"id": ids[1]}, token=await token_now(second))
    assert [(h["toStatus"], h["by"]) for h in took["appointment"]["history"]] == [
        ("WAITLIST", "SELF"),
        ("PENDING", "SYSTEM"),
        ("BOOKED", "SELF"),
    ]
    system = await StatusChange.filter(by_how="system", to_status="cancelled").count()
    assert system == 1  # the job recorded the lapse once, with no account


async def test_B8_decline_passes_the_seat_and_no_one_left_returns_it(gql, world):
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
    early = await gql.mutate(DECLINE, {"appointmentId": entry["id"]}, token=waiting.token)
    assert codes(early) == ["INVALID_TRANSITION"]
    await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=holder.token)
    queue = await gql.query(WAITLIST, {"s": gid("BookingSlot", slot.pk)}, token=world.staff.token)
    assert queue["waitlist"] == []  # the offered person holds the seat: no longer waiting
    held = await gql.query(SLOT, {"id": gid("BookingSlot", slot.pk)}, token=world.staff.token)
    assert held["node"] == {"booked": 1, "held": 1, "remaining": 0}
    declined = await gql.mutate(DECLINE, {"appointmentId": entry["id"]}, token=waiting.token)
    assert declined["appointment"]["status"] == "CANCELLED"
    assert await _seats_match_active(slot) == 0
    assert (await book(gql, holder.token, slot))["errors"] == []
    assert await _seats_match_active(slot) == 1


async def test_B8_cancelling_a_hold_is_declining_it(gql, world):
    from linli.plugins.booking.models import Appointment

    slot = await world.slot(sh(2026, 3, 4, 10), capacity=1)
    holder, first, second = [await world.resident() for _ in range(3)]
    booked = (await book(gql, holder.token, slot))["appointment"]
    ids = [
        (await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=w.token))[
            "appointment"
        ]["id"]
        for w in (first, second)
    ]
    await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=holder.token)
    cancelled = await gql.mutate(CANCEL, {"appointmentId": ids[0]}, token=first.token)
    assert cancelled["errors"] == [] and cancelled["lateCancellation"] is False
    assert cancelled["appointment"]["status"] == "CANCELLED"
    assert (await Appointment.get(id=pk_of(ids[1]))).status == "pending"
    assert await _seats_match_active(slot) == 1


async def test_B8_skips_a_waiter_already_booked_that_day(gql, world):
    from linli.plugins.booking.models import Appointment

    slot = await world.slot(sh(2026, 3, 4, 10), capacity=1)
    other = await world.slot(sh(2026, 3, 4, 15), capacity=1)
    holder, busy, free = [await world.resident() for _ in range(3)]
    booked = (await book(gql, holder.token, slot))["appointment"]
    ids = [
        (await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=w.token))[
            "appointment"
        ]["id"]
        for w in (busy, free)
    ]
    assert (await book(gql, busy.token, other))["errors"] == []  # same service, same day
    await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=holder.token)
    statuses = [(await Appointment.get(id=pk_of(i))).status for i in ids]
    assert statuses == ["waitlist", "pending"]
    assert await _seats_match_active(slot) == 1


async def test_B8_two_tick_runners_expire_a_hold_once(gql, world, clock):
    from linli.plugins.booking.models import Appointment, StatusChange
    from linli.plugins.booking.service import tick

    slot = await world.slot(sh(2026, 3, 4, 10), capacity=1)
    holder, first, second, third = [await world.resident() for _ in range(4)]
    booked = (await book(gql, holder.token, slot))["appointment"]
    ids = []
    for who in (first, second, third):
        joined = await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=who.token)
        ids.append(pk_of(joined["appointment"]["id"]))
        clock.advance(seconds=1)
    await gql.mutate(CANCEL, {"appointmentId": booked["id"]}, token=holder.token)
    clock.advance(minutes=30)
    runs = await asyncio.gather(tick(), tick())
    assert sum(r.offers_expired for r in runs) == 1
    statuses = [(await Appointment.get(id=i)).status for i in ids]
    assert statuses == ["cancelled", "pending", "waitlist"]  # passed on exactly once
    assert await StatusChange.filter(appointment_id=ids[0], to_status="cancelled").count() == 1
    assert await StatusChange.filter(to_status="pending").count() == 2
    assert await _seats_match_active(slot) == 1
    assert sum(r.offers_expired for r in await asyncio.gather(tick(), tick())) == 0


async def test_B9_noshow_ladder_across_a_year_boundary_recomputed_when_voided(gql, world, clock):
    from linli.core.kit.models import CommunitySetting
    from linli.plugins.booking.models import PersonStanding

    await CommunitySetting.create(  # the community's booking settings (the kit's row)
        community=world.community,
        plugin="booking",
        values={"max_days_ahead": 60},
        updated_at=clock.now(),
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


async def test_B9_void_noshow_tells_an_outsider_nothing(gql, world, clock):
    """Issue 8, finding 6: voidNoShow decides the permission before it looks at the status,
    so whoever may not attend the community gets one answer, whether the appointment is a
    no-show, is booked, or does not exist at all."""
    from linli.testing import make_account, make_community

    resident = await world.resident()
    missed = (await book(gql, resident.token, await world.slot(sh(2026, 3, 3, 9))))["appointment"]
    booked = (await book(gql, resident.token, await world.slot(sh(2026, 3, 4, 9))))["appointment"]
    clock.set(sh(2026, 3, 3, 10))
    staff = await token_now(world.staff)
    await gql.mutate(staff_mutation("markNoShow"), {"appointmentId": missed["id"]}, token=staff)
    elsewhere = await make_community()
    outsiders = [
        await token_now(await make_account("staff", elsewhere)),
        await token_now(await make_account("resident", world.community)),
        await token_now(resident),  # the person themself may not void their own no-show
    ]
    nothing = gid("BookingAppointment", 999_999)
    for token in outsiders:
        answers = [
            codes(
                await gql.mutate(
                    staff_mutation("voidNoShow"), {"appointmentId": appointment}, token=token
                )
            )
            for appointment in (missed["id"], booked["id"], nothing)
        ]
        assert answers == [["FORBIDDEN"]] * 3
    # staff of the community still get the status answer
    wrong = await gql.mutate(
        staff_mutation("voidNoShow"), {"appointmentId": booked["id"]}, token=staff
    )
    assert codes(wrong) == ["INVALID_TRANSITION"]
