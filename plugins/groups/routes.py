"""The exports (plugin routes): bearer token required.

- ``GET /groups/{id}/roster.xlsx|.csv?asOf=YYYY-MM-DD``: the roster (花名册) as of a day;
- ``GET /groups/{id}/filing.xlsx|.csv?number=N``: a version of the filing form (核准备案表),
  the latest by default;
- ``GET /groups/summary.xlsx?communityId=<global id>``: the summary (汇总) of every group in
  the caller's jurisdiction (a street office: all its communities).

The roster and filing are for the group's leader and reviewing staff; the summary for staff
who review in that community. Anyone else gets 404, as if the group did not exist.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from linli.core import http
from linli.core.errors import ApiError, Refused
from linli.core.identity.access import can
from linli.core.identity.models import Community
from linli.core.ids import parse_pk

from .models import Filing
from .service import common, exports

MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


async def _actor(request: Request):
    try:
        actor = await http.request_actor(request)
    except ApiError as exc:
        return None, http.error_response(request, exc.code, 401)
    if not actor.authenticated:
        return None, http.error_response(request, "UNAUTHENTICATED", 401)
    return actor, None


def _file(table: exports.Table, fmt: str, name: str) -> Response:
    body = exports.to_xlsx(table) if fmt == "xlsx" else exports.to_csv(table)
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={
            "content-disposition": f'attachment; filename="{name}.{fmt}"',
            "cache-control": "private, no-store",
        },
    )


async def group_document(request: Request) -> Response:
    actor, refused = await _actor(request)
    if refused is not None:
        return refused
    fmt, what = request.path_params["fmt"], request.url.path.rsplit("/", 1)[1].split(".")[0]
    if fmt not in MEDIA:
        return http.error_response(request, "NOT_FOUND", 404)
    try:
        group = await common.group_for(actor, request.path_params["id"])
    except Refused:
        return http.error_response(request, "NOT_FOUND", 404)
    try:
        if what == "roster":
            raw = request.query_params.get("asOf")
            s = await common.settings_for(group.community_id)
            as_of = dt.date.fromisoformat(raw) if raw else common.today(s)
            return _file(await exports.roster_export(group, as_of), fmt, f"roster-{group.pk}")
        number = request.query_params.get("number")
        filings = Filing.filter(group_id=group.pk)
        filing = await (
            filings.filter(number=int(number)) if number else filings.order_by("-number")
        ).first()
    except ValueError:
        return http.error_response(request, "INVALID_INPUT", 400, detail="asOf/number")
    if filing is None:
        return http.error_response(request, "NOT_FOUND", 404)
    return _file(await exports.filing_export(filing), fmt, f"filing-{group.pk}-{filing.number}")


async def summary(request: Request) -> Response:
    from linli.core.graphql import GlobalID

    actor, refused = await _actor(request)
    if refused is not None:
        return refused
    try:
        gid = GlobalID.from_id(request.query_params.get("communityId", ""))
    except (ValueError, TypeError):
        gid = None
    community_id = parse_pk(gid.node_id) if gid and gid.type_name == "Community" else None
    if community_id is None:
        return http.error_response(request, "INVALID_INPUT", 400, detail="communityId")
    community = await Community.get_or_none(pk=community_id)
    if community is None or not can(actor, "groups.review", community.pk):
        return http.error_response(request, "NOT_FOUND", 404)
    s = await common.settings_for(community.pk)
    table = await exports.summary_export(community, common.today(s))
    return _file(table, "xlsx", f"groups-summary-{community.pk}")


routes = [
    Route("/groups/summary.xlsx", summary, methods=["GET"]),
    Route("/groups/{id:pk}/roster.{fmt:str}", group_document, methods=["GET"]),
    Route("/groups/{id:pk}/filing.{fmt:str}", group_document, methods=["GET"]),
]
