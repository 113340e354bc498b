"""What every booking use case shares: settings, the clock, raw conditional SQL, events.

Seat counters change only through the conditional UPDATEs here (B3): the WHERE clause is the
capacity rule, the affected-row count is the answer. No read-then-write, no select_for_update.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from linli.core import db, events, runtime
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity.access import ActingFor
from linli.core.identity.models import Community, Person

from .. import rules, waitlist_rules
from ..models import Appointment, BookingSettings, PersonStanding, Slot, StatusChange

Status = rules.Status


def now() -> dt.datetime:
    return runtime.current().clock.now()


def settings_from_row(row: BookingSettings | None, tz: str) -> rules.BookingSettings:
    if row is None:
        return rules.BookingSettings(tz=tz)
    minute = row.cancel_cutoff_minute
    return rules.BookingSettings(
        tz=tz,
        min_days_ahead=row.min_days_ahead,
        max_days_ahead=row.max_days_ahead,
        one_per_day=row.one_per_day,
        cancel_cutoff=rules.Cutoff(
            row.cancel_cutoff_days_before, dt.time(minute // 60, minute % 60)
        ),
        noshow_ladder=tuple(row.noshow_ladder),
        noshow_grace=dt.timedelta(minutes=row.noshow_grace_minutes),
        elderly_age=row.elderly_age,
        reserved_priority_seats=row.reserved_priority_seats,
        offer_hold=dt.timedelta(minutes=row.offer_hold_minutes),
        staff_bypass_window=row.staff_bypass_window,
    )


async def settings_for(community_id: int) -> rules.BookingSettings:
    """The community's booking settings (its own row, or DOMAIN.md's defaults) in its zone."""
    community = await Community.get_or_none(id=community_id)
    tz = community.time_zone if community else runtime.current().settings.time_zone
    row = await BookingSettings.get_or_none(community_id=community_id)
    return settings_from_row(row, tz)


def local_today(s: rules.BookingSettings) -> dt.date:
    return rules.local_date(now(), s.tz)


# ---------------------------------------------------------------- conditional SQL


def _placeholders(conn: BaseDBAsyncClient, sql: str) -> str:
    if conn.capabilities.dialect == "sqlite":
        return sql
    counter = iter(range(1, 1000))
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


async def execute(conn: BaseDBAsyncClient, sql: str, *values: Any) -> int:
    """Run one UPDATE on the transaction's connection and return the affected rows."""
    count, _ = await conn.execute_query(_placeholders(conn, sql), list(values))
    return count


# Everyone but a priority person must leave the reserved seats priority people have not
# used yet (rules.seats_available_to). A seat held for a waitlist offer is a pending
# appointment, counted in booked like any other, so no direct booking can take it (B8).
_TAKE_GENERAL = (
    "UPDATE booking_slot SET booked = booked + 1 WHERE id = ? AND booked + "
    "CASE WHEN reserved > booked_priority THEN reserved - booked_priority ELSE 0 END < capacity"
)
_TAKE_PRIORITY = (
    "UPDATE booking_slot SET booked = booked + 1, booked_priority = booked_priority + 1 "
    "WHERE id = ? AND booked < capacity"
)


async def take_seat(conn: BaseDBAsyncClient, slot_id: int, priority: bool) -> bool:
    """B3: one seat, if the slot still has one for this person; False means SLOT_FULL."""
    return await execute(conn, _TAKE_PRIORITY if priority else _TAKE_GENERAL, slot_id) == 1


async def release_seat(conn: BaseDBAsyncClient, slot_id: int, priority: bool) -> None:
    await execute(
        conn,
        "UPDATE booking_slot SET booked = booked - 1, booked_priority = booked_priority - ? "
        "WHERE id = ? AND booked > 0",
        1 if priority else 0,
        slot_id,
    )


async def restore_seat(conn: BaseDBAsyncClient, slot_id: int, priority: bool) -> None:
    """A correction (no-show voided as arrived): the seat was theirs, so no capacity test."""
    await execute(
        conn,
        "UPDATE booking_slot SET booked = booked + 1, booked_priority = booked_priority + ? "
        "WHERE id = ?",
        1 if priority else 0,
        slot_id,
    )


# ---------------------------------------------------------------- people


async def standing(person_id: int) -> PersonStanding:
    """The person's booking standing row, created on first need (safe against a race)."""
    row = await PersonStanding.get_or_none(person_id=person_id)
    if row is not None:
        return row
    try:
        async with db.atomic():  # a savepoint: a lost race must not spoil the outer transaction
            return await PersonStanding.create(person_id=person_id)
    except IntegrityError:
        return await PersonStanding.get(person_id=person_id)


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
    try:
        async with db.atomic():
            return await Appointment.create(
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
    except IntegrityError as exc:
        raise Refused(taken, field="slotId") from exc


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
