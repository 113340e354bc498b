"""Downloads: a shift as iCalendar (GET /volunteers/shifts/{id}.ics, for a volunteer signed
up or the organisers) and a certificate as PDF (GET /volunteers/certificates/{id}.pdf, for
its holder, their guardian and the issuing community's organisers). Bearer token required."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from linli.core import kit
from linli.core.errors import ApiError, Refused
from linli.core.http import error_response, request_actor
from linli.core.identity.models import Community, Person

from . import models
from .rules import ical
from .service import certificates, common


async def _actor(request: Request):
    try:
        actor = await request_actor(request)
    except ApiError as exc:
        return None, error_response(request, exc.code, 401)
    if not actor.authenticated:
        return None, error_response(request, "UNAUTHENTICATED", 401)
    return actor, None


async def shift_ics(request: Request) -> Response:
    actor, refused = await _actor(request)
    if refused is not None:
        return refused
    shift = await models.Shift.get_or_none(id=int(request.path_params["id"]))
    if shift is None:
        return error_response(request, "NOT_FOUND", 404)
    seen = await kit.reach(actor, "volunteers.view")
    mine = (
        await models.SignUp.filter(shift_id=shift.pk, person_id__in=list(seen.persons))
        .order_by("-id")
        .first()
    )
    activity = await models.Activity.get(id=shift.activity_id)
    if mine is None and not common.may_organise(actor, activity):
        return error_response(request, "NOT_FOUND", 404)
    status = mine.status if mine is not None else "CONFIRMED"
    if shift.cancelled:
        status = "CANCELLED"
    host = request.url.hostname or "linli"
    body = ical.shift_to_ical(
        uid=f"volunteer-shift-{shift.pk}@{host}",
        start=shift.start,
        end=shift.end,
        summary=f"{activity.title}：{shift.title}"
        if shift.title != activity.title
        else shift.title,
        location=shift.place,
        status=status,
        dtstamp=kit.now(),
        sequence=shift.sequence,
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="shift-{shift.pk}.ics"',
            "cache-control": "private, no-store",
        },
    )


async def certificate_download(request: Request) -> Response:
    actor, refused = await _actor(request)
    if refused is not None:
        return refused
    try:
        row = await certificates.visible(actor, int(request.path_params["id"]))
    except Refused:
        return error_response(request, "NOT_FOUND", 404)
    # reportlab loads on the first download, not at every server start
    from .rules.certificate_pdf import certificate_pdf

    person = await Person.get(id=row.person_id)
    community = await Community.get(id=row.community_id)
    base = str(request.base_url).rstrip("/")
    body = certificate_pdf(
        number=row.number,
        holder=person.real_name,
        issuer=community.name,
        period_from=row.period_from,
        period_to=row.period_to,
        lines=[(str(x["title"]), int(x["minutes"]) / 60) for x in row.lines],
        total_hours=row.total_minutes / 60,
        issued_on=kit.local_day(row.issued_at, community.time_zone),
        verify_url=f"{base}/volunteers/verify/{row.number}",
        revoked=row.revoked_at is not None,
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="certificate-{row.number}.pdf"',
            "cache-control": "private, no-store",
        },
    )


async def verify_page(request: Request) -> Response:
    """What the QR code opens: the public verification as JSON (no login, masked name)."""
    import orjson

    found = await certificates.verify(str(request.path_params["number"]))
    if found is None:
        return Response(
            orjson.dumps({"found": False}), media_type="application/json", status_code=404
        )
    return Response(
        orjson.dumps(
            {
                "found": True,
                "number": found.number,
                "maskedName": found.masked_name,
                "issuer": found.issuer,
                "periodFrom": found.period_from.isoformat(),
                "periodTo": found.period_to.isoformat(),
                "hours": found.hours,
                "revoked": found.revoked,
            }
        ),
        media_type="application/json",
    )


routes = [
    Route("/volunteers/shifts/{id:pk}.ics", shift_ics, methods=["GET"]),
    Route("/volunteers/certificates/{id:pk}.pdf", certificate_download, methods=["GET"]),
    Route("/volunteers/verify/{number}", verify_page, methods=["GET"]),
]
