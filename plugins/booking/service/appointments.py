"""Booking, cancelling and the staff's status changes (B3–B7, B9 marking, B10).

Each use case is one transaction: checks (checks.py, rules.py) first, then the seat (the
kit's capacity counter, so a full slot is refused before anything is written), the row (a
unique key holds the one-per-person rules), and the kit's status machine for the history,
the audit line and the events. Every transaction that touches both takes the slot's row
before the appointment's, so two never wait on each other crosswise (PostgreSQL deadlocks).
"""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import F

from linli.core import db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules
from ..models import Appointment, Slot
from . import common, waitlist
from .checks import prepare
from .common import MACHINE, Status
from .offers import offer_freed_seat


async def book(actor: Actor, slot_id: int, person_id: int | None = None) -> Appointment:
    """B3/B5/B6/B10: a booked appointment, or Refused with the first rule it breaks."""
    check = await prepare(actor, slot_id, person_id)
    slot, person, key = check.slot, check.who.person, check.daily_key()
    if key is not None and await Appointment.exists(daily_key=key):
        raise Refused("ALREADY_BOOKED_TODAY", field="slotId")
    at = kit.now()
    async with db.atomic():
        # The seat first: a full slot is refused before anything is written (the rush's
        # common answer costs one UPDATE that matched nothing).
        if not await common.take_seat(slot.pk, check.priority):
            raise Refused("SLOT_FULL", field="slotId")
        appointment = await common.create_appointment(
            actor,
            slot,
            person,
            Status.BOOKED,
            priority=check.priority,
            at=at,
            taken="ALREADY_BOOKED_TODAY",
            daily_key=key,
        )
        await MACHINE.created(
            appointment,
            by=check.who,
            audit="booking.book",
            events=common.changed(appointment, slot),
        )
    return appointment


async def visible_appointment(actor: Actor, appointment_id: int) -> Appointment:
    """The appointment, if ``actor`` is its person, their verified proxy or their staff."""
    appointment = await Appointment.get_or_none(id=appointment_id).prefetch_related("person")
    if appointment is None or not await may_see(actor, appointment):
        raise Refused("NOT_FOUND", field="appointmentId")
    return appointment


async def may_see(actor: Actor, appointment: Appointment) -> bool:
    if access.can(actor, "booking.attend", appointment.community_id):
        return True
    try:
        await access.acting_for(actor, appointment.person_id)
    except Refused:
        return False
    return True


async def cancel(actor: Actor, appointment_id: int) -> tuple[Appointment, bool]:
    """B7: cancelled, and whether it was late (recorded, the cancellation still succeeds).
    Staff cancelling (the centre cancels) is never a late cancellation."""
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None:
        raise Refused("NOT_FOUND", field="appointmentId")
    who = await access.acting_for(actor, appointment.person_id)
    if appointment.status == Status.PENDING:  # a held seat: declining the offer
        return await waitlist.decline(actor, appointment.pk), False
    if appointment.status == Status.WAITLIST:
        return await waitlist.leave(actor, appointment, who), False
    rules.transition_error(
        appointment.status, Status.CANCELLED, by_staff=who.how == "staff", field="appointmentId"
    )
    slot = await Slot.get(id=appointment.slot_id)
    s = await common.settings_for(appointment.community_id)
    at = kit.now()
    late = who.how != "staff" and rules.is_late_cancellation(slot.start, at, s.tz, s.cancel_cutoff)
    async with db.atomic():
        await common.release_seat(slot.pk, appointment.priority)  # the slot's row first
        await MACHINE.move(
            appointment,
            Status.CANCELLED,
            by=who,
            note="late" if late else "",
            changes={
                "daily_key": None,
                "cancelled_at": at,
                "updated_at": at,
                "late_cancellation": late,
                "sequence": F("sequence") + 1,
            },
            audit="booking.cancel",
            audit_detail={"late": late},
        )
        await offer_freed_seat(slot)
        await common.announce(appointment, slot)
    await appointment.refresh_from_db()
    return appointment, late


# ---------------------------------------------------------------- staff (B4, B9)


async def attended(actor: Actor, appointment_id: int) -> Appointment:
    """The appointment, for staff of its community (``booking.attend``). Anyone else gets
    FORBIDDEN whether or not it exists: permission is decided before any state is shown."""
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None or not access.can(actor, "booking.attend", appointment.community_id):
        raise Refused("FORBIDDEN", field="appointmentId")
    return appointment


async def staff_transition(
    actor: Actor, appointment_id: int, target: Status, note: str = ""
) -> Appointment:
    """A status change only staff of the appointment's community make (B4), with the seat
    counter and the person's ban (B9) kept in step."""
    return await apply_transition(await attended(actor, appointment_id), target, actor, note)


async def apply_transition(
    appointment: Appointment, target: Status, actor: Actor | None, note: str = ""
) -> Appointment:
    """Shared by staff and the no-show job (actor None): guarded by the current status."""
    before = Status(appointment.status)
    s = await common.settings_for(appointment.community_id)
    at = kit.now()
    slot = await Slot.get(id=appointment.slot_id)
    rules.transition_error(
        before,
        target,
        by_staff=True,
        now=at,
        noshow_marked_at=appointment.noshow_marked_at,
        grace=s.noshow_grace,
        field="appointmentId",
    )
    if target is Status.NOSHOW and at < slot.start:
        raise Refused("INVALID_TRANSITION", field="appointmentId")
    was_active, now_active = before in rules.ACTIVE_STATUSES, target in rules.ACTIVE_STATUSES
    changes: dict = {"updated_at": at, "sequence": F("sequence") + 1}
    if not now_active:
        changes.update(daily_key=None, waitlist_key=None, hold_expires_at=None)
    elif not was_active:
        changes["daily_key"] = rules.daily_limit_key(
            appointment.person_id,
            appointment.service_type_id,
            appointment.local_date,
            target,
            enabled=s.one_per_day,
        )
    if target is Status.NOSHOW:
        changes["noshow_marked_at"] = at
    async with db.atomic():
        # The slot's row first (see the module's docstring).
        if was_active and not now_active:
            await common.release_seat(slot.pk, appointment.priority)
        elif now_active and not was_active and before is not Status.WAITLIST:
            await common.restore_seat(slot.pk, appointment.priority)
        await MACHINE.move(
            appointment,
            target,
            by=actor,
            note=note,
            changes=changes,
            taken=Refused("ALREADY_BOOKED_TODAY", field="appointmentId"),
            audit=f"booking.appointment.{target}" if actor is not None else None,
            audit_detail={
                "community_id": appointment.community_id,
                "on_behalf_of_person_id": appointment.person_id,
                "from_status": str(before),
            },
        )
        if was_active and not now_active:
            await offer_freed_seat(slot)  # nothing once the slot has started
        if Status.NOSHOW in (before, target):
            await common.recompute_ban(appointment.person_id, s)
        await common.announce(appointment, slot if was_active != now_active else None)
    await appointment.refresh_from_db()
    return appointment


async def void_noshow(actor: Actor, appointment_id: int, arrived: bool) -> Appointment:
    """B9: a no-show that was wrong: the person came (noshow → arrived, within the grace
    window) or it was entered in error; either way the ban is recomputed. Permission first:
    an outsider learns nothing of whether the appointment exists or is a no-show."""
    appointment = await attended(actor, appointment_id)
    if appointment.status != Status.NOSHOW:
        raise Refused("INVALID_TRANSITION", field="appointmentId")
    target = Status.ARRIVED if arrived else Status.ENTERED_IN_ERROR
    return await apply_transition(appointment, target, actor, "void noshow")


async def mark_due_noshows(limit: int = 500) -> int:
    """The job's half of B9: booked appointments whose slot has ended become no-shows.
    Guarded by status, so two instances running it mark each appointment once."""
    due = await Appointment.filter(status=Status.BOOKED, slot__end__lte=kit.now()).limit(limit)
    marked = 0
    for appointment in due:
        try:
            await apply_transition(appointment, Status.NOSHOW, None, "job")
            marked += 1
        except Refused:
            continue  # someone else moved it first
    return marked


def late_cutoff(slot: Slot, s: rules.BookingSettings) -> dt.datetime:
    return rules.cancellation_cutoff(slot.start, s.tz, s.cancel_cutoff)
