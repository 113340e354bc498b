"""Booking mutations: each takes one ``input`` and returns a payload with ``errors``.

Thin: decode ids (``pk``), call the service, turn a Refused into ``BookingError`` data
(``BookingError.attempt``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from linli.core.errors import Refused
from linli.core.graphql import pk

from ..service import appointments, catalogue, waitlist
from ..service.common import Status
from . import inputs as i
from .types import Appointment, BookingError, Slot

attempt = BookingError.attempt  # (result, []) or (None, the refusal as payload errors)


def _actor(info: Info) -> Any:
    return info.context.actor


def _appointment_id(data: Any) -> int:
    return pk(data.appointment_id, "BookingAppointment", field="appointmentId")


def _on_appointment(name: str, work: Callable[[Any, int], Awaitable[Any]], description: str) -> Any:
    """The mutation ``name`` that moves one appointment on: ``input: {appointmentId}``, its
    own ``<Name>Input`` and ``<Name>Payload`` (the naming rule)."""
    title = name[0].upper() + name[1:]
    input_type, payload = (
        i.appointment_input(f"{title}Input"),
        i.appointment_payload(f"{title}Payload"),
    )

    async def resolve(self: Any, info: Info, input: Any) -> Any:
        return await payload.attempt(info, lambda: work(_actor(info), _appointment_id(input)))

    resolve.__annotations__ = {"info": Info, "input": input_type, "return": payload}
    return strawberry.mutation(resolver=resolve, description=description)


def _staff(name: str, target: Status, description: str) -> Any:
    """A staff status change on the day (B4, B9)."""
    return _on_appointment(
        name,
        lambda actor, appointment_id: appointments.staff_transition(actor, appointment_id, target),
        description,
    )


@strawberry.type
class BookingMutation:
    # ------------------------------------------------------------ staff: the catalogue

    @strawberry.mutation(description="Staff: add a site (the centre or a station).")
    async def create_site(self, info: Info, input: i.CreateSiteInput) -> i.CreateSitePayload:
        return await i.CreateSitePayload.attempt(
            info,
            lambda: catalogue.create_site(
                _actor(info),
                pk(input.community_id, "Community", field="communityId"),
                input.name,
                input.kind,
                input.address,
                input.code,
            ),
        )

    @strawberry.mutation(description="Staff: add a service type to a site (B1).")
    async def create_service_type(
        self, info: Info, input: i.CreateServiceTypeInput
    ) -> i.CreateServiceTypePayload:
        return await i.CreateServiceTypePayload.attempt(
            info,
            lambda: catalogue.create_service_type(
                _actor(info),
                pk(input.site_id, "BookingSite", field="siteId"),
                input.name,
                input.category.value,
                input.duration_minutes,
                input.min_age,
                input.max_age,
                input.requires_family_doctor_contract,
                input.description,
                input.code,
            ),
        )

    @strawberry.mutation(description="Staff: publish a weekly pattern with exceptions (B2).")
    async def create_schedule(
        self, info: Info, input: i.CreateScheduleInput
    ) -> i.CreateSchedulePayload:
        weekly = [{**i.window(w), "weekday": w.weekday} for w in input.weekly]
        overrides = [
            {"day": e.date.isoformat(), "windows": [i.window(w) for w in e.windows]}
            for e in input.exceptions
        ]
        return await i.CreateSchedulePayload.attempt(
            info,
            lambda: catalogue.create_schedule(
                _actor(info),
                pk(input.service_type_id, "BookingServiceType", field="serviceTypeId"),
                input.resource,
                weekly,
                overrides,
            ),
        )

    @strawberry.mutation(
        description="Staff: generate a schedule's slots for local days "
        "first..last (at most 93 days); running it again adds nothing."
    )
    async def generate_slots(
        self, info: Info, input: i.GenerateSlotsInput
    ) -> i.GenerateSlotsPayload:
        rows, errors = await attempt(
            info,
            lambda: catalogue.generate_slots(
                _actor(info),
                pk(input.schedule_id, "BookingSchedule", field="scheduleId"),
                input.first,
                input.last,
            ),
        )
        slots = [Slot.from_model(r) for r in rows or []]
        return i.GenerateSlotsPayload(slots=slots, errors=errors)

    @strawberry.mutation(description="Staff: record a family-doctor contract (B10).")
    async def set_family_doctor_contract(
        self, info: Info, input: i.SetFamilyDoctorContractInput
    ) -> i.SetFamilyDoctorContractPayload:
        async def work() -> bool:
            await catalogue.set_family_doctor_contract(
                _actor(info), pk(input.person_id, "Person", field="personId"), input.contract
            )
            return input.contract

        return await i.SetFamilyDoctorContractPayload.attempt(info, work)

    # ------------------------------------------------------------ residents (and staff for them)

    @strawberry.mutation(
        description="Book a slot for yourself, a person you hold a verified "
        "proxy for, or (staff) any resident of your community."
    )
    async def book_appointment(
        self, info: Info, input: i.BookAppointmentInput
    ) -> i.BookAppointmentPayload:
        return await i.BookAppointmentPayload.attempt(
            info,
            lambda: appointments.book(
                _actor(info),
                pk(input.slot_id, "BookingSlot", field="slotId"),
                pk(input.person_id, "Person", field="personId"),
            ),
        )

    @strawberry.mutation(
        description="Cancel an appointment or leave a waitlist (B7: after the "
        "cutoff it still succeeds, flagged LATE_CANCELLATION)."
    )
    async def cancel_appointment(
        self, info: Info, input: i.CancelAppointmentInput
    ) -> i.CancelAppointmentPayload:
        result, errors = await attempt(
            info, lambda: appointments.cancel(_actor(info), _appointment_id(input))
        )
        if result is None:
            return i.CancelAppointmentPayload(late_cancellation=False, errors=errors)
        row, late = result
        notes = BookingError.of(Refused("LATE_CANCELLATION"), info) if late else []
        return i.CancelAppointmentPayload(
            appointment=Appointment.from_model(row), late_cancellation=late, errors=notes
        )

    @strawberry.mutation(description="Wait for a seat on a full slot (B8).")
    async def join_waitlist(self, info: Info, input: i.JoinWaitlistInput) -> i.JoinWaitlistPayload:
        return await i.JoinWaitlistPayload.attempt(
            info,
            lambda: waitlist.join(
                _actor(info),
                pk(input.slot_id, "BookingSlot", field="slotId"),
                pk(input.person_id, "Person", field="personId"),
            ),
        )

    accept_waitlist_offer = _on_appointment(
        "acceptWaitlistOffer",
        waitlist.accept,
        "Take the seat held for you before the offer expires (B8).",
    )
    decline_waitlist_offer = _on_appointment(
        "declineWaitlistOffer",
        waitlist.decline,
        "Decline an offered seat: it passes to the next person.",
    )

    # ------------------------------------------------------------ staff: the day (B4, B9)

    mark_arrived = _staff("markArrived", Status.ARRIVED, "Staff: the person has arrived.")
    check_in = _staff("checkIn", Status.CHECKED_IN, "Staff: the person is checked in.")
    mark_fulfilled = _staff("markFulfilled", Status.FULFILLED, "Staff: the service was given.")
    mark_no_show = _staff(
        "markNoShow", Status.NOSHOW, "Staff: the person did not come (B9: a ban may follow)."
    )

    @strawberry.mutation(description="Staff: void a no-show; the person's ban is recomputed.")
    async def void_no_show(self, info: Info, input: i.VoidNoShowInput) -> i.VoidNoShowPayload:
        return await i.VoidNoShowPayload.attempt(
            info,
            lambda: appointments.void_noshow(_actor(info), _appointment_id(input), input.arrived),
        )

    mark_entered_in_error = _staff(
        "markEnteredInError",
        Status.ENTERED_IN_ERROR,
        "Staff: an appointment that should never have existed.",
    )
