"""Inputs and payloads of the booking mutations (mutations.py holds the resolvers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from linli.core.graphql import GlobalID

from .types import (
    Appointment,
    BookingError,
    Schedule,
    ServiceCategory,
    ServiceType,
    Site,
    Slot,
)


@strawberry.input(name="CreateBookingSiteInput")
class CreateSiteInput:
    community_id: GlobalID
    name: str
    kind: str = strawberry.field(default="centre", description="centre or station")
    address: str = ""
    code: str | None = None


@strawberry.type(name="CreateBookingSitePayload")
class CreateSitePayload:
    site: Site | None
    errors: list[BookingError]


@strawberry.input(name="CreateBookingServiceTypeInput")
class CreateServiceTypeInput:
    site_id: GlobalID
    name: str
    category: ServiceCategory
    duration_minutes: int = 15
    min_age: int | None = None
    max_age: int | None = None
    requires_family_doctor_contract: bool = False
    description: str = ""
    code: str | None = None


@strawberry.type(name="CreateBookingServiceTypePayload")
class CreateServiceTypePayload:
    service_type: ServiceType | None
    errors: list[BookingError]


@strawberry.input(name="BookingWindowInput", description="Equal slots within one local day.")
class WindowInput:
    start: dt.time
    end: dt.time
    slot_minutes: int
    capacity: int = 1


@strawberry.input(name="BookingWeeklyWindowInput")
class WeeklyWindowInput(WindowInput):
    weekday: int = strawberry.field(description="Monday 0 … Sunday 6")


@strawberry.input(
    name="BookingScheduleExceptionInput",
    description="Replaces the weekly pattern on one date; no windows = closed.",
)
class ExceptionInput:
    date: dt.date
    windows: list[WindowInput] = strawberry.field(default_factory=list)


def _window(w: WindowInput) -> dict[str, Any]:
    return {
        "start": w.start.isoformat(),
        "end": w.end.isoformat(),
        "slot_minutes": w.slot_minutes,
        "capacity": w.capacity,
    }


@strawberry.input(name="CreateBookingScheduleInput")
class CreateScheduleInput:
    service_type_id: GlobalID
    resource: str = strawberry.field(description="The practitioner, team or room.")
    weekly: list[WeeklyWindowInput]
    exceptions: list[ExceptionInput] = strawberry.field(default_factory=list)


@strawberry.type(name="CreateBookingSchedulePayload")
class CreateSchedulePayload:
    schedule: Schedule | None
    errors: list[BookingError]


@strawberry.input(name="GenerateBookingSlotsInput")
class GenerateSlotsInput:
    schedule_id: GlobalID
    first: dt.date
    last: dt.date


@strawberry.type(name="GenerateBookingSlotsPayload")
class GenerateSlotsPayload:
    slots: list[Slot]
    errors: list[BookingError]


@strawberry.input
class BookAppointmentInput:
    slot_id: GlobalID
    person_id: GlobalID | None = strawberry.field(
        default=None, description="Whom it is for; default: yourself."
    )


@strawberry.type
class BookAppointmentPayload:
    appointment: Appointment | None
    errors: list[BookingError]


@strawberry.input
class JoinWaitlistInput:
    slot_id: GlobalID
    person_id: GlobalID | None = None


@strawberry.input(name="BookingAppointmentInput")
class AppointmentInput:
    appointment_id: GlobalID


@strawberry.type(name="BookingAppointmentPayload")
class AppointmentPayload:
    appointment: Appointment | None
    errors: list[BookingError]


@strawberry.type
class CancelAppointmentPayload:
    appointment: Appointment | None
    late_cancellation: bool = strawberry.field(description="Cancelled after the cutoff (B7).")
    errors: list[BookingError] = strawberry.field(
        description="LATE_CANCELLATION here notes a cancellation that succeeded."
    )


@strawberry.input
class VoidNoShowInput:
    appointment_id: GlobalID
    arrived: bool = strawberry.field(
        default=True,
        description="True: they came (within the grace window), else the "
        "no-show was entered in error.",
    )


@strawberry.input
class SetFamilyDoctorContractInput:
    person_id: GlobalID
    contract: bool


@strawberry.type
class SetFamilyDoctorContractPayload:
    contract: bool | None
    errors: list[BookingError]
