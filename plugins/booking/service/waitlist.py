"""The waitlist (B8): joining a full slot, holding a freed seat for the next person waiting,
accepting, declining, and holds that lapse and pass to the next person.

An offer is a hold (B4): the waiting appointment becomes ``pending`` with ``hold_expires_at``
(the offer deadline) and takes the freed seat, counted in ``slot.booked`` like any active
appointment, so no direct booking can take it. Accepting turns it ``booked``; declining and
lapsing are the one transition pending → cancelled (``end_hold``), which frees the seat and
offers it to the next person in the same transaction. Every step is a conditional UPDATE
guarded by the appointment's status, so two instances running the tick never act twice.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from linli.core import db
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules, waitlist_rules
from ..models import Appointment, PersonStanding, Slot
from . import common
from .appointments import ACTIVE, prepare
from .common import Status, refuse


def waitlist_key(slot_id: int, person_id: int) -> str:
    return f"{slot_id}:{person_id}"


def _seats(slot: Slot, priority: bool) -> int:
    return rules.seats_available_to(
        priority, slot.capacity, slot.booked, slot.reserved, booked_priority=slot.booked_priority
    )


async def join(actor: Actor, slot_id: int, person_id: int | None = None) -> Appointment:
    """new → waitlist, for a slot with no seat left for this person (same checks as booking)."""
    check = await prepare(actor, slot_id, person_id)
    slot, person = check.slot, check.who.person
    await slot.refresh_from_db()
    if _seats(slot, check.priority) > 0:
        raise Refused("CONFLICT", field="slotId")  # book it instead
    key = check.daily_key()
    if key is not None and await Appointment.exists(daily_key=key):
        raise Refused("ALREADY_BOOKED_TODAY", field="slotId")
    at = common.now()
    async with db.atomic():
        appointment = await common.create_appointment(
            actor,
            slot,
            person,
            Status.WAITLIST,
            priority=check.priority,
            at=at,
            taken="CONFLICT",  # already waiting here
            waitlist_key=waitlist_key(slot.pk, person.pk),
            joined_waitlist_at=at,
        )
        await common.record_change(appointment.pk, None, Status.WAITLIST, check.who)
        await check.who.record("booking.waitlist.join", obj=appointment)
        await common.announce(appointment)
    return appointment


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


async def offer_freed_seat(conn: BaseDBAsyncClient, slot: Slot) -> Appointment | None:
    """Called in the transaction that freed a seat of ``slot`` (its UPDATE holds the slot's
    row): hold a seat for the first eligible person waiting (waitlist_rules.next_offer), waitlist →
    pending until the offer deadline. A seat reserved for priority people goes only to a
    priority person (B10). None: nobody may have it, the seat stays free."""
    s = await common.settings_for(slot.community_id)
    at = common.now()
    deadline = waitlist_rules.offer_deadline(at, slot.start, s.offer_hold)
    if deadline is None:
        return None  # the slot has started: nothing left to offer
    common.refuse(
        rules.transition_error(Status.WAITLIST, Status.PENDING, by_staff=False, by_system=True)
    )
    today = common.local_today(s)
    tried: set[object] = set()
    while True:
        fresh = await Slot.get(id=slot.pk)
        if _seats(fresh, True) == 0:
            return None
        entries = [e for e in await _candidates(fresh) if e.person_id not in tried]
        entry = waitlist_rules.next_offer(entries, today, general_seat=_seats(fresh, False) > 0)
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
            async with db.atomic():
                changed = await Appointment.filter(id=offered.pk, status=Status.WAITLIST).update(
                    status=Status.PENDING,
                    hold_expires_at=deadline,
                    daily_key=key,
                    waitlist_key=None,
                    updated_at=at,
                    sequence=F("sequence") + 1,
                )
        except IntegrityError:
            changed = 0  # booked elsewhere that day in the meantime
        if changed != 1:
            await common.release_seat(slot.pk, entry.priority)
            continue
        await common.record_change(offered.pk, Status.WAITLIST, Status.PENDING, None, "offer")
        await common.announce(offered)
        return offered


async def _pending(actor: Actor, appointment_id: int) -> tuple[Appointment, access.ActingFor]:
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None:
        raise Refused("NOT_FOUND", field="appointmentId")
    who = await access.acting_for(actor, appointment.person_id)
    if appointment.status == Status.CANCELLED and appointment.offer_expired:
        raise Refused("OFFER_EXPIRED", field="appointmentId")
    if appointment.status != Status.PENDING:
        raise Refused("INVALID_TRANSITION", field="appointmentId")  # no offer (yet)
    return appointment, who


async def accept(actor: Actor, appointment_id: int) -> Appointment:
    """pending → booked before the deadline: the held seat is already theirs (B8)."""
    appointment, who = await _pending(actor, appointment_id)
    refuse(
        rules.transition_error(Status.PENDING, Status.BOOKED, by_staff=who.how == "staff"),
        "appointmentId",
    )
    at = common.now()
    if waitlist_rules.offer_error(appointment.hold_expires_at, at):
        await expire_hold(appointment.pk)
        raise Refused("OFFER_EXPIRED", field="appointmentId")
    async with db.atomic():
        changed = await Appointment.filter(
            id=appointment.pk, status=Status.PENDING, hold_expires_at__gt=at
        ).update(
            status=Status.BOOKED,
            hold_expires_at=None,
            updated_at=at,
            sequence=F("sequence") + 1,
        )
        if changed != 1:
            raise Refused("OFFER_EXPIRED", field="appointmentId")
        await common.record_change(appointment.pk, Status.PENDING, Status.BOOKED, who, "offer")
        await who.record("booking.waitlist.accept", obj=appointment)
        await common.announce(appointment)
    await appointment.refresh_from_db()
    return appointment


async def end_hold(
    appointment: Appointment, who: access.ActingFor | None, note: str, *, expired: bool = False
) -> bool:
    """pending → cancelled, the one path for a declined offer and a lapsed one (who None:
    the tick, recorded as the system): the seat is freed and offered to the next person
    waiting in the same transaction. False when it was not (or no longer) pending or due."""
    at = common.now()
    guard: dict = {"id": appointment.pk, "status": Status.PENDING}
    if expired:
        guard["hold_expires_at__lte"] = at
    slot = await Slot.get(id=appointment.slot_id)
    async with db.atomic() as conn:
        changed = await Appointment.filter(**guard).update(
            status=Status.CANCELLED,
            daily_key=None,
            hold_expires_at=None,
            offer_expired=expired,
            cancelled_at=at,
            updated_at=at,
            sequence=F("sequence") + 1,
        )
        if changed != 1:
            return False
        await common.release_seat(slot.pk, appointment.priority)
        await common.record_change(appointment.pk, Status.PENDING, Status.CANCELLED, who, note)
        if who is not None:
            await who.record("booking.waitlist.decline", obj=appointment)
        await offer_freed_seat(conn, slot)
        await common.announce(appointment, slot)
    await appointment.refresh_from_db()
    return True


async def decline(actor: Actor, appointment_id: int) -> Appointment:
    """pending → cancelled by the person (or for them): the seat passes to the next."""
    appointment, who = await _pending(actor, appointment_id)
    refuse(
        rules.transition_error(Status.PENDING, Status.CANCELLED, by_staff=who.how == "staff"),
        "appointmentId",
    )
    if not await end_hold(appointment, who, "declined"):
        raise Refused("INVALID_TRANSITION", field="appointmentId")
    return appointment


async def leave(actor: Actor, appointment: Appointment, who: access.ActingFor) -> Appointment:
    """waitlist → cancelled: no seat is involved (a held seat is ``pending``, see decline)."""
    at = common.now()
    async with db.atomic():
        changed = await Appointment.filter(id=appointment.pk, status=Status.WAITLIST).update(
            status=Status.CANCELLED,
            waitlist_key=None,
            cancelled_at=at,
            updated_at=at,
            sequence=F("sequence") + 1,
        )
        if changed != 1:
            raise Refused("INVALID_TRANSITION", field="appointmentId")
        await common.record_change(appointment.pk, Status.WAITLIST, Status.CANCELLED, who, "left")
        await who.record("booking.waitlist.leave", obj=appointment)
        await common.announce(appointment)
    await appointment.refresh_from_db()
    return appointment


async def expire_hold(appointment_id: int) -> bool:
    """A lapsed offer, by the system: pending → cancelled through end_hold. False when it
    was not (or no longer) due, e.g. another instance's tick got there first."""
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None:
        return False
    return await end_hold(appointment, None, "offer expired", expired=True)


async def expire_due_offers(limit: int = 500) -> int:
    due = (
        await Appointment.filter(status=Status.PENDING, hold_expires_at__lte=common.now())
        .order_by("hold_expires_at", "id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    return sum([await expire_hold(pk) for pk in due])
