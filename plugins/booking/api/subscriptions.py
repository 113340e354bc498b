"""Live availability (B11): a day's slots of a service, and your own appointments.

Permission is checked when the subscription starts; every event is checked again before it
is sent (the subscriber may have lost the right, e.g. a proxy grant was revoked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from linli.core import kit
from linli.core.errors import ApiError
from linli.core.events import subscribe
from linli.core.graphql import (
    GlobalID,
    api_errors,
    pk,
    require_login,
    roles_in,
    shared_subscribe,
)

from .. import models
from ..service import appointments, catalogue, common
from .types import Appointment, Slot


@strawberry.type
class BookingSubscription:
    @strawberry.subscription(
        description="A service's slots on one local day, each time its seats change (after commit)."
    )
    async def slot_availability(
        self, info: Info, service_type_id: GlobalID, date: dt.date
    ) -> AsyncGenerator[Slot, None]:
        ctx = require_login(info)
        with api_errors(info):
            key = pk(service_type_id, "BookingServiceType", field="serviceTypeId")
        service = await models.ServiceType.get_or_none(id=key)
        if service is None or not await catalogue.may_view(ctx.actor, service.community_id):
            raise ApiError("NOT_FOUND", ctx.locale)
        # Everyone who may see the timetable sees the same slots: one execution per event
        # for all the subscribers holding the same roles in the community.
        topic = common.SLOT_CHANGED.topic(service_type_id=key, date=date)
        visibility = roles_in(service.community_id)
        async with shared_subscribe(info, topic, visibility=visibility) as events:
            async for event in events:
                payload = event.payload
                if payload.get("service_type_id") != key or payload.get("date") != date.isoformat():
                    continue
                slot = await kit.row_of_event(event, models.Slot, payload["slot_id"])
                if slot is not None:
                    yield Slot.from_model(slot)

    @strawberry.subscription(
        description="Changes to your appointments and to those of the "
        "people you hold a verified proxy for."
    )
    async def my_appointment_updates(self, info: Info) -> AsyncGenerator[Appointment, None]:
        ctx = require_login(info)
        people = await catalogue.people_of(ctx.actor)
        if not people:
            raise ApiError("FORBIDDEN", ctx.locale)
        topics = [common.APPOINTMENT_CHANGED.topic(person_id=person) for person in people]
        async with subscribe(*topics) as events:
            async for event in events:
                row = await models.Appointment.get_or_none(id=event.payload.get("appointment_id"))
                if row is None or row.person_id not in people:
                    continue
                if row.person_id != ctx.actor.person_id and not await appointments.may_see(
                    ctx.actor, row
                ):
                    continue  # the proxy grant was revoked since the subscription started
                yield Appointment.from_model(row)
