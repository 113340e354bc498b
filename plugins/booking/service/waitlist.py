"""The waitlist (B8): joining a full slot, offering a freed seat, accepting, declining,
and offers that lapse and pass to the next person.

A freed seat becomes a *held* seat (slot.held) while it is offered: direct bookings cannot
take it (the take-seat UPDATE counts held seats). Every step is a conditional UPDATE guarded
by the appointment's status and offer, so two instances running the job never offer twice.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from linli.core import db
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules
from ..models import Appointment, PersonStanding, Slot
from . import common
from .appointments import ACTIVE, prepare
from .common import Status


def waitlist_key(slot_id: int, person_id: int) -> str:
    return f"{slot_id}:{person_id}"


async def join(actor: Actor, slot_id: int, person_id: int | None = None) -> Appointment:
    """new → waitlist, for a slot with no seat left for this person (same checks as booking)."""
    check = await prepare(actor, slot_id, person_id)
    slot, person = check.slot, check.who.person
    await slot.refresh_from_db()
    free = rules.seats_available_to(
        check.priority,
        slot.capacity,
        slot.booked,
        slot.reserved,
        booked_priority=slot.booked_priority,
        held=slot.held,
    )
    if free > 0:
        raise Refused("CONFLICT", field="slotId")  # book it instead
    key = check.daily_key()
    if key is not None and await Appointment.exists(daily_key=key):
        raise Refused("ALREADY_BOOKED_TODAY", field="slotId")
    at = common.now()
    async with db.atomic():
        try:
            async with db.atomic():
                appointment = await Appointment.create(
                    slot_id=slot.pk,
                    service_type_id=slot.service_type_id,
                    community_id=slot.community_id,
                    local_date=slot.local_date,
                    person_id=person.pk,
                    booked_by_account_id=actor.account_id,
                    status=Status.WAITLIST,
                    priority=check.priority,
                    waitlist_key=waitlist_key(slot.pk, person.pk),
                    joined_waitlist_at=at,
                    created_at=at,
                    updated_at=at,
                )
        except IntegrityError as exc:
            raise Refused("CONFLICT", field="slotId") from exc  # already waiting here
        await common.record_change(appointment.pk, None, Status.WAITLIST, actor)
        await check.who.record("booking.waitlist.join", obj=appointment)
        await common.announce(appointment)
    return appointment


async def _candidates(slot: Slot) -> list[rules.WaitlistEntry]:
    waiting = await Appointment.filter(
        slot_id=slot.pk, status=Status.WAITLIST, offer_expires_at=None, offer_expired=False
    ).order_by("joined_waitlist_at", "id")
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
        rules.WaitlistEntry(
            person_id=a.pk,  # the entry names the appointment: one per person and slot
            joined_at=a.joined_waitlist_at,
            banned_until=bans.get(a.person_id),
            booked_that_day=a.person_id in booked,
        )
        for a in waiting
    ]


async def _offer_held_seat(slot: Slot) -> Appointment | None:
    """Give the slot's held seat to the first eligible person waiting (rules.next_offer)."""
    s = await common.settings_for(slot.community_id)
    at = common.now()
    deadline = rules.offer_deadline(at, slot.start, s.offer_hold)
    if deadline is None:
        return None
    today = common.local_today(s)
    tried: set[object] = set()
    while True:
        entries = [e for e in await _candidates(slot) if e.person_id not in tried]
        entry = rules.next_offer(entries, today)
        if entry is None:
            return None
        tried.add(entry.person_id)
        changed = await Appointment.filter(
            id=entry.person_id, status=Status.WAITLIST, offer_expires_at=None, offer_expired=False
        ).update(offer_expires_at=deadline, updated_at=at)
        if changed == 1:
            offered = await Appointment.get(id=entry.person_id)
            await common.record_change(offered.pk, Status.WAITLIST, Status.WAITLIST, None, "offer")
            await common.announce(offered)
            return offered


async def offer_freed_seat(conn: BaseDBAsyncClient, slot: Slot) -> None:
    """Called in the transaction that freed a seat: hold it for the next person waiting."""
    if not await Appointment.exists(
        slot_id=slot.pk, status=Status.WAITLIST, offer_expires_at=None, offer_expired=False
    ):
        return
    if not await common.seat_to_hold(conn, slot.pk):
        return
    if await _offer_held_seat(slot) is None:
        await common.drop_hold(conn, slot.pk)


async def pass_held_seat(conn: BaseDBAsyncClient, slot: Slot) -> None:
    """An offer ended unused: the next person waiting gets it, or the seat returns."""
    if await _offer_held_seat(slot) is None:
        await common.drop_hold(conn, slot.pk)


async def accept(actor: Actor, appointment_id: int) -> Appointment:
    """waitlist → booked on a live offer: the held seat becomes theirs (B8)."""
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None:
        raise Refused("NOT_FOUND", field="appointmentId")
    who = await access.acting_for(actor, appointment.person_id)
    if appointment.status != Status.WAITLIST or appointment.offer_expired:
        code = "OFFER_EXPIRED" if appointment.offer_expired else "INVALID_TRANSITION"
        raise Refused(code, field="appointmentId")
    if appointment.offer_expires_at is None:
        raise Refused("INVALID_TRANSITION", field="appointmentId")  # no offer yet
    at = common.now()
    if rules.offer_error(appointment.offer_expires_at, at):
        await expire_offer(appointment.pk)
        raise Refused("OFFER_EXPIRED", field="appointmentId")
    s = await common.settings_for(appointment.community_id)
    key = rules.daily_limit_key(
        appointment.person_id,
        appointment.service_type_id,
        appointment.local_date,
        Status.BOOKED,
        enabled=s.one_per_day,
    )
    slot = await Slot.get(id=appointment.slot_id)
    async with db.atomic() as conn:
        try:
            async with db.atomic():
                changed = await Appointment.filter(
                    id=appointment.pk, status=Status.WAITLIST, offer_expires_at__gt=at
                ).update(
                    status=Status.BOOKED,
                    daily_key=key,
                    waitlist_key=None,
                    offer_expires_at=None,
                    updated_at=at,
                    sequence=appointment.sequence + 1,
                )
        except IntegrityError as exc:
            raise Refused("ALREADY_BOOKED_TODAY", field="appointmentId") from exc
        if changed != 1 or not await common.hold_to_seat(conn, slot.pk, appointment.priority):
            raise Refused("OFFER_EXPIRED", field="appointmentId")
        await common.record_change(appointment.pk, Status.WAITLIST, Status.BOOKED, actor, "offer")
        await who.record("booking.waitlist.accept", obj=appointment)
        await common.announce(appointment, slot)
    await appointment.refresh_from_db()
    return appointment


async def leave(actor: Actor, appointment: Appointment, who: access.ActingFor) -> Appointment:
    """waitlist → cancelled (leaving, or declining an offer, which passes it on)."""
    at = common.now()
    slot = await Slot.get(id=appointment.slot_id)
    async with db.atomic() as conn:
        had_offer = await Appointment.filter(
            id=appointment.pk, status=Status.WAITLIST, offer_expires_at__not_isnull=True
        ).exists()
        changed = await Appointment.filter(id=appointment.pk, status=Status.WAITLIST).update(
            status=Status.CANCELLED,
            waitlist_key=None,
            offer_expires_at=None,
            cancelled_at=at,
            updated_at=at,
            sequence=appointment.sequence + 1,
        )
        if changed != 1:
            raise Refused("INVALID_TRANSITION", field="appointmentId")
        await common.record_change(
            appointment.pk,
            Status.WAITLIST,
            Status.CANCELLED,
            actor,
            "declined" if had_offer else "left",
        )
        await who.record("booking.waitlist.leave", obj=appointment, declined=had_offer)
        if had_offer:
            await pass_held_seat(conn, slot)
            await common.announce_slot(slot)
        await common.announce(appointment)
    await appointment.refresh_from_db()
    return appointment


async def decline(actor: Actor, appointment_id: int) -> Appointment:
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None:
        raise Refused("NOT_FOUND", field="appointmentId")
    who = await access.acting_for(actor, appointment.person_id)
    if appointment.status != Status.WAITLIST or appointment.offer_expires_at is None:
        raise Refused("INVALID_TRANSITION", field="appointmentId")
    return await leave(actor, appointment, who)


async def expire_offer(appointment_id: int) -> bool:
    """A lapsed offer: waitlist → cancelled (the hold expiring through the cancel path), and
    the seat passes to the next person waiting. False when it was not (or no longer) due."""
    at = common.now()
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None:
        return False
    slot = await Slot.get(id=appointment.slot_id)
    async with db.atomic() as conn:
        changed = await Appointment.filter(
            id=appointment_id, status=Status.WAITLIST, offer_expires_at__lte=at
        ).update(
            status=Status.CANCELLED,
            offer_expired=True,
            waitlist_key=None,
            offer_expires_at=None,
            cancelled_at=at,
            updated_at=at,
            sequence=appointment.sequence + 1,
        )
        if changed != 1:
            return False
        await common.record_change(
            appointment_id, Status.WAITLIST, Status.CANCELLED, None, "offer expired"
        )
        await pass_held_seat(conn, slot)
        await common.announce(appointment, slot)
    return True


async def expire_due_offers(limit: int = 500) -> int:
    due = (
        await Appointment.filter(status=Status.WAITLIST, offer_expires_at__lte=common.now())
        .limit(limit)
        .values_list("id", flat=True)
    )
    return sum([await expire_offer(pk) for pk in due])
