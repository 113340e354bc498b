"""What every booking use case shares, all on the kit: settings, seats, the status machine,
the person's standing, the events.

Seats change only through the kit's capacity counter (B3): one conditional UPDATE whose WHERE
clause is the capacity rule. Statuses change only through the kit's status machine (B4): a
guarded UPDATE, the history row, the audit line and the events in one call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import F

from linli.core import kit, runtime
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.models import Community, Person
from linli.core.topics import EventType

from .. import rules
from ..models import Appointment, PersonStanding, Settings, Slot, StatusChange
from ..rules import waitlist as waitlist_rules

Status = rules.Status
ACTIVE = [str(s) for s in rules.ACTIVE_STATUSES]


async def settings_for(community_id: int) -> rules.BookingSettings:
    """The community's booking settings (its own values, or DOMAIN.md's defaults) in its zone."""
    community = await Community.get_or_none(id=community_id)
    tz = community.time_zone if community else runtime.current().settings.time_zone
    return (await kit.settings_of(Settings, community_id)).for_rules(tz)


# ---------------------------------------------------------------- the status machine (B4)

MACHINE = kit.StatusMachine(
    Appointment,
    rules.EDGES,
    history=StatusChange,
    history_key="appointment_id",
    field="appointmentId",
)


# ---------------------------------------------------------------- seats (B3)

# A slot's seats: ``booked`` never passes ``capacity``.
SEATS = kit.Capacity(Slot, count="booked", limit="capacity")
# Everyone but a priority person must leave the reserved seats priority people have not
# used yet (rules.seats_available_to). A seat held for a waitlist offer is a pending
# appointment, counted in booked like any other, so no direct booking can take it (B8).
UNUSED_RESERVED = F("reserved") - F("booked_priority")


async def take_seat(slot_id: int, priority: bool) -> bool:
    """B3: one seat, if the slot still has one for this person; False means SLOT_FULL."""
    if priority:
        taken = await SEATS.take(slot_id, also={"booked_priority": 1})
    else:
        taken = await SEATS.take(slot_id, keep_free=UNUSED_RESERVED)
    return taken is not None


async def release_seat(slot_id: int, priority: bool) -> None:
    await SEATS.give_back(slot_id, also={"booked_priority": 1 if priority else 0})


async def restore_seat(slot_id: int, priority: bool) -> None:
    """A correction (no-show voided as arrived): the seat was theirs, so no capacity test."""
    await SEATS.restore(slot_id, also={"booked_priority": 1 if priority else 0})


# ---------------------------------------------------------------- people


async def standing(person_id: int) -> PersonStanding:
    """The person's booking standing row, created on first need (safe against a race)."""
    return await kit.get_or_create_row(PersonStanding, person_id=person_id)


async def person_facts(person: Person) -> tuple[rules.PersonFacts, dt.date | None]:
    row = await PersonStanding.get_or_none(person_id=person.pk)
    facts = rules.PersonFacts(
        birth_date=person.birth_date,
        disabled=person.disabled,
        family_doctor_contract=bool(row and row.family_doctor_contract),
    )
    return facts, row.banned_until if row else None


async def recompute_ban(person_id: int, s: rules.BookingSettings) -> dt.date | None:
    """B9 from scratch over the person's non-voided no-shows, serialized per person: the
    first UPDATE locks the standing row (PostgreSQL), so a concurrent recompute waits and
    then sees this one's no-show."""
    row = await standing(person_id)
    await PersonStanding.filter(id=row.pk).update(version=F("version") + 1)
    days = await Appointment.filter(person_id=person_id, status=Status.NOSHOW).values_list(
        "local_date", flat=True
    )
    until = waitlist_rules.ban_until(days, s.noshow_ladder, s.tz)
    await PersonStanding.filter(id=row.pk).update(banned_until=until)
    return until


# ---------------------------------------------------------------- new appointments


async def create_appointment(
    actor: Actor,
    slot: Slot,
    person: Person,
    status: Status,
    *,
    priority: bool,
    at: dt.datetime,
    taken: str,
    **keys: Any,
) -> Appointment:
    """A new appointment of ``person`` in ``slot``, inserted in a savepoint: when a unique key
    in ``keys`` (the daily key, the waitlist key) is already held, Refused(``taken``, slotId)."""
    return await kit.create_unless_exists(
        Appointment,
        refuse=Refused(taken, field="slotId"),
        slot_id=slot.pk,
        service_type_id=slot.service_type_id,
        community_id=slot.community_id,
        local_date=slot.local_date,
        person_id=person.pk,
        booked_by_account_id=actor.account_id,
        status=status,
        priority=priority,
        created_at=at,
        updated_at=at,
        **keys,
    )


# ---------------------------------------------------------------- events (B11)

SLOT_CHANGED = EventType(
    "booking.slots",
    keys=["service_type_id", "date"],
    description="A slot's seats changed (booked, cancelled, held, released).",
    slot_id=int,
    service_type_id=int,
    date=str,
    community_id=int,
)
APPOINTMENT_CHANGED = EventType(
    "booking.appointments",
    keys=["person_id"],
    description="A person's appointment changed (for their own live feed).",
    appointment_id=int,
    person_id=int,
    community_id=int,
)
EVENTS = [SLOT_CHANGED, APPOINTMENT_CHANGED]


def slot_event(slot: Slot) -> tuple[EventType, dict[str, Any]]:
    return SLOT_CHANGED, {
        "slot_id": slot.pk,
        "service_type_id": slot.service_type_id,
        "date": slot.local_date.isoformat(),
        "community_id": slot.community_id,
    }


def appointment_event(appointment: Appointment) -> tuple[EventType, dict[str, Any]]:
    return APPOINTMENT_CHANGED, {
        "appointment_id": appointment.pk,
        "person_id": appointment.person_id,
        "community_id": appointment.community_id,
    }


def changed(appointment: Appointment, slot: Slot | None = None) -> list[tuple[EventType, Any]]:
    """The events of a change: the person's own feed (B11) and, when seats moved, the slot's."""
    return [appointment_event(appointment), *([slot_event(slot)] if slot is not None else [])]


async def announce(appointment: Appointment, slot: Slot | None = None) -> None:
    """Publish ``changed(...)`` (inside the transaction: they go out after its commit)."""
    for event, payload in changed(appointment, slot):
        await event.publish(**payload)
