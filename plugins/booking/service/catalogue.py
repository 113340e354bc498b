"""What the centre offers: sites, service types (B1), schedules and slots (B2), settings.

Staff of a community manage its catalogue (``booking.manage``); every act is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from linli.core import audit, db, kit
from linli.core.actor import Actor
from linli.core.errors import Refused
from linli.core.identity import access
from linli.core.identity.models import Community

from .. import rules
from ..models import Schedule, ServiceType, Site, Slot
from ..rules import schedule
from . import common


async def create_site(
    actor: Actor,
    community_id: int,
    name: str,
    kind: str = "centre",
    address: str = "",
    code: str | None = None,
) -> Site:
    access.require(actor, "booking.manage", community_id)
    if not await Community.exists(id=community_id):
        raise Refused("NOT_FOUND", field="communityId")
    if kind not in ("centre", "station"):
        raise Refused("INVALID_INPUT", field="kind")
    if not name.strip():
        raise Refused("INVALID_INPUT", field="name")
    async with db.atomic():
        site = await kit.create_unless_exists(
            Site,
            refuse=Refused("CONFLICT", field="code"),
            community_id=community_id,
            name=name.strip(),
            kind=kind,
            address=address,
            code=code,
            created_at=kit.now(),
        )
        await audit.record(actor, "booking.site.create", community_id=community_id, obj=site)
    return site


async def create_service_type(
    actor: Actor,
    site_id: int,
    name: str,
    category: str,
    duration_minutes: int = 15,
    min_age: int | None = None,
    max_age: int | None = None,
    requires_family_doctor_contract: bool = False,
    description: str = "",
    code: str | None = None,
) -> ServiceType:
    site = await Site.get_or_none(id=site_id)
    if site is None:
        raise Refused("NOT_FOUND", field="siteId")
    access.require(actor, "booking.manage", site.community_id)
    try:
        rules.Eligibility(min_age=min_age, max_age=max_age)
        category = rules.ServiceCategory(category)
    except ValueError as exc:
        raise Refused("INVALID_INPUT", field="minAge" if "age" in str(exc) else "category") from exc
    if duration_minutes < 1 or not name.strip():
        raise Refused("INVALID_INPUT", field="durationMinutes" if name.strip() else "name")
    async with db.atomic():
        service = await kit.create_unless_exists(
            ServiceType,
            refuse=Refused("CONFLICT", field="code"),
            site_id=site.pk,
            community_id=site.community_id,
            name=name.strip(),
            category=category,
            duration_minutes=duration_minutes,
            min_age=min_age,
            max_age=max_age,
            requires_family_doctor_contract=requires_family_doctor_contract,
            description=description,
            code=code,
            created_at=kit.now(),
        )
        await audit.record(
            actor, "booking.service_type.create", community_id=site.community_id, obj=service
        )
    return service


def _window(raw: dict[str, Any], weekday: int | None = None) -> schedule.Window:
    args = {
        "start": dt.time.fromisoformat(raw["start"]),
        "end": dt.time.fromisoformat(raw["end"]),
        "slot_minutes": int(raw["slot_minutes"]),
        "capacity": int(raw.get("capacity", 1)),
    }
    if weekday is None:
        return schedule.Window(**args)
    return schedule.WeeklyRule(weekday=weekday, **args)


def to_schedule(row: Schedule, tz: str) -> schedule.Schedule:
    """The pure schedule of a stored row (JSON of plain values)."""
    return schedule.Schedule(
        weekly=tuple(_window(w, int(w["weekday"])) for w in row.weekly),
        overrides=tuple(
            schedule.DayOverride(
                dt.date.fromisoformat(o["day"]), tuple(_window(w) for w in o.get("windows", ()))
            )
            for o in row.overrides
        ),
        tz=tz,
    )


async def create_schedule(
    actor: Actor,
    service_type_id: int,
    resource: str,
    weekly: list[dict[str, Any]],
    overrides: list[dict[str, Any]],
) -> Schedule:
    """B2: a weekly pattern with per-date exceptions, validated by schedule.py."""
    service = await ServiceType.get_or_none(id=service_type_id)
    if service is None:
        raise Refused("NOT_FOUND", field="serviceTypeId")
    access.require(actor, "booking.manage", service.community_id)
    s = await common.settings_for(service.community_id)
    row = Schedule(
        service_type_id=service.pk,
        community_id=service.community_id,
        resource=resource,
        weekly=weekly,
        overrides=overrides,
        created_by_account_id=actor.account_id,
        created_at=kit.now(),
    )
    try:
        to_schedule(row, s.tz)
    except schedule.ScheduleError as exc:
        raise Refused("INVALID_INPUT", field=exc.field) from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise Refused("INVALID_INPUT", field="weekly") from exc
    async with db.atomic():
        await row.save()
        await audit.record(
            actor, "booking.schedule.create", community_id=service.community_id, obj=row
        )
    return row


async def generate_slots(
    actor: Actor, schedule_id: int, first: dt.date, last: dt.date
) -> list[Slot]:
    """B2: the slots of a schedule on local days first..last; running it twice adds nothing."""
    row = await Schedule.get_or_none(id=schedule_id)
    if row is None:
        raise Refused("NOT_FOUND", field="scheduleId")
    access.require(actor, "booking.manage", row.community_id)
    if last < first or (last - first).days > 92:
        raise Refused("INVALID_INPUT", field="last")
    s = await common.settings_for(row.community_id)
    specs = schedule.expand(to_schedule(row, s.tz), first, last)
    reserved = s.reserved_priority_seats
    async with db.atomic():
        existing = set(
            await Slot.filter(
                schedule_id=row.pk, local_date__gte=first, local_date__lte=last
            ).values_list("generation_key", flat=True)
        )
        new = [
            Slot(
                service_type_id=row.service_type_id,
                schedule_id=row.pk,
                community_id=row.community_id,
                local_date=spec.local_date,
                start=spec.start,
                end=spec.end,
                capacity=spec.capacity,
                reserved=min(reserved, spec.capacity),
                generation_key=f"{row.pk}:{spec.start.isoformat()}",
            )
            for spec in specs
        ]
        new = [slot for slot in new if slot.generation_key not in existing]
        if new:
            await Slot.bulk_create(new)
        await audit.record(
            actor,
            "booking.slots.generate",
            community_id=row.community_id,
            obj=row,
            first=first.isoformat(),
            last=last.isoformat(),
            added=len(new),
        )
    return await Slot.filter(
        schedule_id=row.pk, local_date__gte=first, local_date__lte=last
    ).order_by("start")


async def set_family_doctor_contract(actor: Actor, person_id: int, contract: bool) -> None:
    """B10: staff record a family-doctor contract (签约) for a person of their community."""
    who = await access.acting_for(actor, person_id)
    if who.how != "staff" and not access.can(actor, "booking.manage", who.person.community_id):
        raise Refused("FORBIDDEN", field="personId")
    async with db.atomic():
        row = await common.standing(person_id)
        await type(row).filter(id=row.pk).update(family_doctor_contract=contract)
        await audit.record(
            actor,
            "booking.contract.set",
            community_id=who.person.community_id,
            on_behalf_of_person_id=person_id,
            object_type="Person",
            object_id=person_id,
            contract=contract,
        )


# ---------------------------------------------------------------- who may look


async def may_view(actor: Actor, community_id: int) -> bool:
    """The timetable of a community: its members, and proxies of a person living there."""
    return (await access.reach(actor, "booking.view")).sees(community_id)


async def viewable_communities(actor: Actor) -> list[int] | None:
    """None: everywhere (an admin)."""
    seen = (await access.reach(actor, "booking.view")).communities
    return None if seen is None else sorted(seen)


async def people_of(actor: Actor) -> list[int]:
    """The persons whose appointments ``actor`` follows: themself and verified proxies."""
    return list((await access.reach(actor, "booking.view")).persons)
