"""GraphQL types of the booking plugin (names carry the ``Booking`` prefix), built from rows.

Thin: a type is declared with its model (``class Site(ModelNode, model=models.Site,
visible_to=…)``: node(id:) with its visibility check, and the kit's default ``from_model``
where the row's values are the fields), holds the row's values and resolves related objects
through batch loaders
(declared here, made per request by the kit), so a list of N appointments with their slot,
service, person and history costs a fixed number of queries, not N of each. Visibility
checks live in the service (``appointments.may_see``) and the queries.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core import kit
from linli.core.graphql import GlobalID, ModelNode, error_type, from_row
from linli.core.identity.api import PersonNode
from linli.core.identity.models import Person

from .. import models, rules
from ..service import appointments, catalogue, common

BookingError = error_type(
    "BookingError",
    [str(reason) for reason in rules.Reason],
    description="An expected failure of a booking mutation (or, for LATE_CANCELLATION, a note "
    "on a cancellation that succeeded).",
)

# bookingSettings(communityId) and updateBookingSettings(input), from the declaration.
BookingSettingsQuery, BookingSettingsMutation = kit.settings_api(
    models.Settings, BookingError, name="BookingSettings"
)

AppointmentStatus = strawberry.enum(
    rules.Status, name="BookingAppointmentStatus", description="FHIR Appointment.status codes (B4)."
)
ServiceCategory = strawberry.enum(rules.ServiceCategory, name="BookingServiceCategory")


async def in_timetable(actor: Any, row: Any) -> bool:
    """Sites, services and slots: for whoever may see the community's timetable."""
    return await catalogue.may_view(actor, row.community_id)


# ---------------------------------------------------------------- batch loaders
# Declared once; the kit makes them per request, so a list of N appointments with their
# slot, service, person and history costs a fixed number of queries, not N of each.

site_of = kit.by_pk(models.Site)
service_type_of = kit.by_pk(models.ServiceType)
slot_of = kit.by_pk(models.Slot)
person_of = kit.by_pk(Person)
history_of = kit.all_of(models.StatusChange, "appointment_id")
service_types_of_site = kit.all_of(models.ServiceType, "site_id", active=True)


@kit.loader
async def booking_rules_of(keys: list[int]) -> list[rules.BookingSettings]:
    """Each community's settings once per request (a list of appointments shares them)."""
    found = {key: await common.settings_for(key) for key in sorted(set(keys))}
    return [found[key] for key in keys]


@kit.loader
async def held_of(keys: list[int]) -> list[int]:
    slots = await models.Appointment.filter(
        slot_id__in=sorted(set(keys)), status=rules.Status.PENDING
    ).values_list("slot_id", flat=True)
    counts = Counter(slots)
    return [counts[key] for key in keys]


# ---------------------------------------------------------------- types


@strawberry.type(name="BookingSite", description="The health service centre or a station (B1).")
class Site(ModelNode, model=models.Site, visible_to=in_timetable):
    name: str
    kind: str = strawberry.field(description="centre or station")
    address: str
    community_id: GlobalID = strawberry.field(
        description="Global id of the community this site belongs to."
    )

    @strawberry.field
    async def service_types(self, info: Info) -> list[ServiceType]:
        rows = await service_types_of_site.load(info, self.pk)
        return [ServiceType.from_model(r) for r in rows]


@strawberry.type(name="BookingServiceType", description="A service a site offers (B1).")
class ServiceType(ModelNode, model=models.ServiceType, visible_to=in_timetable):
    name: str
    category: ServiceCategory
    duration_minutes: int
    min_age: int | None
    max_age: int | None
    requires_family_doctor_contract: bool
    description: str
    site_id: strawberry.Private[int]

    @strawberry.field
    async def site(self, info: Info) -> Site:
        return Site.from_model(await site_of.load(info, self.site_id))


@strawberry.type(name="BookingSlot", description="A bookable time with its seats (B2, B3).")
class Slot(ModelNode, model=models.Slot, visible_to=in_timetable):
    start: dt.datetime
    end: dt.datetime
    local_date: dt.date = strawberry.field(description="The community-local day (B6).")
    capacity: int
    booked: int = strawberry.field(
        description="Active appointments, seats held for waitlist offers included (B8)."
    )
    reserved: int = strawberry.field(description="Seats kept for priority people (B10).")
    remaining: int = strawberry.field(description="Seats a non-priority person may still book.")
    remaining_priority: int = strawberry.field(
        description="Seats an elderly, disabled or contracted person may still book (B10)."
    )
    service_type_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Slot) -> Slot:
        def left(priority: bool) -> int:
            return rules.seats_available_to(
                priority,
                row.capacity,
                row.booked,
                row.reserved,
                booked_priority=row.booked_priority,
            )

        return from_row(cls, row, remaining=left(False), remaining_priority=left(True))

    @strawberry.field(
        description="Of the booked seats, those held for a waitlist offer not yet "
        "answered (pending appointments, B8)."
    )
    async def held(self, info: Info) -> int:
        return await held_of.load(info, self.pk)

    @strawberry.field
    async def service_type(self, info: Info) -> ServiceType:
        return ServiceType.from_model(await service_type_of.load(info, self.service_type_id))


@strawberry.enum(name="BookingChangeBy", description="Who made a status change (B4).")
class ChangeBy(enum.StrEnum):
    SYSTEM = "system"  # the booking job (tick): a lapsed offer, a no-show after the slot
    SELF = "self"  # the person's own account
    PROXY = "proxy"  # an account with a verified proxy grant for the person
    STAFF = "staff"  # staff of the person's community


@strawberry.type(name="BookingStatusChange", description="One recorded status change (B4).")
class StatusChange:
    from_status: AppointmentStatus | None
    to_status: AppointmentStatus
    at: dt.datetime
    by: ChangeBy
    by_staff_or_self: bool = strawberry.field(description="False when the booking job made it.")
    note: str

    @classmethod
    def from_model(cls, row: models.StatusChange) -> StatusChange:
        return cls(
            from_status=rules.Status(row.from_status) if row.from_status else None,
            to_status=rules.Status(row.to_status),
            at=row.at,
            by=ChangeBy(row.by_how),
            by_staff_or_self=row.by_account_id is not None,
            note=row.note,
        )


@strawberry.type(name="BookingAppointment", description="An appointment for a person (B4, B5).")
class Appointment(ModelNode, model=models.Appointment, visible_to=appointments.may_see):
    status: AppointmentStatus
    local_date: dt.date
    late_cancellation: bool
    cancelled_at: dt.datetime | None
    offer_expires_at: dt.datetime | None = strawberry.field(
        description="While PENDING: a freed seat is held for this person until then, to "
        "accept or decline (B4, B8); it lapses (cancelled) and passes on after it."
    )
    joined_waitlist_at: dt.datetime | None
    priority: bool
    created_at: dt.datetime
    slot_id: strawberry.Private[int]
    person_pk: strawberry.Private[int]
    community_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Appointment) -> Appointment:
        return from_row(
            cls,
            row,
            status=rules.Status(row.status),
            offer_expires_at=row.hold_expires_at,
            person_pk=row.person_id,
            community_pk=row.community_id,
        )

    @strawberry.field(
        description="Free cancellation ends at this instant (B7, the community's cutoff: by "
        "default 16:00 local time the day before, never after the start). Cancelling by the "
        "person or a proxy from then on is a late cancellation; an app warns before it."
    )
    async def cancel_free_until(self, info: Info) -> dt.datetime:
        slot = await slot_of.load(info, self.slot_id)
        settings = await booking_rules_of.load(info, self.community_pk)
        return appointments.late_cutoff(slot, settings)

    @strawberry.field(description="Global id of the person the appointment is for.")
    def person_id(self) -> GlobalID:
        return GlobalID("Person", str(self.person_pk))

    @strawberry.field(description="The person's name (visible to them, their proxies, staff).")
    async def person_name(self, info: Info) -> str:
        return (await person_of.load(info, self.person_pk)).real_name

    @strawberry.field(
        description="The person it is for (whoever may see the appointment may see them)."
    )
    async def person(self, info: Info) -> PersonNode:
        return PersonNode.from_model(await person_of.load(info, self.person_pk))

    @strawberry.field
    async def slot(self, info: Info) -> Slot:
        return Slot.from_model(await slot_of.load(info, self.slot_id))

    @strawberry.field(description="Every status change, oldest first, with who and when (B4).")
    async def history(self, info: Info) -> list[StatusChange]:
        return [StatusChange.from_model(r) for r in await history_of.load(info, self.pk)]

    @strawberry.field(description="Where to download it as iCalendar (B12).")
    def ics_url(self) -> str:
        return f"/booking/appointments/{self.pk}.ics"


# A schedule is staff's working plan: node(id:) shows it to its community's staff only.
@strawberry.type(name="BookingSchedule", description="A weekly pattern with exceptions (B2).")
class Schedule(ModelNode, model=models.Schedule, visible="booking.manage"):
    resource: str
    service_type_id: strawberry.Private[int]


__all__ = [
    "Appointment",
    "BookingError",
    "ServiceType",
    "Site",
    "Slot",
]
