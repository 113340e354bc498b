"""Booking over the GraphQL API (in-process): named tests per rule B1–B12.

Clock: Monday 2 March 2026, 09:00 Shanghai (linli.testing.DEFAULT_NOW) unless moved.
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
    make_account,
    make_person,
    make_proxy,
    pk_of,
    sh,
    staff_mutation,
    token_now,
)

TOMORROW_10 = sh(2026, 3, 3, 10)


async def test_B3_book_then_full(gql, world):
    slot = await world.slot(TOMORROW_10, capacity=1)
    alice, bob = await world.resident(), await world.resident()
    first = await book(gql, alice.token, slot)
    assert first["errors"] == []
    assert first["appointment"]["status"] == "BOOKED"
    second = await book(gql, bob.token, slot, locale="en")
    assert codes(second) == ["SLOT_FULL"]
    assert second["errors"][0]["message"] == "This slot is full."
    zh = await book(gql, bob.token, slot)
    assert zh["errors"][0]["message"] == "该时段已约满。"


SLOTS = """
query S($st: ID!, $date: Date!) { slots(serviceTypeId: $st, date: $date) {
  id start localDate capacity booked held remaining remainingPriority } }"""


async def test_B3_fifty_parallel_bookings_in_process(gql, world):
    slot = await world.slot(TOMORROW_10, capacity=5)
    people = [await world.resident() for _ in range(20)]
    results = await asyncio.gather(*(book(gql, p.token, slot) for p in people))
    booked = [r for r in results if not r["errors"]]
    assert len(booked) == 5
    assert sorted({c for r in results for c in codes(r)}) == ["SLOT_FULL"]
    from linli.plugins.booking.models import Appointment

    await slot.refresh_from_db()
    active = await Appointment.filter(slot_id=slot.pk, status="booked").count()
    assert slot.booked == active == 5


async def test_B1_service_types_and_age_eligibility(gql, world):
    young = await world.resident(dt.date(1990, 5, 5))
    slot = await world.slot(TOMORROW_10, service=world.elderly_service)
    assert codes(await book(gql, young.token, slot)) == ["NOT_ELIGIBLE"]
    data = await gql.query(
        """query($s: ID!) { serviceTypes(siteId: $s) { name category minAge } }""",
        {"s": gid("BookingSite", world.site.pk)},
        token=young.token,
    )
    assert {"name": "老年人年度体检", "category": "PUBLIC_HEALTH", "minAge": 65} in data[
        "serviceTypes"
    ]


async def test_B1_resident_turning_65_today_in_china_while_utc_is_yesterday(gql, world, clock):
    from linli.core.kit.models import CommunitySetting

    await CommunitySetting.create(  # the community's booking settings (the kit's row)
        community=world.community,
        plugin="booking",
        values={"min_days_ahead": 0},
        updated_at=clock.now(),
    )
    clock.set(dt.datetime(2026, 3, 2, 16, 30, tzinfo=dt.UTC))  # 3 March 00:30 in Shanghai
    birthday = await world.resident(dt.date(1961, 3, 3))  # 65 on 3 March
    tomorrow = await world.resident(dt.date(1961, 3, 4))  # 65 on 4 March
    slot = await world.slot(sh(2026, 3, 3, 9), capacity=5, service=world.elderly_service)
    ok = await book(gql, birthday.token, slot)
    assert ok["errors"] == [] and ok["appointment"]["localDate"] == "2026-03-03"
    assert ok["appointment"]["priority"] is True  # B10: elderly from the local birthday on
    assert codes(await book(gql, tomorrow.token, slot)) == ["NOT_ELIGIBLE"]


async def test_B1_contracted_service_needs_family_doctor_contract(gql, world, clock):
    from linli.plugins.booking.models import ServiceType

    contracted = await ServiceType.create(
        site=world.site,
        community_id=world.community.pk,
        name="慢病随访",
        category="medical",
        requires_family_doctor_contract=True,
        created_at=clock.now(),
    )
    resident = await world.resident()
    slot = await world.slot(TOMORROW_10, service=contracted)
    assert codes(await book(gql, resident.token, slot)) == ["NOT_ELIGIBLE"]
    done = await gql.mutate(
        """mutation($input: SetFamilyDoctorContractInput!) {
             setFamilyDoctorContract(input: $input) { contract errors { code } } }""",
        {"personId": gid("Person", resident.person.pk), "contract": True},
        token=world.staff.token,
    )
    assert done == {"contract": True, "errors": []}
    assert (await book(gql, resident.token, slot))["errors"] == []


CREATE_SCHEDULE = """
mutation($input: CreateScheduleInput!) { createSchedule(input: $input) {
  schedule { id resource } errors { code field } } }"""
GENERATE = """
mutation($input: GenerateSlotsInput!) { generateSlots(input: $input) {
  slots { id start localDate capacity } errors { code field } } }"""


async def test_B2_schedule_with_exception_generates_slots_once(gql, world):
    schedule = await gql.mutate(
        CREATE_SCHEDULE,
        {
            "serviceTypeId": gid("BookingServiceType", world.service.pk),
            "resource": "接种室",
            "weekly": [
                {"weekday": 1, "start": "08:00", "end": "10:00", "slotMinutes": 30, "capacity": 2},
                {"weekday": 2, "start": "14:00", "end": "15:00", "slotMinutes": 60},
            ],
            "exceptions": [{"date": "2026-03-10", "windows": []}],
        },
        token=world.staff.token,
    )
    assert schedule["errors"] == []
    node = "query($id: ID!) { node(id: $id) { ... on BookingSchedule { resource } } }"
    schedule_id = {"id": schedule["schedule"]["id"]}
    seen = await gql.query(node, schedule_id, token=world.staff.token)
    assert seen["node"] == {"resource": "接种室"}
    unseen = await gql.query(node, schedule_id, token=(await world.resident()).token)
    assert unseen["node"] is None  # a staff plan: residents see slots, not schedules
    run = {"scheduleId": schedule["schedule"]["id"], "first": "2026-03-03", "last": "2026-03-11"}
    first = await gql.mutate(GENERATE, run, token=world.staff.token)
    # Tue 3rd: 4 slots; Wed 4th: 1; Tue 10th closed; Wed 11th: 1
    assert [s["localDate"] for s in first["slots"]].count("2026-03-03") == 4
    assert len(first["slots"]) == 6
    assert first["slots"][0]["start"] == "2026-03-03T00:00:00+00:00"  # 08:00 Shanghai
    again = await gql.mutate(GENERATE, run, token=world.staff.token)
    assert [s["id"] for s in again["slots"]] == [s["id"] for s in first["slots"]]
    resident = await world.resident()
    day = await gql.query(
        SLOTS,
        {"st": gid("BookingServiceType", world.service.pk), "date": "2026-03-03"},
        token=resident.token,
    )
    assert [s["remaining"] for s in day["slots"]] == [2, 2, 2, 2]
    refused = await gql.mutate(GENERATE, run, token=resident.token)
    assert codes(refused) == ["FORBIDDEN"]
    bad = await gql.mutate(
        CREATE_SCHEDULE,
        {
            "serviceTypeId": gid("BookingServiceType", world.service.pk),
            "resource": "x",
            "weekly": [{"weekday": 1, "start": "08:00", "end": "09:00", "slotMinutes": 25}],
        },
        token=world.staff.token,
    )
    assert bad["errors"] == [{"code": "INVALID_INPUT", "field": ["slot_minutes"]}]


async def test_B4_status_machine_for_staff(gql, world, clock):
    resident = await world.resident()
    slot = await world.slot(TOMORROW_10)
    appointment = (await book(gql, resident.token, slot))["appointment"]
    ref = {"appointmentId": appointment["id"]}
    mine = await gql.mutate(staff_mutation("markArrived"), ref, token=resident.token)
    assert codes(mine) == ["FORBIDDEN"]
    for name, status in [
        ("markArrived", "ARRIVED"),
        ("checkIn", "CHECKED_IN"),
        ("markFulfilled", "FULFILLED"),
    ]:
        done = await gql.mutate(staff_mutation(name), ref, token=world.staff.token)
        assert done["errors"] == [] and done["appointment"]["status"] == status
    again = await gql.mutate(
        staff_mutation("markNoShow"), ref, token=world.staff.token, locale="en"
    )
    assert codes(again) == ["INVALID_TRANSITION"]
    cancel = await gql.mutate(CANCEL, ref, token=resident.token)
    assert codes(cancel) == ["INVALID_TRANSITION"]
    history = await gql.query(APPOINTMENT, {"id": appointment["id"]}, token=resident.token)
    steps = [(h["fromStatus"], h["toStatus"]) for h in history["appointment"]["history"]]
    assert steps == [
        (None, "BOOKED"),
        ("BOOKED", "ARRIVED"),
        ("ARRIVED", "CHECKED_IN"),
        ("CHECKED_IN", "FULFILLED"),
    ]
    from linli.core.models import AuditEntry
    from linli.plugins.booking.models import Slot

    assert (
        await AuditEntry.filter(
            action="booking.appointment.fulfilled", actor_account_id=world.staff.id
        ).count()
        == 1
    )
    assert (await Slot.get(id=slot.pk)).booked == 0  # fulfilled is no longer active


async def test_B5_proxy_booking_for_verified_vs_unverified_parent(gql, world):
    child = await world.resident()
    mother = await make_person(world.community, birth_date=dt.date(1950, 1, 1))
    father = await make_person(world.community, birth_date=dt.date(1949, 1, 1))
    await make_proxy(child, mother, relation="parent")
    await make_proxy(child, father, relation="parent", status="pending")
    slot = await world.slot(TOMORROW_10, capacity=3)
    ok = await book(gql, child.token, slot, mother)
    assert ok["errors"] == [] and pk_of(ok["appointment"]["personId"]) == mother.pk
    assert codes(await book(gql, child.token, slot, father)) == ["PROXY_NOT_VERIFIED"]
    stranger = await world.resident()
    assert codes(await book(gql, stranger.token, slot, mother)) == ["FORBIDDEN"]
    from linli.core.models import AuditEntry

    entry = await AuditEntry.get(action="booking.book", actor_account_id=child.id)
    assert entry.on_behalf_of_person_id == mother.pk
    mine = await gql.query(
        "{ myAppointments { edges { node { id personId } } } }", token=child.token
    )
    assert [pk_of(e["node"]["personId"]) for e in mine["myAppointments"]["edges"]] == [mother.pk]


async def test_B5_staff_book_for_any_resident_of_their_community(gql, world):
    elder = await make_person(world.community, birth_date=dt.date(1940, 1, 1))
    slot = await world.slot(TOMORROW_10)
    done = await book(gql, world.staff.token, slot, elder)
    assert done["errors"] == []
    from linli.core.models import AuditEntry

    assert await AuditEntry.exists(action="booking.book", on_behalf_of_person_id=elder.pk)
    other = await make_account("staff")  # staff of another community
    slot2 = await world.slot(TOMORROW_10 + dt.timedelta(hours=1))
    assert codes(await book(gql, other.token, slot2, elder)) == ["FORBIDDEN"]


async def test_B6_one_per_person_per_service_per_local_day(gql, world):
    resident = await world.resident()
    # 07:00 and 10:00 on 4 March in Shanghai: different UTC days, one local day.
    early = await world.slot(sh(2026, 3, 4, 7), capacity=3)
    late = await world.slot(sh(2026, 3, 4, 10), capacity=3)
    assert early.start.date() != late.start.date()
    assert (await book(gql, resident.token, early))["errors"] == []
    assert codes(await book(gql, resident.token, late)) == ["ALREADY_BOOKED_TODAY"]
    other_service = await world.slot(sh(2026, 3, 4, 10), service=world.elderly_service)
    elder = await world.resident(dt.date(1950, 1, 1))
    assert (await book(gql, elder.token, early))["errors"] == []
    assert (await book(gql, elder.token, other_service))["errors"] == []


async def test_B6_booking_window_in_local_days(gql, world):
    resident = await world.resident()
    today = await world.slot(sh(2026, 3, 2, 15))
    day_14 = await world.slot(sh(2026, 3, 16, 23, 30))
    day_15 = await world.slot(sh(2026, 3, 17, 0, 30))
    assert codes(await book(gql, resident.token, today)) == ["OUTSIDE_BOOKING_WINDOW"]
    assert codes(await book(gql, resident.token, day_15)) == ["OUTSIDE_BOOKING_WINDOW"]
    assert (await book(gql, resident.token, day_14))["errors"] == []


async def test_B6_cancelled_appointment_frees_the_day(gql, world):
    resident = await world.resident()
    a = await world.slot(sh(2026, 3, 4, 9))
    b = await world.slot(sh(2026, 3, 4, 11))
    first = await book(gql, resident.token, a)
    await gql.mutate(CANCEL, {"appointmentId": first["appointment"]["id"]}, token=resident.token)
    assert (await book(gql, resident.token, b))["errors"] == []


async def test_B7_cancellation_at_1559_is_free_at_1601_is_late(gql, world, clock):
    resident = await world.resident()
    slot_a = await world.slot(sh(2026, 3, 5, 9), capacity=2)
    slot_b = await world.slot(sh(2026, 3, 6, 9), capacity=2)
    a = (await book(gql, resident.token, slot_a))["appointment"]
    b = (await book(gql, resident.token, slot_b))["appointment"]
    clock.set(sh(2026, 3, 4, 15, 59))
    free = await gql.mutate(CANCEL, {"appointmentId": a["id"]}, token=await token_now(resident))
    assert free["errors"] == [] and free["lateCancellation"] is False
    assert free["appointment"]["status"] == "CANCELLED"
    clock.set(sh(2026, 3, 5, 16, 1))
    late = await gql.mutate(
        CANCEL, {"appointmentId": b["id"]}, token=await token_now(resident), locale="en"
    )
    assert late["appointment"] == {"id": b["id"], "status": "CANCELLED", "lateCancellation": True}
    assert late["lateCancellation"] is True and codes(late) == ["LATE_CANCELLATION"]
    from linli.plugins.booking.models import Slot

    assert (await Slot.get(id=slot_b.pk)).booked == 0


FREE_UNTIL = """
query F($first: Int) { myAppointments(first: $first) { edges { node {
  id cancelFreeUntil slot { start } } } } }"""

CUTOFF_SETTINGS = """
mutation($input: UpdateBookingSettingsInput!) { updateBookingSettings(input: $input) {
  settings { cancelCutoffDaysBefore cancelCutoffMinute } errors { code } } }"""


async def test_B7_the_appointment_says_until_when_cancelling_is_free(gql, world, clock):
    """cancelFreeUntil is the community's cutoff for that visit, read by the app to warn
    before a late cancellation: the instant the mutation starts calling it late."""
    resident = await world.resident()
    visit = await world.slot(sh(2026, 3, 5, 9), capacity=2)
    other = await world.slot(sh(2026, 3, 6, 9), capacity=2)
    a = (await book(gql, resident.token, visit))["appointment"]
    b = (await book(gql, resident.token, other))["appointment"]

    async def free_until() -> dict[str, str]:
        page = await gql.query(FREE_UNTIL, {"first": 10}, token=await token_now(resident))
        return {
            e["node"]["id"]: e["node"]["cancelFreeUntil"] for e in page["myAppointments"]["edges"]
        }

    # DOMAIN.md's default: 16:00 Shanghai the day before (08:00 UTC).
    assert await free_until() == {
        a["id"]: "2026-03-04T08:00:00+00:00",
        b["id"]: "2026-03-05T08:00:00+00:00",
    }
    # The community's own cutoff: two days before at 10:00; and never after the visit's start.
    changed = await gql.mutate(
        CUTOFF_SETTINGS,
        {
            "communityId": gid("Community", world.community.pk),
            "cancelCutoffDaysBefore": 2,
            "cancelCutoffMinute": 600,
        },
        token=world.staff.token,
    )
    assert changed == {
        "settings": {"cancelCutoffDaysBefore": 2, "cancelCutoffMinute": 600},
        "errors": [],
    }
    assert (await free_until())[a["id"]] == "2026-03-03T02:00:00+00:00"
    await gql.mutate(
        CUTOFF_SETTINGS,
        {
            "communityId": gid("Community", world.community.pk),
            "cancelCutoffDaysBefore": 0,
            "cancelCutoffMinute": 1380,
        },
        token=world.staff.token,
    )
    assert (await free_until())[a["id"]] == "2026-03-05T01:00:00+00:00"  # the start itself
    # What the field says is what cancelling does: a minute before is free, at it late.
    await gql.mutate(
        CUTOFF_SETTINGS,
        {
            "communityId": gid("Community", world.community.pk),
            "cancelCutoffDaysBefore": 1,
            "cancelCutoffMinute": 960,
        },
        token=world.staff.token,
    )
    clock.set(sh(2026, 3, 4, 15, 59))
    free = await gql.mutate(CANCEL, {"appointmentId": a["id"]}, token=await token_now(resident))
    assert free["errors"] == [] and free["lateCancellation"] is False
    clock.set(sh(2026, 3, 5, 16, 0))
    late = await gql.mutate(CANCEL, {"appointmentId": b["id"]}, token=await token_now(resident))
    assert late["lateCancellation"] is True and codes(late) == ["LATE_CANCELLATION"]


async def test_B10_reserved_priority_seats(gql, world):
    slot = await world.slot(TOMORROW_10, capacity=2, reserved=1)
    a, b = await world.resident(), await world.resident()
    elder = await world.resident(dt.date(1950, 1, 1))
    assert (await book(gql, a.token, slot))["errors"] == []
    assert codes(await book(gql, b.token, slot)) == ["SLOT_FULL"]
    priority = await book(gql, elder.token, slot)
    assert priority["errors"] == [] and priority["appointment"]["priority"] is True


JOIN = """
mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
  appointment { id status } errors { code } } }"""


async def test_B10_freed_reserved_seat_is_offered_only_to_a_priority_waiter(gql, world):
    from linli.plugins.booking.models import Appointment, Slot

    async def status(appointment_id):
        return (await Appointment.get(id=pk_of(appointment_id))).status

    slot = await world.slot(TOMORROW_10, capacity=2, reserved=1)
    general, elder = await world.resident(), await world.resident(dt.date(1950, 1, 1))
    waiting_general = await world.resident()
    waiting_elder = await world.resident(dt.date(1955, 6, 1))
    assert (await book(gql, general.token, slot))["errors"] == []
    elder_seat = (await book(gql, elder.token, slot))["appointment"]
    ids = {}
    for who in (waiting_general, waiting_elder):  # the non-priority person waits first
        joined = await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=who.token)
        assert joined["errors"] == [], joined
        ids[who.id] = joined["appointment"]["id"]
    # The elder's seat frees: it is the reserved one (the other seat is taken by a non-priority
    # person), so it passes over the first waiter to the priority one.
    await gql.mutate(CANCEL, {"appointmentId": elder_seat["id"]}, token=elder.token)
    assert await status(ids[waiting_general.id]) == "waitlist"
    assert await status(ids[waiting_elder.id]) == "pending"
    row = await Slot.get(id=slot.pk)
    assert (row.booked, row.booked_priority) == (2, 1)
    # A non-reserved seat frees: the first waiter gets it after all.
    mine = await gql.query("{ myAppointments { edges { node { id } } } }", token=general.token)
    general_id = mine["myAppointments"]["edges"][0]["node"]["id"]
    await gql.mutate(CANCEL, {"appointmentId": general_id}, token=general.token)
    assert await status(ids[waiting_general.id]) == "pending"
    row = await Slot.get(id=slot.pk)
    assert (row.booked, row.booked_priority) == (2, 1)
    active = await Appointment.filter(slot_id=slot.pk, status__in=["pending", "booked"]).count()
    assert active == row.booked


async def test_B10_freed_reserved_seat_stays_free_for_priority_with_no_priority_waiter(gql, world):
    from linli.plugins.booking.models import Appointment, Slot

    slot = await world.slot(TOMORROW_10, capacity=2, reserved=1)
    general, waiting = await world.resident(), await world.resident()
    elder = await world.resident(dt.date(1950, 1, 1))
    assert (await book(gql, general.token, slot))["errors"] == []
    elder_seat = (await book(gql, elder.token, slot))["appointment"]
    joined = await gql.mutate(JOIN, {"slotId": gid("BookingSlot", slot.pk)}, token=waiting.token)
    await gql.mutate(CANCEL, {"appointmentId": elder_seat["id"]}, token=elder.token)
    assert (await Appointment.get(id=pk_of(joined["appointment"]["id"]))).status == "waitlist"
    assert (await Slot.get(id=slot.pk)).booked == 1
    walk_in = await world.resident()
    assert codes(await book(gql, walk_in.token, slot)) == ["SLOT_FULL"]
    other_elder = await world.resident(dt.date(1945, 1, 1))
    assert (await book(gql, other_elder.token, slot))["errors"] == []


UPDATE_SETTINGS = """
mutation($input: UpdateBookingSettingsInput!) { updateBookingSettings(input: $input) {
  settings { minDaysAhead staffBypassWindow } errors { code } } }"""


async def test_B6_staff_booking_for_a_resident_may_skip_the_minimum_lead(gql, world, clock):
    resident = await world.resident()
    today = await world.slot(sh(2026, 3, 2, 15), capacity=3)  # later today (09:00 now)
    passed = await world.slot(sh(2026, 3, 2, 8), capacity=3)  # earlier today: over
    day_15 = await world.slot(sh(2026, 3, 17, 9), capacity=3)
    assert codes(await book(gql, resident.token, today)) == ["OUTSIDE_BOOKING_WINDOW"]
    # the proxy service: staff book the same day for a resident (setting on by default)
    done = await book(gql, world.staff.token, today, resident.person)
    assert done["errors"] == [] and done["appointment"]["localDate"] == "2026-03-02"
    other = await world.resident()
    assert codes(await book(gql, world.staff.token, passed, other.person)) == [
        "OUTSIDE_BOOKING_WINDOW"
    ]
    assert codes(await book(gql, world.staff.token, day_15, other.person)) == [
        "OUTSIDE_BOOKING_WINDOW"
    ]
    # a proxy (not staff) keeps the resident's window
    child = await world.resident()
    await make_proxy(child, other.person, relation="parent")
    assert codes(await book(gql, child.token, today, other.person)) == ["OUTSIDE_BOOKING_WINDOW"]
    # the community turns it off: staff keep the resident's window too
    changed = await gql.mutate(
        UPDATE_SETTINGS,
        {"communityId": gid("Community", world.community.pk), "staffBypassWindow": False},
        token=world.staff.token,
    )
    assert changed == {"settings": {"minDaysAhead": 1, "staffBypassWindow": False}, "errors": []}
    assert codes(await book(gql, world.staff.token, today, other.person)) == [
        "OUTSIDE_BOOKING_WINDOW"
    ]
