"""GraphQL types of the booking plugin (names carry the ``Booking`` prefix), built from rows.

Thin: a type holds the row's values and resolves related objects lazily; visibility checks
live in the service (``appointments.may_see``) and the queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.errors import Refused
from linli.core.graphql import GlobalID, Node, NodeID, error_type

from .. import models, rules
from ..service import appointments, common

BookingError = error_type(
    "BookingError",
    [str(reason) for reason in rules.Reason],
    description="An expected failure of a booking mutation (or, for LATE_CANCELLATION, a note "
    "on a cancellation that succeeded).",
)

AppointmentStatus = strawberry.enum(
    rules.Status, name="BookingAppointmentStatus", description="FHIR Appointment.status codes (B4)."
)
ServiceCategory = strawberry.enum(rules.ServiceCategory, name="BookingServiceCategory")


def decode(gid: GlobalID, type_name: str, field: str) -> int:
    """The database id behind a global id of ``type_name`` (NOT_FOUND for any other)."""
    if gid.type_name != type_name:
        raise Refused("NOT_FOUND", field=field)
    try:
        return int(gid.node_id)
    except ValueError as exc:
        raise Refused("NOT_FOUND", field=field) from exc


async def _by_ids(model: Any, convert: Any, node_ids: Iterable[str]) -> list[Any]:
    ids = [int(i) for i in node_ids if str(i).isdigit()]
    rows = {row.pk: row for row in await model.filter(id__in=ids)}
    return [
        convert(rows[int(i)]) if str(i).isdigit() and int(i) in rows else None for i in node_ids
    ]


@strawberry.type(name="BookingSite", description="The health service centre or a station (B1).")
class Site(Node):
    id: NodeID[int]
    name: str
    kind: str = strawberry.field(description="centre or station")
    address: str
    community_pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Site) -> Site:
        return cls(
            id=row.pk,
            name=row.name,
            kind=row.kind,
            address=row.address,
            community_pk=row.community_id,
        )

    @strawberry.field(description="Global id of the community this site belongs to.")
    def community_id(self) -> GlobalID:
        return GlobalID("Community", str(self.community_pk))

    @strawberry.field
    async def service_types(self) -> list[ServiceType]:
        rows = await models.ServiceType.filter(site_id=self.id, active=True).order_by("id")
        return [ServiceType.from_row(r) for r in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return await _by_ids(models.Site, cls.from_row, node_ids)


@strawberry.type(name="BookingServiceType", description="A service a site offers (B1).")
class ServiceType(Node):
    id: NodeID[int]
    name: str
    category: ServiceCategory
    duration_minutes: int
    min_age: int | None
    max_age: int | None
    requires_family_doctor_contract: bool
    description: str
    site_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.ServiceType) -> ServiceType:
        return cls(
            id=row.pk,
            name=row.name,
            category=row.category,
            duration_minutes=row.duration_minutes,
            min_age=row.min_age,
            max_age=row.max_age,
            requires_family_doctor_contract=row.requires_family_doctor_contract,
            description=row.description,
            site_id=row.site_id,
        )

    @strawberry.field
    async def site(self) -> Site:
        return Site.from_row(await models.Site.get(id=self.site_id))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return await _by_ids(models.ServiceType, cls.from_row, node_ids)


@strawberry.type(name="BookingSlot", description="A bookable time with its seats (B2, B3).")
class Slot(Node):
    id: NodeID[int]
    start: dt.datetime
    end: dt.datetime
    local_date: dt.date = strawberry.field(description="The community-local day (B6).")
    capacity: int
    booked: int = strawberry.field(description="Active appointments.")
    held: int = strawberry.field(description="Seats held for waitlist offers (B8).")
    reserved: int = strawberry.field(description="Seats kept for priority people (B10).")
    remaining: int = strawberry.field(description="Seats a non-priority person may still book.")
    remaining_priority: int = strawberry.field(
        description="Seats an elderly, disabled or contracted person may still book (B10)."
    )
    service_type_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Slot) -> Slot:
        def left(priority: bool) -> int:
            return rules.seats_available_to(
                priority,
                row.capacity,
                row.booked,
                row.reserved,
                booked_priority=row.booked_priority,
                held=row.held,
            )

        return cls(
            id=row.pk,
            start=row.start,
            end=row.end,
            local_date=row.local_date,
            capacity=row.capacity,
            booked=row.booked,
            held=row.held,
            reserved=row.reserved,
            remaining=left(False),
            remaining_priority=left(True),
            service_type_id=row.service_type_id,
        )

    @strawberry.field
    async def service_type(self) -> ServiceType:
        return ServiceType.from_row(await models.ServiceType.get(id=self.service_type_id))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return await _by_ids(models.Slot, cls.from_row, node_ids)


@strawberry.type(name="BookingStatusChange", description="One recorded status change (B4).")
class StatusChange:
    from_status: AppointmentStatus | None
    to_status: AppointmentStatus
    at: dt.datetime
    by_staff_or_self: bool = strawberry.field(description="False when the booking job made it.")
    note: str


@strawberry.type(name="BookingAppointment", description="An appointment for a person (B4, B5).")
class Appointment(Node):
    id: NodeID[int]
    status: AppointmentStatus
    local_date: dt.date
    late_cancellation: bool
    cancelled_at: dt.datetime | None
    offer_expires_at: dt.datetime | None = strawberry.field(
        description="Set while a freed seat is held for this waitlist entry (B8)."
    )
    joined_waitlist_at: dt.datetime | None
    priority: bool
    created_at: dt.datetime
    slot_id: strawberry.Private[int]
    person_pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Appointment) -> Appointment:
        return cls(
            id=row.pk,
            status=rules.Status(row.status),
            local_date=row.local_date,
            late_cancellation=row.late_cancellation,
            cancelled_at=row.cancelled_at,
            offer_expires_at=row.offer_expires_at,
            joined_waitlist_at=row.joined_waitlist_at,
            priority=row.priority,
            created_at=row.created_at,
            slot_id=row.slot_id,
            person_pk=row.person_id,
        )

    @strawberry.field(description="Global id of the person the appointment is for.")
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))

    @strawberry.field(description="The person's name (visible to them, their proxies, staff).")
    async def person_name(self) -> str:
        from linli.core.identity.models import Person

        return (await Person.get(id=self.person_pk)).real_name

    @strawberry.field
    async def slot(self) -> Slot:
        return Slot.from_row(await models.Slot.get(id=self.slot_id))

    @strawberry.field(description="Every status change, oldest first (B4).")
    async def history(self) -> list[StatusChange]:
        rows = await models.StatusChange.filter(appointment_id=self.id).order_by("id")
        return [
            StatusChange(
                from_status=rules.Status(r.from_status) if r.from_status else None,
                to_status=rules.Status(r.to_status),
                at=r.at,
                by_staff_or_self=r.by_account_id is not None,
                note=r.note,
            )
            for r in rows
        ]

    @strawberry.field(description="Where to download it as iCalendar (B12).")
    def ics_url(self) -> str:
        return f"/booking/appointments/{self.id}.ics"

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        actor = info.context.actor
        found = []
        for node_id in node_ids:
            row = (
                await models.Appointment.get_or_none(id=int(node_id))
                if str(node_id).isdigit()
                else None
            )
            visible = row is not None and await appointments.may_see(actor, row)
            found.append(cls.from_row(row) if visible else None)
        return found


@strawberry.type(name="BookingSchedule", description="A weekly pattern with exceptions (B2).")
class Schedule(Node):
    id: NodeID[int]
    resource: str
    service_type_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Schedule) -> Schedule:
        return cls(id=row.pk, resource=row.resource, service_type_id=row.service_type_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [None for _ in node_ids]  # staff read schedules through their service type


@strawberry.type(name="BookingCommunitySettings", description="Per-community settings.")
class Settings:
    min_days_ahead: int
    max_days_ahead: int
    one_per_day: bool
    cancel_cutoff_days_before: int
    cancel_cutoff_minute: int = strawberry.field(description="Minutes after local midnight.")
    noshow_ladder: list[int]
    noshow_grace_minutes: int
    elderly_age: int
    reserved_priority_seats: int
    offer_hold_minutes: int

    @classmethod
    def from_row(cls, row: models.BookingSettings) -> Settings:
        return cls(
            **{
                name: getattr(row, name)
                for name in (
                    "min_days_ahead",
                    "max_days_ahead",
                    "one_per_day",
                    "cancel_cutoff_days_before",
                    "cancel_cutoff_minute",
                    "noshow_ladder",
                    "noshow_grace_minutes",
                    "elderly_age",
                    "reserved_priority_seats",
                    "offer_hold_minutes",
                )
            }
        )


__all__ = ["Appointment", "BookingError", "ServiceType", "Settings", "Site", "Slot", "common"]
