"""Booking queries: the timetable for residents, the day's list and the waitlist for staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable

import strawberry
from strawberry.types import Info

from linli.core.errors import ApiError, Refused
from linli.core.graphql import (
    Connection,
    GlobalID,
    api_errors,
    cached,
    connection,
    mapped,
    pk,
    require_login,
)
from linli.core.identity import access
from linli.core.kit import hot_read

from .. import models
from ..service import appointments, catalogue, common
from .types import Appointment, ServiceType, Site, Slot

# The resident app's hot read (a day's slots): SQL built once, one statement each.
_service = hot_read(models.ServiceType, where=("id",), limit=1)
_day_of_slots = hot_read(models.Slot, where=("service_type_id", "local_date"), order_by=("start",))


async def _community_of_site(info: Info, site_id: GlobalID) -> models.Site:
    with api_errors(info):
        site = await models.Site.get_or_none(id=pk(site_id, "BookingSite", field="siteId"))
    if site is None or not await catalogue.may_view(info.context.actor, site.community_id):
        raise ApiError("NOT_FOUND", info.context.locale)
    return site


@strawberry.type
class BookingQuery:
    @cached
    @strawberry.field(
        description="Health service sites you may book at (your communities and "
        "those of the people you hold a verified proxy for)."
    )
    async def sites(self, info: Info, community_id: GlobalID | None = None) -> list[Site]:
        ctx = require_login(info)
        allowed = await catalogue.viewable_communities(ctx.actor)
        query = models.Site.all().order_by("id")
        if community_id is not None:
            with api_errors(info):
                wanted = pk(community_id, "Community", field="communityId")
            if allowed is not None and wanted not in allowed:
                return []
            query = query.filter(community_id=wanted)
        elif allowed is not None:
            query = query.filter(community_id__in=allowed)
        return [Site.from_model(row) for row in await query]

    @cached
    @strawberry.field(description="The services a site offers (B1).")
    async def service_types(self, info: Info, site_id: GlobalID) -> list[ServiceType]:
        require_login(info)
        site = await _community_of_site(info, site_id)
        rows = await models.ServiceType.filter(site_id=site.pk, active=True).order_by("id")
        return [ServiceType.from_model(row) for row in rows]

    @cached
    @strawberry.field(description="A service's slots on one local day, with remaining seats.")
    async def slots(self, info: Info, service_type_id: GlobalID, date: dt.date) -> list[Slot]:
        ctx = require_login(info)
        with api_errors(info):
            key = pk(service_type_id, "BookingServiceType", field="serviceTypeId")
        service = next(iter(await _service(id=key)), None)
        if service is None or not await catalogue.may_view(ctx.actor, service.community_id):
            raise ApiError("NOT_FOUND", ctx.locale)
        rows = await _day_of_slots(service_type_id=key, local_date=date)
        return [Slot.from_model(row) for row in rows]

    @connection(
        Connection[Appointment],
        description="Your appointments and those of the "
        "people you hold a verified proxy for, newest first.",
    )
    async def my_appointments(self, info: Info) -> AsyncIterable[Appointment]:
        ctx = require_login(info)
        people = await catalogue.people_of(ctx.actor)
        query = models.Appointment.filter(person_id__in=people).order_by("-local_date", "-id")
        return mapped(query, Appointment.from_model)

    @strawberry.field(
        description="One appointment, if it is yours, proxied by you or your "
        "community's; null otherwise."
    )
    async def appointment(self, info: Info, id: GlobalID) -> Appointment | None:
        ctx = require_login(info)
        try:
            row = await appointments.visible_appointment(
                ctx.actor, pk(id, "BookingAppointment", field="id")
            )
        except Refused:
            return None
        return Appointment.from_model(row)

    @connection(Connection[Appointment], description="Staff: a site's appointments on a day.")
    async def appointments_for_day(
        self, info: Info, site_id: GlobalID, date: dt.date
    ) -> AsyncIterable[Appointment]:
        ctx = require_login(info)
        site = await _community_of_site(info, site_id)
        if not access.can(ctx.actor, "booking.attend", site.community_id):
            raise ApiError("FORBIDDEN", ctx.locale)
        query = (
            models.Appointment.filter(
                slot__service_type__site_id=site.pk,
                local_date=date,
            )
            .exclude(status=common.Status.WAITLIST)
            .order_by("slot__start", "id")
        )
        return mapped(query, Appointment.from_model)

    @strawberry.field(description="Staff: the waitlist of a slot, first come first.")
    async def waitlist(self, info: Info, slot_id: GlobalID) -> list[Appointment]:
        ctx = require_login(info)
        with api_errors(info):
            slot = await models.Slot.get_or_none(id=pk(slot_id, "BookingSlot", field="slotId"))
        if slot is None or not access.can(ctx.actor, "booking.attend", slot.community_id):
            raise ApiError("NOT_FOUND" if slot is None else "FORBIDDEN", ctx.locale)
        rows = await models.Appointment.filter(
            slot_id=slot.pk, status=common.Status.WAITLIST
        ).order_by("joined_waitlist_at", "id")
        return [Appointment.from_model(row) for row in rows]
