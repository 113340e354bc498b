"""A freed seat and the waitlist (B8): holding it for the next person waiting, and ending a
hold (declined or lapsed), which frees the seat for the next again.

Cancelling, a staff transition and the waitlist all free seats, so this sits below them:
appointments.py and waitlist.py import it, it imports neither.
"""

from __future__ import annotations

from tortoise.expressions import F

from linli.core import db, kit
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules
from ..models import Appointment, PersonStanding, Slot
from ..rules import waitlist as waitlist_rules
from . import common
from .common import ACTIVE, MACHINE, Status


def seats_for(slot: Slot, priority: bool) -> int:
    return rules.seats_available_to(
        priority, slot.capacity, slot.booked, slot.reserved, booked_priority=slot.booked_priority
    )


async def _candidates(slot: Slot) -> list[waitlist_rules.WaitlistEntry]:
    waiting = await Appointment.filter(slot_id=slot.pk, status=Status.WAITLIST).order_by(
        "joined_waitlist_at", "id"
    )
    if not waiting:
        return []
    people = [a.person_id for a in waiting]
    bans = dict(
        await PersonStanding.filter(person_id__in=people).values_list("person_id", "banned_until")
    )
    booked = set(
        await Appointment.filter(
            person_id__in=people,
            service_type_id=slot.service_type_id,
            local_date=slot.local_date,
            status__in=ACTIVE,
        ).values_list("person_id", flat=True)
    )
    return [
        waitlist_rules.WaitlistEntry(
            person_id=a.pk,  # the entry names the appointment: one per person and slot
            joined_at=a.joined_waitlist_at,
            banned_until=bans.get(a.person_id),
            booked_that_day=a.person_id in booked,
            priority=a.priority,
        )
        for a in waiting
    ]


async def offer_freed_seat(slot: Slot) -> Appointment | None:
    """Called in the transaction that freed a seat of ``slot`` (its UPDATE holds the slot's
    row): hold a seat for the first eligible person waiting (waitlist_rules.next_offer),
    waitlist → pending until the offer deadline. A seat reserved for priority people goes only
    to a priority person (B10). None: nobody may have it, the seat stays free."""
    s = await common.settings_for(slot.community_id)
    at = kit.now()
    deadline = waitlist_rules.offer_deadline(at, slot.start, s.offer_hold)
    if deadline is None:
        return None  # the slot has started: nothing left to offer
    rules.transition_error(Status.WAITLIST, Status.PENDING, by_staff=False, by_system=True)
    today = kit.today(s.tz)
    tried: set[object] = set()
    while True:
        fresh = await Slot.get(id=slot.pk)
        if seats_for(fresh, True) == 0:
            return None
        entries = [e for e in await _candidates(fresh) if e.person_id not in tried]
        entry = waitlist_rules.next_offer(entries, today, general_seat=seats_for(fresh, False) > 0)
        if entry is None:
            return None
        tried.add(entry.person_id)
        offered = await Appointment.get(id=entry.person_id)
        if not await common.take_seat(slot.pk, entry.priority):
            continue
        key = rules.daily_limit_key(
            offered.person_id,
            offered.service_type_id,
            offered.local_date,
            Status.PENDING,
            enabled=s.one_per_day,
        )
        try:
            await MACHINE.move(
                offered,
                Status.PENDING,
                note="offer",
                changes={
                    "hold_expires_at": deadline,
                    "daily_key": key,
                    "waitlist_key": None,
                    "updated_at": at,
                    "sequence": F("sequence") + 1,
                },
                taken=Refused("ALREADY_BOOKED_TODAY"),  # booked elsewhere that day meanwhile
                events=common.changed(offered),
            )
        except Refused:
            await common.release_seat(slot.pk, entry.priority)
            continue
        return offered


async def end_hold(
    appointment: Appointment, who: access.ActingFor | None, note: str, *, expired: bool = False
) -> bool:
    """pending → cancelled, the one path for a declined offer and a lapsed one (who None:
    the tick, recorded as the system): the seat is freed and offered to the next person
    waiting in the same transaction. False when it was not (or no longer) pending or due."""
    at = kit.now()
    guard = {"hold_expires_at__lte": at} if expired else {}
    slot = await Slot.get(id=appointment.slot_id)
    try:
        async with db.atomic():
            # The slot's row first, as booking takes it: no crosswise waits (deadlocks).
            await common.release_seat(slot.pk, appointment.priority)
            await MACHINE.move(
                appointment,
                Status.CANCELLED,
                expect=Status.PENDING,  # only a hold ends this way, whatever was read before
                by=who,
                note=note,
                guard=guard,
                changes={
                    "daily_key": None,
                    "hold_expires_at": None,
                    "offer_expired": expired,
                    "cancelled_at": at,
                    "updated_at": at,
                    "sequence": F("sequence") + 1,
                },
                audit="booking.waitlist.decline" if who is not None else None,
            )
            await offer_freed_seat(slot)
            await common.announce(appointment, slot)
    except Refused:
        return False
    await appointment.refresh_from_db()
    return True
