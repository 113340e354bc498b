"""Booking, cancelling and the staff's status changes (B3–B7, B9 marking, B10).

Each use case is one transaction (linli.core.db.atomic): checks with rules.py, seats taken and
given back by conditional UPDATEs, one-per-person rules by unique keys, the status change
recorded with who and when, an audit entry for staff and proxy acts, events after commit.
"""

from __future__ import annotations

import datetime as dt

from tortoise.exceptions import IntegrityError

from linli.core import audit, db
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access

from .. import rules, waitlist_rules
from ..models import Appointment, Slot
from . import common
from .common import Status, refuse

ACTIVE = [str(s) for s in rules.ACTIVE_STATUSES]


async def load_slot(slot_id: int) -> Slot:
    slot = await Slot.get_or_none(id=slot_id).prefetch_related("service_type")
    if slot is None:
        raise Refused("NOT_FOUND", field="slotId")
    return slot


def eligibility_of(service_type) -> rules.Eligibility:
    return rules.Eligibility(
        min_age=service_type.min_age,
        max_age=service_type.max_age,
        requires_family_doctor_contract=service_type.requires_family_doctor_contract,
    )


class Check:
    """What booking a slot for a person needs to know, checked in DOMAIN.md's order."""

    def __init__(
        self, actor: Actor, slot: Slot, who: access.ActingFor, s: rules.BookingSettings
    ) -> None:
        self.actor, self.slot, self.who, self.settings = actor, slot, who, s
        self.priority = False

    async def run(self) -> None:
        slot, person, s = self.slot, self.who.person, self.settings
        if person.community_id != slot.community_id:
            raise Refused("NOT_ELIGIBLE", field="personId")  # a centre serves its community
        # B6, with the staff_bypass_window setting for staff booking for a resident (B5)
        least, most = rules.booking_window(s, staff_for_resident=self.who.how == "staff")
        refuse(
            rules.booking_window_error(
                slot.start, common.now(), s.tz, min_days=least, max_days=most
            ),
            "slotId",
        )
        facts, banned_until = await common.person_facts(person)
        refuse(
            rules.check_eligibility(eligibility_of(slot.service_type), facts, slot.local_date),
            "personId",
        )
        if waitlist_rules.is_banned(banned_until, common.local_today(s)):
            raise Refused("BANNED_UNTIL", field="personId", until=banned_until.isoformat())
        self.priority = rules.is_priority(facts, slot.local_date, s.elderly_age)

    def daily_key(self) -> str | None:
        return rules.daily_limit_key(
            self.who.person.pk,
            self.slot.service_type_id,
            self.slot.local_date,
            Status.BOOKED,
            enabled=self.settings.one_per_day,
        )


async def prepare(actor: Actor, slot_id: int, person_id: int | None) -> Check:
    slot = await load_slot(slot_id)
    if person_id is None:
        if actor.authenticated and actor.person_id is None:
            raise Refused("INVALID_INPUT", field="personId")
        person_id = actor.person_id
    who = await access.acting_for(actor, person_id)  # PROXY_NOT_VERIFIED, FORBIDDEN (B5)
    check = Check(actor, slot, who, await common.settings_for(slot.community_id))
    await check.run()
    return check


async def book(actor: Actor, slot_id: int, person_id: int | None = None) -> Appointment:
    """B3/B5/B6/B10: a booked appointment, or Refused with the first rule it breaks."""
    check = await prepare(actor, slot_id, person_id)
    slot, person, key = check.slot, check.who.person, check.daily_key()
    if key is not None and await Appointment.exists(daily_key=key):
        raise Refused("ALREADY_BOOKED_TODAY", field="slotId")
    at = common.now()
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
        await common.record_change(appointment.pk, None, Status.BOOKED, check.who)
        await check.who.record("booking.book", obj=appointment)
        await common.announce(appointment, slot)
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
    if appointment.status in (Status.WAITLIST, Status.PENDING):
        from . import waitlist

        if appointment.status == Status.PENDING:  # a held seat: declining the offer
            return await waitlist.decline(actor, appointment.pk), False
        return await waitlist.leave(actor, appointment, who), False
    before = appointment.status
    refuse(
        rules.transition_error(before, Status.CANCELLED, by_staff=who.how == "staff"),
        "appointmentId",
    )
    slot = await Slot.get(id=appointment.slot_id)
    s = await common.settings_for(appointment.community_id)
    at = common.now()
    late = who.how != "staff" and rules.is_late_cancellation(slot.start, at, s.tz, s.cancel_cutoff)
    async with db.atomic() as conn:
        changed = await Appointment.filter(id=appointment.pk, status=before).update(
            status=Status.CANCELLED,
            daily_key=None,
            cancelled_at=at,
            updated_at=at,
            late_cancellation=late,
            sequence=appointment.sequence + 1,
        )
        if changed != 1:
            raise Refused("INVALID_TRANSITION", field="appointmentId")
        await common.release_seat(slot.pk, appointment.priority)
        await common.record_change(
            appointment.pk, before, Status.CANCELLED, who, "late" if late else ""
        )
        await who.record("booking.cancel", obj=appointment, late=late)
        from .waitlist import offer_freed_seat

        await offer_freed_seat(conn, slot)
        await common.announce(appointment, slot)
    await appointment.refresh_from_db()
    return appointment, late


# ---------------------------------------------------------------- staff (B4, B9)

STAFF_TARGETS = {
    "arrived": Status.ARRIVED,
    "checked-in": Status.CHECKED_IN,
    "fulfilled": Status.FULFILLED,
    "noshow": Status.NOSHOW,
    "entered-in-error": Status.ENTERED_IN_ERROR,
}


async def staff_transition(
    actor: Actor, appointment_id: int, target: Status, note: str = ""
) -> Appointment:
    """A status change only staff of the appointment's community make (B4), with the seat
    counter and the person's ban (B9) kept in step."""
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is None or not access.can(actor, "booking.attend", appointment.community_id):
        raise Refused("NOT_FOUND" if appointment is None else "FORBIDDEN", field="appointmentId")
    return await apply_transition(appointment, target, actor, note)


async def apply_transition(
    appointment: Appointment, target: Status, actor: Actor | None, note: str = ""
) -> Appointment:
    """Shared by staff and the no-show job (actor None): guarded by the current status."""
    before = Status(appointment.status)
    s = await common.settings_for(appointment.community_id)
    at = common.now()
    slot = await Slot.get(id=appointment.slot_id)
    refuse(
        rules.transition_error(
            before,
            target,
            by_staff=True,
            now=at,
            noshow_marked_at=appointment.noshow_marked_at,
            grace=s.noshow_grace,
        ),
        "appointmentId",
    )
    if target is Status.NOSHOW and at < slot.start:
        raise Refused("INVALID_TRANSITION", field="appointmentId")
    was_active, now_active = before in rules.ACTIVE_STATUSES, target in rules.ACTIVE_STATUSES
    update: dict = {"status": target, "updated_at": at, "sequence": appointment.sequence + 1}
    if not now_active:
        update["daily_key"] = None
        update["waitlist_key"] = None
        update["hold_expires_at"] = None
    elif not was_active:
        update["daily_key"] = rules.daily_limit_key(
            appointment.person_id,
            appointment.service_type_id,
            appointment.local_date,
            target,
            enabled=s.one_per_day,
        )
    if target is Status.NOSHOW:
        update["noshow_marked_at"] = at
    async with db.atomic() as conn:
        try:
            async with db.atomic():
                changed = await Appointment.filter(id=appointment.pk, status=before).update(
                    **update
                )
        except IntegrityError as exc:
            raise Refused("ALREADY_BOOKED_TODAY", field="appointmentId") from exc
        if changed != 1:
            raise Refused("INVALID_TRANSITION", field="appointmentId")
        if was_active and not now_active:
            await common.release_seat(slot.pk, appointment.priority)
            from .waitlist import offer_freed_seat

            await offer_freed_seat(conn, slot)  # nothing once the slot has started
        elif now_active and not was_active and before is not Status.WAITLIST:
            await common.restore_seat(slot.pk, appointment.priority)
        await common.record_change(appointment.pk, before, target, actor, note)
        if Status.NOSHOW in (before, target):
            await common.recompute_ban(appointment.person_id, s)
        if actor is not None:
            await audit.record(
                actor,
                f"booking.appointment.{target}",
                community_id=appointment.community_id,
                obj=appointment,
                on_behalf_of_person_id=appointment.person_id,
                from_status=str(before),
            )
        await common.announce(appointment, slot if was_active != now_active else None)
    await appointment.refresh_from_db()
    return appointment


async def void_noshow(actor: Actor, appointment_id: int, arrived: bool) -> Appointment:
    """B9: a no-show that was wrong: the person came (noshow → arrived, within the grace
    window) or it was entered in error; either way the ban is recomputed."""
    target = Status.ARRIVED if arrived else Status.ENTERED_IN_ERROR
    appointment = await Appointment.get_or_none(id=appointment_id)
    if appointment is not None and appointment.status != Status.NOSHOW:
        raise Refused("INVALID_TRANSITION", field="appointmentId")
    return await staff_transition(actor, appointment_id, target, "void noshow")


async def mark_due_noshows(limit: int = 500) -> int:
    """The job's half of B9: booked appointments whose slot has ended become no-shows.
    Guarded by status, so two instances running it mark each appointment once."""
    due = await Appointment.filter(status=Status.BOOKED, slot__end__lte=common.now()).limit(limit)
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
