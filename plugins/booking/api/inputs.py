"""Inputs and payloads of the booking mutations (mutations.py holds the resolvers).

The naming rule (docs/api.md): a mutation's input and payload are named after it
(``createSite`` takes ``CreateSiteInput`` and returns ``CreateSitePayload``), so they never
clash (root fields are unique); every other type carries the ``Booking`` prefix. Payloads are
built by the kit (``payload_type``): the result fields and ``errors: [BookingError!]!``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from linli.core.graphql import GlobalID, payload_type

from .types import Appointment, BookingError, Schedule, ServiceCategory, ServiceType, Site, Slot


@strawberry.input
class CreateSiteInput:
    community_id: GlobalID
    name: str
    kind: str = strawberry.field(default="centre", description="centre or station")
    address: str = ""
    code: str | None = None


@strawberry.input
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


def window(w: WindowInput) -> dict[str, Any]:
    return {
        "start": w.start.isoformat(),
        "end": w.end.isoformat(),
        "slot_minutes": w.slot_minutes,
        "capacity": w.capacity,
    }


@strawberry.input
class CreateScheduleInput:
    service_type_id: GlobalID
    resource: str = strawberry.field(description="The practitioner, team or room.")
    weekly: list[WeeklyWindowInput]
    exceptions: list[ExceptionInput] = strawberry.field(default_factory=list)


@strawberry.input
class GenerateSlotsInput:
    schedule_id: GlobalID
    first: dt.date
    last: dt.date


@strawberry.input
class SetFamilyDoctorContractInput:
    person_id: GlobalID
    contract: bool


@strawberry.input
class BookAppointmentInput:
    slot_id: GlobalID
    person_id: GlobalID | None = strawberry.field(
        default=None, description="Whom it is for; default: yourself."
    )


@strawberry.input
class JoinWaitlistInput:
    slot_id: GlobalID
    person_id: GlobalID | None = None


@strawberry.input
class VoidNoShowInput:
    appointment_id: GlobalID
    arrived: bool = strawberry.field(
        default=True,
        description="True: they came (within the grace window), else the "
        "no-show was entered in error.",
    )


def appointment_input(name: str) -> type:
    """``<Name>Input { appointmentId: ID! }``: the input of a mutation that moves one
    appointment on (cancel, accept, decline, the staff's marks)."""
    return strawberry.input(
        type(name, (), {"__annotations__": {"appointment_id": GlobalID}, "__module__": __name__}),
        name=name,
    )


def appointment_payload(name: str) -> type:
    return payload_type(name, BookingError, appointment=Appointment)


CreateSitePayload = payload_type("CreateSitePayload", BookingError, site=Site)
CreateServiceTypePayload = payload_type(
    "CreateServiceTypePayload", BookingError, service_type=ServiceType
)
CreateSchedulePayload = payload_type("CreateSchedulePayload", BookingError, schedule=Schedule)
GenerateSlotsPayload = payload_type("GenerateSlotsPayload", BookingError, slots=list[Slot])
SetFamilyDoctorContractPayload = payload_type(
    "SetFamilyDoctorContractPayload", BookingError, contract=bool
)
BookAppointmentPayload = appointment_payload("BookAppointmentPayload")
JoinWaitlistPayload = appointment_payload("JoinWaitlistPayload")
VoidNoShowPayload = appointment_payload("VoidNoShowPayload")
CancelAppointmentInput = appointment_input("CancelAppointmentInput")
CancelAppointmentPayload = payload_type(
    "CancelAppointmentPayload",
    BookingError,
    "errors holds LATE_CANCELLATION to note a cancellation that succeeded after the cutoff.",
    appointment=Appointment,
    late_cancellation=bool,
)
