"""What every booking use case shares: settings, the clock, raw conditional SQL, events.

Seat counters change only through the conditional UPDATEs here (B3): the WHERE clause is the
capacity rule, the affected-row count is the answer. No read-then-write, no select_for_update.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import F

from linli.core import events, runtime
from linli.core.actor import Actor
from linli.core.clock import now, today
from linli.core.errors import Refused
from linli.core.identity.access import ActingFor
from linli.core.identity.models import Community, Person
from linli.core.kit import Capacity, create_unless_exists, get_or_create_row, settings_of

from .. import rules, waitlist_rules
from ..models import Appointment, PersonStanding, Settings, Slot, StatusChange

Status = rules.Status


async def settings_for(community_id: int) -> rules.BookingSettings:
    """The community's booking settings (its own values, or DOMAIN.md's defaults) in its zone."""
    community = await Community.get_or_none(id=community_id)
    tz = community.time_zone if community else runtime.current().settings.time_zone
    return (await settings_of(Settings, community_id)).for_rules(tz)


def local_today(s: rules.BookingSettings) -> dt.date:
    return today(s.tz)


# ---------------------------------------------------------------- seats (B3)

# A slot's seats: ``booked`` never passes ``capacity`` (the kit's one conditional UPDATE).
SEATS = Capacity(Slot, count="booked", limit="capacity")
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
    return await get_or_create_row(PersonStanding, person_id=person_id)


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
    return await create_unless_exists(
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


# ---------------------------------------------------------------- history and events


async def record_change(
    appointment_id: int,
    before: str | None,
    after: str,
    by: ActingFor | Actor | None,
    note: str = "",
) -> None:
    """B4: every change with who and when. ``by``: how the account acted for the person
    (self, proxy, staff), a bare Actor for staff acts on the day, None for the booking job."""
    if isinstance(by, ActingFor):
        account_id, how = by.actor.account_id, by.how
    elif by is not None:
        account_id, how = by.account_id, "staff"
    else:
        account_id, how = None, "system"
    await StatusChange.create(
        appointment_id=appointment_id,
        from_status=before,
        to_status=after,
        at=now(),
        by_account_id=account_id,
        by_how=how,
        note=note,
    )


def slot_topic(service_type_id: int, day: dt.date | str) -> str:
    return f"booking.slots:{service_type_id}:{day}"


def appointment_topic(person_id: int) -> str:
    return f"booking.appointments:{person_id}"


async def announce_slot(slot: Slot) -> None:
    await events.publish(
        slot_topic(slot.service_type_id, slot.local_date),
        {
            "slot_id": slot.pk,
            "service_type_id": slot.service_type_id,
            "date": slot.local_date.isoformat(),
            "community_id": slot.community_id,
        },
    )


async def announce(appointment: Appointment, slot: Slot | None = None) -> None:
    """After commit: the person's own feed (B11) and, when seats moved, the slot's day."""
    await events.publish(
        appointment_topic(appointment.person_id),
        {
            "appointment_id": appointment.pk,
            "person_id": appointment.person_id,
            "community_id": appointment.community_id,
        },
    )
    if slot is not None:
        await announce_slot(slot)


def refuse(reason: rules.Reason | None, field: str | None = None, **params: Any) -> None:
    if reason is not None:
        raise Refused(str(reason), field=field, **params)
