"""The iCalendar download of an appointment (B12): GET /booking/appointments/{id}.ics.

Bearer token required; only the person, their verified proxies and staff of the community.
The file names no person (ical.appointment_to_ical takes none).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from linli.core import kit
from linli.core.errors import ApiError, Refused
from linli.core.http import error_response, request_actor

from . import models
from .rules import ical
from .service import appointments


async def appointment_ics(request: Request) -> Response:
    try:
        actor = await request_actor(request)
    except ApiError as exc:
        return error_response(request, exc.code, 401)
    if not actor.authenticated:
        return error_response(request, "UNAUTHENTICATED", 401)
    try:
        appointment = await appointments.visible_appointment(actor, int(request.path_params["id"]))
    except Refused:
        return error_response(request, "NOT_FOUND", 404)
    slot = await models.Slot.get(id=appointment.slot_id)
    service = await models.ServiceType.get(id=slot.service_type_id).prefetch_related("site")
    host = request.url.hostname or "linli"
    body = ical.appointment_to_ical(
        uid=f"booking-appointment-{appointment.pk}@{host}",
        start=slot.start,
        end=slot.end,
        summary=service.name,
        location=f"{service.site.name} {service.site.address}".strip(),
        status=appointment.status,
        dtstamp=kit.now(),
        sequence=appointment.sequence,
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="appointment-{appointment.pk}.ics"',
            "cache-control": "private, no-store",
        },
    )


routes = [Route("/booking/appointments/{id:pk}.ics", appointment_ics, methods=["GET"])]
