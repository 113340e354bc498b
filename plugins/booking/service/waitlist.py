"""The waitlist (B8): joining a full slot, accepting or declining the seat held for you,
leaving, and the holds that lapse and pass to the next person (offers.py holds the seats).

An offer is a hold (B4): the waiting appointment becomes ``pending`` with ``hold_expires_at``
(the offer deadline) and takes the freed seat, counted in ``slot.booked`` like any active
appointment, so no direct booking can take it. Accepting turns it ``booked``; declining and
lapsing are the one transition pending → cancelled (``offers.end_hold``). Every step is the
kit's guarded transition, so two instances running the tick never act twice.
"""

from __future__ import annotations

from tortoise.expressions import F

from linli.core import db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules
from ..models import Appointment
from ..rules import waitlist as waitlist_rules
from . import common
from .checks import prepare
from .common import MACHINE, Status
from .offers import end_hold, seats_for


def waitlist_key(slot_id: int, person_id: int) -> str:
    return f"{slot_id}:{person_id}"


async def join(actor: Actor, slot_id: int, person_id: int | None = None) -> Appointment:
    """new → waitlist, for a slot with no seat left for this person (same checks as booking)."""
    check = await prepare(actor, slot_id, person_id)
    slot, person = check.slot, check.who.person
    await slot.refresh_from_db()
    if seats_for(slot, check.priority) > 0:
        raise Refused("CONFLICT", field="slotId")  # book it instead
    key = check.daily_key()
    if key is not None and await Appointment.exists(daily_key=key):
        raise Refused("ALREADY_BOOKED_TODAY", field="slotId")
    at = kit.now()
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
        await MACHINE.created(
            appointment,
            by=check.who,
            audit="booking.waitlist.join",
            events=common.changed(appointment),
        )
    return appointment


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
    rules.transition_error(
        Status.PENDING, Status.BOOKED, by_staff=who.how == "staff", field="appointmentId"
    )
    at = kit.now()
    try:
        waitlist_rules.offer_error(appointment.hold_expires_at, at, field="appointmentId")
    except Refused:
        await expire_hold(appointment.pk)  # lapsed: it passes on now, not at the next tick
        raise
    await MACHINE.move(
        appointment,
        Status.BOOKED,
        by=who,
        note="offer",
        guard={"hold_expires_at__gt": at},
        lost=Refused("OFFER_EXPIRED", field="appointmentId"),
        changes={"hold_expires_at": None, "updated_at": at, "sequence": F("sequence") + 1},
        audit="booking.waitlist.accept",
        events=common.changed(appointment),
    )
    await appointment.refresh_from_db()
    return appointment


async def decline(actor: Actor, appointment_id: int) -> Appointment:
    """pending → cancelled by the person (or for them): the seat passes to the next."""
    appointment, who = await _pending(actor, appointment_id)
    rules.transition_error(
        Status.PENDING, Status.CANCELLED, by_staff=who.how == "staff", field="appointmentId"
    )
    if not await end_hold(appointment, who, "declined"):
        raise Refused("INVALID_TRANSITION", field="appointmentId")
    return appointment


async def leave(actor: Actor, appointment: Appointment, who: access.ActingFor) -> Appointment:
    """waitlist → cancelled: no seat is involved (a held seat is ``pending``, see decline)."""
    at = kit.now()
    await MACHINE.move(
        appointment,
        Status.CANCELLED,
        expect=Status.WAITLIST,
        by=who,
        note="left",
        changes={
            "waitlist_key": None,
            "cancelled_at": at,
            "updated_at": at,
            "sequence": F("sequence") + 1,
        },
        audit="booking.waitlist.leave",
        events=common.changed(appointment),
    )
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
        await Appointment.filter(status=Status.PENDING, hold_expires_at__lte=kit.now())
        .order_by("hold_expires_at", "id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    return sum([await expire_hold(pk) for pk in due])
